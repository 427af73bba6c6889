from django.urls import path

from review.views import exports, reviewer, staff

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
]
# The reviewer pool's suggested assignments (review/pool.py).
from review.views import pool as pool_views  # noqa: E402

urlpatterns.append(
    path(
        "staff/calls/<slug:slug>/assignments/suggested/",
        pool_views.suggested_assignments,
        name="suggested_assignments",
    )
)
