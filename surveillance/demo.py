"""The surveillance part of the demo: the conditions of the Creative Wallonia coworking labels
and their surveillance at work (runs after the reporting app's demo).

- Conditions: at least 20 workstations at award (the 2011 call's rule), the quarterly report
  filed within its deadline, an occupancy rate of 30 % on average over a year, and a
  liability insurance certificate uploaded within each validity year.
- Of the four 2011 spaces in force, the first and the last uploaded their certificate for
  their last validity year; the second did not: the daily job opens a non-conformity (open);
  the third did not either, then answered its case with the certificate, and the programme
  officer resolved it. A visitor reported a problem with the last one, waiting for triage.
"""

import datetime as dt

from django.utils import timezone

from applications.demo import demo_pdf
from applications.models import Call
from labels.models import Label
from portal.models import User
from portal.transitions import perform
from reporting import indicatorlibrary
from reporting.models import Indicator
from surveillance import services, watch
from surveillance.evaluation import last_ended_year
from surveillance.models import Answer, Condition, Evidence, NonConformity, VisitorReport

CALL_2011 = "creative-wallonia-coworking-2011"
OFFICER = "agent@demo.guichet.be"


def load(stdout) -> None:
    call = Call.objects.select_related("programme").get(slug=CALL_2011)
    programme = call.programme
    insurance = _conditions(programme)
    labels = list(
        Label.objects.filter(application__call=call, state=Label.State.ACTIVE).order_by("number")
    )
    if len(labels) < 4:
        return  # the labels app's demo did not bring them to their states
    today = timezone.localdate()
    # The second space (by number) uploads nothing: its case stays open.
    first, answered, reported = labels[0], labels[2], labels[3]
    for label in (first, reported):
        _upload(label, insurance, today)
    watch.run(today)
    _answer_and_resolve(answered, insurance, today)
    if not VisitorReport.objects.filter(label=reported).exists():
        services.report_problem(
            reported,
            message=(
                "L'espace était fermé mardi après-midi alors que le site annonce une ouverture "
                "de 8 h à 19 h, et personne ne répond au téléphone."
            ),
            name="Julie Lambert",
            email="julie.lambert@example.be",
        )
    pending = NonConformity.objects.pending().filter(label__programme=programme).count()
    stdout.write(f"Surveillance: {pending} non-conformity(ies) pending in {programme}.")


def _conditions(programme) -> Condition:
    """The programme's conditions (created once); returns the evidence condition."""
    occupancy = Indicator.objects.filter(programme=programme, code="occupancy_rate").first()
    if occupancy is None:  # indicators not installed for the programme yet
        definition = next(d for d in indicatorlibrary.COWORKING if d["code"] == "occupancy_rate")
        occupancy = Indicator.objects.create(programme=programme, **definition)
    conditions = [
        {
            "kind": Condition.Kind.ANSWER_AT_LEAST,
            "label_fr": "Au moins 20 postes de travail individuels à l'octroi",
            "label_en": "At least 20 individual workstations at award",
            "question_code": "desks",
            "threshold": 20,
            "grace_days": 60,
        },
        {
            "kind": Condition.Kind.REPORTS_ON_TIME,
            "label_fr": "Rapport trimestriel remis dans son délai",
            "label_en": "Quarterly report filed within its deadline",
            "grace_days": 30,
        },
        {
            "kind": Condition.Kind.INDICATOR_MEAN,
            "label_fr": "Taux d'occupation moyen d'au moins 30\u00a0% sur un an",
            "label_en": "Mean occupancy rate of at least 30% over a year",
            "indicator": occupancy,
            "threshold": 30,
            "grace_days": 90,
        },
        {
            "kind": Condition.Kind.EVIDENCE,
            "label_fr": "Attestation d'assurance en responsabilité civile chaque année",
            "label_en": "Liability insurance certificate every year",
            "document_fr": "Attestation d'assurance en responsabilité civile",
            "document_en": "Liability insurance certificate",
            "grace_days": 30,
        },
    ]
    for position, fields in enumerate(conditions):
        Condition.objects.get_or_create(
            programme=programme,
            kind=fields["kind"],
            label_fr=fields["label_fr"],
            defaults={**fields, "position": position},
        )
    return Condition.objects.get(programme=programme, kind=Condition.Kind.EVIDENCE)


def _upload(label: Label, insurance: Condition, today: dt.date, late: bool = False) -> None:
    """The label's certificate for its last validity year that ended (once)."""
    if Evidence.objects.filter(label=label, condition=insurance).exists():
        return
    year = last_ended_year(label.issued_on, today)
    day = today if late or year is None else year[0] + dt.timedelta(days=20)
    holder = User.objects.filter(memberships__organisation=label.organisation_id).first()
    title = f"Attestation d'assurance {label.space_name}"
    upload = demo_pdf(title)
    Evidence.objects.create(
        label=label,
        condition=insurance,
        file=upload,
        original_name=upload.name,
        size=upload.size,
        content_type="application/pdf",
        uploaded_by=holder,
        uploaded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 15))),
    )


def _answer_and_resolve(label: Label, insurance: Condition, today: dt.date) -> None:
    """The holder answers the case with the certificate; the officer resolves it, through
    the services, so that both steps are in the label's history."""
    case = NonConformity.objects.pending().filter(label=label, condition=insurance).first()
    if case is None:
        return  # resolved already
    holder = User.objects.filter(memberships__organisation=label.organisation_id).first()
    comment = "L'attestation de notre assureur était arrivée en retard ; la voici."
    _upload(label, insurance, today, late=True)
    if holder is None:  # a space without an account in the demo: entered by the agency
        Answer.objects.create(non_conformity=case, comment=comment)
        perform(case, "answer", by=None, system=True, comment=comment)
    else:
        services.answer(case, by=holder, comment=comment)
    officer = User.objects.get(email=OFFICER)
    services.resolve(case, by=officer, comment="Attestation reçue et vérifiée, merci.")
