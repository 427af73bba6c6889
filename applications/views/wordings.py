"""The officers' message editor: every message a programme sends (``portal.messages``),
reworded per language beside the placeholders it may use, previewed with a real dossier
before it is saved, reset to the default, with the history of its changes. Only the
programme's officers and administrators come here (the rule
``applications.edit_messages``); the portal-wide account emails, administrators only.
Anyone else gets 404."""

import rules
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications import wordings
from applications.forms import WordingForm
from applications.models import Programme
from portal import messages as registry
from portal.confirmation import confirmation_page, is_confirmed
from portal.refusals import attach_problems, run


def _scope(request, slug) -> Programme | None:
    """The programme whose messages are edited; ``None``: the portal-wide ones."""
    if slug is None:
        if not request.user.is_superuser:
            raise Http404
        return None
    programme = get_object_or_404(Programme, slug=slug)
    if not rules.has_perm("applications.edit_messages", request.user, programme):
        raise Http404
    return programme


def _message(key: str, programme) -> registry.Message:
    message = registry.get(key)
    if message is None or message.programme_scoped != (programme is not None):
        raise Http404
    return message


def _url(name: str, programme, **kwargs) -> str:
    if programme is None:
        return reverse(f"applications:portal_{name}", kwargs=kwargs)
    return reverse(f"applications:{name}", kwargs={"slug": programme.slug, **kwargs})


@login_required
@require_safe
def overview(request, slug=None):
    """The messages, by the part of the portal that sends them, each marked when the
    programme words it its own way."""
    programme = _scope(request, slug)
    own = wordings.customised_keys(programme)
    groups = {}
    for message in registry.all_messages(programme_scoped=programme is not None):
        group = apps.get_app_config(message.app_label).verbose_name
        groups.setdefault(group, []).append(
            (message, message.key in own, _url("message", programme, key=message.key))
        )
    return render(
        request,
        "applications/wordings/overview.html",
        {"programme": programme, "groups": groups.items()},
    )


@login_required
def edit(request, key, slug=None):
    """The message's wording in every language, its placeholders, a preview with the chosen
    dossier (the "Preview" button renders what is typed, without saving) and its history."""
    programme = _scope(request, slug)
    message = _message(key, programme)
    current = wordings.current(message, programme)
    dossiers = list(wordings.preview_dossiers(programme))
    form = WordingForm(
        request.POST if request.method == "POST" else None,
        message=message,
        current=current,
        dossiers=dossiers,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        texts = form.texts()
        if request.POST.get("action") == "save":
            if run(request, wordings.save, message, programme, texts, by=request.user, form=form):
                messages.success(
                    request, _("The message “%(title)s” is saved.") % {"title": message.title}
                )
                return redirect(_url("message", programme, key=key))
        else:
            attach_problems(form, wordings.wording_problems(message, texts))
            dossier = form.cleaned_data.get("dossier") or (dossiers[0] if dossiers else None)
            preview = wordings.preview(message, dossier, texts, viewer=request.user)
            if preview is None:
                messages.info(request, _("This dossier cannot illustrate this message."))
    elif request.method == "GET":
        preview = wordings.preview(
            message,
            dossiers[0] if dossiers else None,
            {language: (w["subject"], w["body"]) for language, w in current.items()},
            viewer=request.user,
        )
    return render(
        request,
        "applications/wordings/edit.html",
        {
            "programme": programme,
            "message": message,
            "form": form,
            "own": any(w["own"] for w in current.values()),
            "preview": preview,
            "history": wordings.history(message, programme),
            "overview_url": _url("messages", programme),
            "reset_url": _url("message_reset", programme, key=key),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reset(request, key, slug=None):
    """Ask, then go back to the default wording in every language."""
    programme = _scope(request, slug)
    message = _message(key, programme)
    edit_url = _url("message", programme, key=key)
    form = forms.Form(request.POST)  # nothing to fill but the confirmation
    if form.is_valid() and is_confirmed(request):
        if run(request, wordings.reset, message, programme, by=request.user):
            messages.success(
                request,
                _("The message “%(title)s” reads as the default again.") % {"title": message.title},
            )
        return redirect(edit_url)
    return confirmation_page(
        request,
        form=form,
        title=_("Reset the message to its default wording?"),
        consequence=_(
            "The programme's wording of this message is replaced by the default, in every "
            "language. The history keeps the wording replaced."
        ),
        action=request.path,
        cancel_url=edit_url,
        confirm_label=_("Reset to the default"),
        summary=[(_("Message"), message.title)],
        kicker=str(programme or _("Portal")),
    )
