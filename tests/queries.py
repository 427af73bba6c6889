"""Counting the SQL a page runs, to show that it does not grow with the data (SPEC §8)."""

import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url, query=None) -> list[str]:
    """The SQL statements of a GET of ``url``, which must answer 200. The page is asked
    twice and the second answer counted: the first fills per-process caches (content types)
    that a running server has long filled."""
    client.get(url, query)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return [entry["sql"] for entry in captured.captured_queries]


def _shape(sql: str) -> str:
    """A statement without its values, so that the same query for two rows reads the same."""
    return re.sub(r"\((?:%s|\?|\d+)(?:, ?(?:%s|\?|\d+))*\)", "(…)", re.sub(r"\b\d+\b", "0", sql))


def assert_same_count(few: list[str], many: list[str], ceiling: int) -> None:
    """``many`` (the page with more data) runs exactly as many queries as ``few``, and no
    more than ``ceiling``; if not, the message shows the statements that were added."""
    added = Counter(map(_shape, many)) - Counter(map(_shape, few))
    extra = "\n".join(f"{count} times: {sql}" for sql, count in added.items())
    assert len(many) == len(few), (
        f"{len(few)} queries with little data, {len(many)} with more; added:\n{extra}"
    )
    assert len(few) <= ceiling, f"{len(few)} queries, more than the {ceiling} allowed:\n" + (
        "\n".join(few)
    )
