from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from applications.models import Call
from portal.dashboards import panels_for


@require_safe
def home(request):
    """Public home: the calls open now, with their programme and deadline."""
    calls = Call.objects.open_at().select_related("programme").order_by("closes_at")
    return render(
        request,
        "applications/home.html",
        {"calls": calls, "panels": panels_for("home_page", None)},
    )


@require_safe
def call_detail(request, slug):
    call = get_object_or_404(Call.objects.published().select_related("programme"), slug=slug)
    context = {
        "call": call,
        "is_open": call.is_open(),
        "document_types": call.document_types.all(),
        "questions": call.eligibility_questions.all(),
        "panels": panels_for("call_page", call),
    }
    return render(request, "applications/call_detail.html", context)
