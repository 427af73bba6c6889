"""A call form with one question of each kind the staff list filters and exports read,
and dossiers answering it, for the tests of filters, exports and the legacy import."""

from django.utils import timezone

from applications import formbuilder, formlibrary
from applications.models import Application
from tests.factories import ApplicationFactory


def _q(code, kind, label_fr, label_en, **extra):
    """An optional question of the sample form."""
    return formlibrary.question(code, kind, label_fr, label_en, required=False, **extra)


SAMPLE_FORM = {
    "sections": [
        {
            "title_fr": "L'espace",
            "title_en": "The space",
            "questions": [
                _q("desks", "integer", "Postes de travail", "Workstations"),
                _q("rent", "amount", "Loyer annuel", "Yearly rent"),
                _q("charter", "yes_no", "Charte signée", "Charter signed"),
                _q(
                    "legal_form",
                    "choice",
                    "Forme juridique",
                    "Legal form",
                    options=[("asbl", "Association", "Non-profit"), ("srl", "Société", "Company")],
                ),
                _q(
                    "services",
                    "choices",
                    "Services",
                    "Services",
                    options=[("wifi", "Internet", "Internet"), ("coffee", "Café", "Coffee")],
                ),
                _q("opening", "date", "Ouverture", "Opening"),
                _q("motto", "short_text", "Devise", "Motto"),
                _q(
                    "budget",
                    "table",
                    "Budget",
                    "Budget",
                    columns=[
                        formlibrary.column("line", "text", "Poste", "Item"),
                        formlibrary.column("amount", "amount", "Montant", "Amount", summed=True),
                    ],
                ),
            ],
        }
    ],
    "rules": [],
}

FIRST = {
    "desks": 12,
    "rent": "9000.00",
    "charter": True,
    "legal_form": "asbl",
    "services": ["wifi", "coffee"],
    "opening": "2027-03-01",
    "motto": "Ensemble",
    "budget": {"rows": [{"line": "Chaises", "amount": "1500.50"}], "total": "1500.50"},
}
SECOND = {
    "desks": 40,
    "rent": "24000.00",
    "charter": False,
    "legal_form": "srl",
    "services": ["wifi"],
    "budget": {
        "rows": [{"line": "Tables", "amount": "4000.00"}, {"line": "Wifi", "amount": "999.00"}],
        "total": "4999.00",
    },
}


def install_sample_form(call):
    formbuilder.install(call, SAMPLE_FORM)
    return call


def submitted(call, reference, answers, **content):
    """A dossier of ``call`` submitted now with ``answers`` (without the flows, which the
    list and exports do not depend on)."""
    application = ApplicationFactory(call=call, content=content)
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.SUBMITTED,
        submitted_at=timezone.now(),
        reference=reference,
        answers=answers,
    )
    application.refresh_from_db()
    return application
