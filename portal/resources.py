"""Import and export columns of organisations (legacy data, SPEC §6)."""

from django.utils.translation import gettext_lazy as _
from import_export import widgets

from portal import bce, postcodes
from portal.exports import ChoiceLabels, Column
from portal.imports import ChoiceWidget, ImportExportResource
from portal.models import LegalForm, Organisation
from portal.postcodes import Province


class EnterpriseNumberWidget(widgets.Widget):
    """An enterprise number in any usual spelling (``BE 0566.988.259``), stored as ten
    digits so that it finds the organisation it identifies."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        return bce.normalise(str(value or ""))


class OrganisationResource(ImportExportResource):
    """Organisations, identified by their enterprise number: a row whose number exists
    updates that organisation, any other creates one. The province follows the postcode."""

    enterprise_number = Column(
        "enterprise_number",
        _("Enterprise number"),
        display=bce.display,
        sql_display=bce.display_sql,
        widget=EnterpriseNumberWidget(),
    )
    legal_name = Column("legal_name", _("Legal name"))
    trade_name = Column("trade_name", _("Trade name"))
    legal_form = Column(
        "legal_form",
        _("Legal form"),
        display=ChoiceLabels(LegalForm.choices),
        widget=ChoiceWidget(LegalForm.choices),
    )
    street = Column("street", _("Street and number"))
    postcode = Column("postcode", _("Postcode"))
    municipality = Column("municipality", _("Municipality"))
    province = Column(
        "province", _("Province"), display=ChoiceLabels(Province.choices), readonly=True
    )
    website = Column("website", _("Website"))
    phone = Column("phone", _("Phone"))
    contact_email = Column("contact_email", _("Contact email"))

    class Meta:
        model = Organisation
        fields = (
            "enterprise_number",
            "legal_name",
            "trade_name",
            "legal_form",
            "street",
            "postcode",
            "municipality",
            "province",
            "website",
            "phone",
            "contact_email",
        )
        export_order = fields
        import_id_fields = ["enterprise_number"]
        clean_model_instances = True
        use_transactions = True

    def before_save_instance(self, instance, row, **kwargs):
        # What ``Organisation.save`` does, for a background import that saves in bulk.
        instance.enterprise_number = bce.normalise(instance.enterprise_number)
        instance.province = postcodes.province_for(instance.postcode)
