"""The twelve indicators every report had as columns (SPEC §6) become data: each existing
programme gets them as ``Indicator`` rows, and each report's values move to its JSON
``values`` under their codes (decimals as strings, as ``reporting.indicators`` stores them).
A report's first filing is read from its history. Reversible: the columns are filled back."""

from decimal import Decimal

from django.db import migrations
from django.db.models import F, Min, OuterRef, Subquery

# Frozen here: ``reporting.indicatorlibrary`` may change, this migration must not.
STANDARD = [{'code': 'active_coworkers',
  'label_fr': 'coworkers actifs',
  'label_en': 'active coworkers',
  'kind': 'integer',
  'help_fr': "Personnes qui ont fréquenté l'espace pendant la période.",
  'help_en': 'People who used the space during the period.',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'desks',
  'label_fr': 'postes de travail',
  'label_en': 'desks',
  'kind': 'integer',
  'help_fr': 'Postes de travail proposés à la fin de la période.',
  'help_en': 'Workstations offered at the end of the period.',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'occupancy_rate',
  'label_fr': "taux d'occupation",
  'label_en': 'occupancy rate',
  'kind': 'percentage',
  'help_fr': 'Part moyenne des postes occupés, entre 0 et 100 %.',
  'help_en': 'Average share of desks in use, between 0 and 100 %.',
  'aggregation': 'mean',
  'minimum': Decimal('0'),
  'maximum': Decimal('100')},
 {'code': 'days_open',
  'label_fr': "jours d'ouverture",
  'label_en': 'days open',
  'kind': 'integer',
  'unit_fr': 'jours',
  'unit_en': 'days',
  'maximum': Decimal('366'),
  'at_most_period_days': True,
  'help_fr': 'Au plus le nombre de jours de la période.',
  'help_en': 'At most the days of the period.',
  'minimum': Decimal('0')},
 {'code': 'events_held',
  'label_fr': 'événements organisés',
  'label_en': 'events held',
  'kind': 'integer',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'event_attendance',
  'label_fr': 'participants',
  'label_en': 'event attendance',
  'kind': 'integer',
  'help_fr': 'Personnes qui ont assisté aux événements.',
  'help_en': 'People who attended the events.',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'businesses_hosted',
  'label_fr': 'entreprises hébergées',
  'label_en': 'businesses hosted',
  'kind': 'integer',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'businesses_created',
  'label_fr': 'entreprises créées',
  'label_en': 'businesses created',
  'kind': 'integer',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')},
 {'code': 'jobs_created',
  'label_fr': 'emplois créés',
  'label_en': 'jobs created',
  'kind': 'decimal',
  'unit_fr': 'ETP',
  'unit_en': 'FTE',
  'maximum': Decimal('100000'),
  'help_fr': 'En équivalents temps plein, par ex. 1,5.',
  'help_en': 'Full-time equivalents, e.g. 1.5.',
  'minimum': Decimal('0')},
 {'code': 'turnover',
  'label_fr': "chiffre d'affaires",
  'label_en': 'turnover',
  'kind': 'amount',
  'help_fr': "Recettes de l'espace pendant la période, en euros.",
  'help_en': 'Revenue of the space during the period, in euros.',
  'minimum': Decimal('0')},
 {'code': 'public_funding_used',
  'label_fr': 'subsides utilisés',
  'label_en': 'public funding used',
  'kind': 'amount',
  'help_fr': 'Subsides dépensés pendant la période, en euros.',
  'help_en': 'Subsidies spent during the period, in euros.',
  'minimum': Decimal('0')},
 {'code': 'partnerships',
  'label_fr': 'partenariats',
  'label_en': 'partnerships',
  'kind': 'integer',
  'minimum': Decimal('0'),
  'maximum': Decimal('1000000')}]

DECIMALS = {"jobs_created"}
CENTS = {"turnover", "public_funding_used", "occupancy_rate"}
CODES = [definition["code"] for definition in STANDARD]


def stored(code, value):
    if value is None:
        return None
    if code in CENTS:
        return str(Decimal(value).quantize(Decimal("0.01")))
    if code in DECIMALS:
        # As reporting.indicators.to_json writes a decimal: 2.0 as "2", 100 as "100".
        return format(Decimal(value).normalize(), "f") if Decimal(value) else "0"
    return int(value)


def forwards(apps, schema_editor):
    Programme = apps.get_model("applications", "Programme")
    Indicator = apps.get_model("reporting", "Indicator")
    ActivityReport = apps.get_model("reporting", "ActivityReport")
    StateChange = apps.get_model("portal", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Indicator.objects.bulk_create(
        Indicator(programme=programme, position=position, **definition)
        for programme in Programme.objects.all()
        for position, definition in enumerate(STANDARD, start=1)
    )
    changed = []
    for report in ActivityReport.objects.only("pk", *CODES).iterator(chunk_size=2000):
        values = {}
        for code in CODES:
            value = stored(code, getattr(report, code))
            if value is not None:
                values[code] = value
        report.values = values
        changed.append(report)
        if len(changed) == 2000:
            ActivityReport.objects.bulk_update(changed, ["values"])
            changed = []
    ActivityReport.objects.bulk_update(changed, ["values"])
    report_type = ContentType.objects.filter(app_label="reporting", model="activityreport").first()
    if report_type is not None:
        first_filing = (
            StateChange.objects.filter(
                content_type=report_type, object_id=OuterRef("pk"), target="submitted"
            )
            .order_by()
            .values("object_id")
            .annotate(first=Min("at"))
            .values("first")
        )
        ActivityReport.objects.filter(submitted_at__isnull=False).update(
            first_submitted_at=Subquery(first_filing)
        )
    ActivityReport.objects.filter(
        submitted_at__isnull=False, first_submitted_at__isnull=True
    ).update(first_submitted_at=F("submitted_at"))


def backwards(apps, schema_editor):
    ActivityReport = apps.get_model("reporting", "ActivityReport")
    changed = []
    for report in ActivityReport.objects.iterator(chunk_size=2000):
        for code in CODES:
            setattr(report, code, report.values.get(code))
        changed.append(report)
    ActivityReport.objects.bulk_update(changed, CODES, batch_size=2000)
    apps.get_model("reporting", "Indicator").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_indicators"),
        ("applications", "0013_question_directory"),
        ("portal", "0008_outgoing_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
