from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.decorators.debug import sensitive_post_parameters

from portal import routes
from portal.views import accounts, dashboards, notifications, organisations, pages
from portal.views import exports as export_views
from portal.views import imports as import_views
from portal.views import oidc as oidc_views
from portal.views import postcodes as postcode_views

account_patterns = [
    path("sign-up/", accounts.sign_up, name="sign_up"),
    path("sign-up/done/", accounts.sign_up_done, name="sign_up_done"),
    path("confirm/<uidb64>/<token>/", accounts.confirm_email, name="confirm_email"),
    path(
        "sign-in/",
        sensitive_post_parameters("password")(accounts.SignInView.as_view()),
        name="login",
    ),
    path("sign-out/", oidc_views.SignOutView.as_view(), name="logout"),
    path("sign-in/<slug:provider>/", oidc_views.start, name="oidc_start"),
    path("sign-in/<slug:provider>/callback/", oidc_views.callback, name="oidc_callback"),
    path("profile/", accounts.profile, name="profile"),
    path("personal-data.json", accounts.personal_data, name="personal_data"),
    path("delete/", accounts.account_delete, name="account_delete"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="portal/accounts/password_change.html",
            success_url=reverse_lazy("portal:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="portal/accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="portal/accounts/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("portal:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

portal_patterns = [
    # The home page lists open calls, which an app above portal serves (portal/routes.py).
    path("", routes.home_view(), name="home"),
    path("health/", pages.health, name="health"),
    path("privacy/", pages.privacy, name="privacy"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("language/", pages.set_language, name="set_language"),
    path(
        "postcodes/<str:code>/localities.json",
        postcode_views.localities,
        name="postcode_localities",
    ),
    path("accounts/", include(account_patterns)),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/<slug:role>/", dashboards.role_dashboard, name="role_dashboard"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/invite/",
        organisations.organisation_invite,
        name="organisation_invite",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        organisations.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/role/",
        organisations.membership_role,
        name="membership_role",
    ),
    path("invitations/<str:token>/", organisations.invitation, name="invitation"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/read/", notifications.mark_all_read, name="notifications_read"),
    path("notifications/<int:pk>/", notifications.notification, name="notification"),
    path("notifications/<int:pk>/read/", notifications.mark_read, name="notification_read"),
    path("exports/<uuid:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<uuid:pk>/download/", export_views.export_download, name="export_download"),
    path("imports/<uuid:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
]

# Each app adds its URLconf in its AppConfig.ready (portal/routes.py), so that portal names
# none of the apps above it.
urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    *(path("", include(urlconf)) for urlconf in routes.urlconfs()),
    path("admin/", admin.site.urls),
]

handler500 = "portal.views.pages.server_error"
