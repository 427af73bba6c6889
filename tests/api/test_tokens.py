"""Staff make API tokens on their profile: scopes among what they may read, a last valid
day, the secret shown once and stored hashed; they revoke them."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from tests.api.conftest import call_api

pytestmark = pytest.mark.django_db


def make(client, **data):
    defaults = {
        "name": "Comptabilité",
        "scopes": ["read:public", "read:programme:programme-a"],
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    return client.post(reverse("api:tokens"), {**defaults, **data})


def test_the_profile_links_staff_to_their_tokens(client, officer_a, founder):
    client.force_login(officer_a)
    assert reverse("api:tokens") in client.get(reverse("portal:profile")).content.decode()

    client.force_login(founder)
    assert reverse("api:tokens") not in client.get(reverse("portal:profile")).content.decode()
    assert client.get(reverse("api:tokens")).status_code == 404


def test_a_new_token_is_shown_once_and_stored_hashed(client, officer_a, a):
    client.force_login(officer_a)

    page = make(client).content.decode()

    secret = re.search(r"gch_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", page)[0]
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(vars(token).values())
    assert token.scopes == ["read:programme:programme-a", "read:public"]
    later = client.get(reverse("api:tokens")).content.decode()
    assert secret not in later and f"gch_{token.prefix}" in later
    assert call_api(reverse("api:applications", args=["call-a"]), secret).status_code == 200


def test_only_the_programmes_one_reads_can_be_scoped(client, officer_a, a, b):
    client.force_login(officer_a)
    page = client.get(reverse("api:tokens")).content.decode()

    refused = make(client, scopes=["read:programme:programme-b"])

    assert "read:programme:programme-a" in page and "read:programme:programme-b" not in page
    assert refused.status_code == 400 and "error-summary" in refused.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("days", "made"), [(-1, False), (0, True), (366, True), (367, False)])
def test_a_token_lives_a_year_at_most(client, officer_a, a, days, made):
    client.force_login(officer_a)

    make(client, expires_on=(timezone.localdate() + dt.timedelta(days=days)).isoformat())

    assert ApiToken.objects.exists() == made


def test_a_revoked_token_stops_working(client, officer_a, ministry_a, a):
    client.force_login(officer_a)
    secret = re.search(r"gch_\S+?(?=<)", make(client).content.decode())[0]
    token = ApiToken.objects.get()

    client.force_login(ministry_a)
    stranger = client.post(reverse("api:token_revoke", args=[token.pk]))
    client.force_login(officer_a)
    revoked = client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)

    assert stranger.status_code == 404
    assert ApiToken.objects.get().revoked_at is not None
    assert reverse("api:token_revoke", args=[token.pk]) not in revoked.content.decode()
    assert call_api(reverse("api:programmes"), secret).status_code == 401


def test_a_person_downloads_their_tokens_and_calls_and_erasing_the_account_removes_tokens(
    client, officer_a, a
):
    from api.privacy import HOLDER
    from portal import privacy

    client.force_login(officer_a)
    secret = re.search(r"gch_\S+?(?=<)", make(client).content.decode())[0]
    call_api(reverse("api:programmes"), secret)

    data = privacy.personal_data(officer_a)
    HOLDER.erase(officer_a)

    assert [t["name"] for t in data["api_tokens"]] == ["Comptabilité"]
    assert secret not in str(data)
    assert data["api_calls"]["count"] == 1
    assert data["api_calls"]["last"][0]["path"] == "/api/v1/programmes/"
    assert not ApiToken.objects.exists()
