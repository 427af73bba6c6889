from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Calls and applications")

    def ready(self):
        from applications import dashboards
        from portal import dashboards as portal_dashboards
        from portal.roles import Role

        portal_dashboards.register(Role.APPLICANT, dashboards.applicant_panel)
        portal_dashboards.register(Role.OFFICER, dashboards.staff_panel)
        portal_dashboards.register(Role.MINISTRY, dashboards.staff_panel)
        portal_dashboards.register(Role.ADMIN, dashboards.staff_panel)
        from applications import privacy as applications_privacy
        from portal import privacy

        privacy.register(applications_privacy.HOLDER)
        from portal import routes

        routes.include("applications.urls")
        routes.serve_home("applications.views.public.home")
        from applications import messages as applications_messages
        from applications import wordings
        from portal import messages

        messages.set_wording_source(wordings.stored_wording)
        messages.register(*applications_messages.MESSAGES)
