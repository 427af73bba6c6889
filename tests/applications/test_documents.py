import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Document
from tests.factories import pdf_upload
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def upload(client, application, file):
    document_type = application.call.document_types.get()
    return client.post(
        reverse("applications:upload", args=[application.pk, document_type.pk]), {"file": file}
    )


def office_file(members: dict[str, bytes], name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_pdf_is_stored_privately_with_a_clean_name(client, draft, applicant, private_storage):
    client.force_login(applicant)

    response = upload(client, draft, pdf_upload("../../Plan financier <v2>.PDF"))

    document = Document.objects.get()
    assert response.status_code == 302
    assert document.original_name == "Plan financier _v2.pdf"
    assert document.content_type == "application/pdf"
    assert (private_storage / document.file.name).exists()
    assert "Plan financier" not in document.file.name


def test_an_executable_renamed_pdf_is_refused_with_a_clear_error(client, draft, applicant):
    client.force_login(applicant)

    response = upload(client, draft, SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200))

    assert response.status_code == 200
    assert "Ce fichier n'est pas d'un type accepté" in text_of(response)
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(client, draft, applicant, settings):
    settings.DOCUMENT_MAX_SIZE = 1000
    client.force_login(applicant)

    response = upload(client, draft, pdf_upload(content=b"%PDF-1.4\n" + b"0" * 2000))

    assert "la limite est de 1000" in text_of(response).replace("\xa0", " ")
    assert not Document.objects.exists()


def test_office_documents_are_recognised_by_their_content(client, draft, applicant):
    client.force_login(applicant)
    docx = office_file(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}, "lettre.bin"
    )

    upload(client, draft, docx)

    document = Document.objects.get()
    assert document.original_name == "lettre.docx"
    assert document.content_type.endswith("wordprocessingml.document")


def test_a_zip_bomb_is_refused(client, draft, applicant):
    client.force_login(applicant)
    bomb = office_file(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * 5_000_000}, "bombe.docx"
    )

    response = upload(client, draft, bomb)

    assert "bien plus que sa taille" in text_of(response)
    assert not Document.objects.exists()


def test_replacing_a_document_keeps_one_and_removes_the_old_file(
    client, draft, applicant, private_storage, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    upload(client, draft, pdf_upload("v1.pdf"))
    old = Document.objects.get().file.name

    upload(client, draft, pdf_upload("v2.pdf"))

    document = Document.objects.get()
    assert document.original_name == "v2.pdf"
    assert not (private_storage / old).exists()
    assert (private_storage / document.file.name).exists()


def test_the_download_is_the_file_as_uploaded(client, draft, applicant):
    client.force_login(applicant)
    upload(client, draft, pdf_upload("plan.pdf", b"%PDF-1.4 contenu"))
    document = Document.objects.get()

    response = client.get(document.get_absolute_url())

    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenu"
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="plan.pdf"' in response["Content-Disposition"]


def test_a_document_is_served_so_that_no_browser_runs_it_as_a_page(client, draft, applicant):
    client.force_login(applicant)
    upload(client, draft, pdf_upload("plan.pdf"))
    document = Document.objects.get()

    response = client.get(document.get_absolute_url())

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy


def test_office_documents_with_macros_are_refused(client, draft, applicant):
    client.force_login(applicant)
    docm = office_file(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"macro",
        },
        "lettre.docx",
    )

    response = upload(client, draft, docm)

    assert "macros" in text_of(response)
    assert not Document.objects.exists()


def test_opendocument_files_with_macros_are_refused_too(client, draft, applicant):
    client.force_login(applicant)
    odt = office_file(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "Basic/Standard/Module1.xml": b"<script:module>Sub Main</script:module>",
        },
        "lettre.odt",
    )

    response = upload(client, draft, odt)

    assert "Les documents contenant des macros sont refusés" in text_of(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        # A PDF with a ZIP archive appended: a PDF reader and an unzipper each see a file.
        ("rapport.pdf", pdf_upload().read() + office_file({"x.js": b"alert(1)"}, "x").read()),
        # A JPEG whose comment segment is a web page.
        ("photo.jpg", b"\xff\xd8\xff\xfe\x00\x20<html><script>alert(1)</script>\xff\xd9"),
        ("plan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"<SCRIPT src=//x></SCRIPT>"),
        # A PDF carrying an image tag with an event handler.
        ("budget.pdf", pdf_upload().read() + b"<img src=x onerror=alert(document.cookie)>"),
    ],
)
def test_a_polyglot_file_is_refused(client, draft, applicant, name, content):
    client.force_login(applicant)

    response = upload(client, draft, SimpleUploadedFile(name, content))

    assert "contient aussi un autre type de contenu" in text_of(response)
    assert not Document.objects.exists()


def test_a_pdf_carrying_a_script_is_refused(client, draft, applicant):
    client.force_login(applicant)
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\n%%EOF"

    response = upload(client, draft, SimpleUploadedFile("budget.pdf", body))

    assert "PDF contenant des scripts" in text_of(response)
    assert not Document.objects.exists()


def test_a_pdf_hiding_its_script_behind_escaped_names_is_refused(client, draft, applicant):
    client.force_login(applicant)
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(x)>>>>\n%%EOF"

    response = upload(client, draft, SimpleUploadedFile("budget.pdf", body))

    assert "PDF contenant des scripts" in text_of(response)
    assert not Document.objects.exists()
