import csv
import io

import pytest
from django.urls import reverse

from applications.models import Service
from labels import services
from labels.models import Label
from tests.factories import CallFactory, ProgrammeFactory
from tests.labels.conftest import granted
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def spaces(call, officer):
    made = {}
    for name, postcode, municipality, capacity in [
        ("La Forge", "4000", "Liège", 35),
        ("Le Quai", "5000", "Namur", 20),
        ("La Verrière", "7000", "Mons", 12),
    ]:
        label = services.issue_label(granted(call))
        Label.objects.filter(pk=label.pk).update(
            space_name=name, postcode=postcode, municipality=municipality, capacity=capacity
        )
        label.refresh_from_db()
        label.save()  # derives the province
        made[name] = label
    made["La Forge"].services.set(Service.objects.filter(code__in=["wifi", "fablab"]))
    made["Le Quai"].services.set(Service.objects.filter(code="wifi"))
    services.suspend(made["La Verrière"], by=officer, reason="Contrôle")
    return made


def names(client, **query):
    page = text_of(client.get(reverse("labels:directory"), query))
    return {name for name in ("La Forge", "Le Quai", "La Verrière") if name in page}


def test_the_directory_lists_active_labels_with_filters(client, spaces):
    wifi, fablab = Service.objects.get(code="wifi").pk, Service.objects.get(code="fablab").pk

    assert names(client) == {"La Forge", "Le Quai"}
    assert names(client, province="LIE") == {"La Forge"}
    assert names(client, municipality="nam") == {"Le Quai"}
    assert names(client, services=[wifi, fablab]) == {"La Forge"}
    assert names(client, capacity=30) == {"La Forge"}


def test_a_suspended_space_has_no_public_page(client, spaces):
    assert client.get(spaces["La Verrière"].get_absolute_url()).status_code == 404
    assert client.get(spaces["La Forge"].get_absolute_url()).status_code == 200


SPACES = [
    ("1000", "Bruxelles"),
    ("1300", "Wavre"),
    ("4000", "Liège"),
    ("5000", "Namur"),
    ("6000", "Charleroi"),
    ("6700", "Arlon"),
    ("7000", "Mons"),
]


def labelled_space(call, index, offered):
    """A label of ``call``'s programme, for a space in one of seven provinces."""
    label = services.issue_label(granted(call))
    label.postcode, label.municipality = SPACES[index % len(SPACES)]
    label.save()  # derives the province
    label.services.set(offered)
    return label


def test_the_directory_runs_the_same_queries_for_1_and_21_spaces(client, call, officer):
    every_service = list(Service.objects.all())
    labelled_space(call, 0, every_service[:1])
    few = queries_of(client, reverse("labels:directory"))
    # Twenty more spaces, of two programmes, in seven provinces, offering none to four
    # services each; one of them suspended.
    rural = CallFactory(programme=ProgrammeFactory(reference_prefix="CR"))
    for index in range(1, 21):
        offered = every_service[index % 3 : index % 3 + index % 5]
        labelled_space(call if index % 2 else rural, index, offered)
    services.suspend(Label.objects.last(), by=officer, reason="Contrôle")
    many = queries_of(client, reverse("labels:directory"))
    assert_same_count(few, many, ceiling=6)
    page = text_of(client.get(reverse("labels:directory")))
    assert "20 espaces labellisés" in page


def test_staff_export_the_labels_of_their_programmes(client, spaces, officer, other_officer):
    client.force_login(officer)
    response = client.get(reverse("labels:staff_export", args=["csv"]) + "?state=active")

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert sorted(row["Espace"] for row in rows) == ["La Forge", "Le Quai"]
    client.force_login(other_officer)
    response = client.get(reverse("labels:staff_export", args=["csv"]))
    assert len(list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))) == 0


def test_the_municipality_filter_ignores_accents_and_case(client, spaces):
    assert names(client, municipality="liege") == {"La Forge"}
    assert names(client, municipality="LIÈGE") == {"La Forge"}
    assert names(client, municipality="Liége") == {"La Forge"}  # the old spelling
    assert names(client, municipality="namur") == {"Le Quai"}


def test_the_municipality_filter_reads_hyphens_and_apostrophes_as_spaces(client, spaces):
    """The postcode check accepts "braine l'alleud" for Braine-l'Alleud: so does the search."""
    Label.objects.filter(pk=spaces["Le Quai"].pk).update(municipality="Braine-l'Alleud")

    for typed in ["braine l alleud", "Braine l'Alleud", "BRAINE-L\u2019ALLEUD", "l'alleud"]:
        assert names(client, municipality=typed) == {"Le Quai"}, typed


FOLDED_NAMES = [
    "Liège",
    "Écaussinnes",
    "Chênée",
    "Œudeghien",
    "Braine-l'Alleud",
    "Braine-l\u2019Alleud",
    "Sint-Genesius-Rode",
    "Forêt",
    "Ærø",
]


def test_the_database_folds_names_as_the_typed_text_is_folded():
    """The twin rule: SQL's :func:`portal.folding.folded` (PostgreSQL's unaccent, or SQLite's
    Python function) and :func:`portal.folding.fold` agree on every locality of bpost's list."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Value

    from portal.folding import fold, folded
    from portal.postcodes import _localities

    localities = {name for served in _localities().values() for name in served}
    every_name = sorted(localities | set(FOLDED_NAMES))
    assert len(every_name) > 2500
    for start in range(0, len(every_name), 200):
        chunk = every_name[start : start + 200]
        row = (
            ContentType.objects.annotate(
                **{f"name_{i}": folded(Value(name)) for i, name in enumerate(chunk)}
            )
            .values(*(f"name_{i}" for i in range(len(chunk))))
            .first()
        )
        in_sql = [row[f"name_{i}"] for i in range(len(chunk))]
        assert in_sql == [fold(name) for name in chunk]
    assert fold("Braine-l'Alleud") == fold("braine l\u2019alleud") == "braine l alleud"
