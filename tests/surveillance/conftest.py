import datetime as dt
import itertools

import pytest

from applications import formbuilder
from applications.formlibrary import question, section
from applications.models import Application
from labels.models import Label
from reporting.models import ActivityReport, Indicator, ReportingSchedule
from surveillance.models import Condition
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    officer,
    private_storage,
    programme,
)
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory

# A small form: the workstations as a whole number, and a yes or no question.
SPACE_FORM = {
    "sections": [
        section(
            "L'espace",
            "The space",
            [
                question("desks", "integer", "Postes de travail", "Workstations"),
                question("charter", "yes_no", "Charte signée ?", "Charter signed?"),
            ],
        )
    ]
}
# Another call of the same programme asks the workstations as a decimal number.
DECIMAL_FORM = {
    "sections": [
        section(
            "L'espace",
            "The space",
            [question("desks", "decimal", "Postes de travail", "Workstations")],
        )
    ]
}

_numbers = itertools.count(1)


def make_label(
    call,
    *,
    answers=None,
    issued_on=dt.date(2024, 3, 1),
    valid_until=dt.date(2027, 2, 28),
    state=Label.State.ACTIVE,
    member=True,
) -> Label:
    """A label on a granted dossier of ``call`` with ``answers``, written directly (the
    evaluation reads rows; issuing through the service would ask its first report)."""
    if member:
        organisation = MembershipFactory().organisation
        application = ApplicationFactory(call=call, organisation=organisation)
    else:
        application = ApplicationFactory(call=call)
    n = next(_numbers)
    Application.objects.filter(pk=application.pk).update(
        answers=answers or {}, state=Application.State.GRANTED, reference=f"CW-2024-{n:05d}"
    )
    label = Label(
        programme=call.programme,
        organisation=application.organisation,
        application=application,
        number=f"CW-LBL-2024-{n:03d}",
        issued_on=issued_on,
        valid_until=valid_until,
        street="Rue de Fer 1",
        postcode="5000",
        municipality="Namur",
        space_name=f"Espace {n}",
    )
    Label._meta.get_field("state").set_state(label, state)
    label.save()
    return label


def quarter_end(start: dt.date) -> dt.date:
    return (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)


def make_report(label, start: dt.date, state=ActivityReport.State.ACCEPTED, **fields):
    """A report of the quarter starting on ``start`` in ``state``, written directly."""
    end = quarter_end(start)
    report = ActivityReport(
        label=label,
        period_start=start,
        period_end=end,
        due_on=fields.pop("due_on", end + dt.timedelta(days=30)),
        **fields,
    )
    ActivityReport._meta.get_field("state").set_state(report, state)
    report.save()
    return report


@pytest.fixture
def space_call(call):
    formbuilder.install(call, SPACE_FORM)
    return call


@pytest.fixture
def decimal_call(programme):
    other = CallFactory(programme=programme)
    formbuilder.install(other, DECIMAL_FORM)
    return other


@pytest.fixture
def schedule(programme):
    """Quarterly reports, 30 days allowed."""
    return ReportingSchedule.objects.create(
        programme=programme, starts_on=dt.date(2023, 1, 1), days_allowed=30, reminder_days=7
    )


@pytest.fixture
def occupancy(programme):
    return Indicator.objects.create(
        programme=programme,
        code="occupancy_rate",
        label_fr="Taux d'occupation",
        label_en="Occupancy rate",
        kind=Indicator.Kind.PERCENTAGE,
        aggregation=Indicator.Aggregation.MEAN,
    )


@pytest.fixture
def coworkers(programme):
    return Indicator.objects.create(
        programme=programme,
        code="active_coworkers",
        label_fr="Coworkers actifs",
        label_en="Active coworkers",
        kind=Indicator.Kind.INTEGER,
        aggregation=Indicator.Aggregation.SUM,
    )


def condition(programme, kind, **fields) -> Condition:
    fields.setdefault("label_fr", f"Condition {kind}")
    return Condition.objects.create(programme=programme, kind=kind, **fields)
