import csv
import io

import pytest
from django.urls import reverse

from applications.models import Service
from labels import services
from labels.models import Label
from tests.labels.conftest import granted
from tests.pages import text_of

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


def test_public_pages_run_a_constant_number_of_queries(
    client, call, officer, django_assert_max_num_queries
):
    services.issue_label(granted(call))
    client.get(reverse("labels:directory"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("labels:directory"))
    for _ in range(10):
        label = services.issue_label(granted(call))
        label.services.set(Service.objects.all()[:3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("labels:directory"))


def test_staff_export_the_labels_of_their_programmes(client, spaces, officer, other_officer):
    client.force_login(officer)
    response = client.get(reverse("labels:staff_export", args=["csv"]) + "?state=active")

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert sorted(row["Espace"] for row in rows) == ["La Forge", "Le Quai"]
    client.force_login(other_officer)
    response = client.get(reverse("labels:staff_export", args=["csv"]))
    assert len(list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))) == 0
