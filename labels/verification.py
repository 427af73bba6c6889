"""Verifiable labels: the signed statement a certificate carries, the signed status list of
the labels no longer to be trusted, and the verdict on a scanned token (docs/verifiable-labels.md).

A label's statement is a JWT signed with the agency's key (``labels.signing``): who holds
the label (name, enterprise number), of which programme, its number and validity. The
certificate's QR code holds the verification page's address with the statement, so that
a phone app checks it offline against ``/.well-known/jwks.json``. What a signature cannot
say — that a label was suspended, revoked or replaced since — the status list says: signed
too, dated (``iat``) so that an offline verifier knows how fresh its answer is, published
again after every change of a label's state and by the daily job.

Two verdicts on a token: ``verify_online`` (the verification page: the database says the
label's state) and ``verify_offline`` (``manage.py verify_label``: only the key set, the
status list and the clock it is given).
"""

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labels import signing
from labels.models import Label, SigningKey, StatusList
from portal import dates, links

# The states the status list names: a certificate of such a label must not be trusted,
# although its signature checks and its validity has not passed.
LISTED_STATES = (Label.State.SUSPENDED, Label.State.REVOKED, Label.State.RENEWED)


class Verdict:
    """What a verifier says of a token, in the words of ``Result.message``."""

    VALID = "valid"
    FORGED = "forged"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    RENEWED = "renewed"
    STALE = "stale"


@dataclass
class Result:
    """A verdict, the claims it was drawn from (none when forged), whether a retired key
    signed them, and the status list it relied on (offline)."""

    verdict: str
    claims: dict[str, Any] = field(default_factory=dict)
    retired_key: bool = False
    label: Label | None = None
    status_issued_at: dt.datetime | None = None

    @property
    def trusted(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def message(self) -> str:
        """The verdict in the active language."""
        if self.verdict == Verdict.STALE:
            if self.status_issued_at is None:
                return _(
                    "Authentic certificate, but no trustworthy list of suspended and revoked "
                    "labels is at hand: check the label online before trusting it."
                )
            return _(
                "Authentic certificate, but the list of suspended and revoked labels at hand "
                "dates from %(date)s: check the label online before trusting it."
            ) % {"date": dates.long_datetime(self.status_issued_at)}
        return {
            Verdict.VALID: _("Authentic certificate: the agency signed it and the label is valid."),
            Verdict.FORGED: _(
                "Forged certificate: its code was not signed by the agency. Do not trust it."
            ),
            Verdict.EXPIRED: _("Authentic certificate, but the label has expired."),
            Verdict.SUSPENDED: _(
                "Authentic certificate, but the label is suspended: it is not valid while "
                "suspended."
            ),
            Verdict.REVOKED: _(
                "Authentic certificate, but the label has been revoked: it is no longer valid."
            ),
            Verdict.RENEWED: _(
                "Authentic certificate, but the label has been replaced by a new label."
            ),
        }[self.verdict]

    @property
    def valid_from(self) -> dt.date | None:
        return _claimed_date(self.claims, "valid_from")

    @property
    def valid_until(self) -> dt.date | None:
        return _claimed_date(self.claims, "valid_until")

    @property
    def retired_key_note(self) -> str:
        return _(
            "It was signed with an earlier key of the agency, retired since; what that key "
            "signed remains authentic."
        )


def _claimed_date(claims: dict[str, Any], name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(claims[name])
    except (KeyError, TypeError, ValueError):
        return None


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in Brussels."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def statement_claims(label: Label, now: dt.datetime | None = None) -> dict[str, Any]:
    """What a label's certificate states, as JWT claims; ``exp`` ends its validity for
    verifiers that read only registered claims."""
    now = now or timezone.now()
    organisation, programme = label.organisation, label.programme
    return {
        "iss": links.site_url(),
        "sub": label.number,
        "iat": signing.timestamp(now),
        "exp": signing.timestamp(_end_of(label.valid_until)),
        "holder": {
            "name": organisation.legal_name,
            "enterprise_number": organisation.enterprise_number,
        },
        "programme": {
            "name": programme.name,
            "label": programme.label_name,
            "agency": programme.managing_agency,
        },
        "valid_from": label.issued_on.isoformat(),
        "valid_until": label.valid_until.isoformat(),
    }


# What a statement says of its label: when one of these changes (an administrator corrects
# the number, the holder or the dates, or an import does), the kept statement no longer
# tells the truth and is signed again.
STATED = ("sub", "holder", "valid_from", "valid_until")


def _stated(claims: dict[str, Any]) -> dict[str, Any]:
    return {name: claims.get(name) for name in STATED}


def _kept_claims(token: str) -> dict[str, Any]:
    """The claims of a statement the portal signed itself (read, not verified)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def signed_statement(label: Label) -> str:
    """The label's statement, signed on first need and then kept while it states the label
    as it stands: every copy of its certificate carries the same (a key rotated since
    leaves it verifiable); a correction of what it states signs it again."""
    claims = statement_claims(label)
    if not label.statement or _stated(_kept_claims(label.statement)) != _stated(claims):
        label.statement = signing.sign(claims)
        Label.objects.filter(pk=label.pk).update(statement=label.statement)
    return label.statement


def token_url(label: Label, request=None) -> str:
    """The verification page's address carrying the label's statement: what the QR code
    holds."""
    return f"{label.verification_url(request)}?{urlencode({'token': signed_statement(label)})}"


def token_from(text: str) -> str | None:
    """The token in what a visitor typed or scanned: a verification address carrying one,
    or the token itself; ``None`` for anything else (a label number)."""
    text = (text or "").strip()
    if "token=" in text:
        text = (parse_qs(urlsplit(text).query).get("token") or [""])[0]
    return text if text.count(".") == 2 and text.startswith("eyJ") else None


def withdraw_key(kid: str) -> list[str]:
    """Stop trusting a compromised key: it leaves the published key set (a new key signs
    from now on if it was in use), the labels whose statement it signed lose that statement
    (their next certificate is signed with the key in use) and the status list is signed
    again. Returns the numbers of those labels: their printed certificates no longer
    verify and must be replaced."""
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(kid=kid)
        if key.retired_at is None:
            signing.rotate()
        signed = [
            (pk, number)
            for pk, number, statement in Label.objects.exclude(statement="")
            .values_list("pk", "number", "statement")
            .iterator()
            if signing.kid_of(statement) == kid
        ]
        Label.objects.filter(pk__in=[pk for pk, _number in signed]).update(statement="")
        key.delete()
        refresh_status_list()
    return sorted(number for _pk, number in signed)


# --- the status list ------------------------------------------------------------------


def status_list_claims(now: dt.datetime) -> dict[str, Any]:
    """The labels a verifier must not trust although their certificate's signature checks
    and their validity has not passed. A label past its validity is left out: its own
    statement says it has expired."""
    rows = (
        Label.objects.filter(state__in=LISTED_STATES, valid_until__gte=timezone.localdate(now))
        .order_by("number")
        .values_list("number", "state")
    )
    return {
        "iss": links.site_url(),
        "iat": signing.timestamp(now),
        "labels": [{"number": number, "status": state} for number, state in rows],
    }


def publish_status_list(now: dt.datetime | None = None) -> StatusList:
    """Sign and publish the status list as it stands; earlier ones are deleted."""
    now = now or timezone.now()
    claims = status_list_claims(now)
    with transaction.atomic():
        published = StatusList.objects.create(
            issued_at=now, token=signing.sign(claims), content=claims
        )
        StatusList.objects.exclude(pk=published.pk).filter(issued_at__lte=now).delete()
    return published


def refresh_status_list() -> None:
    """Publish the status list again once the current transaction commits (a label's
    state changed in it); called by the services that change a label's state."""
    transaction.on_commit(publish_status_list)


def current_status_list() -> StatusList:
    """The status list last published (published now if there is none yet)."""
    return StatusList.objects.first() or publish_status_list()


# --- verdicts -------------------------------------------------------------------------


def _passed(claims: dict[str, Any], today: dt.date) -> bool:
    valid_until = _claimed_date(claims, "valid_until")
    return valid_until is None or valid_until < today


def verify_online(token: str, number: str | None = None) -> Result:
    """The verdict of the verification page: the published keys check the signature, the
    database says the label's state."""
    try:
        verified = signing.verify(token, signing.jwks())
    except signing.Forged:
        return Result(Verdict.FORGED)
    claims = verified.claims
    label = (
        Label.objects.select_related("programme", "organisation", "superseded_by")
        .filter(number=claims.get("sub"))
        .first()
    )
    if label is None or (number is not None and number != label.number):
        return Result(Verdict.FORGED)
    state = label.effective_state
    if _passed(claims, timezone.localdate()) or state == Label.State.EXPIRED:
        verdict = Verdict.EXPIRED
    else:
        verdict = {
            Label.State.ACTIVE: Verdict.VALID,
            Label.State.SUSPENDED: Verdict.SUSPENDED,
            Label.State.REVOKED: Verdict.REVOKED,
            Label.State.RENEWED: Verdict.RENEWED,
        }[state]
    return Result(verdict, claims=claims, retired_key=verified.retired, label=label)


def verify_offline(
    token: str,
    key_set: dict[str, Any],
    status_list: str | None,
    *,
    now: dt.datetime,
    max_age: dt.timedelta,
) -> Result:
    """The verdict of a verifier without the database: ``key_set`` (the published JWKS),
    ``status_list`` (the published token, ``None`` when there is none at hand) and ``now``.
    A status list older than ``max_age`` cannot vouch for a label: the verdict is stale."""
    try:
        verified = signing.verify(token, key_set)
    except signing.Forged:
        return Result(Verdict.FORGED)
    claims = verified.claims
    result = Result(Verdict.VALID, claims=claims, retired_key=verified.retired)
    if _passed(claims, timezone.localdate(now)):
        result.verdict = Verdict.EXPIRED
        return result
    try:
        status = signing.verify(status_list or "", key_set).claims
        issued_at = dt.datetime.fromtimestamp(int(status["iat"]), tz=dt.UTC)
        listed = {entry["number"]: entry["status"] for entry in status["labels"]}
    except (signing.Forged, KeyError, TypeError, ValueError):
        result.verdict = Verdict.STALE
        return result
    result.status_issued_at = issued_at
    if listed.get(claims.get("sub")) in LISTED_STATES:
        result.verdict = listed[claims["sub"]]
    elif now - issued_at > max_age:
        result.verdict = Verdict.STALE
    return result
