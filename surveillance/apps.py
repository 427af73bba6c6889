from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    """A label's conditions and their surveillance, above reporting: conditions read both
    dossier answers and report indicators, and act on labels through ``labels.services``."""

    name = "surveillance"
    verbose_name = _("Label surveillance")

    def ready(self):
        # The evaluation after an accepted report, and the names of the job's history steps.
        from portal.transitions import NOTE_NAMES
        from reporting.signals import report_accepted
        from surveillance import receivers, watch

        report_accepted.connect(receivers.evaluate_on_acceptance, dispatch_uid="surveillance.watch")
        NOTE_NAMES.update(watch.NOTE_NAMES)
