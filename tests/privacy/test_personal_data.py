"""GDPR: a person downloads what Guichet holds about them, and deletes their account while the
programme's legal record stays, without their identity."""

import json
import os
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications.models import Application
from portal.models import Membership, StateChange, User
from review import services as review_services
from review.models import Assignment
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:personal_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def delete_account(client, user, password=PASSWORD):
    client.force_login(user)
    return client.post(reverse("portal:account_delete"), {"password": password})


def test_a_founder_downloads_their_account_organisations_and_dossiers(client, admissible):
    founder = admissible.created_by
    colleague = MembershipFactory(organisation=admissible.organisation, role="member").user
    admissible.documents.update(uploaded_by=founder)  # as if she had uploaded them

    data = download(client, founder)

    assert data["account"]["email"] == founder.email
    assert data["account"]["full_name"] == founder.full_name
    assert [o["organisation"] for o in data["organisations"]] == [
        admissible.organisation.legal_name
    ]
    assert [d["reference"] for d in data["dossiers_created"]] == [admissible.reference]
    assert [(d["dossier"], d["file_name"]) for d in data["documents_uploaded"]] == [
        (admissible.reference, document.original_name) for document in admissible.documents.all()
    ]
    assert data["documents_uploaded"]
    assert [a["transition"] for a in data["actions"]] == ["submit"]
    assert data["actions"][0]["at"].endswith(("+01:00", "+02:00"))  # Brussels time
    # Another person's data is not in the file.
    assert colleague.email not in json.dumps(data)


def test_a_reviewer_downloads_their_declarations_and_scores(
    client, admissible, grid, reviewers, officer
):
    expert = reviewers[0]
    (assignment,) = review_services.assign([admissible], [expert], by=officer)
    review_services.accept(assignment, by=expert, declaration="Aucun lien avec le porteur.")
    quality, territory = grid
    review_services.save_review(
        assignment,
        {quality.pk: (Decimal("8"), "Projet solide"), territory.pk: (Decimal("6"), "")},
        overall_comment="À soutenir",
        recommendation="fund",
        by=expert,
    )

    data = download(client, expert)

    (entry,) = data["assignments"]
    assert entry["dossier"] == admissible.reference
    assert entry["declaration"] == "Aucun lien avec le porteur."
    assert entry["review"]["overall_comment"] == "À soutenir"
    assert {s["criterion"]: s["score"] for s in entry["review"]["scores"]} == {
        "quality": "8.0",
        "territory": "6.0",
    }
    assert data["programme_roles"] == [
        {"programme": admissible.call.programme.name, "role": "reviewer"}
    ]


def test_deleting_an_account_erases_the_identity_and_keeps_the_legal_record(client, admissible):
    founder = admissible.created_by
    # A successor carries the dossier on (the only member may not leave it, see below).
    MembershipFactory(organisation=admissible.organisation, role="owner")
    email, name = founder.email, founder.full_name
    elsewhere = Client()
    elsewhere.force_login(founder)

    response = delete_account(client, founder)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    founder.refresh_from_db()
    assert founder.erased_at is not None
    assert founder.email != email and founder.full_name == "" and founder.phone == ""
    assert not founder.is_active and not founder.has_usable_password()
    assert str(founder) == "compte supprimé"
    assert not Membership.objects.filter(user=founder).exists()
    # The dossier, its receipt and its history stay, pointing at the anonymous row.
    admissible.refresh_from_db()
    assert admissible.state == Application.State.ADMISSIBLE
    assert admissible.created_by == founder
    assert admissible.receipts.exists()
    assert StateChange.objects.filter(by=founder, transition="submit").exists()
    assert not User.objects.filter(email=email).exists()
    assert not User.objects.filter(full_name=name).exists()
    # The person is told at the address they had; every session of theirs has ended.
    assert [m.to for m in mail.outbox][-1] == [email]
    assert "supprimé" in mail.outbox[-1].subject
    assert elsewhere.get(reverse("portal:dashboard")).status_code == 302
    signed_in = client.post(reverse("portal:login"), {"username": email, "password": PASSWORD})
    assert not signed_in.wsgi_request.user.is_authenticated
    # The address is free again: the person may sign up anew.
    client.post(
        reverse("portal:sign_up"),
        {
            "full_name": "Nouveau",
            "email": email,
            "password1": "Un-mot-2-passe!",
            "password2": "Un-mot-2-passe!",
        },
    )
    assert User.objects.filter(email=email, is_active=False).exists()


def test_a_wrong_password_deletes_nothing(client, applicant):
    response = delete_account(client, applicant, password="not-mine")

    assert response.status_code == 200
    assert "Ce n’est pas votre mot de passe." in text_of(response)  # noqa: RUF001
    applicant.refresh_from_db()
    assert applicant.erased_at is None and applicant.is_active


def test_the_last_manager_of_an_organisation_with_members_must_hand_over_first(
    client, applicant, colleague, organisation
):
    response = delete_account(client, applicant)

    assert response.status_code == 200
    assert "dernier responsable" in text_of(response)
    applicant.refresh_from_db()
    assert applicant.erased_at is None

    Membership.objects.filter(user=colleague).update(role="owner")
    assert delete_account(client, applicant).status_code == 302
    assert list(organisation.memberships.values_list("user", flat=True)) == [colleague.pk]


def test_a_reviewer_with_a_review_in_progress_must_finish_it_first(
    client, admissible, reviewers, officer
):
    expert, invited = reviewers[0], reviewers[1]
    accepted, pending = review_services.assign([admissible], [expert, invited], by=officer)
    review_services.accept(accepted, by=expert, declaration="")

    response = delete_account(client, expert)

    assert response.status_code == 200
    assert "pas soumis votre évaluation" in text_of(response)
    expert.refresh_from_db()
    assert expert.erased_at is None

    # An invitation not yet answered is declined for the person, and the officer told.
    mail.outbox.clear()
    assert delete_account(client, invited).status_code == 302
    pending.refresh_from_db()
    assert pending.state == Assignment.State.DECLINED
    assert officer.email in [address for m in mail.outbox for address in m.to]


def test_the_last_administrator_cannot_delete_their_account(client):
    admin = UserFactory(is_superuser=True, is_staff=True)

    response = delete_account(client, admin)

    assert "dernier administrateur" in text_of(response)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.erased_at is None


def test_the_profile_links_to_the_download_and_the_deletion(client, applicant):
    client.force_login(applicant)

    page = text_of(client.get(reverse("portal:profile")))

    assert "Télécharger mes données personnelles" in page
    assert "Supprimer mon compte" in page


def test_an_administrator_deletes_an_account_asked_by_letter(client, admin_user, applicant):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:portal_user_changelist"),
        {"action": "erase_accounts", "_selected_action": [applicant.pk]},
        follow=True,
    )

    assert "Le compte est supprimé" in text_of(response)
    applicant.refresh_from_db()
    assert applicant.erased_at is not None and applicant.full_name == ""


def test_deleting_an_account_removes_what_only_served_the_person(client, admissible, officer):
    from axes.models import AccessAttempt, AccessLog
    from django.core.files.base import ContentFile

    from portal.models import BackgroundExport, BackgroundImport, Invitation, OutgoingEmail

    person = officer
    email = person.email
    export = BackgroundExport.objects.create(owner=person, kind="reports", format="xlsx")
    export.file.save("rapports.xlsx", ContentFile(b"x"))
    stored = export.file.path
    upload = BackgroundImport.objects.create(
        owner=person, model="labels.label", format="csv", file_name="labels.csv", state="checked"
    )
    upload.file.save("labels.csv", ContentFile(b"number\nCW-LBL-2012-001\n"))
    uploaded = upload.file.path
    AccessLog.objects.create(username=email.upper(), ip_address="192.0.2.7", user_agent="UA")
    AccessAttempt.objects.create(
        username=email, ip_address="192.0.2.7", user_agent="UA", failures_since_start=2
    )
    pending = Invitation.objects.create(organisation=admissible.organisation, email=email)
    failed = OutgoingEmail.objects.create(
        recipient=email, subject="S", body="B", state=OutgoingEmail.State.FAILED
    )

    data = download(client, person)
    assert data["sign_ins"][0]["ip_address"] == "192.0.2.7"
    assert data["imports"][0]["file"] == "labels.csv"
    assert ("S", "failed") in [(e["subject"], e["state"]) for e in data["emails"]]
    assert delete_account(client, person).status_code == 302

    person.refresh_from_db()
    assert not BackgroundExport.objects.exists()
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    assert not Invitation.objects.filter(pk=pending.pk).exists()
    assert not OutgoingEmail.objects.filter(pk=failed.pk).exists()
    assert not person.programme_roles.exists() and not person.groups.exists()
    assert not person.is_staff and not person.is_superuser
    assert not os.path.exists(stored)
    assert not BackgroundImport.objects.exists() and not os.path.exists(uploaded)


def test_the_admin_cannot_delete_or_revive_an_erased_account(client, admin_user, applicant):
    from portal import privacy

    privacy.erase_account(applicant)
    client.force_login(admin_user)

    deletion = client.post(
        reverse("admin:portal_user_delete", args=[applicant.pk]), {"post": "yes"}
    )
    change = client.get(reverse("admin:portal_user_change", args=[applicant.pk]))

    assert deletion.status_code == 403
    assert User.objects.filter(pk=applicant.pk).exists()
    assert b'name="is_active"' not in change.content


# The only member of an organisation with something open must find a successor first.


def test_the_only_member_of_an_organisation_with_a_dossier_under_way_must_invite_a_successor(
    client, admissible
):
    founder = admissible.created_by
    organisation = admissible.organisation

    response = delete_account(client, founder)

    assert response.status_code == 200
    page = text_of(response)
    assert f"Vous êtes le seul membre de {organisation}" in page
    assert "1 dossier en cours" in page
    assert "Invitez un successeur" in page
    invite = reverse("portal:organisation_invite", args=[organisation.pk])
    assert f'href="{invite}"' in response.content.decode()
    founder.refresh_from_db()
    assert founder.erased_at is None and founder.is_active

    # The successor joins; the founder may now go, and the dossier has someone to act on it.
    successor = MembershipFactory(organisation=organisation, role="owner").user
    assert delete_account(client, founder).status_code == 302
    assert list(organisation.memberships.values_list("user", flat=True)) == [successor.pk]


def test_a_label_in_force_and_a_report_to_file_are_named_too(client, admissible):
    import datetime as dt

    from labels.services import issue_label
    from reporting.models import ActivityReport

    founder = admissible.created_by
    Application.objects.filter(pk=admissible.pk).update(state=Application.State.GRANTED)
    admissible.refresh_from_db()
    label = issue_label(admissible)
    ActivityReport.objects.filter(label=label).delete()
    ActivityReport.objects.create(
        label=label,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        due_on=dt.date(2026, 4, 30),
    )

    page = text_of(delete_account(client, founder))

    assert "1 label en vigueur" in page
    assert "1 rapport d'activité à remettre" in page
    assert "1 dossier en cours" not in page
    founder.refresh_from_db()
    assert founder.erased_at is None


def test_the_only_member_of_an_organisation_with_nothing_open_may_leave_it(client, applicant):
    """A draft is not open with the programme: nobody but the applicant ever saw it."""
    from tests.factories import ApplicationFactory

    ApplicationFactory(organisation=applicant.memberships.get().organisation)

    assert delete_account(client, applicant).status_code == 302
    applicant.refresh_from_db()
    assert applicant.erased_at is not None


def test_the_deletion_page_says_a_successor_is_needed(client, applicant):
    client.force_login(applicant)

    page = text_of(client.get(reverse("portal:account_delete")))

    assert "invitez d’abord un successeur" in page  # noqa: RUF001


def test_a_rapporteur_finds_their_consensus_and_must_finish_it_before_leaving(
    client, admissible, grid, reviewers
):
    from review.models import Consensus, ConsensusScore

    expert = reviewers[0]
    quality, _territory = grid
    consensus = Consensus.objects.create(
        application=admissible, rapporteur=expert, overall_comment="Synthèse commune"
    )
    ConsensusScore.objects.create(
        consensus=consensus, criterion=quality, value=Decimal("7.5"), comment="Accord"
    )

    (entry,) = download(client, expert)["consensuses_written"]

    assert entry["dossier"] == str(admissible)
    assert entry["overall_comment"] == "Synthèse commune"
    assert entry["scores"] == [{"criterion": "quality", "score": "7.5", "comment": "Accord"}]
    response = delete_account(client, expert)
    assert response.status_code == 200
    assert "rapporteur d'un rapport de consensus encore à rédiger" in text_of(response)
    expert.refresh_from_db()
    assert expert.erased_at is None
