"""Export columns of labels."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from labels.models import Label


class LabelResource(resources.ModelResource):
    number = fields.Field(attribute="number", column_name=_("Label number"))
    state = fields.Field(attribute="get_state_display", column_name=_("State"))
    organisation = fields.Field(attribute="organisation__legal_name", column_name=_("Holder"))
    enterprise_number = fields.Field(
        attribute="organisation__enterprise_number", column_name=_("Enterprise number")
    )
    space_name = fields.Field(attribute="space_name", column_name=_("Space"))
    municipality = fields.Field(attribute="municipality", column_name=_("Municipality"))
    province = fields.Field(attribute="get_province_display", column_name=_("Province"))
    capacity = fields.Field(attribute="capacity", column_name=_("Workstations"))
    issued_on = fields.Field(attribute="issued_on", column_name=_("Issued on"))
    valid_until = fields.Field(attribute="valid_until", column_name=_("Valid until"))
    application = fields.Field(attribute="application__reference", column_name=_("Application"))

    class Meta:
        model = Label
        fields = (
            "number",
            "state",
            "organisation",
            "enterprise_number",
            "space_name",
            "municipality",
            "province",
            "capacity",
            "issued_on",
            "valid_until",
            "application",
        )
        export_order = fields
