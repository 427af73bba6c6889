from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from portal.translations import columns
from surveillance.models import Condition, NonConformity, VisitorReport


@admin.register(Condition)
class ConditionAdmin(TranslationAdmin):
    """Officers define conditions on the programme's page; here for administrators' fixes.
    A condition with cases is retired, never deleted (its cases keep it: PROTECT)."""

    list_display = ["label_fr", "programme", "kind", "grace_days", "active"]
    list_filter = ["programme", "kind", "active"]
    search_fields = columns("label")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the portal alone (the daily job, the holder, the officers' pages): the
    administration reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NonConformity)
class NonConformityAdmin(ReadOnlyAdmin):
    list_display = ["label", "condition", "opened_on", "deadline", "state"]
    list_filter = ["state", "label__programme"]
    list_select_related = ["label", "condition"]
    search_fields = ["label__number", "label__space_name", "summary"]


@admin.register(VisitorReport)
class VisitorReportAdmin(ReadOnlyAdmin):
    list_display = ["label", "created_at", "state"]
    list_filter = ["state"]
    list_select_related = ["label"]
    search_fields = ["label__number", "message"]
