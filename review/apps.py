from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review, jury and decision")

    def ready(self):
        from portal import dashboards
        from portal.roles import Role
        from review import panels

        dashboards.register(Role.REVIEWER, panels.reviewer_panel)
        dashboards.register(Role.MINISTRY, panels.ministry_panel)
        dashboards.register(Role.OFFICER, panels.officer_panel)
        dashboards.register("call_page", panels.call_criteria_panel)
        dashboards.register("staff_call_page", panels.staff_call_tabs)
        dashboards.register("application_page", panels.decision_panel)
        dashboards.register("application_page", panels.hearing_panel)
        dashboards.register("application_page", panels.evaluation_summary_panel)
        dashboards.register("application_page", panels.complaint_panel)
        dashboards.register("staff_application_page", panels.staff_complaints_panel)
        dashboards.register("staff_application_page", panels.evaluation_summary_panel)
        from portal import exports
        from review import resources

        exports.register("applications", resources.application_source)
        exports.register("reviews", resources.review_source)
        exports.register("complaints", resources.complaint_source)
        from portal import privacy
        from review import privacy as review_privacy

        privacy.register(review_privacy.HOLDER)
        # Disagreements are flagged against the call's tolerance: its standings are
        # recomputed when it changes (the review services refresh the rest themselves).
        from applications.signals import call_tolerance_changed
        from portal import messages
        from review import messages as review_messages
        from review import ranking

        messages.register(*review_messages.MESSAGES)
        call_tolerance_changed.connect(ranking.tolerance_changed, dispatch_uid="standing.tolerance")
        # The next call made from a call is scored on the same criteria.
        from applications.signals import call_duplicated
        from review import receivers

        call_duplicated.connect(receivers.copy_criteria, dispatch_uid="criteria.duplicate")
        from portal import routes, transitions
        from review import consensus

        routes.include("review.urls")
        # The consensus's steps that keep its state (a rapporteur changed), in its history.
        transitions.NOTE_NAMES.update(consensus.NOTES)
