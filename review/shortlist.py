"""The shortlist and the hearings, on a call that has them (``Call.shortlist_with_hearings``).

After the review, the jury shortlists dossiers (a ``Shortlisting`` with its rationale and the
ranking as it stood, like a proposal) or leaves them off (a ``Proposal`` not proposed,
``at_shortlist``). The officer invites each shortlisted applicant to a hearing (a date, a
place or a video link): the hearing is on the dossier's page, and its invitation waits in the
call's mailing of hearing invitations, which staff send for all the shortlisted at once
(``applications.mailings``). The officer may move a hearing (an invitation already sent:
the applicant is told at once), then records whether the applicant came and the hearing's
notes. The jury's final proposal is made among the shortlisted once their hearing is
recorded (``review.services.stage_problems``). Every step is a transition through
``portal.transitions.perform``; a hearing's creation is the first row of its history.
"""

import rules
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import mailings
from applications.models import Application, Mailing, MailingEntry
from applications.services import members_of
from portal.emails import send_to_user
from portal.models import User
from portal.transitions import Problem, TransitionRefused, perform, record_creation
from review import ranking
from review.models import Hearing, Proposal, Shortlisting
from review.services import proposal_problems


def _ranking_row(call, application: Application, taken: dict) -> dict | None:
    """The dossier's line of the ranking as it stands now (its standings refreshed by this
    transaction included); the whole ranking is kept in ``taken`` for the snapshot."""
    ranking.refresh_pending()
    taken["snapshot"] = ranking.snapshot(call)
    return next((r for r in taken["snapshot"] if r["reference"] == application.reference), None)


def shortlist_problems(call, row: dict | None, *, by: User, rationale: str) -> list[Problem]:
    """Why the jury may not shortlist this dossier: a call without a shortlist, the jury
    closed, no rationale, or a dossier without a score or under a threshold (``row``: its
    line of the ranking)."""
    problems = []
    if not call.shortlist_with_hearings:
        problems.append(
            Problem(_("This call has no shortlist: the jury proposes directly."), "shortlisted")
        )
    problems += proposal_problems(call, row, by=by, proposed=False, rationale=rationale)
    if row is None or row["unscored"]:
        problems.append(
            Problem(
                _("An application without a score in the ranking cannot be shortlisted."),
                "shortlisted",
            )
        )
    elif row["below_threshold"]:
        problems.append(
            Problem(
                _("An application under a criterion's threshold cannot be shortlisted."),
                "shortlisted",
            )
        )
    return problems


def shortlist(application: Application, *, by: User, rationale: str) -> Shortlisting:
    """The jury shortlists a reviewed dossier: its applicant is to be heard before the
    final proposal. Recorded with the ranking as it stands now."""
    call = application.call
    taken = {}

    def check():
        row = _ranking_row(call, application, taken)
        return shortlist_problems(call, row, by=by, rationale=rationale)

    with transaction.atomic():
        perform(application, "shortlist", by=by, comment=rationale, check=check)
        return Shortlisting.objects.create(
            application=application,
            rationale=rationale,
            ranking_snapshot=taken["snapshot"],
            decided_by=by,
        )


def leave_off(application: Application, *, by: User, rationale: str) -> Proposal:
    """The jury leaves a reviewed dossier off the shortlist: it is not proposed, with the
    reason and the ranking as it stands now."""
    call = application.call
    taken = {}

    def check():
        row = _ranking_row(call, application, taken)
        problems = []
        if not call.shortlist_with_hearings:
            problems.append(
                Problem(_("This call has no shortlist: the jury proposes directly."), "shortlisted")
            )
        elif application.state != Application.State.REVIEWED:
            problems.append(
                Problem(_("This application is already on the shortlist."), "shortlisted")
            )
        return problems + proposal_problems(call, row, by=by, proposed=False, rationale=rationale)

    with transaction.atomic():
        perform(application, "not_propose", by=by, comment=rationale, check=check)
        return Proposal.objects.create(
            application=application,
            proposed=False,
            at_shortlist=True,
            rationale=rationale,
            ranking_snapshot=taken["snapshot"],
            decided_by=by,
        )


def schedule_problems(starts_at, place: str, video_link: str) -> list[Problem]:
    """What is wrong with a hearing's date and place: a moment already past, neither a
    place nor a video link."""
    problems = []
    if starts_at is None or starts_at <= timezone.now():
        problems.append(Problem(_("Choose a date and time still to come."), "starts_at"))
    if not place.strip() and not video_link.strip():
        problems.append(Problem(_("Give a place or a video link, or both."), "place"))
    return problems


def _prepare_invitations(hearing: Hearing) -> None:
    """Put the hearing's invitation to every member of the organisation, each in their
    language, in the call's prepared mailing of hearing invitations (staff send it); an
    invitation of this dossier still waiting there is replaced."""
    application = hearing.application
    _waiting_invitations(application).delete()
    for member in members_of(application):
        mailings.add(
            application.call,
            Mailing.Kind.HEARINGS,
            member,
            application,
            "review/emails/hearing_invited",
            {"hearing": hearing},
        )


def _waiting_invitations(application: Application):
    """The dossier's hearing invitations prepared but not sent yet (``invitation_waiting``)."""
    return MailingEntry.objects.filter(
        mailing__call=application.call_id,
        mailing__kind=Mailing.Kind.HEARINGS,
        mailing__state=Mailing.State.PREPARED,
        application=application,
    )


def invitation_waiting(application: Application) -> bool:
    """Whether the dossier's hearing invitation still waits in the call's mailing: moving
    the hearing then prepares it again, else it tells the members at once."""
    return _waiting_invitations(application).exists()


def invite(
    application: Application, *, by: User, starts_at, place: str = "", video_link: str = ""
) -> Hearing:
    """Invite a shortlisted applicant to their hearing (one per dossier): the hearing is on
    the dossier's page, and the invitation of every member of the organisation, in their
    language and the time in Brussels time, waits in the call's mailing of hearing
    invitations, which staff send for all the shortlisted at once."""
    place, video_link = place.strip(), video_link.strip()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call__programme")
            .get(pk=application.pk)
        )
        if not rules.has_perm("review.run_hearing", by, locked):
            raise PermissionError("invite")
        problems = []
        if locked.state != Application.State.SHORTLISTED:
            problems.append(Problem(_("Only a shortlisted application is heard.")))
        elif Hearing.objects.filter(application=locked).exists():
            problems.append(Problem(_("This applicant is already invited to a hearing.")))
        problems += schedule_problems(starts_at, place, video_link)
        if problems:
            raise TransitionRefused(problems)
        hearing = Hearing.objects.create(
            application=locked,
            starts_at=starts_at,
            place=place,
            video_link=video_link,
            invited_by=by,
        )
        record_creation(hearing, by=by)
        _prepare_invitations(hearing)
    return hearing


def reschedule(
    hearing: Hearing, *, by: User, starts_at, place: str = "", video_link: str = ""
) -> None:
    """Move the hearing to another time or place. An invitation already sent announced a
    date: every member is told of the move at once. One still waiting in the call's mailing
    is prepared again with the new date, and nothing is sent."""
    place, video_link = place.strip(), video_link.strip()
    with transaction.atomic():
        perform(
            hearing,
            "reschedule",
            by=by,
            check=lambda: schedule_problems(starts_at, place, video_link),
            starts_at=starts_at,
            place=place,
            video_link=video_link,
        )
        if invitation_waiting(hearing.application):
            _prepare_invitations(hearing)
        else:
            for member in members_of(hearing.application):
                send_to_user(member, "review/emails/hearing_moved", {"hearing": hearing})


def _has_started(hearing: Hearing) -> list[Problem]:
    if hearing.starts_at > timezone.now():
        return [Problem(_("The hearing has not taken place yet."))]
    return []


def record_attendance(hearing: Hearing, *, by: User, notes: str) -> None:
    """The applicant was heard: the officer records it with the hearing's notes."""

    def check():
        problems = _has_started(hearing)
        if not notes.strip():
            problems.append(Problem(_("Write the notes of the hearing."), "notes"))
        return problems

    perform(hearing, "record_attendance", by=by, comment=notes.strip(), check=check)


def record_absence(hearing: Hearing, *, by: User, notes: str = "") -> None:
    """The applicant did not come to the hearing; the jury may still make its proposal."""
    perform(
        hearing,
        "record_absence",
        by=by,
        comment=notes.strip(),
        check=lambda: _has_started(hearing),
    )


def shortlisted(call):
    """The call's shortlisted dossiers (still awaiting the final proposal or not), with
    their shortlisting and hearing, in the order of their hearing (those to invite first)."""
    return (
        call.applications.filter(shortlisting__isnull=False)
        .select_related("organisation", "shortlisting", "hearing")
        .order_by(F("hearing__starts_at").asc(nulls_first=True), "reference")
    )


def mark_hearings(dossiers) -> None:
    """Give each dossier of a page of the ranking its ``hearing_on_file`` (or None) and
    ``heard`` (its hearing recorded: the final proposal may be made), in one query."""
    hearings = {
        hearing.application_id: hearing
        for hearing in Hearing.objects.filter(application_id__in=[d.pk for d in dossiers])
    }
    for dossier in dossiers:
        dossier.hearing_on_file = hearings.get(dossier.pk)
        dossier.heard = (
            dossier.state == Application.State.SHORTLISTED
            and dossier.hearing_on_file is not None
            and dossier.hearing_on_file.state in Hearing.DONE
        )
