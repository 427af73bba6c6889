from django.contrib import admin
from django_fsm.admin import FSMAdminMixin
from import_export.admin import ExportMixin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from applications import services
from applications.models import (
    Application,
    Call,
    DocumentType,
    EligibilityQuestion,
    Programme,
    ProgrammeStaff,
    Service,
)
from applications.resources import ApplicationResource
from portal.exports import FormulaSafeExportMixin


class ProgrammeStaffInline(admin.TabularInline):
    model = ProgrammeStaff
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "reference_prefix", "managing_agency", "funding_body"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ProgrammeStaffInline]


class DocumentTypeInline(admin.TabularInline):
    model = DocumentType
    extra = 1


class EligibilityQuestionInline(admin.TabularInline):
    model = EligibilityQuestion
    extra = 1


@admin.register(Call)
class CallAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "programme", "opens_at", "closes_at", "is_published"]
    list_filter = ["programme", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [DocumentTypeInline, EligibilityQuestionInline]

    def save_model(self, request, obj, form, change):
        # Through the service: a changed disagreement tolerance re-ranks the call.
        services.save_call(obj)


@admin.register(Application)
class ApplicationAdmin(
    FSMAdminMixin, FormulaSafeExportMixin, ExportMixin, ObjectPermissionsModelAdmin
):
    """Read-mostly: states change through the transitions (buttons), never by editing."""

    resource_classes = [ApplicationResource]
    list_display = ["__str__", "organisation", "call", "state", "submitted_at"]
    list_filter = ["call__programme", "call", "state", "province"]
    list_select_related = ["organisation", "call"]
    search_fields = ["reference", "project_title", "organisation__legal_name"]
    readonly_fields = ["state", "reference", "submitted_at", "province"]
    fsm_fields = ["state"]
    autocomplete_fields = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        # A dossier and its history are the programme's legal record.
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]
