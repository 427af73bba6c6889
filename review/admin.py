"""Administrators read the review records here; they change only through the portal's pages,
so that every change goes through its rule and leaves its history."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from review.models import (
    Assignment,
    Complaint,
    Consensus,
    ConsensusScore,
    Criterion,
    Decision,
    Hearing,
    Proposal,
    Review,
    Shortlisting,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["call", "code", "title", "weight", "max_score", "threshold"]
    list_filter = ["call__programme"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "state", "assigned_at", "answered_at"]
    list_filter = ["state", "application__call"]
    list_select_related = ["application", "reviewer"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "state", "recommendation", "submitted_at"]
    list_filter = ["state", "recommendation"]
    list_select_related = ["assignment__application", "assignment__reviewer"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["application", "proposed", "decided_by", "decided_at"]
    list_select_related = ["application", "decided_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "granted", "amount", "decided_by", "decided_at"]
    list_select_related = ["application", "decided_by"]


@admin.register(Shortlisting)
class ShortlistingAdmin(ReadOnlyAdmin):
    list_display = ["application", "decided_by", "decided_at"]
    list_select_related = ["application", "decided_by"]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ["application", "state", "starts_at", "place", "recorded_at"]
    list_filter = ["state", "application__call"]
    list_select_related = ["application"]


class ConsensusScoreInline(admin.TabularInline):
    model = ConsensusScore
    fields = ["criterion", "value", "comment"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consensus)
class ConsensusAdmin(ReadOnlyAdmin):
    list_display = ["application", "rapporteur", "state", "submitted_at", "approved_at"]
    list_filter = ["state", "application__call"]
    list_select_related = ["application", "rapporteur"]
    inlines = [ConsensusScoreInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """The register is the staff page (Complaints); the attached document is read there."""

    list_display = ["application", "about", "state", "filed_at", "due_on", "answered_at"]
    list_filter = ["state", "about", "application__call"]
    list_select_related = ["application"]
    exclude = ["document"]
