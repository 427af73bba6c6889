from django.contrib import admin

from labels.models import Label
from labels.resources import LabelResource
from portal.admin import HttpsURLMixin
from portal.imports import AllOrNothingImportMixin


@admin.register(Label)
class LabelAdmin(AllOrNothingImportMixin, HttpsURLMixin, admin.ModelAdmin):
    """Labels, with the import of legacy ones (CSV or XLSX; see ``LabelResource`` for the
    dossier a legacy label is given). States change through the staff pages only."""

    resource_classes = [LabelResource]
    list_display = ["number", "space_name", "organisation", "programme", "state", "valid_until"]
    list_filter = ["state", "programme", "province"]
    list_select_related = ["organisation", "programme"]
    search_fields = ["number", "space_name", "organisation__legal_name", "municipality"]
    readonly_fields = ["state", "application", "superseded_by"]
    autocomplete_fields = ["organisation"]

    def has_delete_permission(self, request, obj=None):
        # A label and its history are the programme's legal record.
        return False
