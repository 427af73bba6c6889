"""A programme's officers reword its messages per language in the staff pages: beside the
placeholders each message may use, previewed with a real dossier before saving, reset to the
default, every change in the history. A wording without a required placeholder, with an
unknown one or with template syntax is refused where it was typed, and nothing is stored."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, MessageTemplate, MessageTemplateChange
from portal.emails import render_email
from portal.figures import euros
from portal.messages import default_wording
from review.models import Decision
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

KEY = "review/emails/decision_granted"


def edit_url(programme, key=KEY):
    return reverse("applications:message", args=[programme.slug, key])


def posted(action="save", dossier="", **texts):
    data = {
        "subject_fr_be": "Décision relative à votre dossier {{ reference }}",
        "body_fr_be": "Bonjour {{ name }},\n\nSubvention de {{ amount }} pour {{ reference }}.\n"
        "\nRecours jusqu'au {{ complaint_until }} ou au {{ appeal_until }}.\n",
        "subject_en": "Decision on your application {{ reference }}",
        "body_en": "Hello {{ name }},\n\nThe minister has granted your application "
        "{{ reference }}: {{ amount }}.\n\nThe decision letter (PDF) is on the application "
        "page:\n{{ link }}\n\nYou may contest this decision by a complaint until "
        "{{ complaint_until }} at the latest, or by an appeal to the Council of State until "
        "{{ appeal_until }} at the latest; the letter explains how.\n\n{{ agency }}\n",
        "dossier": dossier,
        "action": action,
    }
    # German and Dutch as the form shows them: the portal's wording.
    for language in ("de", "nl"):
        subject, body = default_wording(KEY, language)
        data[f"subject_{language}"], data[f"body_{language}"] = subject, body
    data.update(texts)
    return data


@pytest.fixture
def dossier(call, organisation, applicant):
    application = ApplicationFactory(call=call, organisation=organisation)
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.SUBMITTED, submitted_at=timezone.now(), reference="CW-2026-0042"
    )
    application.refresh_from_db()
    return application


def decision_email(application, language="fr-be"):
    decision = Decision(application=application, granted=True, amount=Decimal("40000"))
    user = UserFactory.build(full_name="Anne Lambert")
    return render_email(KEY, {"decision": decision, "user": user}, language)


def test_the_officer_lists_the_programmes_messages_and_strangers_get_404(
    client, programme, officer, other_officer, applicant
):
    client.force_login(officer)
    page = text_of(client.get(reverse("applications:messages", args=[programme.slug])))
    assert "Décision : le dossier est accordé" in page
    assert client.get(edit_url(programme)).status_code == 200
    # Account emails are the portal's, administrators' only.
    assert client.get(reverse("applications:portal_messages")).status_code == 404
    for stranger in (other_officer, applicant):
        client.force_login(stranger)
        overview = reverse("applications:messages", args=[programme.slug])
        assert client.get(overview).status_code == 404
        assert client.get(edit_url(programme)).status_code == 404
    client.force_login(officer)
    assert client.get(edit_url(programme, "no/such/message")).status_code == 404


def test_the_editor_lists_the_placeholders_beside_the_text(client, programme, officer):
    client.force_login(officer)
    page = text_of(client.get(edit_url(programme)))
    assert "{{ amount }}" in page
    assert "{{ reference }}" in page
    # The default wording fills the editor.
    editor = client.get(edit_url(programme)).content.decode()
    assert "Le Ministre a octroyé une subvention" in editor


def test_a_wording_without_a_required_placeholder_is_refused(client, programme, officer):
    client.force_login(officer)
    data = posted(
        body_fr_be="{{ name }}, {{ reference }} : {{ complaint_until }}, {{ appeal_until }}."
    )
    response = client.post(edit_url(programme), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["body_fr_be"]
    assert any("{{ amount }}" in error for error in errors)
    assert not MessageTemplate.objects.exists()
    assert not MessageTemplateChange.objects.exists()


@pytest.mark.parametrize(
    "body, says",
    [
        ("{{ amount }} {{ reference }} {{ password }}", "{{ password }}"),
        ("{{ amount }} {{ reference }} {% load static %}", "{% load static %}"),
        ("", "Rédigez le texte."),
    ],
)
def test_unknown_placeholders_template_syntax_and_empty_texts_are_refused(
    client, programme, officer, body, says
):
    client.force_login(officer)
    response = client.post(edit_url(programme), posted(body_en=body))
    assert response.status_code == 400
    assert any(says in error for error in response.context["form"].errors["body_en"])
    assert not MessageTemplate.objects.exists()


def test_a_saved_wording_is_what_the_programmes_applicants_receive(
    client, programme, officer, dossier
):
    client.force_login(officer)
    response = client.post(edit_url(programme), posted())
    assert response.status_code == 302
    stored = MessageTemplate.objects.get(programme=programme, key=KEY)
    # Only the language that differs from the default is stored.
    assert set(stored.texts) == {"fr-be"}
    subject, body = decision_email(dossier)
    assert body.startswith(
        f"Bonjour Anne Lambert,\n\nSubvention de {euros(40000)} pour CW-2026-0042.\n\n"
        "Recours jusqu'au "
    )
    assert subject == "Décision relative à votre dossier CW-2026-0042"
    # English keeps its default, and another programme's dossiers the default wording.
    assert "The minister has granted" in decision_email(dossier, "en")[1]
    elsewhere = ApplicationFactory(call=CallFactory())
    assert "Le Ministre a octroyé" in decision_email(elsewhere)[1]
    change = MessageTemplateChange.objects.get()
    assert (change.action, change.changed_by, change.programme) == ("saved", officer, programme)
    page = text_of(client.get(edit_url(programme)))
    assert "Ce programme formule ce message à sa façon." in page


def test_the_preview_shows_a_real_dossier_and_saves_nothing(client, programme, officer, dossier):
    client.force_login(officer)
    response = client.post(edit_url(programme), posted(action="preview", dossier=dossier.pk))
    assert response.status_code == 200
    page = text_of(response)
    assert "Subvention de" in page
    assert "CW-2026-0042" in page
    assert dossier.organisation.memberships.first().user.full_name in page
    assert not MessageTemplate.objects.exists()
    # A preview with a refused wording shows the reason, and still nothing is saved.
    response = client.post(
        edit_url(programme), posted(action="preview", dossier=dossier.pk, body_fr_be="{{ name }}")
    )
    assert response.status_code == 400
    assert not MessageTemplate.objects.exists()


def test_reset_goes_back_to_the_default_and_the_history_keeps_both(
    client, programme, officer, dossier
):
    client.force_login(officer)
    client.post(edit_url(programme), posted())
    reset = reverse("applications:message_reset", args=[programme.slug, KEY])
    # The first POST asks to confirm; nothing changes yet.
    assert client.post(reset).status_code == 200
    assert MessageTemplate.objects.exists()
    assert client.post(reset, {"confirm": "1"}).status_code == 302
    assert not MessageTemplate.objects.exists()
    assert "Le Ministre a octroyé" in decision_email(dossier)[1]
    actions = list(MessageTemplateChange.objects.values_list("action", flat=True))
    assert actions == ["reset", "saved"]
    page = text_of(client.get(edit_url(programme)))
    assert "Ce message suit la formulation par défaut." in page


def test_administrators_keep_the_portal_wide_account_messages(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("applications:portal_messages")).status_code == 200
