from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from labels import signing, verification
from labels.filters import DirectoryFilter
from labels.models import Label
from portal.dashboards import panels_for
from portal.pagination import filtered_page


@require_safe
def directory(request):
    """The directory of labelled spaces, filtered; a constant number of queries."""
    queryset = (
        Label.objects.public()
        .select_related("programme")
        .prefetch_related("services")
        .order_by("province", "municipality", "space_name")
    )
    filterset = DirectoryFilter(request.GET or None, queryset=queryset)
    return render(request, "labels/directory.html", filtered_page(request, filterset, 24))


@require_safe
def space(request, number):
    label = get_object_or_404(
        Label.objects.public()
        .select_related("programme", "organisation")
        .prefetch_related("services"),
        number=number,
    )
    # What the apps above add (the label's standing and conditions, a problem to report).
    return render(
        request,
        "labels/space.html",
        {"label": label, "panels": panels_for("label_public_page", label)},
    )


@require_safe
def verify_form(request):
    """Type a label number to check it, or paste the code scanned from a certificate."""
    typed = request.GET.get("number", "")
    token = request.GET.get("token") or verification.token_from(typed)
    if token:
        return _token_verdict(request, token)
    number = typed.strip().upper()
    if number:
        return redirect("labels:verify", number=number)
    return render(request, "labels/verify_form.html")


@require_safe
def verify(request, number):
    """Anyone checks a label by its number: valid, suspended, revoked, expired or renewed;
    with the certificate's signed statement (``?token=``, what its QR code holds), whether
    the certificate is authentic too."""
    if request.GET.get("token"):
        return _token_verdict(request, request.GET["token"], number)
    label = (
        Label.objects.select_related("programme", "organisation", "superseded_by")
        .filter(number=number)
        .first()
    )
    context = {"label": label, "number": number}
    if label is not None:
        context.update(
            state=label.effective_state,
            since=label.status_since(),
            panels=panels_for("label_verification", label),
        )
    return render(
        request,
        "labels/verify.html",
        context,
        status=200 if label else 404,
    )


def _token_verdict(request, token, number=None):
    """The verdict on a certificate's signed statement, and what the portal knows of its
    label (none when the statement is forged)."""
    result = verification.verify_online(token, number)
    label = result.label
    context = {"result": result, "label": label, "number": number}
    if label is not None:
        context.update(
            state=label.effective_state,
            since=label.status_since(),
            panels=panels_for("label_verification", label),
        )
    return render(request, "labels/verify.html", context)


@require_safe
def jwks(request):
    """The agency's public keys (retired ones too): what verifiers check statements and the
    status list with. Public halves only (``labels.signing``)."""
    response = JsonResponse(signing.jwks())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def status_list(request):
    """The signed status list, a compact JWS, for verifiers to keep offline."""
    response = HttpResponse(
        verification.current_status_list().token, content_type="application/jwt"
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def status_list_json(request):
    """The status list for people to read: the signed claims, when they were signed, and
    the token itself."""
    published = verification.current_status_list()
    response = JsonResponse(
        {
            **published.content,
            "issued_at": published.issued_at.isoformat(timespec="seconds"),
            "token": published.token,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
