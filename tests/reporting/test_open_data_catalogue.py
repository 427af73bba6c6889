"""The open-data page, its DCAT-AP catalogue, the labels directory and the programme
statistics (issue 22): what a harvester reads, what a reuser downloads, and that no personal
data ever leaves through them."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from labels import services as label_services
from labels.models import Label
from portal.transitions import perform
from review.models import Assignment, Criterion, Decision, Review, Score
from tests.factories import ApplicationFactory, UserFactory
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db

UTC = dt.UTC
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
EU_CC_BY = f"{EU}licence/CC_BY_4_0"
SITE = "http://testserver"

# People and what is theirs, sown in every place the portal keeps it.
SOLE_TRADER = "Marie Dubois-Lambert"
PRIVATE_STREET = "Rue des Glycines 42"
PRIVATE_EMAIL = "marie.dubois.lambert@perso.example.be"
PRIVATE_PHONE = "+32 478 12 34 56"
SOLE_TRADER_NUMBER = "0566.988.259"
NATIONAL_NUMBER = "85.07.30-033.61"
NATIONAL_NUMBER_HASH = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6"
MEMBER_NAME = "Jean-Pierre Vanderstraeten"
MEMBER_EMAIL = "jp.vanderstraeten@example.be"
MEMBER_PHONE = "+32 81 22 33 44"
REVIEWER_NAME = "Griet Hoogenboom"
REVIEWER_EMAIL = "griet.hoogenboom@experts.example.be"
SCORE_COMMENT = "Le porteur semble fragile financièrement"
REVIEW_COMMENT = "Avis réservé sur la gouvernance"
MINISTER_NAME = "Christophe Mathieu-Renard"
COMPANY_EMAIL = "bonjour@laforge.example.be"
COMPANY_PHONE = "+32 81 99 88 77"

PERSONAL = (
    SOLE_TRADER,
    PRIVATE_STREET,
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    SOLE_TRADER_NUMBER,
    "0566988259",
    NATIONAL_NUMBER,
    NATIONAL_NUMBER_HASH,
    MEMBER_NAME,
    MEMBER_EMAIL,
    MEMBER_PHONE,
    REVIEWER_NAME,
    REVIEWER_EMAIL,
    SCORE_COMMENT,
    REVIEW_COMMENT,
    MINISTER_NAME,
    COMPANY_EMAIL,
    COMPANY_PHONE,
)


def submitted(application, when):
    Application.objects.filter(pk=application.pk).update(submitted_at=when)
    application.refresh_from_db()
    return application


def decide(application, amount, when, by=None):
    return Decision.objects.create(
        application=application,
        granted=True,
        amount=Decimal(amount),
        reason=f"Conforme. Contrôle d'identité {NATIONAL_NUMBER}.",
        decided_by=by,
        decided_at=when,
    )


@pytest.fixture
def world(call, programme, officer):
    """A company's grant and label, a sole trader's grant and label (a natural person: name,
    private address, email, phone), their members, a reviewer's scored review and the
    minister who decided; plus a submitted dossier still under review."""
    minister = UserFactory(full_name=MINISTER_NAME, roles=["ministry"])
    company = granted(
        call,
        legal_name="La Forge Namuroise ASBL",
        contact_email=COMPANY_EMAIL,
        phone=COMPANY_PHONE,
    )
    submitted(company, dt.datetime(2026, 1, 20, 10, tzinfo=UTC))
    decide(company, "80000", dt.datetime(2026, 3, 2, 9, tzinfo=UTC), by=minister)
    person = granted(
        call,
        legal_name=SOLE_TRADER,
        trade_name="",
        legal_form="PP",
        enterprise_number=SOLE_TRADER_NUMBER,
        street=PRIVATE_STREET,
        postcode="4000",
        municipality="Liège",
        contact_email=PRIVATE_EMAIL,
        phone=PRIVATE_PHONE,
    )
    Application.objects.filter(pk=person.pk).update(
        street=PRIVATE_STREET, postcode="4000", municipality="Liège", province="LIE"
    )
    submitted(person, dt.datetime(2026, 2, 3, 10, tzinfo=UTC))
    decide(person, "12500.50", dt.datetime(2026, 3, 2, 9, tzinfo=UTC), by=minister)
    member = person.created_by
    member.full_name = MEMBER_NAME
    member.email = MEMBER_EMAIL
    member.phone = MEMBER_PHONE
    member.national_number_hash = NATIONAL_NUMBER_HASH
    member.save()
    waiting = submitted(
        ApplicationFactory(call=call, state=Application.State.IN_REVIEW, reference="CW-2026-0099"),
        dt.datetime(2026, 2, 10, 10, tzinfo=UTC),
    )
    reviewer = UserFactory(full_name=REVIEWER_NAME, email=REVIEWER_EMAIL, roles=["reviewer"])
    criterion = Criterion.objects.create(
        call=call, code="quality", title="Qualité", weight=1, threshold=5, position=1
    )
    assignment = Assignment.objects.create(
        application=waiting, reviewer=reviewer, state=Assignment.State.ACCEPTED
    )
    review = Review.objects.create(
        assignment=assignment, state=Review.State.SUBMITTED, overall_comment=REVIEW_COMMENT
    )
    Score.objects.create(review=review, criterion=criterion, value=6, comment=SCORE_COMMENT)
    issued = dt.date(2026, 3, 10)
    company_label = label_services.issue_label(company, today=issued)
    person_label = label_services.issue_label(person, today=issued)
    return {
        "company": company,
        "person": person,
        "company_label": company_label,
        "person_label": person_label,
        "waiting": waiting,
    }


def get(client, url, media_type):
    path = url.removeprefix(SITE)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].split(";")[0] == media_type, path
    return response


def get_catalogue(client):
    return json.loads(
        get(client, reverse("reporting:open_data_catalogue"), "application/ld+json").content
    )


def downloads(client):
    """Every file the catalogue announces, as text, by download URL."""
    files = {}
    for dataset in get_catalogue(client)["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            media_type = distribution["dcat:mediaType"]["@id"].removeprefix(IANA)
            files[url] = get(client, url, media_type).content.decode("utf-8")
    return files


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def tags(values):
    return {value["@language"]: value["@value"] for value in values}


# The catalogue ---------------------------------------------------------------------------------


def test_the_catalogue_describes_every_dataset_and_file_in_dcat_ap(client, world, settings):
    settings.OPEN_DATA_PUBLISHER_NAME = "Service public de Wallonie"
    settings.OPEN_DATA_PUBLISHER_URI = "https://www.wallonie.be"
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@wallonie.be"

    catalogue = get_catalogue(client)

    assert {"dcat", "dct", "foaf", "vcard", "adms"} <= set(catalogue["@context"])
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@id"] == f"{SITE}/open-data/catalog.jsonld"
    assert catalogue["dct:publisher"] == {
        "@id": "https://www.wallonie.be",
        "@type": "foaf:Agent",
        "foaf:name": "Service public de Wallonie",
        "dct:type": {"@id": "http://purl.org/adms/publishertype/RegionalAuthority"},
    }
    assert catalogue["dct:license"] == {"@id": EU_CC_BY}
    assert catalogue["foaf:homepage"] == {"@id": f"{SITE}/open-data/"}
    assert set(tags(catalogue["dct:title"])) == {"fr", "de", "nl", "en"}
    datasets = {dataset["@id"]: dataset for dataset in catalogue["dcat:dataset"]}
    assert set(datasets) == {
        f"{SITE}/open-data/#grants",
        f"{SITE}/open-data/#labels",
        f"{SITE}/open-data/#statistics",
    }
    for dataset in datasets.values():
        assert dataset["@type"] == "dcat:Dataset"
        for key in ("dct:title", "dct:description"):
            texts = tags(dataset[key])
            assert set(texts) == {"fr", "de", "nl", "en"}, key
            assert len(set(texts.values())) == 4, texts  # translated, not copied
        assert {keyword["@language"] for keyword in dataset["dcat:keyword"]} == {
            "fr",
            "de",
            "nl",
            "en",
        }
        assert dataset["dct:accrualPeriodicity"]["@id"].startswith(f"{EU}frequency/")
        assert dataset["dct:publisher"]["@id"] == "https://www.wallonie.be"
        assert dataset["dcat:contactPoint"] == {
            "@type": "vcard:Organization",
            "vcard:fn": "Service public de Wallonie",
            "vcard:hasEmail": {"@id": "mailto:opendata@wallonie.be"},
        }
        period = dataset["dct:temporal"]
        assert period["@type"] == "dct:PeriodOfTime"
        start = dt.date.fromisoformat(period["dcat:startDate"]["@value"])
        end = dt.date.fromisoformat(period["dcat:endDate"]["@value"])
        assert start <= end
        assert dataset["dct:modified"]["@type"] == "xsd:date"
        assert dataset["dcat:distribution"]
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:accessURL"]["@id"].startswith(f"{SITE}/open-data/")
            assert distribution["dcat:downloadURL"]["@id"].startswith(f"{SITE}/open-data/")
            assert distribution["dcat:mediaType"]["@id"] in {
                f"{IANA}text/csv",
                f"{IANA}application/json",
            }
            assert distribution["dct:format"]["@id"] in {
                f"{EU}file-type/CSV",
                f"{EU}file-type/JSON",
            }
            assert distribution["dct:license"] == {"@id": EU_CC_BY}
            assert set(tags(distribution["dct:title"])) == {"fr", "de", "nl", "en"}


def test_every_term_of_the_catalogue_has_its_prefix_in_the_context(client, world):
    """A JSON-LD processor drops a term whose prefix the context does not declare: the
    harvester would silently miss that property."""
    catalogue = get_catalogue(client)
    context = catalogue["@context"]
    terms = set()

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    continue
                if not key.startswith("@"):
                    terms.add(key)
                if key in {"@type"}:
                    terms.add(value)
                walk(value)

    walk(catalogue)
    assert {"dcat:Catalog", "dcat:Dataset", "dcat:Distribution", "foaf:Agent"} <= terms
    assert {term for term in terms if term.split(":")[0] not in context} == set()
    assert all(":" in term for term in terms)


def test_the_catalogue_speaks_each_language_with_its_tag(client, world):
    grants = get_catalogue(client)["dcat:dataset"][0]

    assert tags(grants["dct:title"]) == {
        "fr": "Subventions octroyées",
        "de": "Gewährte Zuschüsse",
        "nl": "Toegekende subsidies",
        "en": "Grants awarded",
    }


def test_the_dates_come_from_the_data(client, world):
    """Grants: from the first to the last award (Brussels days); labels: from the first
    issue to the last day of validity; statistics: from 1 January of the first submission."""
    datasets = {dataset["@id"]: dataset for dataset in get_catalogue(client)["dcat:dataset"]}

    def period(key):
        temporal = datasets[f"{SITE}/open-data/#{key}"]["dct:temporal"]
        return temporal["dcat:startDate"]["@value"], temporal["dcat:endDate"]["@value"]

    assert period("grants") == ("2026-03-02", "2026-03-02")
    assert period("labels") == (
        "2026-03-10",
        world["company_label"].valid_until.isoformat(),
    )
    assert period("statistics")[0] == "2026-01-01"
    assert datasets[f"{SITE}/open-data/#grants"]["dct:modified"]["@value"] == "2026-03-02"
    assert datasets[f"{SITE}/open-data/#grants"]["dct:accrualPeriodicity"] == {
        "@id": f"{EU}frequency/IRREG"
    }


def test_the_licence_is_a_setting(client, world, settings):
    settings.OPEN_DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"

    catalogue = get_catalogue(client)

    assert catalogue["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    for dataset in catalogue["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dct:license"] == catalogue["dct:license"]
    page = client.get(reverse("reporting:open_data")).content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "CC BY 4.0" in page


def test_an_empty_portal_publishes_a_catalogue_without_dates(client, db):
    catalogue = get_catalogue(client)

    assert len(catalogue["dcat:dataset"]) == 3
    assert all("dct:temporal" not in dataset for dataset in catalogue["dcat:dataset"])
    for url, text in downloads(client).items():
        assert text.strip(), url


# Every file ------------------------------------------------------------------------------------


def test_every_announced_file_answers_with_its_media_type_and_parses_back(client, world):
    files = downloads(client)

    assert set(files) == {
        f"{SITE}/open-data/grants.json",
        f"{SITE}/open-data/grants.csv",
        f"{SITE}/open-data/labels.json",
        f"{SITE}/open-data/labels.csv",
        f"{SITE}/open-data/programme-statistics.csv",
    }
    assert len(json.loads(files[f"{SITE}/open-data/grants.json"])["grants"]) == 2
    assert len(parse_csv(files[f"{SITE}/open-data/grants.csv"])) == 2
    labels = json.loads(files[f"{SITE}/open-data/labels.json"])["labels"]
    assert parse_csv(files[f"{SITE}/open-data/labels.csv"]) == [
        {key: str(value) for key, value in label.items()} for label in labels
    ]
    assert parse_csv(files[f"{SITE}/open-data/programme-statistics.csv"])


def test_the_page_lists_every_file_and_the_footer_links_to_it(client, world):
    page = client.get(reverse("reporting:open_data"))

    assert page.status_code == 200
    text = page.content.decode()
    for name in (
        "reporting:open_data_json",
        "reporting:open_data_csv",
        "reporting:open_data_labels_json",
        "reporting:open_data_labels_csv",
        "reporting:open_data_statistics_csv",
        "reporting:open_data_catalogue",
    ):
        assert f'href="{reverse(name)}"' in text, name
    assert "Subventions octroyées" in text
    assert "Creative Commons Attribution 4.0 (CC BY 4.0)" in text
    home = client.get(reverse("portal:home")).content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{reverse("reporting:open_data")}"' in footer
    assert f'href="{reverse("reporting:open_data_json")}"' in footer


# The labels directory --------------------------------------------------------------------------


def test_the_labels_directory_says_each_labels_standing(client, world, officer, programme):
    company_label, person_label = world["company_label"], world["person_label"]
    # Past its validity: a visitor reads it expired before the daily job has run.
    Label.objects.filter(pk=person_label.pk).update(valid_until=dt.date(2026, 3, 31))

    labels = json.loads(
        get(client, reverse("reporting:open_data_labels_json"), "application/json").content
    )["labels"]

    assert labels == [
        {
            "number": company_label.number,
            "space_name": company_label.space_name,
            "municipality": "Namur",
            "province": "BE-WNA",
            "programme": programme.slug,
            "programme_name": programme.name_fr,
            "valid_from": "2026-03-10",
            "valid_until": company_label.valid_until.isoformat(),
            "standing": "active",
        },
        {
            "number": person_label.number,
            # Named after the sole trader by default: the person's name is withheld.
            "space_name": "",
            "municipality": "Liège",
            "province": "BE-WLG",
            "programme": programme.slug,
            "programme_name": programme.name_fr,
            "valid_from": "2026-03-10",
            "valid_until": "2026-03-31",
            "standing": "expired",
        },
    ]
    perform(Label.objects.get(pk=company_label.pk), "suspend", by=officer, comment="Contrôle")
    standings = {
        row["number"]: row["standing"]
        for row in parse_csv(
            get(client, reverse("reporting:open_data_labels_csv"), "text/csv").content.decode()
        )
    }
    assert standings == {company_label.number: "suspended", person_label.number: "expired"}


def test_the_standing_is_the_one_the_verification_page_reads(client, world, officer):
    Label.objects.filter(pk=world["person_label"].pk).update(valid_until=dt.date(2026, 3, 31))
    perform(world["company_label"], "revoke", by=officer, comment="Fraude")

    published = {
        row["number"]: row["standing"]
        for row in json.loads(client.get(reverse("reporting:open_data_labels_json")).content)[
            "labels"
        ]
    }
    assert published == {label.number: label.effective_state for label in Label.objects.all()}


def test_a_sole_trader_who_named_the_space_keeps_that_name(client, world):
    Label.objects.filter(pk=world["person_label"].pk).update(space_name="L'Atelier des Glycines")

    rows = json.loads(client.get(reverse("reporting:open_data_labels_json")).content)["labels"]

    assert "L'Atelier des Glycines" in {row["space_name"] for row in rows}


# The programme statistics ----------------------------------------------------------------------


def test_the_statistics_count_dossiers_amounts_and_labels_by_year_and_province(
    client, world, programme, officer
):
    # A label of 2025 still in force in 2026, and one revoked in 2025.
    old = granted(world["company"].call, legal_name="Le Quai SRL")
    Application.objects.filter(pk=old.pk).update(province="NAM")
    old_label = label_services.issue_label(old, today=dt.date(2025, 4, 1))
    gone = granted(world["company"].call, legal_name="Tiers-Lieu Fantôme SRL")
    gone_label = label_services.issue_label(gone, today=dt.date(2025, 5, 1))
    perform(gone_label, "revoke", by=officer, comment="Fraude")
    from portal.models import StateChange

    StateChange.objects.filter(object_id=gone_label.pk, target="revoked").update(
        at=dt.datetime(2025, 9, 1, 10, tzinfo=UTC)
    )

    rows = parse_csv(
        get(client, reverse("reporting:open_data_statistics_csv"), "text/csv").content.decode()
    )

    this_year = timezone.localdate().year
    expected = [
        {
            "programme": programme.slug,
            "programme_name": programme.name_fr,
            "year": "2025",
            "province": "BE-WNA",
            "applications_submitted": "0",
            "applications_granted": "0",
            "amount_granted": "0",
            "labels_active": "2",
        },
        {
            "programme": programme.slug,
            "programme_name": programme.name_fr,
            "year": "2026",
            "province": "BE-WLG",
            "applications_submitted": "1",
            "applications_granted": "1",
            "amount_granted": "12500.5",
            "labels_active": "1",
        },
        {
            "programme": programme.slug,
            "programme_name": programme.name_fr,
            "year": "2026",
            "province": "BE-WNA",
            "applications_submitted": "2",
            "applications_granted": "1",
            "amount_granted": "80000",
            "labels_active": "2",
        },
    ]
    assert [row for row in rows if row["year"] in {"2025", "2026"}] == expected
    assert old_label.valid_until.year >= 2026
    later = [row for row in rows if row["year"] not in {"2025", "2026"}]
    assert {int(row["year"]) for row in later} <= set(range(2027, this_year + 1))


def test_the_statistics_agree_with_the_statistics_page(client, world, programme):
    from reporting import tallies
    from reporting.statistics import StatisticsFilter, funnel

    tallies.rebuild(programme)  # the dossiers were written without their transitions
    rows = parse_csv(client.get(reverse("reporting:open_data_statistics_csv")).content.decode())

    _calls, total = funnel(StatisticsFilter(programme=programme))
    assert sum(int(row["applications_submitted"]) for row in rows) == total.submitted
    assert sum(int(row["applications_granted"]) for row in rows) == total.granted
    assert sum(Decimal(row["amount_granted"]) for row in rows) == total.granted_amount


# Personal data ---------------------------------------------------------------------------------


def test_personal_data_never_appears_in_open_data(client, world):
    files = downloads(client)
    files["catalogue"] = client.get(reverse("reporting:open_data_catalogue")).content.decode()
    files["page"] = client.get(reverse("reporting:open_data")).content.decode()

    for url, text in files.items():
        for secret in PERSONAL:
            assert secret.casefold() not in text.casefold(), (secret, url)
    # The data is there all the same: the company, the sole trader's grant, the labels.
    grants = json.loads(files[f"{SITE}/open-data/grants.json"])["grants"]
    individual = next(grant for grant in grants if "recipientIndividual" in grant)
    assert individual["recipientIndividual"] == [
        {"id": f"360G-guichet-IND-{world['person'].reference}", "name": "Individual Recipient"}
    ]
    assert "recipientOrganization" not in individual
    assert individual["amountAwarded"] == 12500.5
    assert "La Forge Namuroise ASBL" in files[f"{SITE}/open-data/grants.csv"]
    assert world["person_label"].number in files[f"{SITE}/open-data/labels.csv"]


# Queries ---------------------------------------------------------------------------------------


def more_of_everything(call, officer, n):
    for index in range(n):
        application = granted(call, legal_name=f"Espace {index} ASBL")
        submitted(application, dt.datetime(2025 + index % 2, 2, 1, tzinfo=UTC))
        decide(application, "1000", dt.datetime(2026, 3, 3, tzinfo=UTC))
        label = label_services.issue_label(application, today=dt.date(2025 + index % 2, 3, 1))
        if index % 3 == 0:
            perform(label, "suspend", by=officer, comment="Contrôle")


@pytest.mark.parametrize(
    "name",
    [
        "reporting:open_data",
        "reporting:open_data_catalogue",
        "reporting:open_data_json",
        "reporting:open_data_csv",
        "reporting:open_data_labels_json",
        "reporting:open_data_labels_csv",
        "reporting:open_data_statistics_csv",
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, world, call, officer, name, django_assert_max_num_queries
):
    client.get(reverse(name))  # content types and translations cached
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    counted = len(few.captured_queries)
    assert 0 < counted <= 5
    more_of_everything(call, officer, 6)
    client.get(reverse(name))  # the emails the new labels queued leave first
    with django_assert_max_num_queries(counted):
        response = client.get(reverse(name))
    assert response.status_code == 200
