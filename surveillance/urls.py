from django.urls import path

from surveillance.views import documents, holder, public, staff

app_name = "surveillance"

urlpatterns = [
    path("labels/<str:number>/report-a-problem/", public.report_problem, name="report_problem"),
    path("labels/<str:number>/evidence/", holder.evidence, name="evidence"),
    path("labels/<str:number>/evidence/<int:pk>/", documents.evidence_file, name="evidence_file"),
    path("non-conformities/", holder.case_list, name="cases"),
    path("non-conformities/<int:pk>/", holder.case_detail, name="case"),
    path(
        "non-conformities/<int:pk>/answers/<int:answer_pk>/",
        documents.answer_file,
        name="answer_file",
    ),
    path("staff/non-conformities/", staff.case_list, name="staff_cases"),
    path("staff/non-conformities/<int:pk>/", staff.case_detail, name="staff_case"),
    path("staff/visitor-reports/", staff.visitor_report_list, name="visitor_reports"),
    path("staff/visitor-reports/<int:pk>/", staff.visitor_report_detail, name="visitor_report"),
    path("staff/programmes/<slug:slug>/conditions/", staff.condition_list, name="conditions"),
    path(
        "staff/programmes/<slug:slug>/conditions/add/",
        staff.condition_form,
        name="condition_add",
    ),
    path(
        "staff/programmes/<slug:slug>/conditions/<int:pk>/",
        staff.condition_form,
        name="condition_edit",
    ),
    path(
        "staff/programmes/<slug:slug>/conditions/<int:pk>/in-force/",
        staff.condition_in_force,
        name="condition_in_force",
    ),
]
