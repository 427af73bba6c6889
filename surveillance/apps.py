from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    """A label's conditions and their surveillance, above reporting: conditions read both
    dossier answers and report indicators, and act on labels through ``labels.services``."""

    name = "surveillance"
    verbose_name = _("Label surveillance")

    def ready(self):
        # The evaluation after an accepted report.
        from reporting.signals import report_accepted
        from surveillance import receivers

        report_accepted.connect(receivers.evaluate_on_acceptance, dispatch_uid="surveillance.watch")

        from portal import dashboards, navigation, routes, transitions
        from portal.roles import Role
        from surveillance import panels, services

        # The steps of a case in the label's history.
        transitions.NOTE_NAMES.update(services.NOTES)
        # The pages of the apps below show what the surveillance adds to them.
        dashboards.register(Role.OFFICER, panels.staff_panel)
        dashboards.register(Role.MINISTRY, panels.staff_panel)
        dashboards.register(Role.APPLICANT, panels.holder_panel)
        dashboards.register("programme_page", panels.programme_panel)
        dashboards.register("label_public_page", panels.space_panel)
        dashboards.register("label_verification", panels.verification_panel)
        dashboards.register("label_staff_page", panels.label_staff_panel)
        dashboards.register("my_labels_page", panels.my_labels_panel)
        routes.include("surveillance.urls")
        from portal import messages
        from surveillance import messages as surveillance_messages

        messages.register(*surveillance_messages.MESSAGES)
        navigation.add_header_link(
            navigation.HeaderLink(
                _("Surveillance"), "surveillance:staff_cases", roles={Role.OFFICER, Role.MINISTRY}
            )
        )
