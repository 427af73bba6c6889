import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator

# The claims of each test person beyond their name, by username (set by the test).
PEOPLE = json.loads(os.environ.get("OIDC_PROVIDER_PEOPLE", "[]"))


class Validator(OAuth2Validator):
    """Every claim for every scope, in the ID token and at the userinfo endpoint."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        person = next(p for p in PEOPLE if p["username"] == request.user.username)
        return {key: value for key, value in person["claims"].items() if value is not None}
