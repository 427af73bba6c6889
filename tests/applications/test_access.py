"""Who sees which dossier: strangers get 404 on every URL of someone else's dossier."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application
from tests.factories import UserFactory, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, applicant, officer):
    services.submit(complete(draft, by=applicant), by=applicant)
    services.declare_inadmissible(draft, by=officer, reason="Hors délai")
    return draft


def dossier_urls(application):
    document = application.documents.get()
    receipt = application.receipts.get()
    return [
        reverse("applications:detail", args=[application.pk]),
        reverse("applications:document", args=[application.pk, document.pk]),
        reverse("applications:receipt", args=[application.pk, receipt.pk]),
        reverse("applications:letter", args=[application.pk, application.letters.get().pk]),
    ]


def test_a_member_of_another_organisation_gets_404_everywhere(client, submitted, other_applicant):
    client.force_login(other_applicant)

    for url in [
        *dossier_urls(submitted),
        reverse("applications:staff_application", args=[submitted.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_members_and_programme_staff_open_every_url(
    client, submitted, applicant, officer, ministry
):
    for person in (applicant, officer, ministry):
        client.force_login(person)
        for url in dossier_urls(submitted):
            assert client.get(url).status_code == 200, (person, url)


def test_an_officer_of_another_programme_gets_404(client, submitted, other_officer):
    client.force_login(other_officer)

    for url in [
        *dossier_urls(submitted),
        reverse("applications:staff_application", args=[submitted.pk]),
        reverse("applications:staff_call", args=[submitted.call.slug]),
        reverse("applications:staff_programme", args=[submitted.call.programme.slug]),
    ]:
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    for url in dossier_urls(submitted):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))


def test_staff_do_not_see_drafts(client, draft, officer):
    client.force_login(officer)

    assert client.get(reverse("applications:staff_application", args=[draft.pk])).status_code == 404


def test_visible_dossiers_are_exactly_those_the_rule_allows(
    draft,
    submitted,
    applicant,
    colleague,
    other_applicant,
    officer,
    other_officer,
    ministry,
    admin_user,
):
    from tests.factories import ApplicationFactory

    ApplicationFactory(call=draft.call)  # a draft of someone else
    for person in (
        applicant,
        colleague,
        other_applicant,
        officer,
        other_officer,
        ministry,
        admin_user,
        UserFactory(),
    ):
        visible = set(Application.objects.visible_to(person))
        allowed = {
            a
            for a in Application.objects.all()
            if person.has_perm("applications.view_application", a)
        }
        assert visible == allowed, person


def test_a_draft_withdrawn_before_submission_stays_private(client, draft, applicant, officer):
    complete(draft, by=applicant)
    services.withdraw(draft, by=applicant)
    client.force_login(officer)

    assert client.get(reverse("applications:staff_application", args=[draft.pk])).status_code == 404
    document = draft.documents.get()
    assert client.get(document.get_absolute_url()).status_code == 404
    assert draft not in Application.objects.visible_to(officer)


def test_an_administrator_cannot_change_a_submitted_dossier(client, submitted, admin_user):
    client.force_login(admin_user)
    document = submitted.documents.get()

    assert client.get(submitted.get_absolute_url()).status_code == 200
    for url in [
        reverse("applications:section", args=[submitted.pk, "project"]),
        reverse("applications:eligibility", args=[submitted.pk]),
        reverse("applications:delete_document", args=[submitted.pk, document.pk]),
        reverse("applications:submit", args=[submitted.pk]),
    ]:
        assert client.post(url, {"project_title": "x"}).status_code == 404, url
    assert submitted.documents.exists()


def test_nothing_can_be_changed_once_submitted(client, submitted, applicant):
    from tests.factories import pdf_upload

    client.force_login(applicant)
    document = submitted.documents.get()
    type_pk = document.document_type_id

    responses = [
        client.post(
            reverse("applications:upload", args=[submitted.pk, type_pk]), {"file": pdf_upload()}
        ),
        client.post(reverse("applications:delete_document", args=[submitted.pk, document.pk])),
        client.post(reverse("applications:eligibility", args=[submitted.pk]), {}),
        client.post(
            reverse("applications:section", args=[submitted.pk, "project"]), {"summary": "x"}
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    submitted.refresh_from_db()
    assert submitted.summary != "x"
    assert submitted.documents.get() == document
