"""The URLs the apps add to the site, so that the root URLconf (``portal/urls.py``) names no
app above portal.

An app registers, in its ``AppConfig.ready``:

    routes.include("labels.urls")     # its URLconf, at the site's root, in INSTALLED_APPS order
    routes.serve_home("applications.views.public.home")  # the view behind ``portal:home``

Apps are ready before the first URL is resolved, so the root URLconf finds them all.
Without a registered home, ``portal:home`` shows the portal's own page (no calls).
"""

from collections.abc import Callable

from django.utils.module_loading import import_string
from django.views.generic import TemplateView

_URLCONFS: list[str] = []
_home: str | None = None


def include(urlconf: str) -> None:
    """Serve the URLconf module ``urlconf`` (dotted path, with its ``app_name``) at the root."""
    if urlconf not in _URLCONFS:
        _URLCONFS.append(urlconf)


def urlconfs() -> list[str]:
    return list(_URLCONFS)


def serve_home(view: str) -> None:
    """Let the view at dotted path ``view`` answer the home page (one app may: the one that
    lists the open calls). A path, not the view: views are imported with the URLconf."""
    global _home
    _home = view


def home_view() -> Callable:
    if _home is None:
        return TemplateView.as_view(template_name="portal/home.html")
    return import_string(_home)
