"""The admin under Guichet's name, and the one place where the portal's Content Security
Policy lets in inline code: the few attributes django-import-export's export page writes."""

import base64
import hashlib

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

# What admin/import_export/export.html (django-import-export 4) writes inline. Each is
# allowed by its hash alone ('unsafe-hashes' is how CSP names hashes of attributes); no other
# inline code runs, in the admin or elsewhere.
IMPORT_EXPORT_INLINE = {
    "style-src": ["padding: 0;", "font-weight: bold;"],
    "script-src": ["onSelectToggleChange(event)"],
}


def source_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


ADMIN_CSP = {
    directive: ["'unsafe-hashes'", *(source_hash(source) for source in sources)]
    for directive, sources in IMPORT_EXPORT_INLINE.items()
}


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Guichet administration")
    site_title = _("Guichet administration")

    def admin_view(self, view, cacheable=False):
        return csp_update(ADMIN_CSP)(super().admin_view(view, cacheable))


class GuichetAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`GuichetAdminSite` as ``admin.site``."""

    default_site = "portal.adminsite.GuichetAdminSite"
