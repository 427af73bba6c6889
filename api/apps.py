from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (``/api/v1/``) and its tokens, at the top of the apps: it reads every
    app below it and nothing imports it (docs/api.md)."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import panels, schema  # noqa: F401 (the schema's extension registers itself)
        from api import privacy as api_privacy
        from portal import dashboards, privacy, routes

        routes.include("api.urls")
        privacy.register(api_privacy.HOLDER)
        # The profile page links to the person's API tokens when they may make some.
        dashboards.register("profile_page", panels.tokens_panel)
