"""The reviewer pool: suggested assignments for a call's dossiers.

``suggest`` is the arithmetic, on plain ids: each dossier gets the reviewers it still lacks
from the programme's pool, the least-loaded first (ties to the lower id), never one who is
excluded from it and never above the call's cap (``Call.reviewer_cap``). ``plan`` reads what
it needs from the database in a fixed number of queries: the dossiers short of reviewers,
the pool, each reviewer's load on the call, and the exclusions — members of the applicant
organisation, reviewers who declared a conflict on any dossier of that organisation before
(any call), and reviewers already assigned to the dossier. The officer adjusts the plan and
``confirm`` invites through ``services.assign``, so that each assignment is made, recorded
and announced as one made by hand.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application, Call, Programme
from portal.models import Membership, User
from portal.transitions import Problem, TransitionRefused
from review import services
from review.models import Assignment

OPEN_TO_REVIEW = (Application.State.ADMISSIBLE, Application.State.IN_REVIEW)
ACTIVE = (Assignment.State.INVITED, Assignment.State.ACCEPTED)


@dataclass(frozen=True)
class Suggestion:
    """``plan``: the reviewers suggested per dossier, in the order they were chosen;
    ``short``: the dossiers left short, with how many reviewers they still lack;
    ``load``: each reviewer's load once the plan is confirmed."""

    plan: dict[int, list[int]]
    short: dict[int, int]
    load: dict[int, int]


def suggest(
    dossiers: Iterable[int],
    reviewers: Iterable[int],
    *,
    per_dossier: int,
    cap: int | None,
    load: Mapping[int, int],
    excluded: Mapping[int, Iterable[int]],
    have: Mapping[int, int] | None = None,
) -> Suggestion:
    """Spread ``per_dossier`` reviewers over each dossier (less the ``have`` it already
    has). Dossiers with the fewest eligible reviewers are served first; each takes all it
    needs at once from the least-loaded eligible reviewers (ties to the lower id), so that
    loads stay within one of each other when no cap or exclusion binds. A reviewer at
    ``cap`` (counted with ``load``, their existing assignments) gets no more."""
    reviewers = sorted(set(reviewers))
    current = {reviewer: load.get(reviewer, 0) for reviewer in reviewers}
    barred = {dossier: set(excluded.get(dossier, ())) for dossier in dossiers}
    have = have or {}

    def eligible(dossier):
        return [r for r in reviewers if r not in barred[dossier]]

    order = sorted(barred, key=lambda dossier: (len(eligible(dossier)), dossier))
    plan, short = {}, {}
    for dossier in order:
        needed = max(per_dossier - have.get(dossier, 0), 0)
        candidates = [r for r in eligible(dossier) if cap is None or current[r] < cap]
        chosen = sorted(candidates, key=lambda r: (current[r], r))[:needed]
        for reviewer in chosen:
            current[reviewer] += 1
        plan[dossier] = chosen
        if len(chosen) < needed:
            short[dossier] = needed - len(chosen)
    return Suggestion(plan=plan, short=short, load=current)


@dataclass
class Row:
    """A dossier of the plan: its invited or accepted assignments (``active``), the reviewers
    suggested and how many it still lacks after them (``missing``)."""

    application: Application
    active: int
    suggested: list[User] = field(default_factory=list)
    missing: int = 0


@dataclass
class Plan:
    """The suggestion for a call, with what the page shows: the pool by id, each reviewer's
    load on the call before and after the suggestion, and what ``problems`` reads to say why
    a pair is refused or only warned of (members per organisation, reviewers already on each
    dossier, earlier conflicts per organisation)."""

    call: Call
    rows: list[Row]
    reviewers: dict[int, User]
    cap: int | None
    load: dict[int, int]
    load_after: dict[int, int]
    members: dict[int, set[int]]
    assigned: dict[int, set[int]]
    conflicted: dict[int, set[int]]

    def problems(self, application: Application, reviewer_pk: int) -> tuple[list, list]:
        """(refusals, warnings) for the pair, from what the plan has read; the cap is
        counted with the suggestion (``load_after``) once there is one."""
        return _problems(
            reviewer=self.reviewers.get(reviewer_pk),
            reviewer_pk=reviewer_pk,
            in_pool=reviewer_pk in self.reviewers,
            member=reviewer_pk in self.members.get(application.organisation_id, ()),
            assigned=reviewer_pk in self.assigned.get(application.pk, ()),
            conflicted=reviewer_pk in self.conflicted.get(application.organisation_id, ()),
            load=self.load_after.get(reviewer_pk, self.load.get(reviewer_pk, 0)),
            cap=self.cap,
        )


def _problems(*, reviewer, reviewer_pk, in_pool, member, assigned, conflicted, load, cap):
    name = str(reviewer) if reviewer is not None else str(reviewer_pk)
    refusals, warnings = [], []
    if not in_pool:
        refusals.append(_("%(name)s is not a reviewer of this programme.") % {"name": name})
    if member:
        refusals.append(_("%(name)s belongs to the applicant organisation.") % {"name": name})
    if assigned:
        refusals.append(_("%(name)s is already assigned to this application.") % {"name": name})
    if conflicted:
        warnings.append(
            _("%(name)s declared a conflict of interest with this organisation before.")
            % {"name": name}
        )
    if cap is not None and load >= cap:
        warnings.append(
            ngettext(
                "%(name)s would go over the cap: %(count)s application of this call "
                "(at most %(cap)s).",
                "%(name)s would go over the cap: %(count)s applications of this call "
                "(at most %(cap)s).",
                load + 1,
            )
            % {"name": name, "count": load + 1, "cap": cap}
        )
    return refusals, warnings


def _call_load(call: Call) -> dict[int, int]:
    """Each reviewer's invited or accepted assignments on the call (reviewed or not): what
    the cap counts."""
    return dict(
        Assignment.objects.filter(application__call=call, state__in=ACTIVE)
        .values_list("reviewer")
        .annotate(n=Count("pk"))
        .values_list("reviewer", "n")
    )


def _organisation_exclusions(organisations) -> tuple[dict, dict]:
    """Members of each organisation, and the reviewers who declared a conflict on one of
    its dossiers (any call, any programme)."""
    members, conflicted = defaultdict(set), defaultdict(set)
    for organisation, user in Membership.objects.filter(organisation__in=organisations).values_list(
        "organisation", "user"
    ):
        members[organisation].add(user)
    for organisation, user in Assignment.objects.filter(
        application__organisation__in=organisations, state=Assignment.State.CONFLICTED
    ).values_list("application__organisation", "reviewer"):
        conflicted[organisation].add(user)
    return members, conflicted


def _read(call: Call, applications: list[Application]) -> Plan:
    """What the plan and its confirmation know of these dossiers of the call: the pool,
    the loads and the exclusions (five queries)."""
    reviewers = {r.pk: r for r in services.reviewer_pool(call.programme_id).order_by("pk")}
    load = _call_load(call)
    assigned = defaultdict(set)
    for application, reviewer in Assignment.objects.filter(
        application__in=[a.pk for a in applications]
    ).values_list("application", "reviewer"):
        assigned[application].add(reviewer)
    members, conflicted = _organisation_exclusions({a.organisation_id for a in applications})
    return Plan(
        call=call,
        rows=[],
        reviewers=reviewers,
        cap=call.reviewer_cap,
        load={r: load.get(r, 0) for r in reviewers},
        load_after={},
        members=members,
        assigned=assigned,
        conflicted=conflicted,
    )


def plan(call: Call) -> Plan:
    """The suggested assignments of the call's dossiers that still lack reviewers
    (admissible or in review, with fewer invited or accepted assignments than the call's
    ``reviews_per_dossier``). Six queries, whatever the number of dossiers and reviewers."""
    applications = list(
        call.applications.filter(state__in=OPEN_TO_REVIEW)
        .annotate(active=Count("assignments", filter=Q(assignments__state__in=ACTIVE)))
        .filter(active__lt=call.reviews_per_dossier)
        .select_related("organisation")
        .order_by("reference")
    )
    result = _read(call, applications)
    excluded = {
        a.pk: result.assigned[a.pk]
        | result.members[a.organisation_id]
        | result.conflicted[a.organisation_id]
        for a in applications
    }
    suggestion = suggest(
        [a.pk for a in applications],
        result.reviewers,
        per_dossier=call.reviews_per_dossier,
        cap=call.reviewer_cap,
        load=result.load,
        excluded=excluded,
        have={a.pk: a.active for a in applications},
    )
    result.rows = [
        Row(
            application=a,
            active=a.active,
            suggested=[result.reviewers[r] for r in suggestion.plan[a.pk]],
            missing=suggestion.short.get(a.pk, 0),
        )
        for a in applications
    ]
    result.load_after = suggestion.load
    return result


def pair_problems(application: Application, reviewer: User) -> tuple[list[str], list[str]]:
    """Why a pair the officer adds by hand is refused (not in the programme's pool, a member
    of the applicant organisation, already assigned to the dossier) or only warned of (a
    conflict declared with the organisation before, the call's cap reached): (refusals,
    warnings)."""
    call = application.call
    assignments = Assignment.objects.filter(reviewer=reviewer)
    return _problems(
        reviewer=reviewer,
        reviewer_pk=reviewer.pk,
        in_pool=services.reviewer_pool(call.programme_id).filter(pk=reviewer.pk).exists(),
        member=Membership.objects.filter(
            organisation=application.organisation_id, user=reviewer
        ).exists(),
        assigned=assignments.filter(application=application).exists(),
        conflicted=assignments.filter(
            application__organisation=application.organisation_id,
            state=Assignment.State.CONFLICTED,
        ).exists(),
        load=assignments.filter(application__call=call, state__in=ACTIVE).count(),
        cap=call.reviewer_cap,
    )


@transaction.atomic
def confirm(
    call: Call, pairs: Iterable[tuple[int, int]], *, by: User, due_at=None
) -> list[Assignment]:
    """Invite the reviewers of the pairs (dossier id, reviewer id) the officer kept, all or
    none, each dossier through ``services.assign`` (history, invitation email). A pair the
    portal refuses (see ``pair_problems``) refuses the whole confirmation, saying why; a
    pair only warned of (an earlier conflict, the cap) goes through: the officer chose it."""
    pairs = sorted(set(pairs))
    if not pairs:
        raise TransitionRefused([Problem(_("Choose at least one reviewer."))])
    by_dossier = defaultdict(list)
    for application_pk, reviewer_pk in pairs:
        by_dossier[application_pk].append(reviewer_pk)
    applications = (
        call.applications.select_for_update(of=("self",))
        .select_related("call__programme", "organisation")
        .in_bulk(list(by_dossier))
    )
    if len(applications) < len(by_dossier) or any(
        a.state not in OPEN_TO_REVIEW for a in applications.values()
    ):
        raise TransitionRefused([_("An application of this plan is no longer open to review.")])
    known = _read(call, list(applications.values()))
    refusals = []
    for application_pk, reviewer_pks in by_dossier.items():
        application = applications[application_pk]
        for reviewer_pk in reviewer_pks:
            refused, _warnings = known.problems(application, reviewer_pk)
            refusals += [
                _("%(reference)s: %(problem)s")
                % {"reference": application.reference, "problem": problem}
                for problem in refused
            ]
    if refusals:
        raise TransitionRefused(refusals)
    created = []
    for application_pk, reviewer_pks in by_dossier.items():
        created += services.assign(
            [applications[application_pk]],
            [known.reviewers[pk] for pk in reviewer_pks],
            by=by,
            due_at=due_at,
        )
    return created


def answer_counts(programme: Programme) -> dict[int, dict[str, int]]:
    """Per reviewer of the programme's pool, the invitations they declined and the
    conflicts of interest they declared on the programme's dossiers (one query)."""
    of_programme = Q(assignments__application__call__programme=programme)
    rows = (
        services.reviewer_pool(programme)
        .annotate(
            declined=Count(
                "assignments",
                filter=of_programme & Q(assignments__state=Assignment.State.DECLINED),
                distinct=True,
            ),
            conflicted=Count(
                "assignments",
                filter=of_programme & Q(assignments__state=Assignment.State.CONFLICTED),
                distinct=True,
            ),
        )
        .values_list("pk", "declined", "conflicted")
    )
    return {pk: {"declined": d, "conflicted": c} for pk, d, c in rows}
