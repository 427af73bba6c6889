"""Export columns of dossiers: the single definition of columns and headers."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from applications.models import Application


class ApplicationResource(resources.ModelResource):
    reference = fields.Field(attribute="reference", column_name=_("Reference"))
    state = fields.Field(attribute="get_state_display", column_name=_("State"))
    organisation = fields.Field(attribute="organisation__legal_name", column_name=_("Organisation"))
    enterprise_number = fields.Field(
        attribute="organisation__enterprise_number", column_name=_("Enterprise number")
    )
    project_title = fields.Field(attribute="project_title", column_name=_("Project title"))
    municipality = fields.Field(attribute="municipality", column_name=_("Municipality"))
    province = fields.Field(attribute="get_province_display", column_name=_("Province"))
    desks = fields.Field(attribute="desks", column_name=_("Workstations"))
    surface_m2 = fields.Field(attribute="surface_m2", column_name=_("Surface (m²)"))
    total_cost = fields.Field(attribute="total_cost", column_name=_("Total cost (EUR)"))
    requested_amount = fields.Field(
        attribute="requested_amount", column_name=_("Requested amount (EUR)")
    )
    submitted_at = fields.Field(attribute="submitted_at", column_name=_("Submitted on"))

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
        )
        export_order = fields

    def dehydrate_submitted_at(self, application):
        if application.submitted_at is None:
            return ""
        return timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
