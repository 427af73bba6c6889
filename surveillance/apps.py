from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    """A label's conditions and their surveillance, above reporting: conditions read both
    dossier answers and report indicators, and act on labels through ``labels.services``."""

    name = "surveillance"
    verbose_name = _("Label surveillance")
