"""Officers define their programme's indicators in the staff pages: every type, the
aggregations each allows, options typed one per line, and what stays fixed once reports
give values (code, type, bounds that would exclude a value, the options chosen); such an
indicator is retired, never removed. Only the programme's officers and administrators come."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from labels import services as label_services
from reporting import indicators as indicator_fields
from reporting.models import ActivityReport, Indicator
from surveillance.models import Condition
from tests.factories import UserFactory
from tests.labels.conftest import granted
from tests.pages import text_of
from tests.reporting.conftest import make_report

pytestmark = pytest.mark.django_db


def url(name, programme, *args):
    return reverse(f"reporting:{name}", args=[programme.slug, *args])


def indicator_data(code="visitors", kind="integer", **extra):
    return {
        "code": code,
        "label_fr": f"Indicateur {code}",
        "label_en": f"Indicator {code}",
        "help_fr": "",
        "help_en": "",
        "kind": kind,
        "unit_fr": "",
        "unit_en": "",
        "minimum": "",
        "maximum": "",
        "required": "on",
        "aggregation": "sum",
        "from_period": "",
        "options": "",
        **extra,
    }


def errors(response, field) -> list[str]:
    """The errors the form shows next to ``field``, spaces as a reader sees them."""
    return [" ".join(error.split()) for error in response.context["form"].errors.get(field, [])]


def add(programme, code="visitors", kind=Indicator.Kind.INTEGER, **fields) -> Indicator:
    fields.setdefault("label_fr", f"Indicateur {code}")
    fields.setdefault("aggregation", Indicator.AGGREGATIONS[kind][0])
    position = programme.indicators.count() + 1
    return Indicator.objects.create(
        programme=programme, code=code, kind=kind, position=position, **fields
    )


@pytest.fixture
def label(call, officer):
    """A label of a programme with no indicator yet: each test gives it its own."""
    return label_services.issue_label(
        granted(call, legal_name="Fab Lab du Sart-Tilman ASBL"), today=dt.date(2025, 12, 15)
    )


@pytest.fixture
def visitors(programme):
    return add(programme, "visitors", label_fr="visiteurs", minimum=Decimal(0))


@pytest.fixture
def given(label, visitors):
    """A report of the first quarter of 2026 that gives 12 visitors."""
    return make_report(
        label, dt.date(2026, 1, 1), ActivityReport.State.SUBMITTED, values={"visitors": 12}
    )


def test_an_officer_adds_an_indicator_of_each_type(client, programme, officer):
    client.force_login(officer)
    extras = {
        "integer": {"unit_fr": "personnes", "minimum": "0", "maximum": "10 000"},
        "decimal": {"unit_fr": "ETP", "unit_en": "FTE", "aggregation": "mean"},
        "percentage": {"maximum": "100", "aggregation": "mean"},
        "amount": {"minimum": "0"},
        "yes_no": {"aggregation": "share_yes", "required": ""},
        "choice": {
            "aggregation": "last",
            "options": "independants | indépendants | independents\nstudents | étudiants",
        },
        "text": {"aggregation": "last", "required": ""},
    }
    for kind in Indicator.Kind.values:
        response = client.post(
            url("indicator_add", programme), indicator_data(f"ind-{kind}", kind, **extras[kind])
        )
        assert response.status_code == 302, text_of(response)
    codes = list(programme.indicators.values_list("code", flat=True))
    assert codes == [f"ind-{kind}" for kind in Indicator.Kind.values]
    choice = programme.indicators.get(kind="choice")
    assert choice.options == [
        {"code": "independants", "label_fr": "indépendants", "label_en": "independents"},
        {"code": "students", "label_fr": "étudiants"},
    ]
    assert programme.indicators.get(kind="integer").maximum == Decimal(10_000)

    page = text_of(client.get(url("indicators", programme)))
    assert "Indicateur ind-yes_no" in page
    assert "part de « oui »" in page
    assert "facultatif" in page and "aucune valeur encore" in page
    # The preview asks each as a holder's report does, disabled.
    response = client.get(url("indicators", programme))
    assert b"<fieldset disabled" in response.content
    assert 'name="ind-choice"' in response.content.decode()


def test_the_aggregation_must_suit_the_type(client, programme, officer):
    client.force_login(officer)
    response = client.post(
        url("indicator_add", programme), indicator_data("remarks", "text", aggregation="sum")
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Un indicateur de type « texte court » se combine par : dernière valeur." in page
    # Said once, by the form, not again by the model.
    assert page.count("ne peut pas être combiné ainsi") == 0
    assert not programme.indicators.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "choice", "aggregation": "last"}, "options", "Un choix a besoin de ses options"),
        (
            {"kind": "choice", "aggregation": "last", "options": "Bad Code | Libellé"},
            "options",
            "Ligne 1",
        ),
        (
            {"kind": "choice", "aggregation": "last", "options": "a | A\na | B"},
            "options",
            "déjà utilisé",
        ),
        ({"options": "a | A"}, "options", "Seul un indicateur à choix a des options."),
        (
            {"kind": "text", "aggregation": "last", "maximum": "3"},
            "maximum",
            "Seul un nombre a une unité et des bornes",
        ),
        (
            {"kind": "percentage", "aggregation": "mean", "maximum": "150"},
            "maximum",
            "Un pourcentage est compris entre 0 et 100.",
        ),
        ({"minimum": "10", "maximum": "2"}, "maximum", "Le maximum est inférieur au minimum."),
        ({"code": "Visiteurs"}, "code", "Commencez par une lettre minuscule"),
    ],
)
def test_what_makes_no_sense_for_the_type_is_refused_next_to_its_field(
    client, programme, officer, data, field, message
):
    client.force_login(officer)
    response = client.post(url("indicator_add", programme), indicator_data(**data))
    assert response.status_code == 200
    assert any(message in error for error in errors(response, field)), errors(response, field)
    assert not programme.indicators.exists()


def test_a_code_is_used_once_per_programme(client, programme, officer, visitors):
    client.force_login(officer)
    response = client.post(url("indicator_add", programme), indicator_data("visitors"))
    assert errors(response, "code") == ["Un autre indicateur de ce programme utilise déjà ce code."]


def test_once_reports_give_values_code_type_and_bounds_stay(client, programme, officer, given):
    visitors = programme.indicators.get()
    client.force_login(officer)
    edit = url("indicator", programme, visitors.pk)
    response = client.get(edit)
    assert "Des rapports donnent déjà une valeur pour cet indicateur." in text_of(response)
    assert 'value="0"' in response.content.decode()  # the bound as typed, not 0,0000

    response = client.post(edit, indicator_data("guests"))
    assert errors(response, "code") == [
        "Des rapports donnent déjà une valeur sous ce code : il ne peut plus changer."
    ]
    response = client.post(edit, indicator_data(kind="decimal"))
    assert "son type ne peut plus changer" in errors(response, "kind")[0]
    response = client.post(edit, indicator_data(minimum="20"))
    assert errors(response, "minimum") == [
        "Un rapport donne déjà 12 : le minimum ne peut pas lui être supérieur."
    ]
    response = client.post(edit, indicator_data(maximum="10"))
    assert "Un rapport donne déjà 12" in errors(response, "maximum")[0]
    visitors.refresh_from_db()
    assert (visitors.code, visitors.kind, visitors.minimum) == ("visitors", "integer", 0)

    # Wording and loosened bounds remain free.
    response = client.post(
        edit, indicator_data(label_fr="visiteurs du lieu", unit_fr="personnes", maximum="12")
    )
    assert response.status_code == 302
    visitors.refresh_from_db()
    assert (visitors.label_fr, visitors.maximum) == ("visiteurs du lieu", 12)


def test_a_choice_keeps_the_options_reports_chose(client, programme, officer, label):
    audience = add(
        programme,
        "audience",
        Indicator.Kind.CHOICE,
        options=[
            {"code": "students", "label_fr": "étudiants"},
            {"code": "others", "label_fr": "autres"},
        ],
    )
    make_report(label, dt.date(2026, 1, 1), values={"audience": "students"})
    client.force_login(officer)
    edit = url("indicator", programme, audience.pk)
    data = indicator_data("audience", "choice", aggregation="last")
    response = client.post(edit, {**data, "options": "others | autres"})
    assert errors(response, "options") == [
        "Des rapports ont déjà choisi les options students : gardez-les."
    ]
    response = client.post(edit, {**data, "options": "students | étudiant·es\nothers | autres"})
    assert response.status_code == 302
    audience.refresh_from_db()
    assert audience.option_label("students") == "étudiant·es"


def test_an_indicator_without_values_is_removed_after_confirmation(
    client, programme, officer, visitors
):
    client.force_login(officer)
    remove = url("indicator_remove", programme, visitors.pk)
    assert "Supprimer « visiteurs » ?" in text_of(client.get(remove))
    assert programme.indicators.exists()
    response = client.post(remove, follow=True)
    assert "L'indicateur « visiteurs » est supprimé." in text_of(response)
    assert not programme.indicators.exists()


def test_an_indicator_a_label_condition_uses_is_not_removed(client, programme, officer, visitors):
    """No report gives it a value, but a condition protects it: refused with the reason,
    not a server error, and the indicator stays."""
    Condition.objects.create(
        programme=programme,
        kind=Condition.Kind.INDICATOR_AT_LEAST,
        label_fr="Au moins dix visiteurs",
        indicator=visitors,
        threshold=Decimal(10),
        periods=2,
    )
    client.force_login(officer)
    remove = url("indicator_remove", programme, visitors.pk)
    page = text_of(client.get(remove))
    assert "« visiteurs » ne peut pas être supprimé" in page
    assert "Une condition du label utilise cet indicateur (“Au moins dix visiteurs”)" in page
    assert "Retirer l'indicateur" in page
    response = client.post(remove, follow=True)
    assert response.status_code == 200
    assert (
        "Une condition du label utilise cet indicateur (“Au moins dix visiteurs”) : supprimez "
        "ou modifiez d'abord la condition, ou retirez l'indicateur."
    ) in text_of(response)
    assert programme.indicators.filter(pk=visitors.pk).exists()


def test_an_indicator_with_values_is_retired_not_removed(
    client, programme, officer, schedule, given, label
):
    visitors = programme.indicators.get()
    client.force_login(officer)
    remove = url("indicator_remove", programme, visitors.pk)
    page = text_of(client.get(remove))
    assert "« visiteurs » ne peut pas être supprimé" in page
    assert "Retirer l'indicateur" in page
    response = client.post(remove, follow=True)
    assert "il ne peut pas être supprimé" in text_of(response)
    assert programme.indicators.filter(pk=visitors.pk).exists()

    retire = url("indicator_retire", programme, visitors.pk)
    response = client.post(retire, {"retired_from": "2026-05-01"})
    assert response.status_code == 200
    assert "choisissez le premier jour d'une période" in errors(response, "retired_from")[0]
    response = client.post(retire, {"retired_from": "2026-04-01"}, follow=True)
    assert "n'est plus demandé à partir du 1er avril 2026" in text_of(response)
    visitors.refresh_from_db()
    assert visitors.retired_from == dt.date(2026, 4, 1)
    # Later reports no longer ask it; the first quarter's keeps showing its value.
    later = make_report(label, dt.date(2026, 4, 1))
    assert later.asked_indicators() == []
    assert [(i.code, v) for i, v in indicator_fields.readable(given)] == [("visitors", "12")]
    page = text_of(client.get(url("indicators", programme)))
    assert "retiré à partir du 01/04/2026" in page

    response = client.post(url("indicator_reinstate", programme, visitors.pk), follow=True)
    assert "est à nouveau demandé" in text_of(response)
    visitors.refresh_from_db()
    assert visitors.retired_from is None


def test_a_required_indicator_is_not_asked_of_reports_already_filed(
    client, programme, officer, schedule, label
):
    make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, values={})
    client.force_login(officer)
    response = client.post(url("indicator_add", programme), indicator_data("partners"))
    assert errors(response, "from_period") == [
        "Un rapport de la période T1 2026 a déjà été remis sans cet indicateur : demandez-le à "
        "partir d'une période ultérieure, ou rendez-le facultatif."
    ]
    response = client.post(
        url("indicator_add", programme), indicator_data("partners", from_period="2026-04-02")
    )
    assert "premier jour d'une période" in errors(response, "from_period")[0]
    response = client.post(
        url("indicator_add", programme), indicator_data("partners", from_period="2026-04-01")
    )
    assert response.status_code == 302
    optional = indicator_data("events", required="")
    assert client.post(url("indicator_add", programme), optional).status_code == 302
    assert set(programme.indicators.values_list("code", flat=True)) == {"partners", "events"}


def test_a_retired_indicator_is_not_asked_again_of_reports_filed_without_it(
    client, programme, officer, schedule, label, visitors
):
    visitors.retired_from = dt.date(2026, 4, 1)
    visitors.save()
    make_report(label, dt.date(2026, 4, 1), ActivityReport.State.SUBMITTED, values={})
    client.force_login(officer)
    response = client.post(url("indicator_reinstate", programme, visitors.pk), follow=True)
    assert "a été remis pendant que l'indicateur était retiré" in text_of(response)
    visitors.refresh_from_db()
    assert visitors.retired_from == dt.date(2026, 4, 1)


def test_indicators_move_up_and_down(client, programme, officer):
    first, _second, third = (add(programme, code) for code in ("first", "second", "third"))
    client.force_login(officer)
    client.post(url("indicator_move", programme, third.pk, "up"))
    assert list(programme.indicators.values_list("code", flat=True)) == [
        "first",
        "third",
        "second",
    ]
    client.post(url("indicator_move", programme, first.pk, "up"))
    client.post(url("indicator_move", programme, first.pk, "down"))
    assert list(programme.indicators.values_list("code", flat=True)) == [
        "third",
        "first",
        "second",
    ]
    assert client.post(url("indicator_move", programme, first.pk, "sideways")).status_code == 404


def pages(programme, indicator):
    return [
        ("get", url("indicators", programme)),
        ("get", url("indicator_add", programme)),
        ("post", url("indicator_add", programme)),
        ("get", url("indicator", programme, indicator.pk)),
        ("post", url("indicator", programme, indicator.pk)),
        ("get", url("indicator_remove", programme, indicator.pk)),
        ("post", url("indicator_remove", programme, indicator.pk)),
        ("get", url("indicator_retire", programme, indicator.pk)),
        ("post", url("indicator_retire", programme, indicator.pk)),
        ("post", url("indicator_reinstate", programme, indicator.pk)),
        ("post", url("indicator_move", programme, indicator.pk, "up")),
    ]


@pytest.mark.parametrize("role", ["ministry", "other_officer", "holder", "stranger"])
def test_only_the_programmes_officers_come(client, request, programme, visitors, role):
    user = UserFactory() if role == "stranger" else request.getfixturevalue(role)
    client.force_login(user)
    for method, address in pages(programme, visitors):
        assert getattr(client, method)(address).status_code == 404, (method, address)
    assert programme.indicators.get() == visitors


def test_an_anonymous_visitor_is_sent_to_sign_in(client, programme, visitors):
    response = client.get(url("indicators", programme))
    assert response.status_code == 302 and "sign-in" in response.url


def test_officers_and_administrators_find_the_page_from_the_programme(
    client, programme, officer, ministry
):
    programme_page = reverse("applications:staff_programme", args=[programme.slug])
    for user in (officer, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user)
        assert "Indicateurs des rapports" in text_of(client.get(programme_page))
        assert client.get(url("indicators", programme)).status_code == 200
    client.force_login(ministry)
    assert "Indicateurs des rapports" not in text_of(client.get(programme_page))
