from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "labels"
    verbose_name = _("Labels")

    def ready(self):
        from django.db.backends.signals import connection_created

        from applications.signals import application_granted
        from labels import receivers
        from portal import folding

        # The directory's municipality search folds the column in SQL (portal.folding).
        connection_created.connect(folding.add_sqlite_unaccent, dispatch_uid="labels.unaccent")

        # The one-way hook: a granted dossier issues its label (idempotent).
        application_granted.connect(receivers.issue_on_grant, dispatch_uid="labels.issue")

        from labels import letters as label_letters
        from portal import letters

        letters.register("grant", label_letters.label_section)

        from labels import panels
        from portal import dashboards
        from portal.roles import Role

        dashboards.register(Role.APPLICANT, panels.holder_panel)
        dashboards.register("home_page", panels.home_panel)
        dashboards.register(Role.OFFICER, panels.staff_panel)
        dashboards.register(Role.MINISTRY, panels.staff_panel)
        from labels import resources as label_resources
        from portal import exports

        exports.register("labels", label_resources.label_source)
        from labels import privacy as label_privacy
        from portal import privacy

        privacy.register(label_privacy.HOLDER)
        from labels import messages as labels_messages
        from portal import messages

        messages.register(*labels_messages.MESSAGES)
        from portal import routes

        routes.include("labels.urls")
