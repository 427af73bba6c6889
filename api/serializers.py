"""What each endpoint returns. The public ones hold no personal data: programmes, calls,
labels (the space's public profile) and grants as in the open data."""

from rest_framework import serializers

from applications.models import Application, Call, Programme
from labels.models import Label
from reporting.models import ActivityReport
from review.models import Decision


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "managing_agency",
            "funding_body",
            "funder_identifier",
            "label_name",
            "currency",
            "description",
        ]


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Call
        fields = [
            "slug",
            "programme",
            "title",
            "summary",
            "opens_at",
            "closes_at",
            "budget",
            "max_amount",
        ]


class LabelSerializer(serializers.ModelSerializer):
    """A label as a visitor reads it: its state (expired once past its validity) and its
    standing (``under_review`` while a non-conformity is pending)."""

    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    state = serializers.CharField(source="effective_state")
    under_review = serializers.BooleanField()
    services = serializers.SerializerMethodField()

    class Meta:
        model = Label
        fields = [
            "number",
            "programme",
            "state",
            "under_review",
            "issued_on",
            "valid_until",
            "space_name",
            "street",
            "postcode",
            "municipality",
            "province",
            "capacity",
            "services",
            "website",
            "latitude",
            "longitude",
        ]

    # A label out of the directory (suspended, revoked, expired, renewed) is answered as the
    # verification page answers it: its standing, never its address or public profile.
    PROFILE = ("street", "postcode", "capacity", "services", "website", "latitude", "longitude")

    def get_fields(self):
        fields = super().get_fields()
        for name in self.PROFILE:
            fields[name].required = False
        return fields

    def to_representation(self, label):
        data = super().to_representation(label)
        if getattr(label, "in_directory", True) is False:
            for name in self.PROFILE:
                data.pop(name, None)
            data["space_name"] = label.public_space_name
        return data

    def get_services(self, label) -> list[str]:
        return [service.name for service in label.services.all()]


class StandingSerializer(serializers.Serializer):
    """The reviews' results of a dossier (``review.Standing``)."""

    total = serializers.DecimalField(max_digits=12, decimal_places=4)
    below_threshold = serializers.BooleanField()
    disagreement = serializers.BooleanField()
    consensus = serializers.BooleanField()


class DecisionSerializer(serializers.Serializer):
    """The minister's decision on a dossier."""

    granted = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField()


class DecidedSerializer(serializers.ModelSerializer):
    """A ministerial decision with its dossier, as the decisions page lists it."""

    reference = serializers.CharField(source="application.reference")
    organisation = serializers.CharField(source="application.organisation.legal_name")
    enterprise_number = serializers.CharField(source="application.organisation.enterprise_number")
    requested_amount = serializers.DecimalField(
        source="application.requested_amount", max_digits=12, decimal_places=2, allow_null=True
    )

    class Meta:
        model = Decision
        fields = [
            "reference",
            "organisation",
            "enterprise_number",
            "requested_amount",
            "granted",
            "amount",
            "reason",
            "decided_at",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    """A submitted dossier as its programme's staff read it: its answers (by question code),
    its reviews' totals and the decision, when there are."""

    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.CharField(source="organisation.legal_name")
    enterprise_number = serializers.CharField(source="organisation.enterprise_number")
    standing = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "reference",
            "call",
            "state",
            "submitted_at",
            "organisation",
            "enterprise_number",
            "project_title",
            "summary",
            "municipality",
            "province",
            "total_cost",
            "requested_amount",
            "answers",
            "standing",
            "decision",
        ]

    def _related(self, application, name, serializer):
        related = getattr(application, name, None)
        return serializer(related).data if related is not None else None

    def get_standing(self, application) -> dict | None:
        return self._related(application, "standing", StandingSerializer)

    def get_decision(self, application) -> dict | None:
        return self._related(application, "decision", DecisionSerializer)


class ActivityReportSerializer(serializers.ModelSerializer):
    """An activity report with its indicators' values by indicator code."""

    label = serializers.CharField(source="label.number")
    programme = serializers.CharField(source="label.programme.slug")
    organisation = serializers.CharField(source="label.organisation.legal_name")

    class Meta:
        model = ActivityReport
        fields = [
            "id",
            "label",
            "programme",
            "organisation",
            "period_start",
            "period_end",
            "due_on",
            "state",
            "submitted_at",
            "values",
            "narrative",
        ]
