"""What the benchmark measures (SPEC §8), each as a small function over a populated database:
the SQL and server time of the pages people wait for, the activity-report export in each of
its forms beside the database's own dump, and the two PDFs.

Time and memory are measured in separate runs: tracing every allocation (``tracemalloc``)
slows Python code several times, and would flatter the database's part.
"""

import csv
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import exports
from reporting.benchmark.population import Cast


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
)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fetch(client: Client, url: str, cold: bool = False):
    """The size of the page at ``url``, which must answer 200; ``cold``: with an empty
    cache."""
    if cold:
        cache.clear()
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
        """The XLSX file as the background task writes it (write-only workbook)."""
        header = exports.headers(self.source.resource)
        with tempfile.TemporaryFile() as out:
            exports.write(
                "xlsx", header, exports.rows(self.source.resource, self.source.queryset), out
            )
            return out.tell()


def certificate_url(cast: Cast) -> str:
    return reverse("labels:certificate", args=[cast.label.number])


def programme_report_url(cast: Cast) -> str:
    return reverse("reporting:statistics_report") + f"?programme={cast.programme.pk}"
