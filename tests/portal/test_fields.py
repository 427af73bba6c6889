"""Amounts and decimal numbers typed the Belgian way ("41 250,50", "41.250,50") are read in
every form, and shown back as the reader's language writes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from applications.forms import CallForm, section_form
from portal.fields import DecimalField, parse_decimal
from portal.figures import number
from reporting import indicatorlibrary
from reporting.indicators import ReportForm
from reporting.models import ActivityReport, Indicator
from review.forms import CriterionFormSet, DecisionForm, ReviewForm
from review.models import Criterion
from tests.factories import ApplicationFactory, CallFactory

NNBSP = "\u202f"


@pytest.mark.parametrize(
    "typed",
    [
        "41 250,50",
        "41.250,50",
        f"41{NNBSP}250,50",
        "41\u00a0250,50",
        "41250.50",
        "41250,50",
        "41 250,50 €",
        "41,250.50",
    ],
)
@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_an_amount_is_read_however_it_is_written(typed, language):
    with translation.override(language):
        assert parse_decimal(typed, 2) == Decimal("41250.50")


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        # A point followed by three digits groups thousands in French, where the comma is
        # the decimal mark; a comma does so in English.
        ("fr-be", "41.250", Decimal("41250")),
        ("fr-be", "12,5", Decimal("12.5")),
        ("fr-be", "1.250.000", Decimal("1250000")),
        ("en", "41,250", Decimal("41250")),
        ("en", "12.5", Decimal("12.5")),
        ("en", "12,5", Decimal("12.5")),
    ],
)
def test_a_single_separator_is_read_as_the_language_writes_it(language, typed, read):
    with translation.override(language):
        assert parse_decimal(typed, 2) == read


@pytest.mark.parametrize("typed", ["41 25", "4 1250", "1,2,3", "41.250.5", "abc", "12,", "--1"])
def test_what_is_not_a_number_is_refused_rather_than_guessed(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed, 2)


amounts = st.decimals(
    min_value=Decimal("-9999999999.99"),
    max_value=Decimal("9999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amount=amounts, language=st.sampled_from(["fr-be", "en"]))
def test_what_is_shown_reads_back_as_the_same_amount(amount, language):
    with translation.override(language):
        shown = number(amount)
        assert parse_decimal(shown, 2) == amount
        # Belgian habits read the same: the no-break space as a narrow one or a point.
        if language == "fr-be":
            assert parse_decimal(shown.replace("\u00a0", NNBSP), 2) == amount
            assert parse_decimal(shown.replace("\u00a0", "."), 2) == amount


@given(value=st.decimals(min_value=0, max_value=Decimal("99999.9"), places=1))
def test_a_rate_with_one_place_reads_back_too(value):
    with translation.override("fr-be"):
        assert parse_decimal(number(value), 1) == value


def test_an_amount_is_shown_back_the_french_way():
    field = DecimalField(decimal_places=2, max_digits=12)
    with translation.override("fr-be"):
        html = field.widget.render("amount", Decimal("41250.50"))
    assert 'value="41\u00a0250,50"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html


def test_a_wrong_amount_says_how_to_write_one():
    with translation.override("en"):
        form = DecisionForm({"decision": "grant", "amount": "forty thousand"})
        assert not form.is_valid()
        assert form.errors["amount"] == ["Enter a number, for example 41,250.50."]


@pytest.mark.django_db
def test_the_dossier_budget_takes_belgian_amounts_and_shows_them_back(client, applicant):
    dossier = ApplicationFactory(organisation=applicant.memberships.get().organisation)
    client.force_login(applicant)
    url = reverse("applications:section", args=[dossier.pk, "funding"])

    response = client.post(url, {"total_cost": "82.500,00", "requested_amount": f"41{NNBSP}250,50"})

    assert response.status_code == 302, response.context["form"].errors
    dossier.refresh_from_db()
    assert (dossier.total_cost, dossier.requested_amount) == (
        Decimal("82500.00"),
        Decimal("41250.50"),
    )
    page = client.get(url).content.decode()
    assert 'value="41\u00a0250,50"' in page
    assert 'value="82\u00a0500,00"' in page


@pytest.mark.django_db
def test_every_form_reads_belgian_amounts():
    call = CallFactory()
    with translation.override("fr-be"):
        business = section_form("funding")(
            {"total_cost": "82 500", "requested_amount": "41.250,50"},
            instance=call.applications.model(call=call),
        )
        business.is_valid()
        assert business.cleaned_data["requested_amount"] == Decimal("41250.50")
        assert business.cleaned_data["total_cost"] == Decimal("82500")

        call_form = CallForm(instance=call)
        assert isinstance(call_form.fields["budget"], DecimalField)
        assert isinstance(call_form.fields["max_amount"], DecimalField)
        assert call_form.fields["budget"].clean("1 500 000,00") == Decimal("1500000.00")

        decision = DecisionForm({"decision": "grant", "amount": "41 250,50"})
        assert decision.is_valid(), decision.errors
        assert decision.cleaned_data["amount"] == Decimal("41250.50")

        quarter = ActivityReport(period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
        indicators = [Indicator(**definition) for definition in indicatorlibrary.COWORKING]
        report = ReportForm(report=quarter, indicators=indicators)
        for name in ("turnover", "public_funding_used", "occupancy_rate", "jobs_created"):
            assert isinstance(report.fields[name], DecimalField), name
        assert report.fields["turnover"].clean("125 000,50") == Decimal("125000.50")

        criteria = CriterionFormSet(instance=call)
        assert isinstance(criteria.forms[0].fields["weight"], DecimalField)

        criterion = Criterion(pk=1, title="Qualité", weight=1, max_score=Decimal(10))
        review = ReviewForm({"score_1": "7,5"}, criteria=[criterion], half_points=True, scores={})
        assert review.is_valid(), review.errors
        assert review.values()[1][0] == Decimal("7.5")
