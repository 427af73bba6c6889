"""What the API adds to the portal's pages (registered in ``apps.py``)."""

from api.scopes import may_make_tokens
from portal.dashboards import Panel


def tokens_panel(user) -> Panel | None:
    """The profile page links staff to their API tokens."""
    if not may_make_tokens(user):
        return None
    return Panel("api/panels/profile.html")
