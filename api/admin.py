from django.contrib import admin

from api.models import ApiCall, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners on their profile; the admin reads and revokes."""

    list_display = ["name", "prefix", "user", "expires_on", "revoked_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "name", "prefix", "scopes", "created_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    """The log of API calls, read-only."""

    list_display = ["at", "method", "path", "status", "user", "token"]
    list_filter = ["status", "method"]
    search_fields = ["path", "user__email", "token__prefix"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
