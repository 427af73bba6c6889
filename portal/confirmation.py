"""A confirmation step before an action that cannot be undone, without JavaScript.

The action's form posts to its view; the view, unless the POST carries ``confirm=1``,
answers with ``confirmation_page``: what will happen and what cannot be undone, the form
again (with its errors next to their fields), and a button that posts the same fields
with ``confirm=1``. Only that second POST performs the action::

    form = RevokeForm(request.POST)
    if form.is_valid() and is_confirmed(request) and run(...):
        return redirect(...)
    return confirmation_page(request, form=form, title=..., consequence=..., ...)
"""

from django.shortcuts import render


def is_confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def attach_problems(form, problems) -> None:
    """Show the reasons an operation was refused on the form: next to the field a reason
    names (``review.services.Problem.field``), or at the top of the form."""
    for problem in problems:
        field = getattr(problem, "field", None)
        form.add_error(field if field in form.fields else None, str(problem))


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
