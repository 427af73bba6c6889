"""The roles people hold in Guichet.

Staff roles are Django groups (``officer``, ``reviewer``, ``ministry``); administrators are
superusers; everyone who signs in may act as an applicant for their organisations. Later,
staff roles are also granted per programme; the groups say who belongs to each staff body.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    MINISTRY = "ministry", _("ministry")
    OFFICER = "officer", _("programme officer")
    REVIEWER = "reviewer", _("reviewer")
    APPLICANT = "applicant", _("applicant")


# Groups created by migration 0002; their names are the role codes.
STAFF_GROUPS = (Role.OFFICER, Role.REVIEWER, Role.MINISTRY)


def roles_of(user) -> list[Role]:
    """The roles ``user`` holds, most senior first; cached on the user for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_guichet_roles", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    roles = [role for role in Role if role in groups]
    if user.is_superuser:
        roles.insert(0, Role.ADMIN)
    roles.append(Role.APPLICANT)
    user._guichet_roles = roles
    return roles


def primary_role(user) -> Role:
    """The role whose dashboard ``user`` lands on after signing in."""
    return roles_of(user)[0]
