"""A holder fills, saves and submits a report; values are checked with clear messages, for
numbers as for yes or no, one choice and text indicators."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from labels import services as label_services
from reporting import indicatorlibrary, services
from reporting import indicators as indicator_fields
from reporting.models import ActivityReport, Indicator
from tests.factories import MembershipFactory, UserFactory
from tests.labels.conftest import granted
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from tests.reporting.conftest import FILLED, make_report

Q1 = dt.date(2026, 1, 1)


def form_data(action="save", **overrides):
    values = {**FILLED, **overrides}
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    return {**data, "action": action}


@pytest.fixture
def report(label):
    return make_report(label, Q1)


def url(report):
    return reverse("reporting:detail", args=[report.pk])


def test_a_draft_keeps_partial_values(client, holder, report):
    client.force_login(holder)
    response = client.post(url(report), form_data(desks="", narrative=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ActivityReport.State.DUE
    assert report.values["active_coworkers"] == 42 and "desks" not in report.values
    assert "Brouillon enregistré" in text_of(client.get(url(report)))


def test_an_occupancy_of_140_percent_is_refused_and_nothing_is_saved(client, holder, report):
    client.force_login(holder)
    response = client.post(url(report), form_data(occupancy_rate="140"))
    assert response.status_code == 400
    page = text_of(response)
    assert "Un taux est un pourcentage entre 0 et 100." in page
    assert "Veuillez corriger" in page
    report.refresh_from_db()
    assert report.values == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days_open", "95", "La période compte 90 jours"),
        ("turnover", "-5", "supérieure ou égale à 0"),
        ("desks", "beaucoup", "Saisissez un nombre entier"),
        ("desks", "2000000", "inférieure ou égale à 1000000"),
    ],
)
def test_out_of_range_values_are_refused(client, holder, report, field, value, message):
    client.force_login(holder)
    response = client.post(url(report), form_data(**{field: value}))
    assert response.status_code == 400
    assert message in text_of(response)
    assert f'id="id_{field}_error"' in response.content.decode()


def test_french_decimal_commas_are_understood(client, holder, report):
    client.force_login(holder)
    client.post(url(report), form_data(occupancy_rate="61,5", jobs_created="1,5"))
    report.refresh_from_db()
    assert report.values["occupancy_rate"] == "61.50"
    assert report.values["jobs_created"] == "1.5"


def test_submitting_an_incomplete_report_names_what_is_missing(client, holder, report):
    client.force_login(holder)
    response = client.post(url(report), form_data("submit", partnerships="", narrative=""))
    report.refresh_from_db()
    assert report.state == ActivityReport.State.DUE
    assert report.values["active_coworkers"] == 42  # the draft is kept
    # Each blank field says so under the error summary, as every other form does.
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"partnerships", "narrative"}
    page = response.content.decode()
    assert 'href="#id_partnerships"' in page and 'href="#id_narrative"' in page
    assert 'id="id_partnerships_error"' in page
    assert "Nécessaire pour remettre le rapport." in text_of(response)
    assert not list(response.context["messages"])


def test_a_complete_report_is_submitted_and_locked(client, holder, report, officer, mailoutbox):
    client.force_login(holder)
    client.post(url(report), form_data("submit"))
    report.refresh_from_db()
    assert report.state == ActivityReport.State.SUBMITTED
    assert report.submitted_at is not None
    about_reports = [m.to for m in mailoutbox if m.subject.startswith("Rapport d'activité")]
    assert about_reports == [[officer.email]]
    response = client.post(url(report), form_data(desks="1"), follow=True)
    report.refresh_from_db()
    assert report.values["desks"] == 30
    assert "ne peut plus être modifié" in text_of(response)


def test_strangers_and_staff_of_other_programmes_get_404(client, report, other_officer):
    for user in (UserFactory(), other_officer):
        client.force_login(user)
        assert client.get(url(report)).status_code == 404
        assert client.post(url(report), form_data()).status_code == 404
    client.logout()
    assert client.get(url(report)).status_code == 302


def test_the_holder_sees_reports_to_file_on_the_dashboard(client, holder, report):
    client.force_login(holder)
    page = text_of(client.get(reverse("portal:dashboard"), follow=True))
    assert "T1 2026" in page
    assert "T1 2026" in text_of(client.get(reverse("reporting:list")))


def test_the_state_cannot_be_set_directly(report):
    with pytest.raises(AttributeError):
        report.state = ActivityReport.State.ACCEPTED


def test_the_holders_list_runs_the_same_queries_for_1_and_21_reports(client, holder, report):
    client.force_login(holder)
    few = queries_of(client, reverse("reporting:list"))
    # Four more labels of organisations the holder belongs to, five reports each in every
    # state, some overdue; and a stranger's label, whose reports are not listed.
    call = report.label.application.call
    labels = [label_services.issue_label(granted(call)) for _ in range(5)]
    for label in labels[:4]:
        MembershipFactory(user=holder, organisation=label.organisation, role="member")
    for label in labels:
        for month, state in zip((1, 4, 7, 10), ActivityReport.State.values, strict=True):
            make_report(label, dt.date(2025, month, 1), state)
        make_report(label, Q1)
    many = queries_of(client, reverse("reporting:list"))
    assert_same_count(few, many, ceiling=8)
    page = text_of(client.get(reverse("reporting:list")))
    assert [page.count(f"T{n} 2025") for n in (1, 2, 3, 4)] == [4, 4, 4, 4]
    assert page.count("T1 2026") == 5
    assert all(label.number in page for label in labels[:4])
    assert labels[4].number not in page


def test_a_draft_cannot_undo_an_indicator_changed_since_the_form_was_read(report, label):
    """The officer lowered a maximum, or deleted an indicator, after the holder's form was
    checked: the draft is refused on that indicator, the stored report unchanged."""
    Indicator.objects.filter(programme=label.programme, code="desks").update(maximum=Decimal(10))
    Indicator.objects.filter(programme=label.programme, code="partnerships").delete()
    holder = label.organisation.memberships.first().user

    with pytest.raises(ValidationError) as refused:
        services.save_draft(report, {"desks": 30, "partnerships": 2}, "", by=holder)

    assert list(refused.value.message_dict) == ["desks"]
    report.refresh_from_db()
    assert "desks" not in report.values

    saved = services.save_draft(report, {"desks": 8, "partnerships": 2}, "", by=holder)
    assert saved.values == {"desks": 8}  # no value under a code that is no indicator


# A fab lab's indicators (a yes or no among them), the rural spaces' main audience (one
# choice) and a short text.
TYPED = [
    *indicatorlibrary.FAB_LAB,
    next(d for d in indicatorlibrary.RURAL if d["code"] == "main_audience"),
    indicatorlibrary.indicator(
        "highlight",
        "temps fort",
        "highlight",
        Indicator.Kind.TEXT,
        aggregation=Indicator.Aggregation.LAST,
        minimum=None,
    ),
]


@pytest.fixture
def typed_report(call, officer):
    """A due report of a programme asking numbers, a yes or no, one choice and a text."""
    indicatorlibrary.install(call.programme, TYPED)
    label = label_services.issue_label(
        granted(call, legal_name="Fab Lab du Sart-Tilman ASBL"), today=dt.date(2025, 12, 15)
    )
    return make_report(label, Q1, values={})


def test_a_report_with_yes_no_choice_and_text_indicators_is_filed(client, typed_report):
    report = typed_report
    holder = report.label.organisation.memberships.get().user
    client.force_login(holder)

    # The form asks each indicator as its type says: radio buttons, a list, a text box.
    response = client.get(url(report))
    assert response.status_code == 200
    fields = response.context["form"].fields
    assert fields["open_source_projects"].choices == [("yes", "Oui"), ("no", "Non")]
    assert [code for code, _label in fields["main_audience"].choices] == [
        "",
        "independents",
        "employees",
        "students",
    ]
    page = response.content.decode()
    assert page.count('name="open_source_projects" value=') == 2
    assert 'type="radio"' in page
    assert '<select name="main_audience"' in page and ">salariés à distance</option>" in page
    assert 'name="highlight"' in page
    assert "Projets documentés en open source (facultatif)" in text_of(response)

    # A draft keeps what was given, typed.
    draft = {"visitors": "120", "open_source_projects": "no", "main_audience": "employees"}
    response = client.post(url(report), {**draft, "narrative": "", "action": "save"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ActivityReport.State.DUE
    assert report.values == {
        "visitors": 120,
        "open_source_projects": False,
        "main_audience": "employees",
    }
    # The form shows the draft back: "no" is checked, the audience chosen.
    page = client.get(url(report)).content.decode()
    assert 'value="no" id="id_open_source_projects_1" checked' in " ".join(page.split())
    assert '<option value="employees" selected>' in page

    # An option the programme does not offer is refused on its field; nothing is saved.
    complete = {
        "visitors": "120",
        "workshops": "8",
        "machine_hours": "310,5",
        "open_days": "60",
        "open_source_projects": "yes",
        "turnover": "4200",
        "main_audience": "retirees",
        "highlight": "Une semaine de réparation de vélos",
        "narrative": "Un trimestre d'ateliers.",
        "action": "submit",
    }
    response = client.post(url(report), complete)
    assert response.status_code == 400
    (error,) = response.context["form"].errors["main_audience"]
    assert error.startswith("Sélectionnez un choix valide. retirees n")  # "n'en fait pas partie"
    assert 'id="id_main_audience_error"' in response.content.decode()
    report.refresh_from_db()
    assert report.state == ActivityReport.State.DUE
    assert report.values["open_source_projects"] is False

    # With a valid choice the report is filed, each value stored as its type.
    response = client.post(url(report), {**complete, "main_audience": "students"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ActivityReport.State.SUBMITTED
    assert report.values == {
        "visitors": 120,
        "workshops": 8,
        "machine_hours": "310.5",
        "open_days": 60,
        "open_source_projects": True,
        "turnover": "4200.00",
        "main_audience": "students",
        "highlight": "Une semaine de réparation de vélos",
    }
    shown = {i.code: value for i, value in indicator_fields.readable(report)}
    assert shown["open_source_projects"] == "Oui"
    assert shown["main_audience"] == "étudiants"
    assert shown["highlight"] == "Une semaine de réparation de vélos"
