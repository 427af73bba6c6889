"""The shortlist and the hearings of a call that has them: the jury's shortlisting from the
ranking, the officer's invitations, moves and records; the ministry reads."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.access import get_staff_call
from portal.confirmation import confirmation_page, is_confirmed
from portal.figures import euros
from portal.refusals import run
from review import shortlist as shortlisting
from review.forms import HearingForm, HearingRecordForm, ShortlistForm
from review.models import Hearing


def _shortlist_call(user, slug, perm):
    """A call with a shortlist where ``user`` holds ``perm``; 404 otherwise."""
    call = get_staff_call(user, slug, perm)
    if not call.shortlist_with_hearings:
        raise Http404
    return call


@login_required
@require_POST
def shortlist(request, slug, pk):
    """The jury shortlists a reviewed dossier or leaves it off, after a confirmation page
    that says it is final."""
    call = _shortlist_call(request.user, slug, "review.manage_reviews")
    application = get_object_or_404(call.applications.select_related("organisation"), pk=pk)
    form = ShortlistForm(request.POST)
    if form.is_valid() and is_confirmed(request):
        operation = (
            shortlisting.shortlist if form.cleaned_data["shortlisted"] else shortlisting.leave_off
        )
        if run(
            request,
            operation,
            application,
            by=request.user,
            rationale=form.cleaned_data["rationale"],
            form=form,
        ):
            messages.success(
                request,
                _("The jury's choice on %(reference)s is recorded.")
                % {"reference": application.reference},
            )
            return redirect("review:ranking", slug=call.slug)
    return confirmation_page(
        request,
        form=form,
        kicker=call.title,
        title=_("Shortlist: %(reference)s") % {"reference": application.reference},
        consequence=_(
            "Once recorded, the jury's choice cannot be changed. A shortlisted applicant is "
            "invited to a hearing before the final proposal; an application left off the "
            "shortlist is not proposed."
        ),
        summary=[
            (_("Application"), f"{application.reference} — {application.organisation}"),
            (_("Project"), application.project_title),
            (_("Requested"), euros(application.requested_amount)),
        ],
        action=request.path,
        cancel_url=reverse("review:ranking", args=[call.slug]),
        confirm_label=_("Record the choice"),
    )


@login_required
@require_safe
def hearings(request, slug):
    """The shortlisted dossiers with their hearing, or a form to invite their applicant."""
    call = _shortlist_call(request.user, slug, "review.view_ranking")
    can_run = rules.has_perm("review.run_hearing", request.user, call)
    dossiers = list(shortlisting.shortlisted(call))
    for dossier in dossiers:
        dossier.hearing_on_file = getattr(dossier, "hearing", None)
        if can_run and dossier.hearing_on_file is None:
            dossier.invite_form = HearingForm(auto_id=f"id_%s_{dossier.pk}")
    return render(
        request,
        "review/staff/hearings.html",
        {"call": call, "dossiers": dossiers, "can_run": can_run},
    )


@login_required
def hearing(request, slug, pk):
    """One shortlisted dossier's hearing: the officer invites, moves it, records whether
    the applicant came and the notes; the ministry reads."""
    perm = "review.manage_reviews" if request.method == "POST" else "review.view_ranking"
    call = _shortlist_call(request.user, slug, perm)
    application = get_object_or_404(shortlisting.shortlisted(call), pk=pk)
    on_file = getattr(application, "hearing", None)
    can_run = rules.has_perm("review.run_hearing", request.user, call)
    data = request.POST if request.method == "POST" else None
    # Posted: the schedule when there is no hearing yet or it is moved, else the record.
    schedules = data is not None and (on_file is None or data.get("action") == "reschedule")
    schedule_form = HearingForm(data if schedules else None, initial=_schedule_initial(on_file))
    record_form = HearingRecordForm(data if data is not None and not schedules else None)
    if data is not None and _act(request, application, on_file, schedule_form, record_form):
        return redirect("review:hearing", slug=call.slug, pk=application.pk)
    return render(
        request,
        "review/staff/hearing.html",
        {
            "call": call,
            "application": application,
            "hearing": on_file,
            "can_run": can_run,
            "schedule_form": schedule_form,
            "record_form": record_form,
        },
    )


def _schedule_initial(on_file: Hearing | None) -> dict:
    if on_file is None:
        return {}
    return {
        "starts_at": timezone.localtime(on_file.starts_at),
        "place": on_file.place,
        "video_link": on_file.video_link,
    }


def _act(request, application, on_file, schedule_form, record_form) -> bool:
    """Run the posted step (invite, reschedule or record); True when it went through."""
    by = request.user
    if schedule_form.is_bound:
        if not schedule_form.is_valid():
            return False
        where = {
            "starts_at": schedule_form.cleaned_data["starts_at"],
            "place": schedule_form.cleaned_data["place"],
            "video_link": schedule_form.cleaned_data["video_link"],
        }
        if on_file is None:
            done = run(
                request, shortlisting.invite, application, by=by, form=schedule_form, **where
            )
            message = _(
                "The hearing is scheduled; its invitation waits in the call's mailing of "
                "hearing invitations."
            )
        else:
            waiting = shortlisting.invitation_waiting(application)
            done = run(
                request, shortlisting.reschedule, on_file, by=by, form=schedule_form, **where
            )
            if waiting:
                message = _(
                    "The hearing is moved; its invitation, still waiting in the call's "
                    "mailing, gives the new date."
                )
            else:
                message = _("The hearing is moved; the applicant is told by email at once.")
    else:
        if not record_form.is_valid():
            return False
        notes = record_form.cleaned_data["notes"]
        if record_form.cleaned_data["attended"]:
            done = run(
                request,
                shortlisting.record_attendance,
                on_file,
                by=by,
                notes=notes,
                form=record_form,
            )
            message = _("The hearing is recorded.")
        else:
            done = run(
                request,
                shortlisting.record_absence,
                on_file,
                by=by,
                notes=notes,
                form=record_form,
            )
            message = _("The applicant's absence is recorded.")
    if done:
        messages.success(request, message)
    return done
