from django.urls import path

from reporting.views import exports as export_views
from reporting.views import holder, indicators, open_data, staff
from reporting.views import statistics as statistics_views

app_name = "reporting"

urlpatterns = [
    path("reports/", holder.report_list, name="list"),
    path("reports/<int:pk>/", holder.detail, name="detail"),
    path("staff/reports/", staff.report_list, name="staff_list"),
    path("staff/reports/export.<str:fmt>", export_views.export, name="staff_export"),
    path("staff/reports/<int:pk>/", staff.detail, name="staff_detail"),
    path("staff/programmes/<slug:slug>/reporting/", staff.schedule, name="schedule"),
    # A programme's indicators, defined by its officers.
    path("staff/programmes/<slug:slug>/indicators/", indicators.overview, name="indicators"),
    path("staff/programmes/<slug:slug>/indicators/new/", indicators.edit, name="indicator_add"),
    path("staff/programmes/<slug:slug>/indicators/<int:pk>/", indicators.edit, name="indicator"),
    path(
        "staff/programmes/<slug:slug>/indicators/<int:pk>/remove/",
        indicators.remove,
        name="indicator_remove",
    ),
    path(
        "staff/programmes/<slug:slug>/indicators/<int:pk>/retire/",
        indicators.retire,
        name="indicator_retire",
    ),
    path(
        "staff/programmes/<slug:slug>/indicators/<int:pk>/reinstate/",
        indicators.reinstate,
        name="indicator_reinstate",
    ),
    path(
        "staff/programmes/<slug:slug>/indicators/<int:pk>/move/<str:direction>/",
        indicators.move,
        name="indicator_move",
    ),
    path("open-data/grants.json", open_data.grants_json, name="open_data_json"),
    path("open-data/grants.csv", open_data.grants_csv, name="open_data_csv"),
    path("open-data/", open_data.index, name="open_data"),
    path("open-data/catalog.jsonld", open_data.catalogue_jsonld, name="open_data_catalogue"),
    path("open-data/labels.json", open_data.labels_json, name="open_data_labels_json"),
    path("open-data/labels.csv", open_data.labels_csv, name="open_data_labels_csv"),
    path(
        "open-data/programme-statistics.csv",
        open_data.statistics_csv,
        name="open_data_statistics_csv",
    ),
    path("staff/statistics/", statistics_views.statistics_page, name="statistics"),
    path("staff/statistics/report.pdf", statistics_views.report, name="statistics_report"),
]
