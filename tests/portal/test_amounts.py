"""Amounts have one home: ``portal.figures.euros``, in templates the ``euros`` filter. A page
writes them as the PDFs do, and no template writes a euro sign after a number by hand."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from portal.figures import euros
from tests.factories import CallFactory

# A number's output followed by a euro sign, or preceded by one: "{{ x|floatformat:2 }} €",
# "{{ amount }} €" inside a blocktranslate, "€ {{ x }}"; and in Python "%(amount)s €".
BY_HAND = re.compile(
    r"floatformat[^}]*\}\}\s*(€|&euro;)|\{\{[^}]*\}\}\s*(€|&euro;)|(€|&euro;)\s*\{\{"
)
BY_HAND_IN_PYTHON = re.compile(r"%\(\w+\)s\s*€|€\s*%\(\w+\)s")
APPS = ["portal", "applications", "review", "labels", "reporting"]


def project_files(*patterns):
    for app in APPS:
        folder = Path(settings.BASE_DIR) / app
        for pattern in patterns:
            yield from folder.glob(pattern)


def test_no_template_writes_the_euro_sign_by_hand():
    templates = list(project_files("templates/**/*.html", "templates/**/*.txt"))
    assert len(templates) > 50
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates
        for match in BY_HAND.finditer(path.read_text())
    ]
    assert offending == [], "Use {{ amount|euros }} (portal/templatetags/figures.py)"


def test_no_python_message_writes_the_euro_sign_by_hand():
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in project_files("**/*.py")
        for match in BY_HAND_IN_PYTHON.finditer(path.read_text())
    ]
    assert offending == [], "Pass euros(amount) (portal/figures.py) to the message"


@pytest.mark.parametrize(
    "language, written",
    [("fr-be", "100\u00a0000,50\u00a0€"), ("en", "€100,000.50"), ("fr-be", "—")],
)
def test_the_filter_writes_what_the_pdfs_write(language, written):
    value = None if written == "—" else Decimal("100000.50")
    template = engines["django"].from_string("{{ value|euros }}")
    with translation.override(language):
        assert template.render({"value": value}) == written == euros(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, budget, maximum",
    [
        ("fr-be", "600\u00a0000\u00a0€", "100\u00a0000\u00a0€"),
        ("en", "€600,000", "€100,000"),
    ],
)
def test_a_call_page_writes_its_amounts_for_its_reader(client, language, budget, maximum):
    call = CallFactory()
    client.post(reverse("portal:set_language"), {"language": language})

    page = client.get(call.get_absolute_url()).content.decode()

    assert f"<dd>{budget}</dd>" in page
    assert f"<dd>{maximum}</dd>" in page
