"""The endpoints of ``/api/v1/``: thin, each a queryset of the app that owns the data,
scoped as the staff pages scope it, then by the token (``api.scopes``)."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import scopes
from api.calls import Logged
from api.filters import CallFilter
from api.pagination import KeysFirstPages
from api.permissions import PublicRead, StaffToken
from api.serializers import (
    ActivityReportSerializer,
    ApplicationSerializer,
    CallSerializer,
    DecidedSerializer,
    LabelSerializer,
    ProgrammeSerializer,
)
from applications.access import get_staff_call
from applications.filters import ApplicationFilter, call_questions, submitted_applications
from applications.models import Application, Call, Programme
from labels.filters import DirectoryFilter
from labels.models import Label
from reporting import opendata
from reporting.filters import ActivityReportFilter
from reporting.models import ActivityReport
from review.models import Decision
from surveillance.models import NonConformity

# --- the API's root, schema and documentation -------------------------------------------


class Root(Logged, APIView):
    """The list of the API's endpoints."""

    permission_classes = [PublicRead]

    @extend_schema(exclude=True)
    def get(self, request):
        names = ["schema", "docs", "programmes", "calls", "labels", "grants", "reports"]
        # The per-call endpoints: /api/v1/calls/<slug>/applications/ and …/decisions/.
        return Response({name: reverse(f"api:{name}", request=request) for name in names})


class Schema(Logged, SpectacularAPIView):
    permission_classes = [PublicRead]


class Docs(Logged, SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's static files, its script a file of its own (the CSP
    allows no inline script)."""

    permission_classes = [PublicRead]
    template_name = "api/swagger_ui.html"


# --- public ---------------------------------------------------------------------------


class ProgrammeList(Logged, generics.ListAPIView):
    """Every programme."""

    permission_classes = [PublicRead]
    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.order_by("name", "pk")


class CallList(Logged, generics.ListAPIView):
    """The calls open now (as the home page lists them), soonest deadline first."""

    permission_classes = [PublicRead]
    serializer_class = CallSerializer
    filterset_class = CallFilter

    def get_queryset(self):
        return Call.objects.open_at().select_related("programme").order_by("closes_at", "pk")


def with_standing(labels):
    """Labels with ``under_review``: a non-conformity of theirs is pending (the standing the
    label's public page shows)."""
    pending = NonConformity.objects.pending().filter(label=OuterRef("pk"))
    return labels.select_related("programme").annotate(under_review=Exists(pending))


class LabelList(Logged, generics.ListAPIView):
    """The public directory of labelled spaces, with its filters."""

    permission_classes = [PublicRead]
    serializer_class = LabelSerializer
    filterset_class = DirectoryFilter

    def get_queryset(self):
        return (
            with_standing(Label.objects.public())
            .prefetch_related("services")
            .order_by("province", "municipality", "space_name", "pk")
        )


class LabelDetail(Logged, generics.RetrieveAPIView):
    """Any label by its number, whatever its state, as the verification page answers: a
    label out of the directory without its address and public profile."""

    permission_classes = [PublicRead]
    serializer_class = LabelSerializer
    lookup_field = "number"

    def get_queryset(self):
        directory = Label.objects.public().filter(pk=OuterRef("pk"))
        return (
            with_standing(Label.objects.all())
            .annotate(in_directory=Exists(directory))
            .select_related("organisation")
            .prefetch_related("services")
        )


class GrantSerializer(serializers.Serializer):
    """A grant as a 360Giving JSON object (``reporting.opendata``)."""

    id = serializers.CharField()


class GrantList(Logged, generics.GenericAPIView):
    """The grants awarded, as in the open data (360Giving objects; no personal data)."""

    permission_classes = [PublicRead]
    serializer_class = GrantSerializer

    def get(self, request):
        """A page of grants read from the database, then written out: not every grant."""
        page = self.paginate_queryset(opendata.awarded())
        return self.get_paginated_response(
            [opendata.as_360giving(grant) for grant in opendata.grants(page)]
        )


# --- staff: a token of theirs ----------------------------------------------------------


def readable_call(request, slug: str, perm: str = "applications.view_programme") -> Call:
    """A call whose programme both the token's owner (as on the staff pages, with ``perm``)
    and the token's scopes may read; a 404 otherwise, whatever the reason."""
    call = get_staff_call(request.user, slug, perm)
    if not scopes.readable_programmes(request.user, request.auth).filter(pk=call.programme_id):
        raise Http404
    return call


class CallApplications(Logged, generics.ListAPIView):
    """The dossiers submitted to a call, with their answers, reviews' totals and decision,
    filtered as on the staff list (also by the answers to the call's questions)."""

    permission_classes = [StaffToken]
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        self.call = readable_call(self.request, self.kwargs["slug"])
        self.questions = call_questions(self.call)
        base = submitted_applications(self.call, None, self.questions).queryset
        return base.select_related("call", "standing", "decision")

    def filterset_kwargs(self) -> dict:
        return {"questions": getattr(self, "questions", ())}


class CallDecisions(Logged, generics.ListAPIView):
    """The ministerial decisions on a call's dossiers (granted or refused), by reference, as
    the decisions page lists them (it has no filters)."""

    permission_classes = [StaffToken]
    serializer_class = DecidedSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        call = readable_call(self.request, self.kwargs["slug"], "review.view_ranking")
        return (
            Decision.objects.filter(
                application__call=call,
                application__state__in=[Application.State.GRANTED, Application.State.REFUSED],
            )
            .select_related("application__organisation")
            .order_by("application__reference", "pk")
        )


class ReportList(Logged, generics.ListAPIView):
    """Activity reports with their indicators' values, filtered as on the staff list, of
    the programmes the token reads."""

    permission_classes = [StaffToken]
    serializer_class = ActivityReportSerializer
    filterset_class = ActivityReportFilter
    pagination_class = KeysFirstPages  # sorted newest_first()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActivityReport.objects.none()
        programmes = scopes.readable_programmes(self.request.user, self.request.auth)
        return (
            ActivityReport.objects.staff_visible_to(self.request.user)
            .filter(label__programme__in=programmes)
            .select_related("label__organisation", "label__programme")
            .newest_first()
        )
