"""What staff have not translated yet in a call or a programme, and where to write it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from applications.access import get_staff_call
from applications.views.staff import _programme
from portal import translations

PERM = "applications.manage_programme"


def _page(request, scope: str, subject, **context):
    rows = translations.untranslated_in(scope, subject)
    counts = dict.fromkeys(translations.TARGETS, 0)
    for row in rows:
        for code in row.languages:
            counts[code] += 1
    return render(
        request,
        "applications/staff/translations.html",
        {
            "subject": subject,
            "rows": rows,
            "counts": [(translations.LANGUAGE_NAMES[code], counts[code]) for code in counts],
            **context,
        },
    )


@login_required
@require_safe
def call_translations(request, slug):
    call = get_staff_call(request.user, slug, PERM)
    return _page(request, "call", call, call=call, programme=call.programme)


@login_required
@require_safe
def programme_translations(request, slug):
    programme = _programme(request, slug, PERM)
    return _page(request, "programme", programme, programme=programme)
