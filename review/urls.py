from django.urls import path

from review.views import consensus, exports, hearings, pool, redress, reviewer, staff, summary

app_name = "review"

urlpatterns = [
    path("review/", reviewer.assignment_list, name="assignments_mine"),
    path("review/<int:pk>/", reviewer.assignment_detail, name="assignment"),
    path("review/<int:pk>/documents/<int:document_pk>/", reviewer.document, name="document"),
    path("staff/calls/<slug:slug>/criteria/", staff.criteria, name="criteria"),
    path("staff/calls/<slug:slug>/assignments/", staff.assignments, name="assignments"),
    path("staff/calls/<slug:slug>/ranking/", staff.ranking_page, name="ranking"),
    path("staff/calls/<slug:slug>/ranking/<int:pk>/", staff.propose, name="propose"),
    path("staff/calls/<slug:slug>/jury/close/", staff.close_jury, name="close_jury"),
    path("staff/calls/<slug:slug>/jury/minutes.pdf", staff.jury_minutes, name="jury_minutes"),
    path("staff/calls/<slug:slug>/decisions/", staff.decisions, name="decisions"),
    path("staff/calls/<slug:slug>/decisions/<int:pk>/", staff.decide, name="decide"),
    path(
        "staff/calls/<slug:slug>/reviews/export.<str:fmt>",
        exports.reviews_export,
        name="reviews_export",
    ),
    path("review/consensus/<int:pk>/", consensus.consensus_page, name="consensus"),
    path("review/consensus/<int:pk>/approve/", consensus.approve, name="approve_consensus"),
    path(
        "review/consensus/<int:pk>/send-back/",
        consensus.send_back,
        name="send_back_consensus",
    ),
    path("staff/calls/<slug:slug>/consensus/", consensus.consensus_list, name="consensus_list"),
    path(
        "staff/calls/<slug:slug>/ranking/<int:pk>/rapporteur/",
        consensus.name_rapporteur,
        name="name_rapporteur",
    ),
    path("staff/calls/<slug:slug>/shortlist/<int:pk>/", hearings.shortlist, name="shortlist"),
    path("staff/calls/<slug:slug>/hearings/", hearings.hearings, name="hearings"),
    path("staff/calls/<slug:slug>/hearings/<int:pk>/", hearings.hearing, name="hearing"),
    path(
        "applications/<int:pk>/evaluation-summary.pdf",
        summary.evaluation_summary,
        name="evaluation_summary",
    ),
    path(
        "staff/calls/<slug:slug>/assignments/suggested/",
        pool.suggested_assignments,
        name="suggested_assignments",
    ),
    path("applications/<int:pk>/complaints/", redress.file_complaint, name="file_complaint"),
    path("staff/calls/<slug:slug>/complaints/", redress.complaints, name="complaints"),
    path(
        "staff/calls/<slug:slug>/complaints/export.<str:fmt>",
        redress.complaints_export,
        name="complaints_export",
    ),
    path("staff/complaints/<int:pk>/", redress.complaint, name="complaint"),
    path(
        "complaints/<int:pk>/document/",
        redress.complaint_document,
        name="complaint_document",
    ),
]
