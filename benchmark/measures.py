"""What the benchmark measures (SPEC §8), each as a small function over a populated database:
the SQL and server time of the pages people wait for, the activity-report export in each of
its forms beside the database's own dump, the two PDFs, and every document that prints what
people type drawn with each text field at its limit.

Time and memory are measured in separate runs: tracing every allocation (``tracemalloc``)
slows Python code several times, and would flatter the database's part.
"""

import copy
import csv
import datetime as dt
import io
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import xlsxwriter
from django.core.cache import cache
from django.db import connection, models, reset_queries, transaction
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from applications import pdf as applications_pdf
from applications.models import Application, Call, Programme, Question
from applications.resources import ApplicationResource
from benchmark.population import Cast
from labels import pdf as labels_pdf
from labels.models import Label
from portal import database_csv, exports, textlimits
from portal.models import OutgoingEmail
from reporting.models import ActivityReport, Indicator
from review import pdf as review_pdf
from review.models import JurySession, Proposal
from surveillance import watch
from surveillance.evaluation import labels_in_force
from surveillance.models import Condition, NonConformity


@dataclass(frozen=True)
class Page:
    """A measured page: its key in the results, what it is, who asks for it, its address."""

    key: str
    title: str
    visitor: Callable[[Cast], object | None]
    path: Callable[[Cast], str]


PAGES = (
    Page(
        "officer_dossier_list",
        "Officer's dossier list of the call",
        lambda cast: cast.officer,
        lambda cast: reverse("applications:staff_call", args=[cast.call.slug]),
    ),
    Page(
        "officer_dossier_list_by_answers",
        "Officer's dossier list of the call filtered by answers to its form",
        lambda cast: cast.officer,
        lambda cast: (
            reverse("applications:staff_call", args=[cast.call.slug])
            + "?desks_min=20&charter=yes&legal_status=asbl&budget_min=100000"
        ),
    ),
    Page(
        "ranking",
        "Ranking of the call",
        lambda cast: cast.officer,
        lambda cast: reverse("review:ranking", args=[cast.call.slug]),
    ),
    Page(
        "statistics",
        "Programme statistics",
        lambda cast: cast.ministry,
        lambda cast: reverse("reporting:statistics"),
    ),
    Page(
        "directory",
        "Public label directory",
        lambda cast: None,
        lambda cast: reverse("labels:directory"),
    ),
    Page(
        "applicant_dashboard",
        "Applicant's dashboard",
        lambda cast: cast.applicant,
        lambda cast: reverse("portal:role_dashboard", args=["applicant"]),
    ),
    Page(
        "report_list",
        "Staff list of activity reports",
        lambda cast: cast.officer,
        lambda cast: reverse("reporting:staff_list"),
    ),
    Page(
        "holder_report_list",
        "Holder's list of activity reports",
        lambda cast: cast.applicant,
        lambda cast: reverse("reporting:list"),
    ),
    Page(
        "api_dossier_list",
        "API: dossiers of the call, with a token of the officer",
        lambda cast: api_client(cast.officer),
        lambda cast: reverse("api:applications", args=[cast.call.slug]),
    ),
    Page(
        "api_report_list",
        "API: activity reports, with a token of the officer",
        lambda cast: api_client(cast.officer),
        lambda cast: reverse("api:reports"),
    ),
    Page(
        "api_labels",
        "API: labels and their standing (public)",
        lambda cast: None,
        lambda cast: reverse("api:labels"),
    ),
    Page(
        "api_grants",
        "API: grants awarded (public)",
        lambda cast: None,
        lambda cast: reverse("api:grants"),
    ),
)


def api_client(user) -> Client:
    """A client sending a new token of ``user`` with every scope they may grant (the API
    reads tokens, not sessions)."""
    from api.models import ApiToken
    from api.scopes import grantable

    _token, secret = ApiToken.make(
        user,
        name="bench",
        scopes=[scope for scope, _name in grantable(user)],
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def client_for(user) -> Client:
    if isinstance(user, Client):  # already set up (an API token)
        return user
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fetch(client: Client, url: str, cold: bool = False, fresh_qr: bool = False):
    """The size of the page at ``url``, which must answer 200; ``cold``: with an empty
    cache; ``fresh_qr``: with no QR code kept encoded (``labels.pdf.qr_modules``)."""
    if cold:
        cache.clear()
    if fresh_qr:
        labels_pdf.qr_modules.cache_clear()
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    if response.streaming:
        # Read to the end, the test client closes the response (closing it again would
        # send request_finished a second time, which closes the connection in a test).
        return sum(len(piece) for piece in response.streaming_content)
    return len(response.content)


def queries(client: Client, url: str) -> int:
    """The SQL statements of a page with nothing in the cache (the statistics keep their
    figures a while), asked twice and counted the second time: the first fills per-process
    caches (content types) that a running server has long filled."""
    fetch(client, url, cold=True)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured)


def median_ms(function: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls, after one call to warm up."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def seconds(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return round(time.perf_counter() - start, 3), result


def peak_kib(function: Callable[[], object]) -> int:
    """The most memory Python held at once while ``function`` ran, beyond what it held
    before."""
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 1024)


class _Sink:
    """A file that counts what is written to it and keeps nothing."""

    def __init__(self):
        self.size = 0

    def write(self, text) -> int:
        self.size += len(text)
        return len(text)


class ReportExport:
    """The staff export of every activity report an officer may see, in each form."""

    def __init__(self, cast: Cast):
        self.client = client_for(cast.officer)
        self.source = exports.source("reports", cast.officer, QueryDict(""))
        self.columns = self.source.resource.columns()

    def rows(self) -> int:
        return self.source.queryset.count()

    def csv(self) -> int:
        """Our CSV, streamed through the view as a browser downloads it."""
        return fetch(self.client, reverse("reporting:staff_export", args=["csv"]))

    def dump(self) -> int:
        """The database's own CSV of the same rows and columns, unformatted: PostgreSQL's
        ``COPY``, or the sqlite3 module's cursor straight into ``csv.writer``."""
        plain = self.source.resource.prepare(self.source.queryset).values_list(
            *(column.path for column in self.columns)
        )
        sql, params = plain.query.sql_with_params()
        sink = _Sink()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
                with cursor.cursor.copy(statement, params) as copy:
                    for row in copy:
                        sink.write(row)
            return sink.size
        connection.ensure_connection()
        cursor = connection.connection.execute(sql.replace("%s", "?"), params)
        csv.writer(sink).writerows(cursor)
        return sink.size

    def dataset(self) -> int:
        """django-import-export's own export of the queryset (what the admin does)."""
        return len(self.source.resource.export(self.source.queryset))

    def xlsx(self) -> int:
        """The XLSX file as the background task writes it (xlsxwriter, constant memory)."""
        header = exports.headers(self.source.resource)
        with tempfile.TemporaryFile() as out:
            exports.write(
                "xlsx", header, exports.rows(self.source.resource, self.source.queryset), out
            )
            return out.tell()

    def ods(self, limit: int | None = None) -> int:
        """The ODS file as the background task writes it (streamed, :mod:`portal.ods`), of
        the first ``limit`` rows if given."""
        header = exports.headers(self.source.resource)
        queryset = self.source.queryset if limit is None else self.source.queryset[:limit]
        with tempfile.TemporaryFile() as out:
            exports.write("ods", header, exports.rows(self.source.resource, queryset), out)
            return out.tell()

    def fetch(self) -> None:
        """Read the rows of :meth:`xlsx_floor` into memory, once (not timed)."""
        self.fetched = [
            tuple(line) for line in exports.rows(self.source.resource, self.source.queryset)
        ]

    def xlsx_floor(self) -> int:
        """The floor of our XLSX: xlsxwriter in constant-memory mode writing the same cells,
        already read into Python tuples (:meth:`fetch`), row by row with its ``write_row``;
        text as text (no formula, no link), dates with a date format."""
        header = exports.headers(self.source.resource)
        with tempfile.TemporaryFile() as out:
            workbook = xlsxwriter.Workbook(
                out,
                {
                    "constant_memory": True,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "default_date_format": exports.XLSX_DATE,
                },
            )
            sheet = workbook.add_worksheet("Export")
            sheet.write_row(0, 0, header)
            for row, line in enumerate(self.fetched, 1):
                sheet.write_row(row, 0, line)
            workbook.close()
            return out.tell()


class DossierExport:
    """The staff export of the big call's dossiers, as the list's export kind builds it
    (with the review's total score), with a column per question of the call's form."""

    def __init__(self, cast: Cast):
        self.officer = cast.officer
        self.call = cast.call

    def source(self) -> exports.Source:
        """The export kind's source with the question columns (read from the call's form)."""
        source = exports.source("applications", self.officer, QueryDict(""), self.call.slug)
        score = source.resource.total_score
        source.resource = ApplicationResource(total_score=score, call=self.call)
        return source

    def csv(self) -> int:
        """The CSV as the view streams it, questions read, header and rows written."""
        source = self.source()
        header = exports.headers(source.resource)
        lines = exports.csv_file(source.resource, source.queryset, header, "csv")
        return sum(len(piece) for piece in lines)

    def xlsx(self) -> int:
        source = self.source()
        header = exports.headers(source.resource)
        with tempfile.TemporaryFile() as out:
            exports.write("xlsx", header, exports.rows(source.resource, source.queryset), out)
            return out.tell()

    def figures(self) -> dict:
        """Rows, columns, whether the database writes the CSV, and its SQL statements."""
        source = self.source()
        with CaptureQueriesContext(connection) as captured:
            self.csv()
        return {
            "rows": source.queryset.count(),
            "columns": len(source.resource.columns()),
            "by_database": database_csv.lines(source.resource, source.queryset, ",") is not None,
            "queries": len(captured),
        }


def certificate_url(cast: Cast) -> str:
    return reverse("labels:certificate", args=[cast.label.number])


def programme_report_url(cast: Cast) -> str:
    return reverse("reporting:statistics_report") + f"?programme={cast.programme.pk}"


# Words of a dossier, to fill text fields at their limits with text that wraps as real
# text does; an emoji now and then goes through the placeholder of ``portal.pdf``.
WORDS = [
    "espace",
    "coworking",
    "indépendants",
    "télétravailleurs",
    "réseau",
    "entreprises",
    "Wallonie",
    "communauté",
    "animation",
    "événements",
    "formations",
    "partenaires",
    "accompagnement",
    "créateurs",
    "projets",
    "locaux",
    "économie",
    "circulaire",
    "mobilité",
    "🚀",
    "numérique",
    "coopérative",
    "citoyens",
    "îlot",
    "façade",
    "œuvre",
    "Liège",
    "Namur",
    "Charleroi",
    "Mons",
]


def prose(length: int, seed: int = 0) -> str:
    """``length`` characters of text in paragraphs of a few lines, separated by blank
    lines, as people write in a text area."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < length:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))) + "."
        parts.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(parts)[:length]
    return text[:-1] + "." if text[-1].isspace() else text


def at_caps(instance: models.Model, seed: int = 0) -> dict:
    """The values that fill ``instance``'s free text to its limits: each
    ``LimitedTextField`` to its cap, each plain text field (not a code, a number, an
    address on the web or a choice) to its ``max_length``."""
    values = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, textlimits.LimitedTextField):
            values[field.name] = prose(field.max_length, seed)
        elif (
            type(field) is models.CharField
            and not field.choices
            and not field.unique
            and len(field.validators) == 1
        ):
            values[field.name] = prose(field.max_length, seed).replace("\n", " ")
    if isinstance(instance, Application):
        values["answers"] = answers_at_caps(instance, seed)
    return values


def answers_at_caps(application: Application, seed: int = 0) -> dict:
    """The dossier's answers with each text question of its call's form filled to what
    the form accepts: a long text to the portal's cap (and its word limit), a short text
    to its length."""
    answers = dict(application.answers)
    for question in application.questionnaire.questions:
        if question.kind == Question.Kind.LONG_TEXT:
            text = prose(textlimits.LONG, seed)
            if question.max_words:
                text = " ".join(text.split(" ")[: question.max_words])
            answers[question.code] = text
        elif question.kind == Question.Kind.SHORT_TEXT:
            answers[question.code] = prose(question.text_limit, seed).replace("\n", " ")
    return answers


def fill_to_caps(instance: models.Model, seed: int = 0) -> None:
    """Writes :func:`at_caps` to ``instance`` and its row (without its ``save``)."""
    values = at_caps(instance, seed)
    type(instance).objects.filter(pk=instance.pk).update(**values)
    for name, value in values.items():
        setattr(instance, name, value)


# How many dossiers the jury's minutes at the limits propose or not: a jury's sitting.
MINUTES_PROPOSALS = 20


class DocumentsAtCaps:
    """Every PDF that carries what people type, drawn with every text field at its limit
    (``portal.textlimits``) and every name at its length, in French, inside a transaction
    that is rolled back: the receipt, the inadmissibility letter, the decision letters,
    the jury's minutes, the certificate and the programme report."""

    DOCUMENTS = (
        "receipt",
        "inadmissibility_letter",
        "grant_letter",
        "refusal_letter",
        "jury_minutes",
        "certificate",
        "programme_report",
    )

    def __init__(self, cast: Cast):
        self.cast = cast

    def run(self, runs: int) -> dict:
        """For each document, its median time (``<name>_ms``) and its pages (``_pages``)."""
        results: dict = {}
        with translation.override("fr"), transaction.atomic():
            builders = self._prepare()
            for name in self.DOCUMENTS:
                results[f"{name}_ms"] = median_ms(builders[name], runs)
                results[f"{name}_pages"] = len(PdfReader(io.BytesIO(builders[name]())).pages)
            transaction.set_rollback(True)
        cache.clear()
        return results

    def _prepare(self) -> dict[str, Callable[[], bytes]]:
        cast = self.cast
        # Rows read afresh: the cast's own objects keep their values for what follows.
        fill_to_caps(Programme.objects.get(pk=cast.programme.pk), 1)
        fill_to_caps(Call.objects.get(pk=cast.call.pk), 2)
        fill_to_caps(Label.objects.get(pk=cast.label.pk), 5)
        label = Label.objects.select_related("programme", "organisation").get(pk=cast.label.pk)
        fill_to_caps(label.organisation, 3)
        application = Application.objects.select_related(
            "call__programme", "organisation", "proposal", "decision"
        ).get(pk=label.application_id)
        fill_to_caps(application, 4)
        fill_to_caps(application.proposal, 6)
        fill_to_caps(application.decision, 7)
        refusal = copy.copy(application.decision)
        refusal.granted, refusal.amount = False, None
        if application.admissibility_decided_at is None:
            application.admissibility_decided_at = application.submitted_at

        # The minutes of a sitting: a call of its own for some dossiers with a proposal.
        call = Call.objects.get(pk=cast.call.pk)
        call.pk, call.slug = None, f"{cast.call.slug}-caps"
        call.save()
        ids = list(
            Proposal.objects.filter(application__call=cast.call).values_list(
                "application_id", flat=True
            )[:MINUTES_PROPOSALS]
        )
        Application.objects.filter(pk__in=ids).update(call=call)
        Proposal.objects.filter(application_id__in=ids).update(
            rationale=prose(textlimits.COMMENT, 8)
        )
        session = JurySession(
            call=call,
            closed_at=timezone.now(),
            closed_by=cast.officer,
            members_present="\n".join(
                prose(60, seed).replace("\n", " ") for seed in range(textlimits.COMMENT // 61)
            ),
        )
        cache.clear()
        ministry = client_for(cast.ministry)
        return {
            "receipt": lambda: applications_pdf.receipt(
                application, application.submitted_at, number=2
            ),
            "inadmissibility_letter": lambda: applications_pdf.inadmissibility_letter(application),
            "grant_letter": lambda: review_pdf.decision_letter(application, application.decision),
            "refusal_letter": lambda: review_pdf.decision_letter(application, refusal),
            "jury_minutes": lambda: review_pdf.jury_minutes(session),
            "certificate": lambda: labels_pdf.certificate(label),
            "programme_report": lambda: _content(ministry, programme_report_url(cast)),
        }


def _content(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return b"".join(response.streaming_content) if response.streaming else response.content


QUEUE_IN_MEMORY = "django_tasks.backends.dummy.DummyBackend"
REPORT_INDICATOR_KINDS = (Condition.Kind.INDICATOR_AT_LEAST, Condition.Kind.INDICATOR_MEAN)


class SurveillanceJob:
    """The daily surveillance job on the whole programme, given a condition of each kind on
    reports and one on the dossier's answers: its first run (which opens the cases of every
    label failing one and tells their holders), the next day's (which finds nothing new: the
    steady state), and the run past the deadlines (which flags every case and tells the
    officers). The database is left with the cases: run it last."""

    CONDITIONS = (
        {"kind": Condition.Kind.ANSWER_AT_LEAST, "question_code": "desks", "threshold": 20},
        {"kind": Condition.Kind.INDICATOR_AT_LEAST, "threshold": 25, "periods": 2},
        {"kind": Condition.Kind.INDICATOR_MEAN, "threshold": 30},
        {"kind": Condition.Kind.REPORTS_ON_TIME},
    )

    def __init__(self, cast: Cast):
        self.programme = cast.programme
        occupancy = self._occupancy()
        for position, fields in enumerate(self.CONDITIONS):
            indicator = occupancy if fields["kind"] in REPORT_INDICATOR_KINDS else None
            Condition.objects.get_or_create(
                programme=self.programme,
                kind=fields["kind"],
                defaults={
                    **fields,
                    "position": position,
                    "label_fr": f"Condition {fields['kind']}",
                    "indicator": indicator,
                    "grace_days": 30,
                },
            )

    def _occupancy(self) -> Indicator:
        """The programme's occupancy rate (the bench population gives it; created if not)."""
        indicator, _created = Indicator.objects.get_or_create(
            programme=self.programme,
            code="occupancy_rate",
            defaults={
                "label_fr": "Taux d'occupation",
                "kind": Indicator.Kind.PERCENTAGE,
                "aggregation": Indicator.Aggregation.MEAN,
            },
        )
        return indicator

    def measure(self) -> dict:
        """Each run's time; the emails are handed to a queue that keeps them in memory, as
        Redis would (``TASKS_BACKEND=rq``): delivering them is the workers' part."""
        with override_settings(TASKS={"default": {"BACKEND": QUEUE_IN_MEMORY}}):
            return self._runs()

    def _runs(self) -> dict:
        today = timezone.localdate()
        figures = {
            "labels": labels_in_force(self.programme.pk, today).count(),
            "reports": ActivityReport.objects.filter(label__programme=self.programme).count(),
            "conditions": Condition.objects.filter(programme=self.programme).count(),
        }
        emails = OutgoingEmail.objects.count()
        figures["first_seconds"], (figures["opened"], _flagged) = seconds(lambda: watch.run(today))
        figures["opening_emails"] = OutgoingEmail.objects.count() - emails
        tomorrow = today + dt.timedelta(days=1)
        reset_queries()  # a full log (DEBUG) would count nothing
        with CaptureQueriesContext(connection) as captured:
            figures["next_seconds"], (figures["next_opened"], _flagged) = seconds(
                lambda: watch.run(tomorrow)
            )
        figures["next_queries"] = len(captured)
        later = today + dt.timedelta(days=31)  # past every first deadline
        emails = OutgoingEmail.objects.count()
        figures["flag_seconds"], (_opened, figures["flagged"]) = seconds(lambda: watch.run(later))
        figures["flag_emails"] = OutgoingEmail.objects.count() - emails
        figures["pending"] = NonConformity.objects.pending().count()
        return figures
