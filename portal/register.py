"""What the enterprise register (BCE/KBO open data, ``portal.registermodels``) tells the
portal: whether a register is loaded, an enterprise's standing, and the details that prefill
an organisation's form ("only once": we do not ask what the register already knows).

An enterprise counts as stopped when it left the extract (the open data lists active
entities only), when its status is not active, or when its juridical situation ends it:
bankruptcy, dissolution, liquidation (``STOPPING_SITUATIONS``, codes of the register's
``JuridicalSituation`` table; docs/enterprise-register.md).
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import bce
from portal.registermodels import (
    Activity,
    Denomination,
    Enterprise,
    EnterpriseAddress,
    RegisterCode,
    RegisterExtract,
)

# Juridical situations that end an enterprise (code.csv, category JuridicalSituation):
# the 01x codes are dissolutions and liquidations, the 05x codes bankruptcy (opened, then
# closed), 090 a file cancelled. Normal life (000), creation (001), extension (002), number
# replacement (003) and mergers or transfers keep it going.
STOPPING_SITUATIONS = (
    "010",
    "011",
    "012",
    "013",
    "014",
    "015",
    "016",
    "017",
    "018",
    "019",
    "050",
    "051",
    "052",
    "053",
    "090",
)

# The register's legal forms (code.csv, category JuridicalForm) we can name among ours;
# the form under the Code of Companies and Associations wins when the register gives one.
LEGAL_FORMS = {
    "017": "ASBL",  # association sans but lucratif
    "610": "SRL",  # société à responsabilité limitée
    "015": "SRL",  # société privée à responsabilité limitée (before 2019)
    "014": "SA",  # société anonyme
    "706": "SC",  # société coopérative
    "008": "SC",  # société coopérative à responsabilité limitée (before 2019)
    "006": "SC",  # société coopérative à responsabilité illimitée (before 2019)
    "011": "SNC",  # société en nom collectif
    "012": "SCOMM",  # société en commandite simple
    "612": "SCOMM",  # société en commandite
    "026": "FOND",  # fondation privée
    "029": "FOND",  # fondation d'utilité publique
    "416": "INTER",  # association de communes (intercommunale)
    "417": "INTER",  # intercommunale
    "124": "OIP",  # établissement public
}
NATURAL_PERSON = "1"
LEGAL_NAME, ABBREVIATION, TRADE_NAME = "001", "002", "003"
SEAT = "REGO"
MAIN = "MAIN"
# The register's language codes (code.csv, category Language) by portal language.
LANGUAGES = {"fr": "1", "nl": "2", "de": "3", "en": "4"}


def is_loaded() -> bool:
    """Whether a full extract has been loaded: only then is an unknown number refused."""
    return RegisterExtract.objects.filter(kind=RegisterExtract.Kind.FULL).exists()


def describe(category: str, code: str, language: str | None = None) -> str:
    """The register's words for ``code`` in the active language (French, then Dutch, then
    any, when it has none in that language); the code itself when unknown."""
    wanted = (language or get_language() or "fr")[:2].upper()
    words = dict(
        RegisterCode.objects.filter(category=category, code=code).values_list(
            "language", "description"
        )
    )
    for choice in (wanted, "FR", "NL", "DE", "EN"):
        if words.get(choice):
            return words[choice]
    return code


def stop_reason(enterprise: Enterprise) -> str | None:
    """Why the register counts ``enterprise`` as stopped, in the active language; None when
    it is active. The SQL twin is ``Enterprise.objects.stopped()``."""
    if enterprise.left_register_on is not None:
        return _("no longer in the register since %(date)s") % {
            "date": enterprise.left_register_on.strftime("%d/%m/%Y")
        }
    if enterprise.status != Enterprise.ACTIVE:
        return describe("Status", enterprise.status)
    if enterprise.juridical_situation in STOPPING_SITUATIONS:
        return describe("JuridicalSituation", enterprise.juridical_situation)
    return None


@dataclass
class Details:
    """What the register says of an enterprise, in the organisation form's terms."""

    number: str
    legal_name: str = ""
    trade_name: str = ""
    legal_form: str = ""
    street: str = ""
    postcode: str = ""
    municipality: str = ""
    activity_codes: str = ""
    stopped: str | None = None
    activities: list[tuple[str, str]] = field(default_factory=list)

    def initial(self) -> dict[str, str]:
        """The form fields this fills (those the register leaves empty are left out)."""
        names = [
            "legal_name",
            "trade_name",
            "legal_form",
            "street",
            "postcode",
            "municipality",
            "activity_codes",
        ]
        return {name: getattr(self, name) for name in names if getattr(self, name)}


def lookup(number: str) -> Details | None:
    """The register's details of the enterprise ``number`` (any spelling), or None when the
    register does not know it."""
    number = bce.normalise(number)
    enterprise = Enterprise.objects.filter(number=number).first()
    if enterprise is None:
        return None
    details = Details(number=number, stopped=stop_reason(enterprise))
    language = LANGUAGES.get((get_language() or "fr")[:2], "1")
    names = list(Denomination.objects.filter(number=number).values_list("type", "language", "name"))
    details.legal_name = _pick(names, LEGAL_NAME, language)
    details.trade_name = _pick(names, TRADE_NAME, language) or _pick(names, ABBREVIATION, language)
    if details.trade_name == details.legal_name:
        details.trade_name = ""
    if enterprise.type_of_enterprise == NATURAL_PERSON:
        details.legal_form = "PP"
    else:
        form = enterprise.juridical_form_cac or enterprise.juridical_form
        details.legal_form = LEGAL_FORMS.get(form, "")
    seat = EnterpriseAddress.objects.filter(
        number=number, type=SEAT, struck_off_on__isnull=True
    ).first()
    if seat is not None and not (seat.country_fr or seat.country_nl):
        street = seat.street_fr or seat.street_nl
        if language == "2":
            street = seat.street_nl or seat.street_fr
        house = " ".join(
            part for part in (seat.house_number, seat.box and f"bte {seat.box}") if part
        )
        details.street = f"{street} {house}".strip()
        details.postcode = seat.zipcode
        details.municipality = seat.municipality_fr or seat.municipality_nl
        if language == "2":
            details.municipality = seat.municipality_nl or seat.municipality_fr
    details.activities = main_activities(number)
    details.activity_codes = ", ".join(code for code, _words in details.activities)
    return details


def main_activities(number: str) -> list[tuple[str, str]]:
    """The enterprise's main activities in the newest NACE version it has, each once
    whatever the activity groups that list it: (code as "62.010", its words)."""
    rows = Activity.objects.filter(number=number, classification=MAIN)
    newest = rows.order_by("-nace_version").values_list("nace_version", flat=True).first()
    if newest is None:
        return []
    codes = sorted(set(rows.filter(nace_version=newest).values_list("nace_code", flat=True)))
    return [(display_nace(code), describe(f"Nace{newest}", code)) for code in codes]


def display_nace(code: str) -> str:
    """A NACE-BEL code the way it is printed: ``62010`` → ``62.010``."""
    return f"{code[:2]}.{code[2:]}" if len(code) > 2 and code.isdigit() else code


def _pick(names: list[tuple[str, str, str]], kind: str, language: str) -> str:
    """The name of ``kind`` in ``language`` if the register has one, else in any language."""
    of_kind = [(lang, name) for type_, lang, name in names if type_ == kind]
    for lang, name in of_kind:
        if lang == language:
            return name
    return of_kind[0][1] if of_kind else ""
