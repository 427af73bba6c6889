"""The review app's part of the demo: the replay of the two past calls (SPEC §9) — the 2011
Creative Wallonia call and the rural call of 2017: reviews, ranking, the jury's proposals and
the ministerial decisions —, the 2015 renewal, and assignments in every state on the open call.

Past dossiers go through the real services; their history is then dated as it happened
(2011: reviews by 15 September 2011, the jury's shortlist of 9 of the 18 dossiers on 16
September, hearings in October, the consensus on the one dossier whose reviewers disagreed,
the jury's proposal of 8 on 13 December 2011, ministerial order of 15 November 2012; 2017:
no shortlist, jury in October, decisions in December). Who is granted how much is read from
fixtures/demo/programmes.toml.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Avg
from django.utils import timezone, translation

from applications import mailings
from applications.models import Application, Call, Mailing
from portal.demo import read_fixture
from portal.models import StateChange, User
from review import consensus as consensus_services
from review import pdf, ranking, services
from review import shortlist as shortlist_services
from review.models import (
    Assignment,
    Consensus,
    Criterion,
    Decision,
    Hearing,
    JurySession,
    Proposal,
    Review,
    Score,
    Shortlisting,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
GRID = [
    ("quality", "Qualité du projet et de la communauté", "3", "5"),
    ("territory", "Ancrage dans le territoire", "2", None),
    ("viability", "Viabilité économique et modèle d'affaires", "2", "5"),
    ("partnerships", "Partenariats et réseau", "1.5", None),
    ("innovation", "Innovation et services", "1.5", None),
]
RURAL_GRID = [
    ("quality", "Qualité du projet et de la communauté", "3", "5"),
    ("rural_economy", "Rôle dans l'économie rurale", "2.5", "5"),
    ("viability", "Viabilité et réalisme du budget", "2", None),
    ("partnerships", "Partenariats communaux et associatifs", "1.5", None),
    ("equipment", "Part d'équipement et mutualisation", "1", None),
]
JURY = dt.datetime(2011, 12, 13, 14, 0, tzinfo=BRUSSELS)
REVIEWS_DONE = dt.datetime(2011, 11, 30, 17, 0, tzinfo=BRUSSELS)
DECISION = dt.datetime(2012, 11, 15, 10, 0, tzinfo=BRUSSELS)
# The 2011 call closed on 12 September; its dossiers were declared admissible by the 14th.
ASSIGNED_2011 = dt.datetime(2011, 9, 14, 18, 0, tzinfo=BRUSSELS)
REVIEWS_DONE_2011 = dt.datetime(2011, 9, 15, 17, 0, tzinfo=BRUSSELS)
CONSENSUS_2011 = dt.datetime(2011, 9, 16, 9, 30, tzinfo=BRUSSELS)
SHORTLIST_2011 = dt.datetime(2011, 9, 16, 14, 0, tzinfo=BRUSSELS)
# The shortlisted applicants were heard one after the other, 45 minutes each.
HEARINGS_2011 = dt.datetime(2011, 10, 20, 9, 0, tzinfo=BRUSSELS)
HEARING_PLACE = "Agence de Stimulation Économique, salle du jury, Namur"
# The second dossier's reviewers disagreed on "innovation" (scores 9.5, 10 and 6): the
# portal names a rapporteur, whose consensus keeps the mean.
DISAGREEMENT_2011 = (1, "innovation")
# Scores are drawn from these bases (scores_for): the granted spaces come out on top.
FUNDED, RESERVE, REJECTED = Decimal("7.5"), Decimal("6.5"), Decimal("5")


class Outcome(NamedTuple):
    """What became of a past dossier: the jury proposed it or not; the minister granted
    ``amount`` or refused it for ``reason``."""

    proposed: bool
    amount: Decimal | None = None
    reason: str = "Le projet n'a pas été retenu par le jury à l'issue de l'évaluation."

    @property
    def base(self) -> Decimal:
        if self.amount is not None:
            return FUNDED
        return RESERVE if self.proposed else REJECTED


def ensure_grid(call: Call, grid=GRID, reviews_per_dossier: int | None = None) -> list[Criterion]:
    """The call's scoring grid (half points allowed), and how many reviews each dossier
    needs when the call's pool is smaller than the default."""
    changed = []
    if not call.half_points:
        call.half_points = True
        changed.append("half_points")
    if reviews_per_dossier and call.reviews_per_dossier != reviews_per_dossier:
        call.reviews_per_dossier = reviews_per_dossier
        changed.append("reviews_per_dossier")
    if changed:
        call.save(update_fields=changed)
    for position, (code, title, weight, threshold) in enumerate(grid):
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


def scores_for(index: int, base: Decimal, reviewer: int, grid, disagree_on: str = "") -> dict:
    """Invented but stable scores from ``base`` up to two points more (see ``Outcome``); on
    criterion ``disagree_on``, the second reviewer gives 1.5 more and the third 1.5 less,
    which keeps the mean and sets the reviewers apart."""
    values = {}
    for position, criterion in enumerate(grid):
        value = base + Decimal((index * 7 + reviewer * 3 + position * 3) % 5) / 2
        if criterion.code == disagree_on:
            value += {1: Decimal("1.5"), 2: Decimal("-1.5")}.get(reviewer, Decimal(0))
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


def replay_call(
    call: Call,
    outcomes: dict[str, Outcome],
    *,
    grid: list[Criterion],
    officer: User,
    minister: User,
    reviewers: list[User],
    timeline: dict[str, dt.datetime],
    jury_members: str = "",
    shortlist: int = 0,
    disagreement: tuple[int, str] | None = None,
) -> None:
    """Replay a past call through the real services: each admissible dossier reviewed by
    every reviewer (apart on ``disagreement``: (dossier index, criterion code), whose
    consensus the portal's rapporteur then writes and the officer approves), on a call with
    a shortlist the ``shortlist`` best dossiers shortlisted, heard and the others left off,
    the jury's proposal, the jury closed (when ``jury_members`` are named), the minister's
    decisions, then all dated by ``timeline`` (see ``date_as_it_happened``). ``outcomes``
    maps each dossier's reference to what became of it. A call already replayed is left
    alone."""
    dossiers = list(call.applications.order_by("reference"))
    if not any(application.state == Application.State.ADMISSIBLE for application in dossiers):
        return
    for index, application in enumerate(dossiers):
        outcome = outcomes[application.reference]
        apart = disagreement[1] if disagreement and disagreement[0] == index else ""
        review_by_all(
            application,
            reviewers,
            officer,
            lambda number, index=index, base=outcome.base, apart=apart: scores_for(
                index, base, number, grid, apart
            ),
            comment="Avis du jury d'experts.",
            recommendation="fund" if outcome.proposed else "reject",
        )
    for consensus in Consensus.objects.filter(application__in=dossiers):
        write_consensus(consensus, officer)
    finalists = set(outcomes)
    if shortlist:
        finalists = shortlist_and_hear(call, dossiers, outcomes, officer, shortlist, timeline)
    for application in dossiers:
        application.refresh_from_db()
        if application.reference not in finalists:
            continue
        proposed = outcomes[application.reference].proposed
        if proposed:
            rationale = "Retenu par le jury."
        elif shortlist:
            rationale = (
                "Non retenu par le jury après l'audition\u00a0: le budget est réservé aux "
                "huit projets retenus."
            )
        else:
            rationale = "Non retenu par le jury."
        services.propose(application, by=officer, proposed=proposed, rationale=rationale)
    if jury_members:
        services.close_jury(call, by=officer, members_present=jury_members)
    for application in dossiers:
        application.refresh_from_db()
        outcome = outcomes[application.reference]
        if outcome.amount is not None:
            services.decide(application, by=minister, granted=True, amount=outcome.amount)
        else:
            services.decide(application, by=minister, granted=False, reason=outcome.reason)
    send_decisions(call, officer)
    date_as_it_happened(dossiers, **timeline)


def send_decisions(call: Call, officer: User) -> None:
    """The officer sends the call's decisions mailing, so that the demo's applicants have
    their decision in their inbox (and by email), as staff do once the minister decided."""
    mailing = Mailing.objects.filter(
        call=call, kind=Mailing.Kind.DECISIONS, state=Mailing.State.PREPARED
    ).first()
    if mailing is not None:
        mailings.send(mailing, by=officer)


def write_consensus(consensus: Consensus, officer: User) -> None:
    """The rapporteur writes the consensus from the reviews side by side (the mean of each
    criterion, which the demo's scores keep on the half-point grid) and the officer approves
    it."""
    scores = Score.objects.filter(
        review__assignment__application=consensus.application_id,
        review__state=Review.State.SUBMITTED,
    )
    means = {
        row["criterion"]: row["mean"]
        for row in scores.values("criterion").annotate(mean=Avg("value"))
    }
    values = {
        pk: ((Decimal(mean) * 2).quantize(Decimal(1)) / 2, "Accord des experts après discussion.")
        for pk, mean in means.items()
    }
    consensus_services.save_draft(
        consensus,
        values,
        overall_comment="Projet solide\u00a0; les experts divergeaient sur son caractère innovant "
        "et retiennent, après discussion, la moyenne de leurs notes.",
        by=consensus.rapporteur,
    )
    consensus_services.submit(consensus, by=consensus.rapporteur)
    consensus_services.approve(Consensus.objects.get(pk=consensus.pk), by=officer)


def shortlist_and_hear(call, dossiers, outcomes, officer, size, timeline) -> set[str]:
    """The jury's shortlist: the dossiers to be granted, then the best ranked of the others
    up to ``size``; the others are left off. Each shortlisted applicant is heard (invited for
    a moment then dated as it happened) and the officer records the hearing. Returns the
    references shortlisted."""
    ranking.refresh_pending()
    order = [row["reference"] for row in ranking.snapshot(call)]
    granted = [reference for reference in order if outcomes[reference].amount is not None]
    others = [reference for reference in order if reference not in granted]
    chosen = set(granted + others[: size - len(granted)])
    hearings = []
    for application in sorted(dossiers, key=lambda a: order.index(a.reference)):
        application.refresh_from_db()
        if application.reference not in chosen:
            shortlist_services.leave_off(
                application,
                by=officer,
                rationale="Non retenu à la présélection\u00a0: le projet est moins abouti que "
                "ceux que le jury souhaite entendre.",
            )
            continue
        shortlist_services.shortlist(
            application, by=officer, rationale="Retenu pour une audition par le jury."
        )
        hearings.append(
            shortlist_services.invite(
                application,
                by=officer,
                starts_at=timezone.now() + dt.timedelta(days=1),
                place=HEARING_PLACE,
                video_link="",
            )
        )
    # The invitations went out together, in the call's mailing of hearing invitations.
    mailing = Mailing.objects.filter(
        call=call, kind=Mailing.Kind.HEARINGS, state=Mailing.State.PREPARED
    ).first()
    if mailing is not None:
        mailings.send(mailing, by=officer)
    hearing_at = timeline["hearings"]
    for hearing in hearings:
        # The hearing took place in 2011: dated before it is recorded.
        Hearing.objects.filter(pk=hearing.pk).update(starts_at=hearing_at)
        shortlist_services.record_attendance(
            Hearing.objects.get(pk=hearing.pk),
            by=officer,
            notes="Présentation du projet et de la communauté par les fondateurs\u00a0; "
            "questions du jury sur le plan financier.",
        )
        hearing_at += dt.timedelta(minutes=45)
    return chosen


def reviewers_named(*names: str) -> list[User]:
    return [User.objects.get(email=f"{name}@demo.guichet.be") for name in names]


def load_2011(call: Call, granted_amounts: list[int]) -> None:
    """The 18 dossiers of 2011: the first eight (by reference) granted, the others refused;
    the jury shortlisted nine of them and heard their applicants before proposing eight."""
    references = call.applications.order_by("reference").values_list("reference", flat=True)
    outcomes = {
        reference: Outcome(True, Decimal(granted_amounts[index]))
        if index < len(granted_amounts)
        else Outcome(False)
        for index, reference in enumerate(references)
    }
    if not call.shortlist_with_hearings:
        call.shortlist_with_hearings = True
        call.save(update_fields=["shortlist_with_hearings"])
    replay_call(
        call,
        outcomes,
        grid=ensure_grid(call),
        officer=User.objects.get(email="agent@demo.guichet.be"),
        minister=User.objects.get(email="ministere@demo.guichet.be"),
        reviewers=reviewers_named("expert", "expert2", "expert3"),
        timeline={
            "assigned": ASSIGNED_2011,
            "reviews": REVIEWS_DONE_2011,
            "consensus": CONSENSUS_2011,
            "shortlist": SHORTLIST_2011,
            "hearings": HEARINGS_2011,
            "jury": JURY,
            "decision": DECISION,
        },
        shortlist=9,
        disagreement=DISAGREEMENT_2011,
    )


def load_2017(call: Call, story: dict) -> None:
    """The 28 rural dossiers of 2017, reviewed by the programme's two reviewers: 13 granted
    (``story["granted"]``: municipality → amount), one proposed in reserve and refused once
    the budget was spent, the others not proposed and refused. The jury sat in October
    2017 and was closed; the minister decided in December."""
    outcomes = {}
    for application in call.applications.all():
        municipality = application.municipality
        if municipality in story["granted"]:
            outcomes[application.reference] = Outcome(True, Decimal(story["granted"][municipality]))
        elif municipality in story["reserve"]:
            outcomes[application.reference] = Outcome(
                True,
                reason="Proposé en réserve par le jury ; le budget de l'appel est épuisé "
                "par les treize projets retenus.",
            )
        else:
            outcomes[application.reference] = Outcome(False)
    replay_call(
        call,
        outcomes,
        grid=ensure_grid(call, RURAL_GRID, reviews_per_dossier=2),
        officer=User.objects.get(email="agent.rural@demo.guichet.be"),
        minister=User.objects.get(email="ministere@demo.guichet.be"),
        reviewers=reviewers_named("expert2", "expert3"),
        timeline={
            "reviews": dt.datetime(2017, 9, 29, 17, 0, tzinfo=BRUSSELS),
            "jury": dt.datetime(2017, 10, 19, 14, 0, tzinfo=BRUSSELS),
            "decision": dt.datetime(2017, 12, 14, 10, 0, tzinfo=BRUSSELS),
        },
        jury_members="Claire Dumont, présidente\nNathalie Renard\nMarc Vandenberghe\n"
        "Luc Servais, Fondation rurale de Wallonie",
    )


def date_as_it_happened(
    dossiers,
    *,
    jury=JURY,
    decision=DECISION,
    reviews=REVIEWS_DONE,
    assigned=None,
    consensus=None,
    shortlist=None,
    hearings=None,
) -> None:
    """Date the reviews (assigned and accepted at ``assigned``, by default 40 days before
    ``reviews``), the consensuses, the shortlist and hearings (when the call had them), the
    jury (its proposals, and its closing and minutes when it was closed) and the decisions
    of these dossiers as they happened, and print their decision letters again with the
    date of the decision."""
    ids = [application.pk for application in dossiers]
    assigned = assigned or reviews - dt.timedelta(days=40)
    history = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=ids
    )
    left_off = Proposal.objects.filter(application__in=ids, at_shortlist=True)
    for transitions, moment, rows in [
        (["start_review"], assigned, history),
        (["complete_review"], reviews, history),
        (["shortlist"], shortlist, history),
        (["not_propose"], shortlist, history.filter(object_id__in=left_off.values("application"))),
        (
            ["propose", "not_propose"],
            jury,
            history.exclude(transition="not_propose", object_id__in=left_off.values("application")),
        ),
        (["grant", "refuse"], decision, history),
    ]:
        if moment is not None:
            rows.filter(transition__in=transitions).update(at=moment)
    assignments = Assignment.objects.filter(application__in=ids)
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Assignment),
        object_id__in=assignments.values("pk"),
    ).update(at=assigned)
    assignments.update(assigned_at=assigned - dt.timedelta(days=1), answered_at=assigned)
    review_rows = Review.objects.filter(assignment__application__in=ids)
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Review),
        object_id__in=review_rows.values("pk"),
    ).update(at=reviews)
    review_rows.update(submitted_at=reviews)
    consensuses = Consensus.objects.filter(application__in=ids)
    if consensus is not None and consensuses.exists():
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Consensus),
            object_id__in=consensuses.values("pk"),
        ).update(at=consensus)
        consensuses.update(named_at=reviews, submitted_at=consensus, approved_at=consensus)
    if shortlist is not None:
        Shortlisting.objects.filter(application__in=ids).update(decided_at=shortlist)
        left_off.update(decided_at=shortlist)
    if hearings is not None:
        hearing_rows = Hearing.objects.filter(application__in=ids)
        hearing_history = StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Hearing),
            object_id__in=hearing_rows.values("pk"),
        )
        hearing_history.filter(transition="create").update(at=shortlist + dt.timedelta(days=3))
        for hearing in hearing_rows:
            hearing_history.filter(object_id=hearing.pk).exclude(transition="create").update(
                at=hearing.starts_at + dt.timedelta(minutes=40)
            )
        hearing_rows.update(invited_at=shortlist + dt.timedelta(days=3))
        sent = Mailing.objects.filter(
            call__applications__in=ids, kind=Mailing.Kind.HEARINGS, state=Mailing.State.SENT
        ).distinct()
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Mailing),
            object_id__in=sent.values("pk"),
        ).update(at=shortlist + dt.timedelta(days=3))
        Mailing.objects.filter(pk__in=sent.values("pk")).update(
            created_at=shortlist + dt.timedelta(days=3), sent_at=shortlist + dt.timedelta(days=3)
        )
        for hearing in hearing_rows:
            Hearing.objects.filter(pk=hearing.pk).update(
                recorded_at=hearing.starts_at + dt.timedelta(minutes=40)
            )
    Proposal.objects.filter(application__in=ids, at_shortlist=False).update(decided_at=jury)
    Decision.objects.filter(application__in=ids).update(decided_at=decision)
    # The decisions mailing was prepared and sent when the minister decided.
    sent = Mailing.objects.filter(
        call__applications__in=ids, kind=Mailing.Kind.DECISIONS, state=Mailing.State.SENT
    ).distinct()
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Mailing), object_id__in=sent.values("pk")
    ).update(at=decision)
    Mailing.objects.filter(pk__in=sent.values("pk")).update(created_at=decision, sent_at=decision)
    for session in JurySession.objects.filter(
        call__applications__in=ids, state=JurySession.State.CLOSED
    ).distinct():
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(JurySession), object_id=session.pk
        ).update(at=jury)
        session.closed_at = jury
        with translation.override(settings.LANGUAGE_CODE):
            content = pdf.jury_minutes(session)
        session.minutes.delete(save=False)
        session.minutes.save(f"{session.call.slug}-jury.pdf", ContentFile(content), save=False)
        session.save(update_fields=["closed_at", "minutes"])
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
    """Assignments in every state on the open call: invited, accepted and conflicted on one
    admissible dossier, declined on the other (the officer must find another reviewer)."""
    ensure_grid(call)
    first, second = call.applications.filter(state=Application.State.ADMISSIBLE).order_by("pk")
    if first.assignments.exists():
        return
    officer = User.objects.get(email="agent@demo.guichet.be")
    _invited, accepted, conflicted = services.assign(
        [first], reviewers_named("expert", "expert2", "expert3"), by=officer
    )
    services.accept(accepted, by=accepted.reviewer, declaration="")
    services.declare_conflict(
        conflicted, by=conflicted.reviewer, reason="J'ai accompagné ce projet comme consultant."
    )
    (declined,) = services.assign([second], reviewers_named("expert2"), by=officer)
    services.decline(declined, by=declined.reviewer, reason="Indisponible ce mois-ci.")


def load_renewal(call: Call) -> None:
    """The 2015 renewal: reviewed, proposed and granted; the grant renews the 2012 label."""
    application = call.applications.filter(state=Application.State.ADMISSIBLE).first()
    if application is None:
        return
    grid = ensure_grid(call)
    officer = User.objects.get(email="agent@demo.guichet.be")
    minister = User.objects.get(email="ministere@demo.guichet.be")
    review_by_all(
        application,
        reviewers_named("expert", "expert2", "expert3"),
        officer,
        lambda number: scores_for(0, FUNDED, number, grid),
        comment="Activité soutenue, renouvellement recommandé.",
        recommendation="fund",
    )
    application.refresh_from_db()
    services.propose(application, by=officer, proposed=True, rationale="Renouvellement justifié.")
    services.decide(application, by=minister, granted=True, amount=Decimal("100000"))
    send_decisions(call, officer)
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
    load_2017(Call.objects.get(slug="coworking-milieu-rural-2017"), data["rural_2017"])
    load_renewal(Call.objects.get(slug="creative-wallonia-coworking-renouvellement-2015"))
    load_open_call(Call.objects.get(slug="creative-wallonia-coworking-ouvert"))
