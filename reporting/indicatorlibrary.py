"""Ready-made indicator sets that a programme can start from (the demo's programmes use
them; an officer adds, changes and retires indicators in the portal)."""

from decimal import Decimal

from reporting.models import Indicator

Kind = Indicator.Kind
MILLION = Decimal(1_000_000)


def indicator(code, label_fr, label_en, kind=Kind.INTEGER, **fields) -> dict:
    """One indicator's definition, as ``Indicator`` fields: a count by default, from 0."""
    fields.setdefault("minimum", Decimal(0))
    if kind == Kind.INTEGER:
        fields.setdefault("maximum", MILLION)
    if kind == Kind.PERCENTAGE:
        fields.setdefault("maximum", Decimal(100))
    if kind == Kind.YES_NO:
        fields.setdefault("aggregation", Indicator.Aggregation.SHARE_YES)
        fields.pop("minimum")
    return {"code": code, "label_fr": label_fr, "label_en": label_en, "kind": kind, **fields}


# The indicators of SPEC §6, which every report asked before indicators were data (the
# data migration reporting 0005 gives them to each existing programme).
COWORKING = [
    indicator(
        "active_coworkers",
        "coworkers actifs",
        "active coworkers",
        help_fr="Personnes qui ont fréquenté l'espace pendant la période.",
        help_en="People who used the space during the period.",
    ),
    indicator(
        "desks",
        "postes de travail",
        "desks",
        help_fr="Postes de travail proposés à la fin de la période.",
        help_en="Workstations offered at the end of the period.",
    ),
    indicator(
        "occupancy_rate",
        "taux d'occupation",
        "occupancy rate",
        Kind.PERCENTAGE,
        help_fr="Part moyenne des postes occupés, entre 0 et 100 %.",
        help_en="Average share of desks in use, between 0 and 100 %.",
        aggregation=Indicator.Aggregation.MEAN,
    ),
    indicator(
        "days_open",
        "jours d'ouverture",
        "days open",
        unit_fr="jours",
        unit_en="days",
        maximum=Decimal(366),
        at_most_period_days=True,
        help_fr="Au plus le nombre de jours de la période.",
        help_en="At most the days of the period.",
    ),
    indicator("events_held", "événements organisés", "events held"),
    indicator(
        "event_attendance",
        "participants",
        "event attendance",
        help_fr="Personnes qui ont assisté aux événements.",
        help_en="People who attended the events.",
    ),
    indicator("businesses_hosted", "entreprises hébergées", "businesses hosted"),
    indicator("businesses_created", "entreprises créées", "businesses created"),
    indicator(
        "jobs_created",
        "emplois créés",
        "jobs created",
        Kind.DECIMAL,
        unit_fr="ETP",
        unit_en="FTE",
        maximum=Decimal(100_000),
        help_fr="En équivalents temps plein, par ex. 1,5.",
        help_en="Full-time equivalents, e.g. 1.5.",
    ),
    indicator(
        "turnover",
        "chiffre d'affaires",
        "turnover",
        Kind.AMOUNT,
        help_fr="Recettes de l'espace pendant la période, en euros.",
        help_en="Revenue of the space during the period, in euros.",
    ),
    indicator(
        "public_funding_used",
        "subsides utilisés",
        "public funding used",
        Kind.AMOUNT,
        help_fr="Subsides dépensés pendant la période, en euros.",
        help_en="Subsidies spent during the period, in euros.",
    ),
    indicator("partnerships", "partenariats", "partnerships"),
]

# A fab lab counts its visitors, workshops and machine hours.
FAB_LAB = [
    indicator(
        "visitors",
        "visiteurs",
        "visitors",
        help_fr="Personnes venues au fab lab pendant la période.",
        help_en="People who came to the fab lab during the period.",
    ),
    indicator("workshops", "ateliers organisés", "workshops held"),
    indicator(
        "machine_hours",
        "heures-machines",
        "machine hours",
        Kind.DECIMAL,
        unit_fr="h",
        unit_en="h",
        help_fr="Heures d'utilisation des machines, toutes machines confondues.",
        help_en="Hours the machines were used, all machines together.",
    ),
    indicator(
        "open_days",
        "jours d'ouverture",
        "days open",
        unit_fr="jours",
        unit_en="days",
        maximum=Decimal(366),
        at_most_period_days=True,
    ),
    indicator(
        "open_source_projects",
        "projets documentés en open source",
        "projects documented as open source",
        Kind.YES_NO,
        required=False,
    ),
    indicator(
        "turnover",
        "chiffre d'affaires",
        "turnover",
        Kind.AMOUNT,
        help_fr="Recettes du fab lab pendant la période, en euros.",
        help_en="Revenue of the fab lab during the period, in euros.",
    ),
]

# A rural space counts the municipalities it works with and its events.
RURAL = [
    *COWORKING[:4],
    indicator(
        "partner_municipalities",
        "communes partenaires",
        "partner municipalities",
        aggregation=Indicator.Aggregation.LAST,
        help_fr="Communes qui soutiennent l'espace à la fin de la période.",
        help_en="Municipalities supporting the space at the end of the period.",
    ),
    *COWORKING[4:6],
    indicator(
        "main_audience",
        "public principal",
        "main audience",
        Kind.CHOICE,
        aggregation=Indicator.Aggregation.LAST,
        options=[
            {"code": "independents", "label_fr": "indépendants", "label_en": "independents"},
            {
                "code": "employees",
                "label_fr": "salariés à distance",
                "label_en": "remote employees",
            },
            {"code": "students", "label_fr": "étudiants", "label_en": "students"},
        ],
        required=False,
    ),
]


def install(programme, definitions: list[dict]) -> list[Indicator]:
    """Give ``programme`` the indicators of ``definitions``, in their order."""
    return Indicator.objects.bulk_create(
        Indicator(programme=programme, position=position, **definition)
        for position, definition in enumerate(definitions, start=1)
    )
