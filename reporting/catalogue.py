"""The open-data catalogue: the datasets the portal publishes and their DCAT-AP description.

:data:`DATASETS` is the one list of what is published — each dataset, its distributions (a
URL name, a file type and a media type) and how often it changes; the ``/open-data/`` page
and the DCAT-AP catalogue (JSON-LD, ``/open-data/catalog.jsonld``) are both drawn from it, so
a harvester (the Walloon open-data portal, data.europa.eu) finds exactly the files the page
lists. Titles, descriptions and keywords are translated strings, written into the catalogue
in every language of the portal with their language tags. Controlled values come from the EU
vocabularies (licence, frequency, file type, language, theme, access right) and IANA (media
types), as DCAT-AP 3 asks.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import links
from reporting import datasets

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "dcatap": "http://data.europa.eu/r5r/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The EU language authority's code of each portal language.
EU_LANGUAGES = {"fr": "FRA", "de": "DEU", "nl": "NLD", "en": "ENG"}


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset: where it is, its EU file type and its IANA media type."""

    url_name: str
    file_type: str  # http://publications.europa.eu/resource/authority/file-type/<code>
    media_type: str  # as the response's Content-Type announces it, without parameters
    conforms_to: str = ""  # the standard the file follows, when there is one

    @property
    def key(self) -> str:
        return self.url_name.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Dataset:
    """A dataset of the catalogue; ``key`` names its coverage in ``datasets.coverage()``."""

    key: str
    title: Any
    description: Any
    keywords: tuple[Any, ...]
    frequency: str  # http://publications.europa.eu/resource/authority/frequency/<code>
    distributions: tuple[Distribution, ...]


THREE_SIXTY_GIVING = "https://standard.threesixtygiving.org/en/latest/"

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        key="grants",
        title=_("Grants awarded"),
        description=_(
            "Every grant awarded by a ministerial decision: the project, the amount, the date "
            "of the decision, the recipient organisation and the funder, in the 360Giving "
            "standard. Grants to sole traders name no person."
        ),
        keywords=(_("grants"), _("public funding"), "360Giving"),
        # Grants follow ministerial decisions, which come when a call's jury has sat.
        frequency="IRREG",
        distributions=(
            Distribution(
                "reporting:open_data_json", "JSON", "application/json", THREE_SIXTY_GIVING
            ),
            Distribution("reporting:open_data_csv", "CSV", "text/csv", THREE_SIXTY_GIVING),
        ),
    ),
    Dataset(
        key="labels",
        title=_("Directory of labels"),
        description=_(
            "Every label issued: its number, the name, municipality and province of the "
            "labelled space, the programme, its validity and its standing (valid, "
            "suspended, revoked, expired or renewed)."
        ),
        keywords=(_("labels"), _("labelled spaces"), _("directory")),
        # Labels expire and change standing every day (the daily expiry job).
        frequency="DAILY",
        distributions=(
            Distribution("reporting:open_data_labels_csv", "CSV", "text/csv"),
            Distribution("reporting:open_data_labels_json", "JSON", "application/json"),
        ),
    ),
    Dataset(
        key="statistics",
        title=_("Programme statistics by year and province"),
        description=_(
            "For each programme, year and province: the applications submitted and granted, "
            "the amounts granted and the labels in force."
        ),
        keywords=(_("statistics"), _("grants"), _("labels")),
        frequency="DAILY",
        distributions=(Distribution("reporting:open_data_statistics_csv", "CSV", "text/csv"),),
    ),
)


# How often each dataset changes, in words, for the page.
FREQUENCIES = {"IRREG": _("after each ministerial decision"), "DAILY": _("daily")}
# The licences people know by name; any other shows as its address.
LICENCE_NAMES = {
    f"{EU}licence/CC_BY_4_0": _("Creative Commons Attribution 4.0 (CC BY 4.0)"),
    "https://creativecommons.org/licenses/by/4.0/": _(
        "Creative Commons Attribution 4.0 (CC BY 4.0)"
    ),
}


def licence_name() -> str:
    return LICENCE_NAMES.get(settings.OPEN_DATA_LICENCE, settings.OPEN_DATA_LICENCE)


def listing() -> list[dict[str, Any]]:
    """What the ``/open-data/`` page shows of each dataset: the same list as the catalogue,
    with the dates of its data (three queries)."""
    coverage = datasets.coverage()
    return [
        {
            "key": dataset.key,
            "title": dataset.title,
            "description": dataset.description,
            "frequency": FREQUENCIES[dataset.frequency],
            "start": coverage[dataset.key][0],
            "end": coverage[dataset.key][1],
            "modified": coverage[dataset.key][2],
            "distributions": [
                {
                    "format": distribution.file_type,
                    "url": reverse(distribution.url_name),
                    "media_type": distribution.media_type,
                    "standard": distribution.conforms_to,
                }
                for distribution in dataset.distributions
            ],
        }
        for dataset in DATASETS
    ]


def languages() -> list[str]:
    """The portal's languages as language tags: ``fr``, ``de``, ``nl``, ``en``."""
    return [code.split("-")[0] for code, _name in settings.LANGUAGES]


def translated(text) -> list[dict[str, str]]:
    """``text`` (a lazy translation) in every language of the portal, tagged."""
    values = []
    for language in languages():
        with translation.override(language):
            values.append({"@language": language, "@value": str(text)})
    return values


def _date(day) -> dict[str, str] | None:
    return {"@value": day.isoformat(), "@type": "xsd:date"} if day else None


def _uri(value: str) -> dict[str, str]:
    return {"@id": value}


def publisher() -> dict[str, Any]:
    """The publishing body, a foaf:Agent (settings ``OPEN_DATA_PUBLISHER_*``)."""
    return {
        "@id": settings.OPEN_DATA_PUBLISHER_URI or links.site_url(),
        "@type": "foaf:Agent",
        "foaf:name": settings.OPEN_DATA_PUBLISHER_NAME,
        "dct:type": _uri(f"http://purl.org/adms/publishertype/{settings.OPEN_DATA_PUBLISHER_TYPE}"),
    }


def contact_point() -> dict[str, Any]:
    contact = {"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER_NAME}
    if settings.OPEN_DATA_CONTACT_EMAIL:
        contact["vcard:hasEmail"] = _uri(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")
    return contact


def catalogue(request: HttpRequest | None = None) -> dict[str, Any]:
    """The DCAT-AP catalogue of :data:`DATASETS` as a JSON-LD document; the dates come
    from the data (``datasets.coverage``), three queries in all."""
    page = links.absolute_url(reverse("reporting:open_data"), request)
    coverage = datasets.coverage()
    agent = publisher()
    licence = _uri(settings.OPEN_DATA_LICENCE)
    described = [
        _dataset(dataset, page, coverage[dataset.key], agent, licence, request)
        for dataset in DATASETS
    ]
    modified = max((coverage[key][2] for key in coverage if coverage[key][2]), default=None)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": links.absolute_url(reverse("reporting:open_data_catalogue"), request),
        "@type": "dcat:Catalog",
        "dct:title": translated(_("Open data of the portal")),
        "dct:description": translated(
            _(
                "The grants awarded, the labels issued and the programme statistics of the "
                "portal, free to reuse."
            )
        ),
        "dct:publisher": agent,
        "foaf:homepage": _uri(page),
        "dct:language": [_uri(f"{EU}language/{EU_LANGUAGES[tag]}") for tag in languages()],
        "dct:license": licence,
        "dct:spatial": _uri(settings.OPEN_DATA_SPATIAL),
        "dcat:themeTaxonomy": _uri(f"{EU}data-theme"),
        "dcat:dataset": described,
    }
    if modified:
        document["dct:modified"] = _date(modified)
    return document


def _dataset(dataset: Dataset, page, coverage, agent, licence, request) -> dict[str, Any]:
    start, end, modified = coverage
    described: dict[str, Any] = {
        "@id": f"{page}#{dataset.key}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{page}#{dataset.key}",
        "dct:title": translated(dataset.title),
        "dct:description": translated(dataset.description),
        "dcat:keyword": [value for keyword in dataset.keywords for value in translated(keyword)],
        "dct:publisher": agent,
        "dcat:contactPoint": contact_point(),
        "dcat:landingPage": _uri(f"{page}#{dataset.key}"),
        "dct:accrualPeriodicity": _uri(f"{EU}frequency/{dataset.frequency}"),
        "dcat:theme": _uri(f"{EU}data-theme/GOVE"),
        "dct:spatial": _uri(settings.OPEN_DATA_SPATIAL),
        "dct:accessRights": _uri(f"{EU}access-right/PUBLIC"),
        "dcat:distribution": [
            _distribution(dataset, distribution, page, licence, request)
            for distribution in dataset.distributions
        ],
    }
    if start:
        period: dict[str, Any] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(start)}
        if end:
            period["dcat:endDate"] = _date(end)
        described["dct:temporal"] = period
    if modified:
        described["dct:modified"] = _date(modified)
    return described


def _distribution(dataset, distribution, page, licence, request) -> dict[str, Any]:
    url = links.absolute_url(reverse(distribution.url_name), request)
    kind = distribution.file_type
    described = {
        "@id": f"{page}#{distribution.key}",
        "@type": "dcat:Distribution",
        "dct:title": [
            {"@language": title["@language"], "@value": f"{title['@value']} ({kind})"}
            for title in translated(dataset.title)
        ],
        "dcat:accessURL": _uri(url),
        "dcat:downloadURL": _uri(url),
        "dcat:mediaType": _uri(f"{IANA}{distribution.media_type}"),
        "dct:format": _uri(f"{EU}file-type/{distribution.file_type}"),
        "dct:license": licence,
        "dcatap:availability": _uri(
            "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
        ),
    }
    if distribution.conforms_to:
        described["dct:conformsTo"] = _uri(distribution.conforms_to)
    return described
