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
        from portal import exports
        from review import resources

        exports.register("applications", resources.application_source)
        exports.register("reviews", resources.review_source)
        from portal import privacy
        from review import privacy as review_privacy

        privacy.register(review_privacy.HOLDER)
        from django.db.models.signals import post_delete, post_save

        from applications.models import Call
        from review import receivers
        from review.models import Criterion, Review, Score

        for model, receiver in (
            (Score, receivers.score_changed),
            (Review, receivers.review_changed),
            (Criterion, receivers.criterion_changed),
        ):
            post_save.connect(receiver, sender=model, dispatch_uid=f"standing.{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"standing-{model.__name__}")
        post_save.connect(receivers.call_changed, sender=Call, dispatch_uid="standing.Call")
