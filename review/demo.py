"""The review app's part of the demo: the 2011 grid, reviews, jury and decisions (SPEC §9),
and assignments in every state on the open call.

The 2011 dossiers go through the real services; their history is then dated as it happened
(jury on 13 December 2011, ministerial order of 15 November 2012).
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import translation

from applications.models import Application, Call
from portal.demo import read_fixture
from portal.models import StateChange, User
from review import pdf, services
from review.models import Assignment, Criterion, Decision, Proposal, Review

BRUSSELS = ZoneInfo("Europe/Brussels")
GRID = [
    ("quality", "Qualité du projet et de la communauté", "3", "5"),
    ("territory", "Ancrage dans le territoire", "2", None),
    ("viability", "Viabilité économique et modèle d'affaires", "2", "5"),
    ("partnerships", "Partenariats et réseau", "1.5", None),
    ("innovation", "Innovation et services", "1.5", None),
]
JURY = dt.datetime(2011, 12, 13, 14, 0, tzinfo=BRUSSELS)
REVIEWS_DONE = dt.datetime(2011, 11, 30, 17, 0, tzinfo=BRUSSELS)
DECISION = dt.datetime(2012, 11, 15, 10, 0, tzinfo=BRUSSELS)


def ensure_grid(call: Call) -> list[Criterion]:
    if not call.half_points:
        call.half_points = True
        call.save(update_fields=["half_points"])
    for position, (code, title, weight, threshold) in enumerate(GRID):
        Criterion.objects.get_or_create(
            call=call,
            code=code,
            defaults={
                "title": title,
                "weight": Decimal(weight),
                "threshold": Decimal(threshold) if threshold else None,
                "position": position,
            },
        )
    return list(call.criteria.all())


def scores_for(index: int, granted: bool, reviewer: int, grid) -> dict:
    """Invented but stable scores: the granted spaces come out on top."""
    base = Decimal("7.5") if granted else Decimal("5")
    values = {}
    for position, criterion in enumerate(grid):
        value = base + Decimal((index * 7 + reviewer * 3 + position * 3) % 5) / 2
        values[criterion.pk] = (min(value, criterion.max_score), "Appréciation détaillée.")
    return values


def review_by_all(application, reviewers, officer, scores, *, comment, recommendation) -> None:
    """Every reviewer is invited, accepts and submits ``scores(reviewer_number)``."""
    for number, assignment in enumerate(services.assign([application], reviewers, by=officer)):
        services.accept(assignment, by=assignment.reviewer, declaration="")
        services.save_review(
            assignment,
            scores(number),
            overall_comment=comment,
            recommendation=recommendation,
            by=assignment.reviewer,
        )
        services.submit_review(Review.objects.get(assignment=assignment), by=assignment.reviewer)


def load_2011(call: Call, granted_amounts: list[int]) -> None:
    grid = ensure_grid(call)
    officer = User.objects.get(email="agent@demo.guichet.be")
    minister = User.objects.get(email="ministere@demo.guichet.be")
    reviewers = [
        User.objects.get(email=f"{n}@demo.guichet.be") for n in ("expert", "expert2", "expert3")
    ]
    dossiers = list(call.applications.order_by("reference"))
    for index, application in enumerate(dossiers):
        if application.state != Application.State.ADMISSIBLE:
            continue
        granted = index < len(granted_amounts)
        review_by_all(
            application,
            reviewers,
            officer,
            lambda number, grid=grid, index=index, granted=granted: scores_for(
                index, granted, number, grid
            ),
            comment="Avis du jury d'experts.",
            recommendation="fund" if granted else "reject",
        )
    for index, application in enumerate(dossiers):
        application.refresh_from_db()
        if application.state != Application.State.REVIEWED:
            continue
        granted = index < len(granted_amounts)
        services.propose(
            application,
            by=officer,
            proposed=granted,
            rationale="Retenu par le jury." if granted else "Non retenu par le jury.",
        )
    for index, application in enumerate(dossiers):
        application.refresh_from_db()
        if application.state == Application.State.PROPOSED:
            services.decide(
                application, by=minister, granted=True, amount=Decimal(granted_amounts[index])
            )
        elif application.state == Application.State.NOT_PROPOSED:
            services.decide(
                application,
                by=minister,
                granted=False,
                reason="Le projet n'a pas été retenu par le jury à l'issue de l'évaluation.",
            )
    date_as_it_happened(dossiers)


def date_as_it_happened(dossiers, *, jury=JURY, decision=DECISION, reviews=REVIEWS_DONE) -> None:
    ids = [application.pk for application in dossiers]
    history = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=ids
    )
    for transitions, moment in [
        (["start_review"], reviews - dt.timedelta(days=40)),
        (["complete_review"], reviews),
        (["propose", "not_propose"], jury),
        (["grant", "refuse"], decision),
    ]:
        history.filter(transition__in=transitions).update(at=moment)
    assignments = Assignment.objects.filter(application__in=ids)
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Assignment),
        object_id__in=assignments.values("pk"),
    ).update(at=reviews - dt.timedelta(days=40))
    assignments.update(
        assigned_at=reviews - dt.timedelta(days=41),
        answered_at=reviews - dt.timedelta(days=40),
    )
    review_rows = Review.objects.filter(assignment__application__in=ids)
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Review),
        object_id__in=review_rows.values("pk"),
    ).update(at=reviews)
    review_rows.update(submitted_at=reviews)
    Proposal.objects.filter(application__in=ids).update(decided_at=jury)
    Decision.objects.filter(application__in=ids).update(decided_at=decision)
    for application in dossiers:
        # The letters were printed today; print them again with the date of the order.
        record = Decision.objects.get(application=application)
        for letter in application.letters.filter(kind="decision"):
            with translation.override(settings.LANGUAGE_CODE):
                content = pdf.decision_letter(application, record)
            letter.file.save(
                f"{application.reference}-decision.pdf", ContentFile(content), save=False
            )
            letter.issued_at = decision
            letter.save()


def load_open_call(call: Call) -> None:
    """Assignments in every state on the open call (and a declined one on the rural call)."""
    ensure_grid(call)
    application = call.applications.filter(state=Application.State.ADMISSIBLE).first()
    if application is None or application.assignments.exists():
        return
    officer = User.objects.get(email="agent@demo.guichet.be")
    _invited, accepted, conflicted = services.assign(
        [application],
        [User.objects.get(email=f"{n}@demo.guichet.be") for n in ("expert", "expert2", "expert3")],
        by=officer,
    )
    services.accept(accepted, by=accepted.reviewer, declaration="")
    services.declare_conflict(
        conflicted, by=conflicted.reviewer, reason="J'ai accompagné ce projet comme consultant."
    )
    rural = Call.objects.get(slug="coworking-milieu-rural-2017").applications.first()
    if rural.state == Application.State.ADMISSIBLE and not rural.assignments.exists():
        (declined,) = services.assign(
            [rural],
            [User.objects.get(email="expert2@demo.guichet.be")],
            by=User.objects.get(email="agent.rural@demo.guichet.be"),
        )
        services.decline(declined, by=declined.reviewer, reason="Indisponible en mai.")


def load_renewal(call: Call) -> None:
    """The 2015 renewal: reviewed, proposed and granted; the grant renews the 2012 label."""
    application = call.applications.filter(state=Application.State.ADMISSIBLE).first()
    if application is None:
        return
    grid = ensure_grid(call)
    officer = User.objects.get(email="agent@demo.guichet.be")
    minister = User.objects.get(email="ministere@demo.guichet.be")
    reviewers = [
        User.objects.get(email=f"{n}@demo.guichet.be") for n in ("expert", "expert2", "expert3")
    ]
    review_by_all(
        application,
        reviewers,
        officer,
        lambda number: scores_for(0, True, number, grid),
        comment="Activité soutenue, renouvellement recommandé.",
        recommendation="fund",
    )
    application.refresh_from_db()
    services.propose(application, by=officer, proposed=True, rationale="Renouvellement justifié.")
    services.decide(application, by=minister, granted=True, amount=Decimal("100000"))
    date_as_it_happened(
        [application],
        reviews=dt.datetime(2015, 10, 15, 17, 0, tzinfo=BRUSSELS),
        jury=dt.datetime(2015, 10, 30, 14, 0, tzinfo=BRUSSELS),
        decision=dt.datetime(2015, 11, 16, 10, 0, tzinfo=BRUSSELS),
    )


def load(stdout) -> None:
    data = read_fixture("programmes.toml")
    granted_amounts = [entry["amount"] for entry in data["dossier_2011"][:8]]
    load_2011(Call.objects.get(slug="creative-wallonia-coworking-2011"), granted_amounts)
    load_renewal(Call.objects.get(slug="creative-wallonia-coworking-renouvellement-2015"))
    load_open_call(Call.objects.get(slug="creative-wallonia-coworking-ouvert"))
