from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Activity reporting")

    def ready(self):
        from labels.signals import label_issued
        from reporting import receivers

        # The one-way hook: an issued label is asked its first report (reporting/receivers.py).
        label_issued.connect(receivers.ask_first_report, dispatch_uid="reporting.first_report")
        # The statistics' summaries follow every transition of dossiers and reports, after
        # commit (reporting/tallies.py).
        from django_fsm.signals import post_transition

        from reporting import tallies

        post_transition.connect(tallies.on_transition, dispatch_uid="reporting.tallies")
        from applications.signals import dossiers_imported

        dossiers_imported.connect(
            tallies.on_dossiers_imported, dispatch_uid="reporting.tallies.imported"
        )

        from portal import dashboards
        from portal.roles import Role
        from reporting import panels

        dashboards.register(Role.APPLICANT, panels.holder_panel)
        dashboards.register(Role.OFFICER, panels.staff_panel)
        dashboards.register(Role.MINISTRY, panels.staff_panel)
        dashboards.register("programme_page", panels.programme_panel)
        from portal import exports
        from reporting import exports as report_exports

        exports.register("reports", report_exports.report_source)
        from portal import letters
        from reporting import letters as report_letters

        letters.register("grant", report_letters.reporting_section)
        from portal import privacy
        from reporting import privacy as report_privacy

        privacy.register(report_privacy.HOLDER)
        from portal import messages
        from reporting import messages as reporting_messages

        messages.register(*reporting_messages.MESSAGES)
        from portal import navigation, routes

        routes.include("reporting.urls")
        navigation.add_header_link(
            navigation.HeaderLink(
                _("Statistics"), "reporting:statistics", roles={Role.OFFICER, Role.MINISTRY}
            )
        )
        navigation.add_footer_line(
            navigation.FooterLine(
                _("Open data, grants awarded (360Giving):"),
                (("JSON", "reporting:open_data_json"), ("CSV", "reporting:open_data_csv")),
            )
        )
        navigation.add_footer_line(
            navigation.FooterLine(
                _("All open data:"),
                (
                    (_("datasets"), "reporting:open_data"),
                    (_("DCAT-AP catalogue"), "reporting:open_data_catalogue"),
                ),
            )
        )
