"""A realistic programme at scale, written fast, for the benchmark (SPEC §8).

``populate`` fills a migrated database with one programme, Creative Wallonia's coworking
spaces, as its real flows would have left it: dossiers in every state of three calls (a past
edition, the big call closed last year, a call open now), their history, reviews and scores,
jury proposals, ministerial decisions, labels and quarterly activity reports. It writes rows
in batches (``Table``), in one transaction: no services, no signals, no emails, no files,
so that the large set takes seconds instead of the hours the real flows would take.

It writes what the measured pages and the statistics read. It leaves out what only other
pages read: supporting documents, receipts and letters (files), eligibility answers,
admissibility checklists, the history of assignments, reviews, labels and reports (only the
dossiers' history is written: the statistics time the states from it), and the ranking frozen
in each jury proposal (a full ranking per proposal would grow with the square of the call).
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import partial
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from applications import formbuilder, formlibrary
from applications.demo import WALLOON_REGION, space_content
from applications.models import (
    Application,
    Call,
    DocumentType,
    EligibilityQuestion,
    Programme,
    ProgrammeStaff,
    Service,
    application_reference,
    reference_counter,
)
from labels.models import Label, label_counter, label_number, last_valid_day
from portal import bce, postcodes
from portal.models import Counter, LegalForm, Membership, Organisation, StateChange, User
from portal.roles import Role
from reporting import indicatorlibrary, tallies
from reporting.indicators import to_json
from reporting.models import ActivityReport, Indicator, ReportingSchedule
from review.models import Assignment, Criterion, Decision, Proposal, Review, Score
from review.ranking import refresh_standings


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind one call of ``populate`` appends."""

    dossiers: int  # applications, each with its own organisation (and one member user)
    reviews: int  # Review rows (each with its Assignment and Scores per criterion)
    labels: int  # labels (each on a granted application with its Decision)
    reports: int  # ActivityReport rows, spread over the labels


LARGE = Sizes(dossiers=20_000, reviews=60_000, labels=2_000, reports=100_000)


def scaled(fraction: float) -> Sizes:
    """``LARGE`` times ``fraction``, each size rounded and at least 1 (a run's first, small
    set is typically ``scaled(0.1)``)."""
    return Sizes(
        **{f.name: max(1, round(getattr(LARGE, f.name) * fraction)) for f in fields(Sizes)}
    )


@dataclass(frozen=True)
class Cast:
    """Who and what the measured pages are asked for."""

    officer: User  # programme officer of the programme (ProgrammeStaff role officer)
    ministry: User  # ministry staff of the programme
    applicant: User  # a founder: member of one organisation with 2-3 dossiers in various
    # states, one of them granted with a label that has several activity reports
    call: Call  # the big call carrying nearly all dossiers (officer dossier list, ranking page)
    programme: Programme
    label: Label  # the applicant's label (certificate PDF)


PASSWORD = "guichet-bench"
DOMAIN = "bench.guichet.test"
PROGRAMME_SLUG = "creative-wallonia-espaces-coworking"
OFFICER_EMAIL = f"agent@{DOMAIN}"
MINISTRY_EMAIL = f"ministere@{DOMAIN}"
APPLICANT_EMAIL = f"fondatrice@{DOMAIN}"
# The numbers of the founders (emails, enterprise numbers) continue from run to run.
FOUNDERS_COUNTER = "benchmark:founders"
REVIEWER_POOL = 200
BATCH = 5000
# Rows a Table holds before it writes them (a few batches).
CHUNK = 20_000
BRUSSELS = ZoneInfo("Europe/Brussels")
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

S = Application.State
HALVES = [Decimal(n) / 2 for n in range(201)]  # scores by halves, up to 100

# Calls ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallPlan:
    """One of the programme's calls and how a run spreads its dossiers: a share of the
    dossiers and of the labels, and the weights of the states of those not granted."""

    slug: str
    years_ago: int | None  # ran from February to April that many years ago; None: open now
    dossier_share: float
    label_share: float
    states: dict[str, int]


PREVIOUS, MAIN, OPEN = "previous", "main", "open"
CALL_PLANS = {
    # A past edition: everything decided long ago, its labels expired since.
    PREVIOUS: CallPlan(
        "cwe-coworking-edition-precedente",
        4,
        0.06,
        0.10,
        {S.REFUSED: 70, S.INADMISSIBLE: 15, S.WITHDRAWN: 10, S.DRAFT: 5},
    ),
    # The big call, closed last year: most dossiers decided, a tail still on its way.
    MAIN: CallPlan(
        "cwe-coworking-grand-appel",
        1,
        0.91,
        0.90,
        {
            S.REFUSED: 58,
            S.NOT_PROPOSED: 5,
            S.PROPOSED: 2,
            S.REVIEWED: 6,
            S.IN_REVIEW: 8,
            S.ADMISSIBLE: 4,
            S.SUBMITTED: 3,
            S.CHANGES_REQUESTED: 2,
            S.INADMISSIBLE: 6,
            S.WITHDRAWN: 3,
            S.DRAFT: 3,
        },
    ),
    # Open now: drafts and the first checks.
    OPEN: CallPlan(
        "cwe-coworking-appel-ouvert",
        None,
        0.03,
        0.0,
        {
            S.DRAFT: 55,
            S.SUBMITTED: 25,
            S.CHANGES_REQUESTED: 5,
            S.WITHDRAWN: 5,
            S.ADMISSIBLE: 5,
            S.INADMISSIBLE: 5,
        },
    ),
}
# The applicant's dossiers: granted on the big call (their label), a draft on the open call
# and a refusal from the past edition.
APPLICANT_DOSSIERS = ((MAIN, S.GRANTED), (OPEN, S.DRAFT), (PREVIOUS, S.REFUSED))


def _question(code, kind, label_fr, label_en, **extra):
    """An optional question of :data:`BENCH_FORM`."""
    return formlibrary.question(code, kind, label_fr, label_en, required=False, **extra)


LEGAL_STATUSES = ("asbl", "srl", "sc", "commune")
# The coworking columns of the dossiers before they became questions of the calls' forms:
# whatever of them ``space_content`` still gives goes to the answers.
COWORKING_CODES = (
    "surface_m2",
    "desks",
    "meeting_rooms",
    "opening_hours",
    "services",
    "target_public",
    "partners",
    "business_model",
    "budget_plan",
)

# The form of every call: the coworking form of the Creative Wallonia calls and a section of
# figures, twenty questions of every kind between them (a table among them), which the
# staff list filters on and the export writes a column each for.
BENCH_FORM = {
    "sections": [
        *formlibrary.COWORKING["sections"],
        {
            "title_fr": "Le projet en chiffres",
            "title_en": "The project in figures",
            "questions": [
                _question("opening_date", "date", "Date d'ouverture", "Opening date"),
                _question("yearly_rent", "amount", "Loyer annuel", "Yearly rent"),
                _question(
                    "occupancy_target", "percentage", "Taux d'occupation visé", "Target occupancy"
                ),
                _question(
                    "hours_per_week",
                    "decimal",
                    "Heures d'ouverture par semaine",
                    "Opening hours a week",
                ),
                _question("staff", "integer", "Personnel (ETP)", "Staff (FTE)"),
                _question("charter", "yes_no", "Charte des espaces signée", "Charter signed"),
                _question(
                    "legal_status",
                    "choice",
                    "Statut du porteur",
                    "Applicant's status",
                    options=[(code, code.upper(), code.upper()) for code in LEGAL_STATUSES],
                ),
                _question("booking_site", "url", "Site de réservation", "Booking site"),
                _question("manager_email", "email", "Courriel du gestionnaire", "Manager's email"),
                _question("site_postcode", "postcode", "Code postal du site", "Site postcode"),
                _question(
                    "budget",
                    "table",
                    "Budget du projet",
                    "Project budget",
                    columns=[
                        formlibrary.column("line", "text", "Poste", "Item"),
                        formlibrary.column(
                            "category",
                            "choice",
                            "Catégorie",
                            "Category",
                            options=formlibrary.BUDGET_CATEGORIES,
                        ),
                        formlibrary.column("amount", "amount", "Montant", "Amount", summed=True),
                    ],
                ),
            ],
        },
    ],
    "rules": [],
}
# The grid of every call: code, title, weight, threshold (scores from 0 to 10 by halves).
GRID = (
    ("quality", "Qualité du projet et de la communauté", "3", "5"),
    ("territory", "Ancrage dans le territoire", "2", None),
    ("viability", "Viabilité économique et modèle d'affaires", "2", "5"),
    ("partnerships", "Partenariats et réseau", "1.5", None),
)
DOCUMENTS = ("Plan financier sur trois ans", "Statuts de la structure", "Lettres de soutien")
QUESTIONS = (
    "L'espace est-il situé en Wallonie ?",
    "Le consortium compte-t-il un partenaire public ou para-public ?",
)

# Dossiers: the transitions that lead to each state, and what each transition reaches.
REVIEW_PATH = ("submit", "declare_admissible", "start_review", "complete_review")
PATHS = {
    S.DRAFT: (),
    S.SUBMITTED: ("submit",),
    S.CHANGES_REQUESTED: ("submit", "request_changes"),
    S.WITHDRAWN: ("submit", "withdraw"),
    S.INADMISSIBLE: ("submit", "declare_inadmissible"),
    S.ADMISSIBLE: ("submit", "declare_admissible"),
    S.IN_REVIEW: REVIEW_PATH[:3],
    S.REVIEWED: REVIEW_PATH,
    S.PROPOSED: (*REVIEW_PATH, "propose"),
    S.NOT_PROPOSED: (*REVIEW_PATH, "not_propose"),
    S.GRANTED: (*REVIEW_PATH, "propose", "grant"),
    S.REFUSED: (*REVIEW_PATH, "not_propose", "refuse"),
}
TARGETS = {
    "submit": S.SUBMITTED,
    "request_changes": S.CHANGES_REQUESTED,
    "withdraw": S.WITHDRAWN,
    "declare_inadmissible": S.INADMISSIBLE,
    "declare_admissible": S.ADMISSIBLE,
    "start_review": S.IN_REVIEW,
    "complete_review": S.REVIEWED,
    "propose": S.PROPOSED,
    "not_propose": S.NOT_PROPOSED,
    "grant": S.GRANTED,
    "refuse": S.REFUSED,
}
# Days a step takes after the previous one, in a call whose jury and decision are past.
DELAYS = {
    "request_changes": (5, 20),
    "withdraw": (1, 60),
    "declare_inadmissible": (5, 40),
    "declare_admissible": (5, 40),
    "start_review": (3, 14),
    "complete_review": (10, 35),
}
SETTLED = (S.GRANTED, S.REFUSED, S.INADMISSIBLE, S.WITHDRAWN)
REVIEWED_STATES = (S.REVIEWED, S.PROPOSED, S.NOT_PROPOSED, S.GRANTED, S.REFUSED)
MESSAGES = {
    "request_changes": "Merci de joindre la lettre d'engagement signée par le partenaire public.",
    "withdraw": "Le projet est reporté d'un an.",
    "declare_inadmissible": "Le consortium ne compte aucun partenaire public ou para-public.",
    "propose": "Retenu par le jury : projet solide, bien ancré dans son territoire.",
    "not_propose": "Non retenu par le jury au vu du classement et du budget.",
    "refuse": "Le projet n'a pas été retenu à l'issue de l'évaluation.",
}

# Places and names -------------------------------------------------------------------------

# (postcode, municipality, latitude, longitude) across the five Walloon provinces.
PLACES = (
    ("1300", "Wavre", "50.71700", "4.60100"),
    ("1340", "Ottignies-Louvain-la-Neuve", "50.66800", "4.61200"),
    ("1400", "Nivelles", "50.59800", "4.32800"),
    ("1410", "Waterloo", "50.71500", "4.39900"),
    ("1420", "Braine-l'Alleud", "50.68300", "4.36800"),
    ("1480", "Tubize", "50.69000", "4.20500"),
    ("1370", "Jodoigne", "50.72300", "4.87000"),
    ("4000", "Liège", "50.63300", "5.56700"),
    ("4020", "Liège", "50.64100", "5.58900"),
    ("4100", "Seraing", "50.58300", "5.50000"),
    ("4300", "Waremme", "50.69700", "5.25500"),
    ("4430", "Ans", "50.66100", "5.51800"),
    ("4500", "Huy", "50.51900", "5.23900"),
    ("4600", "Visé", "50.73700", "5.69100"),
    ("4700", "Eupen", "50.63000", "6.03200"),
    ("4800", "Verviers", "50.58900", "5.86200"),
    ("4900", "Spa", "50.49200", "5.86600"),
    ("4960", "Malmedy", "50.42600", "6.02800"),
    ("5000", "Namur", "50.46500", "4.86700"),
    ("5030", "Gembloux", "50.56100", "4.69900"),
    ("5060", "Sambreville", "50.44500", "4.61600"),
    ("5100", "Jambes", "50.45400", "4.87500"),
    ("5300", "Andenne", "50.48900", "5.09400"),
    ("5500", "Dinant", "50.26100", "4.91200"),
    ("5590", "Ciney", "50.29600", "5.10000"),
    ("5600", "Philippeville", "50.19600", "4.54300"),
    ("6000", "Charleroi", "50.41100", "4.44400"),
    ("6040", "Jumet", "50.44000", "4.41800"),
    ("6200", "Châtelet", "50.40400", "4.52500"),
    ("6460", "Chimay", "50.04800", "4.31700"),
    ("6530", "Thuin", "50.34000", "4.28700"),
    ("7000", "Mons", "50.45400", "3.95200"),
    ("7100", "La Louvière", "50.48000", "4.18700"),
    ("7130", "Binche", "50.41100", "4.16500"),
    ("7500", "Tournai", "50.60600", "3.38900"),
    ("7700", "Mouscron", "50.74400", "3.21400"),
    ("7800", "Ath", "50.63000", "3.77800"),
    ("6600", "Bastogne", "50.00300", "5.71900"),
    ("6700", "Arlon", "49.68300", "5.81700"),
    ("6760", "Virton", "49.56700", "5.53200"),
    ("6800", "Libramont-Chevigny", "49.92100", "5.37900"),
    ("6840", "Neufchâteau", "49.84100", "5.43500"),
    ("6880", "Bertrix", "49.85500", "5.25300"),
    ("6900", "Marche-en-Famenne", "50.22700", "5.34400"),
)
PLACE_OF = {place[0]: place for place in PLACES}
PROVINCES = {postcode: postcodes.province_for(postcode) for postcode in PLACE_OF}
STREETS = (
    "Rue de la Station",
    "Place communale",
    "Rue du Commerce",
    "Avenue de la Gare",
    "Rue de l'Industrie",
    "Chaussée de Bruxelles",
    "Rue Haute",
    "Quai des Usines",
    "Rue des Tanneurs",
    "Boulevard du Nord",
)
SPACE_NAMES = (
    "La Fabrique",
    "L'Atelier",
    "Le Hub",
    "La Ruche",
    "Le Quai",
    "L'Usine",
    "La Verrière",
    "Le Relais",
    "La Station",
    "Le Phare",
    "Le Comptoir",
    "La Coopérative",
)
# Names a spreadsheet would run as formulae: the exports must neutralise them.
FORMULA_NAMES = ('=HYPERLINK("https://exemple.test";"Coworking")', "+Plus Coworking", "=Égalité")
FIRST_NAMES = (
    "Marie", "Thomas", "Julie", "Nicolas", "Sarah", "Maxime", "Laura", "Antoine",
    "Camille", "Julien", "Emma", "Louis", "Chloé", "Hugo", "Léa", "Simon",
)  # fmt: skip
LAST_NAMES = (
    "Dubois", "Lambert", "Martin", "Dupont", "Laurent", "Leclercq", "Renard", "Maes",
    "Mertens", "Lemaire", "Collard", "Wauters", "Hubert", "Gilson", "Piette", "Jacobs",
)  # fmt: skip
LEGAL_FORMS = (
    (LegalForm.ASBL, 40),
    (LegalForm.SRL, 30),
    (LegalForm.SC, 10),
    (LegalForm.MUNICIPALITY, 8),
    (LegalForm.SA, 5),
    (LegalForm.INTERMUNICIPAL, 3),
    (LegalForm.FOUNDATION, 2),
    (LegalForm.OTHER, 2),
)
SCORE_COMMENTS = (
    "Projet cohérent et bien argumenté.",
    "Communauté existante, animation crédible.",
    "Plan financier prudent mais réaliste.",
    "Partenariats à consolider.",
)
REVIEW_COMMENTS = (
    "Dossier de qualité, équipe expérimentée.",
    "Bon ancrage local ; le modèle d'affaires reste fragile.",
    "Projet intéressant mais trop dépendant de la subvention.",
)
NARRATIVES = (
    "Trimestre régulier : la communauté s'agrandit et les ateliers du jeudi font salle comble.",
    "Deux nouvelles entreprises hébergées ; partenariat signé avec la haute école voisine.",
    "Animation renforcée autour de l'entrepreneuriat numérique ; fréquentation en hausse.",
    "Travaux d'aménagement d'une salle de réunion ; activité un peu ralentie en août.",
)
FORMULA_NARRATIVES = (
    "=1+1 : deux nouvelles entreprises hébergées, un emploi créé.",
    "+32 coworkers actifs ce trimestre, un record pour l'espace.",
)


# Writing rows fast ------------------------------------------------------------------------


class Table:
    """Rows of one model, written in batches of plain tuples: ``executemany`` of one
    prepared INSERT, ``COPY`` on PostgreSQL.

    ``bulk_create`` builds a model instance per row and compiles its SQL value by value:
    the large set took two and a half minutes on SQLite that way, against half a minute
    with one prepared INSERT fed plain tuples. Values still go through the backend's own
    adapters (dates, decimals, JSON); defaults and ``auto_now`` fields are filled as
    ``save`` fills them. Ids are handed out here, after the table's largest, so that rows
    can point at each other before they are written; ``write`` then moves PostgreSQL's
    sequence past them (SQLite's follows by itself). Nothing runs but the INSERT: no
    ``save``, no signal, no validation, which the callers' values must respect.

    At most ``CHUNK`` rows wait in memory: the next ``add`` writes them first, so that a
    population ten times the large one (``bench --scale 10``: millions of scores and
    reports) holds a chunk of each table, not the table. A row may still be changed
    between its ``add`` and the next one; foreign keys are checked at commit (Django
    creates them deferred), so rows may be written before those they point at.
    """

    def __init__(self, model: type[models.Model], now: dt.datetime):
        """An empty table of ``model``, its ids continuing from the database's; ``now``
        fills the ``auto_now`` fields and the defaults that are moments."""
        self.model = model
        self.now = now
        self.rows: list[dict] = []
        self.next_id = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def add(self, **values) -> dict:
        """Queue a row (field attnames to values) and return it with its ``id``; write the
        queued rows first when a chunk is full."""
        if len(self.rows) >= CHUNK:
            self._flush()
        values["id"] = self.next_id
        self.next_id += 1
        self.rows.append(values)
        return values

    def write(self) -> None:
        """Insert the rows still queued, then move the table's sequence past every id."""
        self._flush()
        database = connections[DEFAULT_DB_ALIAS]
        with database.cursor() as cursor:
            for statement in database.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(statement)

    def _flush(self) -> None:
        """Insert the queued rows, in batches, and forget them."""
        database = connections[DEFAULT_DB_ALIAS]  # the proxy costs a lookup per value
        meta = self.model._meta
        columns = meta.concrete_fields
        defaults = {column.attname: self._default(column, self.now) for column in columns}
        pick = itemgetter(*defaults)
        adapters = [
            (position, adapt)
            for position, column in enumerate(columns)
            if (adapt := self._adapter(column, database)) is not None
        ]
        table = database.ops.quote_name(meta.db_table)
        names = ", ".join(database.ops.quote_name(column.column) for column in columns)
        with database.cursor() as cursor:
            for start in range(0, len(self.rows), BATCH):
                batch = []
                for row in self.rows[start : start + BATCH]:
                    values = list(pick({**defaults, **row}))
                    for position, adapt in adapters:
                        if values[position] is not None:
                            values[position] = adapt(values[position])
                    batch.append(values)
                if database.vendor == "postgresql":
                    # COPY: psycopg's executemany sends one statement a row, ten times slower.
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for values in batch:
                            copy.write_row(values)
                else:
                    placeholders = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch
                    )
        self.rows = []

    @staticmethod
    def _default(column: models.Field, now: dt.datetime):
        """The value ``save`` would give a column left out of a row."""
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            return now
        return column.get_default()

    @staticmethod
    def _adapter(column: models.Field, database) -> Callable | None:
        """What turns a value of ``column`` into what the database driver takes: the
        backend's adapter for dates, times and decimals (the field's checks are needless
        for values made here), the field's own preparation for JSON; nothing for text
        (choices included: they are ``str``), numbers and ids, which drivers take as is."""
        if isinstance(column, models.DateTimeField):
            if database.vendor == "sqlite" and settings.USE_TZ:
                # SQLite's adapter (naive text in the connection's zone) without its checks
                # for expressions and naive values, which cost 8 µs a value: 8 s a run.
                zone = database.timezone
                return lambda value: str(value.astimezone(zone).replace(tzinfo=None))
            return database.ops.adapt_datetimefield_value
        if isinstance(column, models.DateField):
            return database.ops.adapt_datefield_value
        if isinstance(column, models.DecimalField):
            return partial(
                database.ops.adapt_decimalfield_value,
                max_digits=column.max_digits,
                decimal_places=column.decimal_places,
            )
        if isinstance(column, models.JSONField):
            return partial(column.get_db_prep_save, connection=database)
        return None


def _reserve(key: str, count: int) -> int:
    """The first of ``count`` numbers of the sequence ``key``, which moves past them (the
    ``Counter`` rows the portal numbers references and labels with)."""
    counter, _created = Counter.objects.get_or_create(key=key)
    Counter.objects.filter(pk=counter.pk).update(value=counter.value + count)
    return counter.value + 1


def _moment(
    start: dt.datetime, end: dt.datetime, rng: random.Random, rush: float = 1
) -> dt.datetime:
    """A moment between ``start`` and ``end``; a ``rush`` above 1 draws it nearer the end
    (dossiers crowd before a deadline)."""
    if end <= start:
        return start
    return start + (end - start) * rng.random() ** (1 / rush)


def _brussels(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment of ``day`` on Brussels' clocks, where the programme's calendar runs."""
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=BRUSSELS)


def _apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights``, largest remainders first: exact counts."""
    whole = sum(weights.values())
    shares = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    rest = sorted(shares, key=lambda key: shares[key] - counts[key], reverse=True)
    for key in rest[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


# Populating -------------------------------------------------------------------------------


@dataclass
class Setting:
    """What every run shares: the programme, its calls and grids, and the cast's people."""

    programme: Programme
    calls: dict[str, Call]
    criteria: dict[str, list[Criterion]]
    officer: User
    ministry: User
    reviewers: list[User]
    applicant: User
    applicant_organisation: dict
    schedule: ReportingSchedule


@dataclass
class Dossier:
    """One dossier on its way to the database: its call, state and story, then its rows
    (as the field values ``Table`` writes)."""

    call_key: str
    state: str
    for_applicant: bool = False
    created_at: dt.datetime | None = None
    history: list[tuple[str, dt.datetime]] = field(default_factory=list)
    founder_id: int | None = None
    organisation: dict = field(default_factory=dict)
    application: dict = field(default_factory=dict)
    services: list[int] = field(default_factory=list)
    quality: float = 0.0
    reference: str | None = None

    def at(self, *transitions: str) -> dt.datetime | None:
        """When the dossier went through the first of ``transitions`` (None if never)."""
        return next((moment for name, moment in self.history if name in transitions), None)


def populate(sizes: Sizes, *, seed: int = 0) -> Cast:
    """Append `sizes` worth of rows. Called twice on the same database (first a small set,
    then the rest of the large set) it must ADD rows without clashing: the cast (programme,
    call, staff users, applicant) is created on the first call and reused on the second (get
    by natural keys), and every unique value (emails, enterprise numbers, reference numbers,
    label numbers, counters…) continues from what exists."""
    _check(sizes)
    now = timezone.now()
    password = make_password(PASSWORD)
    with transaction.atomic():
        setting, first_run = _setting(now, password)
        if first_run and not sizes.labels:
            raise ValueError("The first run needs at least one label: the applicant's.")
        rng = random.Random(f"{seed}:{Counter.objects.get(key=FOUNDERS_COUNTER).value}")
        dossiers = _plan(sizes, rng, with_applicant=first_run)
        windows = {key: _window(call, now) for key, call in setting.calls.items()}
        for dossier in dossiers:
            _story(dossier, windows[dossier.call_key], now, rng)
        _founders(dossiers, setting, password, rng, now)
        _applications(dossiers, setting, rng, now)
        _history(dossiers, setting, now)
        _reviews(dossiers, setting, sizes.reviews, rng, now)
        _jury_and_decisions(dossiers, setting, rng, now)
        labels = _labels(dossiers, setting, rng, now)
        _reports(labels, setting, sizes.reports, rng, now)
        _budgets(setting)
        # Rows written in bulk, not through the review services: the dossiers' standings
        # are computed once here, as the services would after each review.
        refresh_standings(
            Application.objects.filter(call__programme=setting.programme, standing__isnull=True)
        )
        # And the statistics' summaries, as the transitions would have kept them.
        tallies.rebuild(setting.programme)
    return Cast(
        officer=setting.officer,
        ministry=setting.ministry,
        applicant=setting.applicant,
        call=setting.calls[MAIN],
        programme=setting.programme,
        label=Label.objects.filter(organisation=setting.applicant_organisation["id"]).earliest(
            "pk"
        ),
    )


def _check(sizes: Sizes) -> None:
    """Refuse sizes that cannot make a consistent programme."""
    if min(getattr(sizes, f.name) for f in fields(Sizes)) < 0:
        raise ValueError("Sizes cannot be negative.")
    if sizes.labels > sizes.dossiers:
        raise ValueError("Each label needs a granted dossier: more labels than dossiers.")
    if sizes.reports and not sizes.labels:
        raise ValueError("Activity reports are spread over the labels of the run: add labels.")


# The programme, its calls and people ------------------------------------------------------


def _setting(now: dt.datetime, password: str) -> tuple[Setting, bool]:
    """The programme and the cast: created on the first run, found by their natural keys
    (slugs, emails) on the next ones. True when created."""
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is not None:
        return _load_setting(programme), False
    return _create_setting(now, password), True


def _row_of(instance: models.Model) -> dict:
    """A saved instance's field values, as the rows of ``Table`` hold them."""
    return {
        column.attname: getattr(instance, column.attname)
        for column in instance._meta.concrete_fields
    }


def _create_setting(now: dt.datetime, password: str) -> Setting:
    """The first run: the programme, its staff, calls, grids and reporting schedule, and
    the applicant with their organisation."""
    programme = Programme.objects.create(
        name="Creative Wallonia — Espaces de coworking",
        slug=PROGRAMME_SLUG,
        reference_prefix="CWE",
        managing_agency="Agence du Numérique",
        funding_body="Gouvernement wallon",
        funder_identifier=WALLOON_REGION,
        description="Le label des espaces de coworking wallons et leur soutien au lancement.",
        label_name="Espace de coworking labellisé Creative Wallonia",
    )
    officer, ministry, reviewers = _staff(programme, password, now)
    calls = _calls(programme, now)
    _install_indicators(programme)
    schedule = ReportingSchedule.objects.create(
        programme=programme,
        frequency=ReportingSchedule.Frequency.QUARTERLY,
        starts_on=timezone.localdate(now).replace(month=1, day=1),
        days_allowed=30,
        reminder_days=7,
    )
    applicant = User.objects.create(
        email=APPLICANT_EMAIL,
        full_name="Camille Fondatrice",
        password=password,
        date_joined=calls[PREVIOUS].opens_at,
    )
    organisation = Organisation(
        **_organisation_fields(0, PLACES[18], LegalForm.ASBL, "La Fabrique Namur"),
        contact_email=APPLICANT_EMAIL,
    )
    organisation.save()
    Membership.objects.create(user=applicant, organisation=organisation, role=Membership.Role.OWNER)
    Counter.objects.update_or_create(key=FOUNDERS_COUNTER, defaults={"value": 0})
    return Setting(
        programme=programme,
        calls=calls,
        criteria=_criteria(calls),
        officer=officer,
        ministry=ministry,
        reviewers=reviewers,
        applicant=applicant,
        applicant_organisation=_row_of(organisation),
        schedule=schedule,
    )


def _load_setting(programme: Programme) -> Setting:
    """The next runs: the same setting, found by slugs and emails."""
    _install_indicators(programme)
    by_slug = {call.slug: call for call in programme.calls.all()}
    calls = {key: by_slug[plan.slug] for key, plan in CALL_PLANS.items()}
    criteria = defaultdict(list)
    for criterion in Criterion.objects.filter(call__programme=programme).order_by("position"):
        criteria[criterion.call_id].append(criterion)
    staff = defaultdict(list)
    for grant in programme.staff.select_related("user").order_by("user__email"):
        staff[grant.role].append(grant.user)
    applicant = User.objects.get(email=APPLICANT_EMAIL)
    return Setting(
        programme=programme,
        calls=calls,
        criteria={key: criteria[call.pk] for key, call in calls.items()},
        officer=next(user for user in staff[Role.OFFICER] if user.email == OFFICER_EMAIL),
        ministry=next(user for user in staff[Role.MINISTRY] if user.email == MINISTRY_EMAIL),
        reviewers=staff[Role.REVIEWER],
        applicant=applicant,
        applicant_organisation=_row_of(Organisation.objects.of_member(applicant).get()),
        schedule=programme.reporting_schedule,
    )


def _staff(programme: Programme, password: str, now: dt.datetime) -> tuple[User, User, list[User]]:
    """The programme officer, the ministry's staff member and the pool of reviewers, in
    their groups and granted their role on the programme (a few hundred rows: created
    with ``bulk_create``, which gives back instances)."""
    joined = now - dt.timedelta(days=6 * 365)
    people = [
        (Role.OFFICER, User(email=OFFICER_EMAIL, full_name="Alex Agent")),
        (Role.MINISTRY, User(email=MINISTRY_EMAIL, full_name="Dominique Ministère")),
    ] + [
        (
            Role.REVIEWER,
            User(
                email=f"expert.{n:03d}@{DOMAIN}",
                full_name=f"{FIRST_NAMES[n % 16]} {LAST_NAMES[n // 16 % 16]}",
            ),
        )
        for n in range(1, REVIEWER_POOL + 1)
    ]
    for _role, user in people:
        user.password, user.date_joined = password, joined
    User.objects.bulk_create([user for _role, user in people])
    groups = dict(Group.objects.values_list("name", "pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=groups[role]) for role, user in people]
    )
    ProgrammeStaff.objects.bulk_create(
        [ProgrammeStaff(programme=programme, user=user, role=role) for role, user in people]
    )
    return people[0][1], people[1][1], [user for _role, user in people[2:]]


def _calls(programme: Programme, now: dt.datetime) -> dict[str, Call]:
    """The past edition, the big call closed last year and the call open now, each with its
    documents and eligibility questions."""
    today = timezone.localdate(now)
    calls = {}
    for key, plan in CALL_PLANS.items():
        if plan.years_ago is None:
            opens_at = _brussels(today - dt.timedelta(days=30), 9)
            closes_at = _brussels(today + dt.timedelta(days=60), 23, 59, 59)
            title = f"Espaces de coworking — appel {today.year}"
        else:
            year = today.year - plan.years_ago
            opens_at = _brussels(dt.date(year, 2, 1), 9)
            closes_at = _brussels(dt.date(year, 4, 30), 23, 59, 59)
            title = f"Espaces de coworking — édition {year}"
        calls[key] = Call(
            programme=programme,
            slug=plan.slug,
            title=title,
            summary="Soutien au lancement et label des espaces de coworking en Wallonie.",
            rules="Ouvert aux structures wallonnes qui ouvrent un espace de travail partagé.",
            opens_at=opens_at,
            closes_at=closes_at,
            budget=Decimal("1000000"),
            max_amount=Decimal("100000"),
            half_points=True,
            is_published=True,
        )
    Call.objects.bulk_create(calls.values())
    DocumentType.objects.bulk_create(
        DocumentType(call=call, name=name, position=position)
        for call in calls.values()
        for position, name in enumerate(DOCUMENTS)
    )
    EligibilityQuestion.objects.bulk_create(
        EligibilityQuestion(call=call, text=text, position=position)
        for call in calls.values()
        for position, text in enumerate(QUESTIONS)
    )
    for call in calls.values():
        formbuilder.install(call, BENCH_FORM)
    return calls


def _criteria(calls: dict[str, Call]) -> dict[str, list[Criterion]]:
    """The same scoring grid on every call."""
    grids = {
        key: [
            Criterion(
                call=call,
                code=code,
                title=title,
                weight=Decimal(weight),
                threshold=Decimal(threshold) if threshold else None,
                position=position,
            )
            for position, (code, title, weight, threshold) in enumerate(GRID)
        ]
        for key, call in calls.items()
    }
    Criterion.objects.bulk_create(criterion for grid in grids.values() for criterion in grid)
    return grids


# Dossiers ---------------------------------------------------------------------------------


def _dossiers_per_call(sizes: Sizes) -> dict[str, tuple[int, int]]:
    """(dossiers, granted ones) of each call for this run."""
    previous = round(sizes.dossiers * CALL_PLANS[PREVIOUS].dossier_share)
    open_now = round(sizes.dossiers * CALL_PLANS[OPEN].dossier_share)
    granted_previous = min(round(sizes.labels * CALL_PLANS[PREVIOUS].label_share), previous)
    granted_main = sizes.labels - granted_previous
    main = sizes.dossiers - previous - open_now
    # Small sets: the big call takes from the others the dossiers its labels need.
    moved = min(max(granted_main - main, 0), open_now)
    open_now, main = open_now - moved, main + moved
    moved = max(granted_main - main, 0)
    previous, main = previous - moved, main + moved
    return {
        PREVIOUS: (previous, granted_previous),
        MAIN: (main, granted_main),
        OPEN: (open_now, 0),
    }


def _plan(sizes: Sizes, rng: random.Random, *, with_applicant: bool) -> list[Dossier]:
    """Every dossier of the run with its call and state, in the proportions of the calls'
    plans, shuffled so that states mix in the order of submission."""
    dossiers = []
    for key, (total, granted) in _dossiers_per_call(sizes).items():
        states = [S.GRANTED] * granted
        for state, count in _apportion(total - granted, CALL_PLANS[key].states).items():
            states += [state] * count
        rng.shuffle(states)
        dossiers += [Dossier(key, state) for state in states]
    if with_applicant:
        for key, state in APPLICANT_DOSSIERS:
            found = next((d for d in dossiers if d.call_key == key and d.state == state), None)
            if found is not None:
                found.for_applicant = True
    return dossiers


@dataclass(frozen=True)
class Window:
    """When a call opened and closed, and when its jury met and the minister decided (for
    calls whose decisions are past)."""

    opens_at: dt.datetime
    closes_at: dt.datetime
    jury_at: dt.datetime | None
    decision_at: dt.datetime | None


def _window(call: Call, now: dt.datetime) -> Window:
    """A call's moments, read from its dates: the jury meets four and a half months after
    the deadline, the minister decides five weeks later."""
    closed_on = timezone.localdate(call.closes_at)
    decision_at = _brussels(closed_on + dt.timedelta(days=173), 10)
    if decision_at > now:
        return Window(call.opens_at, call.closes_at, None, None)
    jury_at = _brussels(closed_on + dt.timedelta(days=138), 14)
    return Window(call.opens_at, call.closes_at, jury_at, decision_at)


def _story(dossier: Dossier, window: Window, now: dt.datetime, rng: random.Random) -> None:
    """When the dossier was started, and each transition that brought it to its state: in
    a decided call, at the pace of the real procedure; otherwise, spread until now."""
    path = list(PATHS[dossier.state])
    if dossier.state == S.WITHDRAWN and rng.random() < 0.5:
        path = ["withdraw"]  # withdrawn before it was ever submitted
    if dossier.state == S.REFUSED and rng.random() < 0.2:
        path[-2] = "propose"  # proposed by the jury, refused for want of budget
    latest = min(window.closes_at, now - HOUR)
    dossier.created_at = _moment(window.opens_at, latest - DAY, rng)
    cursor, moments, steps = dossier.created_at, [], path
    if path[:1] == ["submit"]:
        cursor = _moment(dossier.created_at, latest, rng, rush=2)
        moments, steps = [cursor], path[1:]
    if window.decision_at is not None and dossier.state in SETTLED:
        for step in steps:
            if step in ("propose", "not_propose"):
                cursor = window.jury_at + dt.timedelta(minutes=rng.randint(0, 180))
            elif step in ("grant", "refuse"):
                cursor = window.decision_at
            else:
                cursor += dt.timedelta(days=rng.uniform(*DELAYS[step]))
            moments.append(cursor)
    else:
        moments += sorted(_moment(cursor, now - HOUR, rng) for _step in steps)
    dossier.history = list(zip(path, moments, strict=True))


def _organisation_fields(n: int, place: tuple, legal_form: str, trade_name: str) -> dict:
    """The fields of the ``n``-th organisation of the benchmark: a valid enterprise number
    of its own, an address at ``place``."""
    postcode, municipality, *_coordinates = place
    first_eight = f"{19_500_000 + n:08d}"
    return {
        "legal_name": f"{trade_name} {LegalForm(legal_form).value}",
        "trade_name": trade_name,
        "legal_form": LegalForm(legal_form).value,
        "enterprise_number": first_eight + bce.check_digits(first_eight),
        "street": f"{STREETS[n % len(STREETS)]} {n % 120 + 1}",
        "postcode": postcode,
        "municipality": municipality,
        "province": PROVINCES[postcode],
        "phone": f"0{4 + n % 6}{n % 10} {n % 90 + 10} {n % 80 + 20} {n % 70 + 30}",
        "website": f"https://coworking-{n}.example.be" if n % 5 else "",
    }


def _name(organisation: dict) -> str:
    """The organisation as people call it (``str(Organisation)``)."""
    return organisation["trade_name"] or organisation["legal_name"]


def _founders(
    dossiers: list[Dossier], setting: Setting, password: str, rng: random.Random, now: dt.datetime
) -> None:
    """One organisation and its founder (the owner) per dossier; the applicant's dossiers
    share the applicant's organisation."""
    users, organisations, memberships = (
        Table(User, now),
        Table(Organisation, now),
        Table(Membership, now),
    )
    own = [dossier for dossier in dossiers if not dossier.for_applicant]
    forms, weights = zip(*LEGAL_FORMS, strict=True)
    for n, dossier in enumerate(own, start=_reserve(FOUNDERS_COUNTER, len(own))):
        place = rng.choice(PLACES)
        name = (
            FORMULA_NAMES[n % len(FORMULA_NAMES)]
            if n % 97 == 13
            else f"{rng.choice(SPACE_NAMES)} {place[1]}"
        )
        dossier.founder_id = users.add(
            email=f"fondateur.{n}@{DOMAIN}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=password,
            date_joined=dossier.created_at - DAY,
        )["id"]
        dossier.organisation = organisations.add(
            **_organisation_fields(n, place, rng.choices(forms, weights)[0], name),
            contact_email=f"contact.{n}@{DOMAIN}",
        )
        memberships.add(
            user_id=dossier.founder_id,
            organisation_id=dossier.organisation["id"],
            role=Membership.Role.OWNER,
        )
    for table in (users, organisations, memberships):
        table.write()
    for dossier in dossiers:
        if dossier.for_applicant:
            dossier.founder_id = setting.applicant.pk
            dossier.organisation = setting.applicant_organisation


def _applications(
    dossiers: list[Dossier], setting: Setting, rng: random.Random, now: dt.datetime
) -> None:
    """The dossiers' rows: content, the space at the organisation's address, the fields
    their transitions filled, references in the order of submission, and services."""
    applications = Table(Application, now)
    services = list(Service.objects.values_list("pk", "code"))
    # Numbered before any row is written: a written chunk can no longer be changed.
    _references(dossiers, setting.programme)
    for dossier in dossiers:
        organisation = dossier.organisation
        desks = rng.randint(8, 60)
        content = space_content(
            _name(organisation), organisation["municipality"], rng.randrange(20_000, 100_001, 2_500)
        )
        dossier.services = rng.sample(services, min(len(services), rng.randint(3, 6)))
        answers = _answers(content, desks, dossier.services, organisation, rng)
        for code in COWORKING_CODES:
            content.pop(code, None)
        if dossier.state == S.DRAFT and rng.random() < 0.5:
            content.update(total_cost=None, requested_amount=None)
            for code in ("business_model", "budget_plan", "budget"):
                answers.pop(code, None)
        submitted_at = dossier.at("submit")
        changes_at = dossier.at("request_changes") if dossier.state == S.CHANGES_REQUESTED else None
        dossier.application = applications.add(
            call_id=setting.calls[dossier.call_key].pk,
            organisation_id=organisation["id"],
            state=dossier.state,
            created_by_id=dossier.founder_id,
            created_at=dossier.created_at,
            submitted_at=submitted_at,
            declaration_confirmed_at=submitted_at,
            street=organisation["street"],
            postcode=organisation["postcode"],
            municipality=organisation["municipality"],
            province=organisation["province"],
            changes_message=MESSAGES["request_changes"] if changes_at else "",
            changes_due_at=max(changes_at + 21 * DAY, now + 7 * DAY) if changes_at else None,
            withdrawal_reason=MESSAGES["withdraw"] if dossier.state == S.WITHDRAWN else "",
            inadmissibility_reason=(
                MESSAGES["declare_inadmissible"] if dossier.state == S.INADMISSIBLE else ""
            ),
            admissibility_decided_at=dossier.at("declare_admissible", "declare_inadmissible"),
            form_version=1,
            answers=answers,
            reference=dossier.reference,
            **content,
        )
    applications.write()
    for dossier in dossiers:
        dossier.services = [pk for pk, _code in dossier.services]


def _answers(
    content: dict, desks: int, services: list, organisation: dict, rng: random.Random
) -> dict:
    """A dossier's answers to :data:`BENCH_FORM`, stored as the applicant form stores
    them (``applications.questionnaire``): the space's figures and texts, and a budget
    table whose lines add up to the project's total cost."""
    total = content["total_cost"]
    shares = [rng.randint(1, 6) for _category in formlibrary.BUDGET_CATEGORIES]
    amounts = [(total * share / sum(shares)).quantize(Decimal("0.01")) for share in shares]
    amounts[-1] += total - sum(amounts)
    rows = [
        {"line": fr, "category": code, "amount": str(amount)}
        for (code, fr, _en), amount in zip(formlibrary.BUDGET_CATEGORIES, amounts, strict=True)
    ]
    answers = {
        "surface_m2": desks * 12,
        "desks": desks,
        "meeting_rooms": 2 if desks < 30 else 3,
        "opening_hours": "Du lundi au vendredi, de 8 h à 19 h ; accès membres 24 h/24.",
        "services": [code for _pk, code in services],
        "target_public": "Indépendants, freelances, start-up, télétravailleurs et étudiants.",
        "partners": f"Ville de {organisation['municipality']}, agence de développement local.",
        "business_model": "Abonnements mensuels, locations de salles et événements.",
        "budget_plan": "Aménagement, équipement, animation et communication sur trois ans.",
        "opening_date": f"{rng.randint(2020, 2027)}-{rng.randint(1, 12):02d}-01",
        "yearly_rent": f"{rng.randrange(6_000, 60_001, 500)}.00",
        "occupancy_target": f"{rng.randint(40, 95)}.00",
        "hours_per_week": str(Decimal(rng.randint(70, 120)) / 2),
        "staff": rng.randint(1, 6),
        "charter": rng.random() < 0.8,
        "legal_status": rng.choice(LEGAL_STATUSES),
        "booking_site": organisation["website"] or "https://reservation.example.be",
        "manager_email": organisation["contact_email"],
        "site_postcode": organisation["postcode"],
        "budget": {"rows": rows, "total": str(total.quantize(Decimal("0.01")))},
    }
    # What the dossier's content still gives of its old columns wins (one source).
    for code in COWORKING_CODES:
        if content.get(code) not in (None, "") and code != "services":
            answers[code] = content[code]
    return answers


def _references(dossiers: list[Dossier], programme: Programme) -> None:
    """References as ``Application.submit`` gives them: per programme and year of submission
    (Brussels), in the order of submission, continuing the portal's counters."""
    by_year = defaultdict(list)
    for dossier in dossiers:
        if (submitted_at := dossier.at("submit")) is not None:
            by_year[timezone.localtime(submitted_at).year].append(dossier)
    for year, submitted in by_year.items():
        submitted.sort(key=lambda dossier: dossier.at("submit"))
        first = _reserve(reference_counter(programme.pk, year), len(submitted))
        for number, dossier in enumerate(submitted, start=first):
            dossier.reference = application_reference(programme.reference_prefix, year, number)


def _history(dossiers: list[Dossier], setting: Setting, now: dt.datetime) -> None:
    """Each dossier's transitions, as ``portal.transitions.perform`` records them: the
    statistics time the states from them. The review's own steps are the portal's (no
    one's); the applicant submits and withdraws; staff do the rest."""
    content_type = ContentType.objects.get_for_model(Application)
    staff = {
        "request_changes": setting.officer.pk,
        "declare_inadmissible": setting.officer.pk,
        "declare_admissible": setting.officer.pk,
        "propose": setting.officer.pk,
        "not_propose": setting.officer.pk,
        "grant": setting.ministry.pk,
        "refuse": setting.ministry.pk,
    }
    changes = Table(StateChange, now)
    for dossier in dossiers:
        source = S.DRAFT
        for transition, moment in dossier.history:
            changes.add(
                content_type_id=content_type.pk,
                object_id=dossier.application["id"],
                transition=transition,
                source=source,
                target=TARGETS[transition],
                by_id=(
                    dossier.founder_id
                    if transition in ("submit", "withdraw")
                    else staff.get(transition)
                ),
                at=moment,
                comment=MESSAGES.get(transition, ""),
            )
            source = TARGETS[transition]
    changes.write()


# Reviews, jury, decisions -----------------------------------------------------------------


def _reviews(
    dossiers: list[Dossier], setting: Setting, total: int, rng: random.Random, now: dt.datetime
) -> None:
    """``total`` reviews spread evenly over the dossiers in review or past it, by reviewers
    of the pool taken in turn; a few declined or conflicted assignments besides, and
    invitations not yet answered on admissible dossiers."""
    reviewed = [d for d in dossiers if d.state in (S.IN_REVIEW, *REVIEWED_STATES)]
    if total and not reviewed:
        raise ValueError("No dossier of this run reached the review: reviews cannot be added.")
    each, extra = divmod(total, len(reviewed)) if reviewed else (0, 0)
    pool = setting.reviewers
    if each + 3 > len(pool):  # up to two reviewers more decline or declare a conflict
        raise ValueError(f"{each + 1} reviews per dossier: too many for {len(pool)} reviewers.")
    assignments, reviews, scores = Table(Assignment, now), Table(Review, now), Table(Score, now)
    turn = rng.randrange(len(pool))
    for index, dossier in enumerate(reviewed):
        count = each + (index < extra)
        others = rng.choices((0, 1, 2), (95, 4, 1))[0]  # declined, then conflicted
        chosen = [pool[(turn + n) % len(pool)] for n in range(count + others)]
        turn += count + others
        dossier.quality = _quality(dossier, rng)
        started = dossier.at("start_review")
        ended = dossier.at("complete_review") or now - HOUR
        for n, reviewer in enumerate(chosen):
            assignment = assignments.add(**_assignment(dossier, reviewer, n - count, setting, rng))
            if n >= count:
                continue
            # In review: the last reviewers are still on their draft.
            submitted = dossier.state != S.IN_REVIEW or n < count * 2 // 3
            review = reviews.add(**_review(assignment, dossier, submitted, started, ended, rng))
            if submitted and n == count - 1 and dossier.state != S.IN_REVIEW:
                review["submitted_at"] = ended  # the last review completes the dossier's
            for criterion in setting.criteria[dossier.call_key]:
                scores.add(**_score(review, criterion, dossier.quality, rng))
    _invitations(assignments, dossiers, setting, rng, turn, now)
    for table in (assignments, reviews, scores):
        table.write()


def _quality(dossier: Dossier, rng: random.Random) -> float:
    """How good the reviewers find the dossier, out of 10: granted ones come out on top."""
    if dossier.state == S.GRANTED:
        return rng.gauss(8.0, 0.6)
    if dossier.state == S.PROPOSED or dossier.at("propose"):
        return rng.gauss(7.4, 0.6)
    if dossier.state in (S.REFUSED, S.NOT_PROPOSED):
        return rng.gauss(5.2, 1.3)
    return rng.gauss(6.4, 1.4)


def _assignment(
    dossier: Dossier, reviewer: User, refusal: int, setting: Setting, rng: random.Random
) -> dict:
    """A reviewer's assignment, answered before the review started: accepted without a
    conflict (``refusal`` below 0), declined (0) or with a conflict declared (1)."""
    admitted, started = dossier.at("declare_admissible"), dossier.at("start_review")
    assigned_at = _moment(admitted, started, rng)
    return {
        "application_id": dossier.application["id"],
        "reviewer_id": reviewer.pk,
        "state": {0: Assignment.State.DECLINED, 1: Assignment.State.CONFLICTED}.get(
            refusal, Assignment.State.ACCEPTED
        ),
        "declaration": "J'ai accompagné ce projet comme consultant." if refusal == 1 else "",
        "assigned_by_id": setting.officer.pk,
        "assigned_at": assigned_at,
        "answered_at": _moment(assigned_at, started, rng),
        "due_at": assigned_at + 30 * DAY,
    }


def _review(
    assignment: dict,
    dossier: Dossier,
    submitted: bool,
    started: dt.datetime,
    ended: dt.datetime,
    rng: random.Random,
) -> dict:
    """A review, submitted or still a draft, recommending what its dossier's quality
    suggests."""
    if dossier.quality >= 7.5:
        recommendation = Review.Recommendation.FUND
    elif dossier.quality >= 6:
        recommendation = Review.Recommendation.FUND_WITH_CONDITIONS
    else:
        recommendation = Review.Recommendation.DO_NOT_FUND
    return {
        "assignment_id": assignment["id"],
        "state": Review.State.SUBMITTED if submitted else Review.State.DRAFT,
        "overall_comment": rng.choice(REVIEW_COMMENTS),
        "recommendation": recommendation,
        "submitted_at": _moment(started, ended, rng) if submitted else None,
    }


def _score(review: dict, criterion: Criterion, quality: float, rng: random.Random) -> dict:
    """A score by halves within the criterion's scale; one under the threshold carries its
    explanation, as the submission requires."""
    halves = min(max(round((quality + rng.gauss(0, 1.1)) * 2), 0), int(criterion.max_score * 2))
    value = HALVES[halves]
    below = criterion.threshold is not None and value < criterion.threshold
    return {
        "review_id": review["id"],
        "criterion_id": criterion.pk,
        "value": value,
        "comment": (
            "Sous le seuil : le dossier ne démontre pas ce point."
            if below
            else rng.choice(SCORE_COMMENTS)
        ),
    }


def _invitations(
    assignments: Table,
    dossiers: list[Dossier],
    setting: Setting,
    rng: random.Random,
    turn: int,
    now: dt.datetime,
) -> None:
    """Reviewers invited on half the admissible dossiers, who have not answered yet."""
    pool = setting.reviewers
    for dossier in dossiers:
        if dossier.state != S.ADMISSIBLE or rng.random() < 0.5:
            continue
        assigned_at = _moment(dossier.at("declare_admissible"), now - HOUR, rng)
        for n in range(3):
            assignments.add(
                application_id=dossier.application["id"],
                reviewer_id=pool[(turn + n) % len(pool)].pk,
                state=Assignment.State.INVITED,
                assigned_by_id=setting.officer.pk,
                assigned_at=assigned_at,
                due_at=assigned_at + 30 * DAY,
            )
        turn += 3


def _jury_and_decisions(
    dossiers: list[Dossier], setting: Setting, rng: random.Random, now: dt.datetime
) -> None:
    """The jury's proposals on the dossiers that reached it and the minister's decisions:
    amounts granted within the request and the call's maximum, by 500 euros."""
    proposals, decisions = Table(Proposal, now), Table(Decision, now)
    for dossier in dossiers:
        proposed_at = dossier.at("propose")
        jury_at = proposed_at or dossier.at("not_propose")
        if jury_at is not None:
            proposals.add(
                application_id=dossier.application["id"],
                proposed=proposed_at is not None,
                rationale=MESSAGES["propose" if proposed_at else "not_propose"],
                decided_by_id=setting.officer.pk,
                decided_at=jury_at,
            )
        decided_at = dossier.at("grant", "refuse")
        if decided_at is None:
            continue
        amount = None
        if dossier.state == S.GRANTED:
            ceiling = min(
                dossier.application["requested_amount"],
                setting.calls[dossier.call_key].max_amount,
            )
            steps = (ceiling * Decimal(rng.uniform(0.7, 1)) / 500).quantize(Decimal(1))
            amount = max(Decimal(500), steps * 500)
        decisions.add(
            application_id=dossier.application["id"],
            granted=amount is not None,
            amount=amount,
            reason="" if amount else MESSAGES["refuse"],
            decided_by_id=setting.ministry.pk,
            decided_at=decided_at,
        )
    proposals.write()
    decisions.write()


def _budgets(setting: Setting) -> None:
    """Each call's budget a little above what was granted on it, so that the ranking's
    funding line falls near the granted dossiers."""
    granted = dict(
        Decision.objects.filter(granted=True, application__call__programme=setting.programme)
        .values_list("application__call")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for call in setting.calls.values():
        total = granted.get(call.pk) or Decimal(0)
        steps = (total * Decimal("1.15") / 100_000).quantize(Decimal(1))
        call.budget = max(Decimal(1_000_000), steps * 100_000)
        Call.objects.filter(pk=call.pk).update(budget=call.budget)


# Labels and activity reports --------------------------------------------------------------

# The programme's indicators: ten of the coworking set, of four types (counts, a rate, a
# decimal number, an amount), each report giving them all.
INDICATORS = indicatorlibrary.COWORKING[:10]
_INDICATOR_OF = {definition["code"]: Indicator(**definition) for definition in INDICATORS}


def _install_indicators(programme: Programme) -> None:
    """Give the programme its indicators, unless it has them (a population from before)."""
    if not Indicator.objects.filter(programme=programme).exists():
        indicatorlibrary.install(programme, INDICATORS)


def _labels(
    dossiers: list[Dossier], setting: Setting, rng: random.Random, now: dt.datetime
) -> list[dict]:
    """A label per granted dossier, as ``labels.services.issue_label`` issues it: numbered
    per programme and year of the decision in the order of the references, valid for the
    call's validity, offering the dossier's services. The past edition's labels have
    expired since; a few of the others are suspended or revoked."""
    today = timezone.localdate(now)
    prefix = setting.programme.reference_prefix
    labels, offered = Table(Label, now), Table(Label.services.through, now)
    written = []
    granted = sorted(
        (d for d in dossiers if d.state == S.GRANTED), key=lambda d: d.application["reference"]
    )
    by_year = defaultdict(list)
    for dossier in granted:
        by_year[timezone.localdate(dossier.at("grant")).year].append(dossier)
    for year, issued in by_year.items():
        first = _reserve(label_counter(setting.programme.pk, year), len(issued))
        for number, dossier in enumerate(issued, start=first):
            label = labels.add(
                **_label(dossier, label_number(prefix, year, number), setting, today, rng)
            )
            written.append(label)
            for service in dossier.services:
                offered.add(label_id=label["id"], service_id=service)
    labels.write()
    offered.write()
    return written


def _label(
    dossier: Dossier, number: str, setting: Setting, today: dt.date, rng: random.Random
) -> dict:
    """A granted dossier's label: the space's address and profile copied from the dossier,
    as ``issue_label`` copies them, and the state its validity and a draw give it."""
    application, organisation = dossier.application, dossier.organisation
    issued_on = timezone.localdate(dossier.at("grant"))
    validity = setting.calls[dossier.call_key].label_validity_months
    valid_until = last_valid_day(issued_on, validity)
    draw = rng.random()
    if valid_until < today:
        state = Label.State.EXPIRED
    elif dossier.for_applicant or draw >= 0.07:
        state = Label.State.ACTIVE
    else:
        state = Label.State.SUSPENDED if draw < 0.03 else Label.State.REVOKED
    _postcode, _municipality, latitude, longitude = PLACE_OF[application["postcode"]]
    return {
        "programme_id": setting.programme.pk,
        "organisation_id": organisation["id"],
        "application_id": application["id"],
        "number": number,
        "issued_on": issued_on,
        "valid_until": valid_until,
        "state": state,
        "street": application["street"],
        "postcode": application["postcode"],
        "municipality": application["municipality"],
        "province": application["province"],
        "space_name": _name(organisation),
        "description": application["summary"],
        "capacity": application["answers"].get("desks"),
        "opening_hours": application["answers"].get("opening_hours", ""),
        "contact_email": organisation["contact_email"],
        "phone": organisation["phone"],
        "website": organisation["website"],
        "latitude": Decimal(latitude),
        "longitude": Decimal(longitude),
    }


def _reports(
    labels: list[dict], setting: Setting, total: int, rng: random.Random, now: dt.datetime
) -> None:
    """``total`` activity reports spread evenly over the run's labels, one per quarter
    going back from the last quarter ended; the latest ones still on their way, the older
    ones accepted (a few overdue or returned), every filed one with all its indicators."""
    if not total:
        return
    each, extra = divmod(total, len(labels))
    periods = _periods(setting.schedule, each + (extra > 0), now)
    schedule = setting.schedule
    if periods[-1].start < schedule.starts_on:
        schedule.starts_on = periods[-1].start
        ReportingSchedule.objects.filter(pk=schedule.pk).update(starts_on=schedule.starts_on)
    reports, filed = Table(ActivityReport, now), 0
    for index, label in enumerate(labels):
        for age in range(each + (index < extra)):
            report = reports.add(**_report(label, periods[age], age, setting, rng, now))
            if report["state"] != ActivityReport.State.DUE:
                filed += 1
                narrative = rng.choice(NARRATIVES)
                if filed % 211 == 7:
                    narrative = FORMULA_NARRATIVES[filed % len(FORMULA_NARRATIVES)]
                report.update(_indicators(label["capacity"] or 20, periods[age], age, rng))
                report["narrative"] = narrative
    reports.write()


@dataclass(frozen=True)
class Period:
    """A quarter to report on, with the moments all its reports share."""

    start: dt.date
    end: dt.date
    due_on: dt.date
    opened_at: dt.datetime  # when the daily job asked for its reports
    filed_by: dt.datetime  # the evening of the due date (or now, if that is later)
    days: int


def _periods(schedule: ReportingSchedule, count: int, now: dt.datetime) -> list[Period]:
    """The ``count`` quarters ended before today, latest first."""
    periods = []
    start = schedule.period_containing(timezone.localdate(now))[0]
    for _n in range(count):
        end = start - DAY
        start = schedule.period_containing(end)[0]
        due_on = schedule.due_on(end)
        periods.append(
            Period(
                start=start,
                end=end,
                due_on=due_on,
                opened_at=min(_brussels(end + DAY, 6), now - HOUR),
                filed_by=min(_brussels(due_on, 18), now - HOUR),
                days=(end - start).days + 1,
            )
        )
    return periods


def _report_state(age: int, due_on: dt.date, today: dt.date, rng: random.Random) -> str:
    """The state a report of this age is likely in: the last quarter's still coming in,
    older ones accepted but for a few overdue or returned."""
    State = ActivityReport.State
    draw = rng.random()
    if age == 0 and today <= due_on:  # still within the days allowed
        odds = ((0.5, State.DUE), (0.85, State.SUBMITTED), (1, State.ACCEPTED))
    elif age == 0:
        odds = ((0.15, State.DUE), (0.25, State.RETURNED), (0.5, State.SUBMITTED))
    elif age == 1:
        odds = ((0.05, State.DUE), (0.1, State.RETURNED), (0.15, State.SUBMITTED))
    else:
        odds = ((0.01, State.DUE), (0.015, State.RETURNED))
    return next((state for limit, state in odds if draw < limit), State.ACCEPTED)


def _report(
    label: dict, period: Period, age: int, setting: Setting, rng: random.Random, now: dt.datetime
) -> dict:
    """A report and the moments its transitions set: created by the daily job the day
    after its period, filed before its due date, reviewed within ten days."""
    today = now.date()  # near enough for the odds, and cheaper than Brussels' date
    state = _report_state(age, period.due_on, today, rng)
    report = {
        "label_id": label["id"],
        "period_start": period.start,
        "period_end": period.end,
        "due_on": period.due_on,
        "state": state,
        "created_at": period.opened_at,
    }
    if state == ActivityReport.State.DUE:
        if period.due_on < today:
            report["overdue_notice_sent_on"] = period.due_on + DAY
        return report
    submitted_at = _moment(period.opened_at, period.filed_by, rng)
    report["submitted_at"] = report["first_submitted_at"] = submitted_at
    if state in (ActivityReport.State.ACCEPTED, ActivityReport.State.RETURNED):
        report["reviewed_by_id"] = setting.officer.pk
        report["reviewed_at"] = _moment(submitted_at, min(submitted_at + 10 * DAY, now), rng)
    return report


def _indicators(desks: int, period: Period, age: int, rng: random.Random) -> dict:
    """The values of the programme's ten indicators (``INDICATORS``), each within its
    limits (a rate from 0 to 100, no more days open than the period has), growing slowly
    over the quarters."""
    growth = max(0.4, 1 - 0.012 * age)
    coworkers = max(1, round(desks * rng.uniform(0.8, 2.2) * growth))
    events = rng.randint(0, 12)
    figures = {
        "active_coworkers": coworkers,
        "desks": desks,
        "occupancy_rate": Decimal(f"{rng.uniform(20, 95) * growth:.1f}"),
        "days_open": min(period.days, rng.randint(50, 66)),
        "events_held": events,
        "event_attendance": events * rng.randint(8, 40),
        "businesses_hosted": max(1, coworkers // 2),
        "businesses_created": rng.randint(0, 3),
        "jobs_created": Decimal(rng.randint(0, 6)) / 2,
        "turnover": Decimal(f"{desks * rng.uniform(300, 900) * growth:.2f}"),
    }
    # Drawn still, so that the rest of the population stays as it was.
    rng.randrange(0, 25_001, 500), rng.randint(0, 5)
    return {
        "values": {code: to_json(_INDICATOR_OF[code], value) for code, value in figures.items()}
    }
