"""Who manages a programme's webhooks: its officers and the administrators (the queryset
twin is ``Endpoint.objects.managed_by``)."""

import rules

from applications.rules import is_programme_officer
from portal.rules import is_admin

rules.add_perm("webhooks.manage_endpoints", is_programme_officer | is_admin)
