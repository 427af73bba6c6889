"""A confirmation step before an action that cannot be undone, without JavaScript.

The action's form posts to its view; the view performs the action only when the form is
valid, the POST carries ``confirm=1`` and the operation goes through; in every other case it
answers with ``confirmation_page``: what will happen and what cannot be undone, the form
again (with its errors and the operation's refusals next to their fields, see
``portal.refusals.run``), and a button that posts the same fields with ``confirm=1``. So the
first POST shows the page, and only the second one acts. Every such view reads::

    form = ReasonForm(request.POST)
    if form.is_valid() and is_confirmed(request) and run(request, ..., form=form):
        messages.success(request, ...)
        return redirect(...)
    return confirmation_page(request, form=form, title=..., consequence=..., ...)
"""

from django.shortcuts import render


def is_confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirmation_page(
    request,
    *,
    form,
    title: str,
    consequence: str,
    action: str,
    cancel_url: str,
    confirm_label: str,
    summary: list[tuple[str, object]] = (),
    kicker: str = "",
    hidden: dict[str, str] | None = None,
):
    """The page that asks to confirm; 400 when the form holds errors. ``hidden``: other
    fields the action needs again (e.g. ``{"action": "revoke"}``)."""
    return render(
        request,
        "portal/confirm.html",
        {
            "form": form,
            "title": title,
            "consequence": consequence,
            "action": action,
            "cancel_url": cancel_url,
            "confirm_label": confirm_label,
            "summary": summary,
            "kicker": kicker,
            "hidden": (hidden or {}).items(),
        },
        status=400 if form.errors else 200,
    )
