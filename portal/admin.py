from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rules.contrib.admin import ObjectPermissionsModelAdmin

from portal import emails, privacy
from portal.forms import OrganisationForm
from portal.imports import AllOrNothingImportMixin
from portal.models import (
    BackgroundExport,
    BackgroundImport,
    ExternalIdentity,
    Invitation,
    Membership,
    Notification,
    Organisation,
    OutgoingEmail,
    StateChange,
    User,
)
from portal.resources import OrganisationResource


class HttpsURLMixin:
    """Web addresses typed without a scheme mean https (as in the portal's own forms)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ExternalIdentityInline(admin.TabularInline):
    """The sign-in services linked to the account (portal/oidc.py): shown, and removable
    (the person then links the service again from their profile); never typed in."""

    model = ExternalIdentity
    extra = 0
    fields = ["provider", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "language"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    readonly_fields = ["erased_at"]
    actions = ["erase_accounts"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "language", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = ["groups"]
    inlines = [ExternalIdentityInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting the row would blank who acted in the legal record (SET_NULL): accounts
        # are erased instead, keeping the row without the identity.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.erased_at:
            return [field.name for field in obj._meta.fields] + ["groups"]
        return self.readonly_fields

    @admin.action(
        description=_("Delete the accounts, keeping the legal record (GDPR)"),
        permissions=["change"],
    )
    def erase_accounts(self, request, queryset):
        """For a person who asks by letter: the same erasure as their own "delete my
        account", refused with the same reasons."""
        for user in queryset.filter(erased_at__isnull=True):
            try:
                privacy.erase_account(user)
            except privacy.ErasureRefused as refused:
                self.message_user(
                    request, f"{user.email}: {'; '.join(refused.reasons)}", messages.ERROR
                )
            else:
                self.message_user(
                    request, _("The account is deleted; the legal record stays."), messages.SUCCESS
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AllOrNothingImportMixin, HttpsURLMixin, ObjectPermissionsModelAdmin):
    """Organisations, with the import of legacy ones (CSV or XLSX, by enterprise number)."""

    form = OrganisationForm
    resource_classes = [OrganisationResource]
    list_display = [
        "legal_name",
        "trade_name",
        "enterprise_number_display",
        "municipality",
        "province",
        "created_at",
    ]
    list_filter = ["province", "legal_form"]
    search_fields = ["legal_name", "trade_name", "enterprise_number", "municipality"]
    readonly_fields = ["province", "created_at"]
    inlines = [MembershipInline]

    @admin.display(description=_("enterprise number (BCE)"), ordering="enterprise_number")
    def enterprise_number_display(self, organisation):
        return organisation.enterprise_number_display


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email", "organisation__legal_name"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by", "invited_by"]
    list_select_related = ["organisation", "invited_by"]


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    """The audit history: readable by administrators, never editable."""

    list_display = ["at", "content_type", "object_id", "source", "target", "by"]
    list_filter = ["content_type", "target"]
    list_select_related = ["content_type", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits for its next attempt, and what failed after
    every attempt, which administrators may send again (or delete)."""

    list_display = ["created_at", "recipient", "subject", "state", "attempts", "last_error"]
    list_filter = ["state"]
    search_fields = ["recipient", "subject"]
    fields = [
        "recipient",
        "subject",
        "body",
        "attachment_names",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("attachments"))
    def attachment_names(self, email):
        return ", ".join(name for name, _content, _mimetype in email.attachments) or "—"

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        count = emails.send_again(queryset)
        if count:
            message = ngettext(
                "%(count)d failed email queued to be sent again.",
                "%(count)d failed emails queued to be sent again.",
                count,
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        else:
            self.message_user(request, _("Only failed emails can be sent again."), messages.WARNING)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Who was told what, when, and whether they read it: to answer "I was never told".
    The text stays the recipient's (their inbox); the outbox holds what was emailed."""

    list_display = ["created_at", "recipient", "kind", "subject", "emailed", "read_at"]
    list_filter = ["kind", "emailed"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "subject"]
    fields = ["recipient", "kind", "subject", "link", "emailed", "created_at", "read_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackgroundExport)
class BackgroundExportAdmin(admin.ModelAdmin):
    """Large exports and their progress, to follow the exports queue; written by tasks only."""

    list_display = ["created_at", "owner", "kind", "format", "state", "rows_done", "rows_total"]
    list_filter = ["state", "kind", "format"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BackgroundImport)
class BackgroundImportAdmin(admin.ModelAdmin):
    """Large imports and their progress; written by the import pages and tasks only."""

    list_display = ["created_at", "owner", "model", "file_name", "state", "rows_total"]
    list_filter = ["state", "model"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
