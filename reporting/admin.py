from django.contrib import admin

from portal.imports import AllOrNothingImportMixin
from reporting.models import ActivityReport, ReportingSchedule
from reporting.resources import ActivityReportResource


@admin.register(ActivityReport)
class ActivityReportAdmin(AllOrNothingImportMixin, admin.ModelAdmin):
    """Activity reports, with the import of legacy ones (CSV or XLSX, identified by label
    number and period start, a column per indicator). States change through the staff
    pages only. The values are edited as stored (by indicator code), checked against the
    indicators the report asks."""

    resource_classes = [ActivityReportResource]
    list_display = ["label", "period_start", "period_end", "due_on", "state", "submitted_at"]
    list_filter = ["state", "label__programme", "period_start"]
    list_select_related = ["label"]
    search_fields = ["label__number", "label__space_name", "label__organisation__legal_name"]
    fields = ["label", "period_start", "period_end", "due_on", "state", "values", "narrative"]
    readonly_fields = ["state"]
    autocomplete_fields = ["label"]
    date_hierarchy = "period_start"

    def get_readonly_fields(self, request, obj=None):
        # A filed report is locked, here as on the founder's page.
        if obj is not None and not obj.is_editable:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(admin.ModelAdmin):
    list_display = ["programme", "frequency", "starts_on", "days_allowed"]
