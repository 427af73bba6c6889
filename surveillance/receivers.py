"""Receivers of signals sent by the apps below surveillance."""

import logging

from surveillance import watch

logger = logging.getLogger(__name__)


def evaluate_on_acceptance(sender, report, **kwargs):
    """``reporting.signals.report_accepted`` (after commit): evaluate the label's conditions
    on reports at once, rather than at the next daily job. The report is accepted whatever
    happens here: a failure is logged and the daily job evaluates the label again."""
    try:
        watch.evaluate_label(report.label)
    except Exception:
        logger.exception("Surveillance of label %s after report %s", report.label_id, report.pk)
