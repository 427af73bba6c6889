"""Export and import columns of labels, and the staff list's export."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Programme
from labels import verification
from labels.filters import staff_labels
from labels.models import Label, label_counter, last_valid_day, parse_label_number
from portal import bce, postcodes
from portal.exports import ChoiceLabels, Column, Source
from portal.imports import ImportExportResource, NaturalKeyWidget, StateColumn
from portal.models import Counter, Organisation
from portal.postcodes import Province


class LabelResource(ImportExportResource):
    """Labels, identified by their number; the holder by its enterprise number and the
    programme by its short name.

    A label always comes from a dossier. A legacy label (issued before the portal) names
    its dossier's reference when that dossier is in the portal; when the column is empty,
    the import creates a minimal *legacy dossier* for it — granted, never submitted through
    the portal (so absent from the dossier lists), filed under the programme's first call,
    its title the space's name. An administrator thus imports labels without first
    recreating dossiers, and every label keeps the one dossier it came from.
    """

    number = Column("number", _("Label number"), plain=True)
    state = StateColumn("state", _("State"), Label.State.choices)
    organisation = Column("organisation__legal_name", _("Holder"), attribute=None, readonly=True)
    enterprise_number = Column(
        "organisation__enterprise_number",
        _("Enterprise number"),
        attribute="organisation",
        display=bce.display,
        sql_display=bce.display_sql,
        widget=NaturalKeyWidget(Organisation, "enterprise_number", normalise=bce.normalise),
    )
    # People read the programme's name; an import names it by its unique short name.
    programme_name = Column("programme__name", _("Programme"), attribute=None, readonly=True)
    programme = Column(
        "programme__slug",
        _("Programme short name"),
        attribute="programme",
        widget=NaturalKeyWidget(Programme, "slug"),
    )
    space_name = Column("space_name", _("Space"))
    street = Column("street", _("Street and number"))
    postcode = Column("postcode", _("Postcode"))
    municipality = Column("municipality", _("Municipality"))
    province = Column(
        "province", _("Province"), display=ChoiceLabels(Province.choices), readonly=True
    )
    capacity = Column("capacity", _("Workstations"))
    issued_on = Column("issued_on", _("Issued on"))
    valid_until = Column("valid_until", _("Valid until"))
    application = Column(
        "application__reference",
        _("Application"),
        attribute="application",
        widget=NaturalKeyWidget(Application, "reference", select_related=["call"]),
    )

    class Meta:
        model = Label
        fields = (
            "number",
            "state",
            "organisation",
            "enterprise_number",
            "programme_name",
            "programme",
            "space_name",
            "street",
            "postcode",
            "municipality",
            "province",
            "capacity",
            "issued_on",
            "valid_until",
            "application",
        )
        export_order = fields
        import_id_fields = ["number"]
        clean_model_instances = True
        use_transactions = True

    def prepare(self, queryset):
        return queryset.select_related("organisation", "programme", "application")

    def first_call(self, programme):
        """The programme's first call (a legacy dossier's), looked up once per programme."""
        if not hasattr(self, "first_calls"):
            self.first_calls = {}
        if programme.pk not in self.first_calls:
            self.first_calls[programme.pk] = programme.calls.order_by("opens_at", "pk").first()
        return self.first_calls[programme.pk]

    def check(self, instance, unread):
        errors = {}
        try:
            instance.province = postcodes.province_for(instance.postcode or "")
        except ValidationError as error:
            errors["postcode"] = error.messages[0]
        call = None
        if instance.application_id is None:
            if instance.programme_id:
                call = self.first_call(instance.programme)
                if call is None:
                    errors["programme"] = gettext(
                        "This programme has no call for a legacy application."
                    )
        elif instance.organisation_id != instance.application.organisation_id:
            errors["application"] = gettext("This application belongs to another organisation.")
        else:
            call = instance.application.call
        if not {"issued_on", "valid_until"} & unread:
            errors.update(
                {
                    name: message
                    for name, message in check_dates(instance, call).items()
                    if name not in errors
                }
            )
        return errors

    def not_validated(self, instance):
        """A legacy label's dossier is created on save, once the row is valid."""
        legacy = {"application"} if instance.application_id is None else set()
        return super().not_validated(instance) | legacy

    def after_import(self, dataset, result, **kwargs):
        # Legacy labels may arrive suspended or revoked: the status list names them once
        # the import commits (a dry run changes nothing, so publishes nothing).
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            verification.refresh_status_list()

    def before_save_instance(self, instance, row, **kwargs):
        if instance.application_id is None:
            instance.application = legacy_dossier(instance)
            if not kwargs.get("dry_run"):
                self.note_imported(instance.application)
        # A number of the programme's own sequence moves the sequence past it, so that
        # the next grant does not issue it again.
        parsed = parse_label_number(instance.number, instance.programme.reference_prefix)
        if parsed is not None:
            year, sequence = parsed
            Counter.reach(label_counter(instance.programme_id, year), sequence)


# No label of a programme is older than this (legacy labels included).
EARLIEST_ISSUE = dt.date(2000, 1, 1)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def check_dates(label: Label, call) -> dict[str, str]:
    """Row errors for implausible dates: a label is issued in the past, not before
    :data:`EARLIEST_ISSUE`, and, when its dossier is in the portal, once its call has
    closed (the decision comes after); it is valid from its issue for at most its call's
    validity (a legacy label: the programme's first call's)."""
    issued, until = label.issued_on, label.valid_until
    if issued is None or until is None:
        return {}
    errors = {}
    today = timezone.localdate()
    if issued > today:
        errors["issued_on"] = gettext("A label is issued in the past, not after today.")
    elif issued < EARLIEST_ISSUE:
        errors["issued_on"] = gettext("A label is issued on or after %(date)s.") % {
            "date": _day(EARLIEST_ISSUE)
        }
    elif label.application_id and call is not None:
        closed = timezone.localdate(call.closes_at)
        if issued < closed:
            errors["issued_on"] = gettext(
                "The label's call closed on %(date)s: its label comes after the decision."
            ) % {"date": _day(closed)}
    if until < issued:
        errors["valid_until"] = gettext("The validity ends before the label is issued.")
    elif call is not None:
        latest = last_valid_day(issued, call.label_validity_months)
        if until > latest:
            errors["valid_until"] = gettext(
                "A label of this call is valid for %(months)s months at most: until %(date)s."
            ) % {"months": call.label_validity_months, "date": _day(latest)}
    return errors


def legacy_dossier(label: Label) -> Application:
    """A granted dossier standing for a label issued before the portal (see
    :class:`LabelResource`)."""
    call = label.programme.calls.order_by("opens_at", "pk").first()
    dossier = Application(
        call=call,
        organisation=label.organisation,
        project_title=label.space_name,
        street=label.street,
        postcode=label.postcode,
        municipality=label.municipality,
    )
    Application._meta.get_field("state").set_state(dossier, Application.State.GRANTED)
    dossier.save()
    return dossier


def label_source(user, query, scope="") -> Source:
    """The staff list of labels with its filter (see ``labels.filters.staff_labels``)."""
    return Source(LabelResource(), staff_labels(user, query).qs, _("Labels"))
