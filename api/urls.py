from django.urls import path

from api.views import endpoints, tokens

app_name = "api"

urlpatterns = [
    path("api/v1/", endpoints.Root.as_view(), name="root"),
    path("api/v1/schema/", endpoints.Schema.as_view(), name="schema"),
    path("api/v1/docs/", endpoints.Docs.as_view(url_name="api:schema"), name="docs"),
    path("api/v1/programmes/", endpoints.ProgrammeList.as_view(), name="programmes"),
    path("api/v1/calls/", endpoints.CallList.as_view(), name="calls"),
    path(
        "api/v1/calls/<slug:slug>/applications/",
        endpoints.CallApplications.as_view(),
        name="applications",
    ),
    path(
        "api/v1/calls/<slug:slug>/decisions/",
        endpoints.CallDecisions.as_view(),
        name="decisions",
    ),
    path("api/v1/labels/", endpoints.LabelList.as_view(), name="labels"),
    path("api/v1/labels/<str:number>/", endpoints.LabelDetail.as_view(), name="label"),
    path("api/v1/grants/", endpoints.GrantList.as_view(), name="grants"),
    path("api/v1/reports/", endpoints.ReportList.as_view(), name="reports"),
    path("accounts/api-tokens/", tokens.token_list, name="tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
