from django.contrib import admin
from django_fsm.admin import FSMAdminMixin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from rules.contrib.admin import ObjectPermissionsModelAdmin

from applications import services
from applications.models import (
    Application,
    Call,
    DocumentType,
    EligibilityQuestion,
    FormChange,
    FormRule,
    FormSection,
    Mailing,
    MailingEntry,
    MessageTemplate,
    MessageTemplateChange,
    Option,
    Programme,
    ProgrammeStaff,
    Question,
    Service,
    TableColumn,
)
from applications.resources import ApplicationImportResource, ApplicationResource
from portal.imports import AllOrNothingImportMixin
from portal.translations import columns


class ProgrammeStaffInline(admin.TabularInline):
    model = ProgrammeStaff
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin, ObjectPermissionsModelAdmin):
    list_display = ["name", "reference_prefix", "managing_agency", "funding_body"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ProgrammeStaffInline]


class DocumentTypeInline(TranslationTabularInline):
    model = DocumentType
    extra = 1


class EligibilityQuestionInline(TranslationTabularInline):
    model = EligibilityQuestion
    extra = 1


@admin.register(Call)
class CallAdmin(TranslationAdmin, ObjectPermissionsModelAdmin):
    list_display = ["title", "programme", "opens_at", "closes_at", "is_published"]
    list_filter = ["programme", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [DocumentTypeInline, EligibilityQuestionInline]

    def save_model(self, request, obj, form, change):
        # Through the service: a changed disagreement tolerance re-ranks the call.
        services.save_call(obj)


@admin.register(Application)
class ApplicationAdmin(FSMAdminMixin, AllOrNothingImportMixin, ObjectPermissionsModelAdmin):
    """Read-mostly: states change through the transitions (buttons), never by editing.
    Legacy dossiers are imported from CSV or XLSX (``ApplicationImportResource``: a
    ``call`` column by short name, one column per question by its code); the export is
    the staff list's columns."""

    resource_classes = [ApplicationImportResource]
    list_display = ["__str__", "organisation", "call", "state", "submitted_at"]
    list_filter = ["call__programme", "call", "state", "province"]
    list_select_related = ["organisation", "call"]
    search_fields = ["reference", "project_title", "organisation__legal_name"]
    readonly_fields = ["state", "reference", "submitted_at", "province"]
    fsm_fields = ["state"]
    autocomplete_fields = ["organisation"]

    def get_export_resource_classes(self, request):
        return [ApplicationResource]

    def has_delete_permission(self, request, obj=None):
        # A dossier and its history are the programme's legal record.
        return False


@admin.register(Service)
class ServiceAdmin(TranslationAdmin):
    list_display = ["code", *columns("name")]


# A call's form, read-only: the staff form builder is where it changes.


class ReadOnly:
    """Shown, never written here: a call's form is built in the staff pages (Programmes →
    call → Application form), which check codes, kinds and rules, record the form's history
    and refuse what would invalidate saved answers."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FormPartAdmin(ReadOnly, TranslationAdmin):
    pass


class QuestionInline(ReadOnly, admin.TabularInline):
    model = Question
    fields = ["position", "code", "kind", *columns("label"), "required"]
    extra = 0
    show_change_link = True


@admin.register(FormSection)
class FormSectionAdmin(FormPartAdmin):
    list_display = ["title_fr", "call", "position"]
    list_filter = ["call__programme", "call"]
    list_select_related = ["call"]
    search_fields = [*columns("title"), "call__title"]
    inlines = [QuestionInline]


class OptionInline(ReadOnly, admin.TabularInline):
    model = Option
    fk_name = "question"
    fields = ["position", "code", *columns("label")]
    extra = 0


class TableColumnInline(ReadOnly, admin.TabularInline):
    model = TableColumn
    fields = ["position", "code", "kind", *columns("label"), "summed"]
    extra = 0
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(FormPartAdmin):
    list_display = ["code", "label_fr", "kind", "section", "call", "required"]
    list_filter = ["kind", "call__programme", "call"]
    list_select_related = ["section", "call"]
    search_fields = ["code", *columns("label"), "call__title"]
    exclude = ["call"]  # the section's
    inlines = [OptionInline, TableColumnInline]


@admin.register(FormRule)
class FormRuleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "kind", "call"]
    list_filter = ["kind", "call__programme", "call"]
    list_select_related = ["call", "question"]
    autocomplete_fields = ["question", "other"]


@admin.register(FormChange)
class FormChangeAdmin(ReadOnly, admin.ModelAdmin):
    """The history of a call's form: kept as it was made, never edited."""

    list_display = ["call", "version", "kind", "summary", "made_by", "made_at"]
    list_filter = ["kind", "call__programme", "call"]
    list_select_related = ["call", "made_by"]
    search_fields = ["summary", "call__title"]


class Written(ReadOnly):
    """Written only through the staff pages (the message editor, a call's mailings), which
    check each wording, record its history and send through ``perform``."""


@admin.register(MessageTemplate)
class MessageTemplateAdmin(Written, admin.ModelAdmin):
    list_display = ["key", "programme", "changed_at", "changed_by"]
    list_filter = ["programme"]
    list_select_related = ["programme", "changed_by"]
    search_fields = ["key"]


@admin.register(MessageTemplateChange)
class MessageTemplateChangeAdmin(Written, admin.ModelAdmin):
    list_display = ["key", "programme", "action", "changed_at", "changed_by"]
    list_filter = ["programme", "action"]
    list_select_related = ["programme", "changed_by"]
    search_fields = ["key"]


class MailingEntryInline(ReadOnly, admin.TabularInline):
    model = MailingEntry
    fields = ["recipient", "application", "subject", "by_email", "email"]
    extra = 0


@admin.register(Mailing)
class MailingAdmin(Written, admin.ModelAdmin):
    list_display = ["call", "kind", "state", "created_at", "sent_at", "sent_by"]
    list_filter = ["kind", "state", "call__programme"]
    list_select_related = ["call", "sent_by"]
    inlines = [MailingEntryInline]
