"""Export columns of dossiers: the single definition of their columns and headers."""

from django.db.models import DecimalField, Value
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal import bce
from portal.exports import ChoiceLabels, Column, ExportResource
from portal.postcodes import Province

STATE = Application.State


class ApplicationResource(ExportResource):
    """A dossier with its review results. The jury proposal and the decision are read
    through their reverse relations (``proposal``, ``decision``); the total score is an
    expression given by the review app (``total_score=``), which applications does not
    import — without one the column stays empty."""

    reference = Column("reference", _("Reference"))
    state = Column("state", _("State"), display=ChoiceLabels(STATE.choices))
    organisation = Column("organisation__legal_name", _("Organisation"))
    enterprise_number = Column(
        "organisation__enterprise_number",
        _("Enterprise number"),
        display=bce.display,
        sql_display=bce.display_sql,
    )
    project_title = Column("project_title", _("Project title"))
    municipality = Column("municipality", _("Municipality"))
    province = Column("province", _("Province"), display=ChoiceLabels(Province.choices))
    desks = Column("desks", _("Workstations"))
    surface_m2 = Column("surface_m2", _("Surface (m²)"))
    total_cost = Column("total_cost", _("Total cost (EUR)"))
    requested_amount = Column("requested_amount", _("Requested amount (EUR)"))
    submitted_at = Column("submitted_at", _("Submitted on"))
    total_score = Column("total_score", _("Total score"))
    proposal = Column(
        "proposal__proposed",
        _("Jury proposal"),
        display=ChoiceLabels(((True, STATE.PROPOSED.label), (False, STATE.NOT_PROPOSED.label))),
    )
    decision = Column(
        "decision__granted",
        _("Ministerial decision"),
        display=ChoiceLabels(((True, STATE.GRANTED.label), (False, STATE.REFUSED.label))),
    )
    granted_amount = Column("decision__amount", _("Amount granted (EUR)"))

    class Meta:
        model = Application
        fields = (
            "reference",
            "state",
            "organisation",
            "enterprise_number",
            "project_title",
            "municipality",
            "province",
            "desks",
            "surface_m2",
            "total_cost",
            "requested_amount",
            "submitted_at",
            "total_score",
            "proposal",
            "decision",
            "granted_amount",
        )
        export_order = fields

    def __init__(self, total_score=None, **kwargs):
        super().__init__(**kwargs)
        self.total_score = total_score

    def prepare(self, queryset):
        score = self.total_score
        if score is None:
            score = Value(None, output_field=DecimalField(max_digits=12, decimal_places=4))
        return queryset.annotate(total_score=score)
