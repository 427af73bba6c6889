"""What an upload may hold: no macros in any office format, no web markup in a PDF or an
image; and how a document is handed back, which is the guard that holds whatever the checks
miss."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from portal import uploads
from review import services as review_services
from tests.factories import pdf_upload
from tests.review.conftest import (  # noqa: F401 - shared fixtures
    admissible,
    call,
    grid,
    officer,
    private_storage,
    programme,
    reviewers,
)

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"%s</manifest:manifest>"
)
DOCX_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def office_file(members: dict[str, bytes], name: str = "document") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def odf(mimetype: bytes = ODT_MIMETYPE, manifest_extra: bytes = b"", **members) -> dict:
    return {
        "mimetype": mimetype,
        "META-INF/manifest.xml": MANIFEST % (mimetype, manifest_extra),
        "content.xml": b"<office:document-content><office:body/></office:document-content>",
        **members,
    }


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(upload)
    return refused.value


def message(error: ValidationError) -> str:
    with translation.override("fr"):
        return " ".join(error.messages)


def test_plain_office_documents_are_accepted():
    assert uploads.validate_upload(office_file(odf())) == uploads.ODT
    assert uploads.validate_upload(office_file(odf(ODS_MIMETYPE))) == uploads.ODS
    docx = {"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w:document/>"}
    assert uploads.validate_upload(office_file(docx)) == uploads.DOCX


@pytest.mark.parametrize(
    "members",
    [
        # A Basic module, as LibreOffice stores it.
        odf(**{"Basic/Standard/Module1.xml": b"<script:module>Sub Main</script:module>"}),
        odf(ODS_MIMETYPE, **{"Basic/script-lc.xml": b"<library:libraries/>"}),
        # A Python script.
        odf(**{"Scripts/python/run.py": b"import os"}),
        # Only listed in the manifest.
        odf(
            manifest_extra=b'<manifest:file-entry manifest:full-path="Scripts/" '
            b'manifest:media-type="application/vnd.sun.star.framework-script"/>'
        ),
        # No script inside, but a link that calls one installed with the office suite.
        odf(
            **{
                "content.xml": b'<office:document-content><text:a xlink:href="vnd.sun.star.'
                b"script:pythonSamples|TableSample.py$createTable?language=Python&amp;"
                b'location=share"/></office:document-content>'
            }
        ),
    ],
    ids=["basic", "basic-ods", "python", "manifest", "event-link"],
)
def test_opendocument_files_with_macros_are_refused(members):
    error = refusal(office_file(members, "budget.odt"))

    assert error.code == "macros"
    assert "Les documents contenant des macros sont refusés" in message(error)


@pytest.mark.parametrize(
    "members",
    [
        {
            "[Content_Types].xml": DOCX_TYPES,
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro",
        },
        # A .docm renamed .docx: its content types say macro-enabled.
        {
            "[Content_Types].xml": DOCX_TYPES.replace(
                b"wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            ),
            "word/document.xml": b"<w:document/>",
        },
        # An .xlsm, and an Excel 4 macro sheet.
        {
            "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-excel.'
            b'sheet.macroEnabled.main+xml"/></Types>',
            "xl/workbook.xml": b"<workbook/>",
        },
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>",
        },
    ],
    ids=["vba", "docm", "xlsm", "xlm"],
)
def test_word_and_excel_files_with_macros_are_refused(members):
    assert refusal(office_file(members, "budget.docx")).code == "macros"


@pytest.mark.parametrize(
    "markup",
    [
        b"<img src=x onerror=alert(1)>",
        b"<IMG SRC=x ONERROR = 'alert(1)'>",
        b"<img/src=x/onerror=alert(1)>",
        b'<div class="a" onmouseover="alert(1)">',
        b"<a href=javascript:alert(1)>x</a>",
        b"<svg/onload=alert(1)>",
        b"<math><mtext>",
        b'<meta http-equiv="refresh" content="0">',
        b"<base href=//evil.example/>",
        b'<form action="//evil.example">',
        b'<?xml-stylesheet type="text/xsl" href="x.xsl"?>',
        b"<frameset><frame src=x>",
    ],
)
@pytest.mark.parametrize("where", ["start", "end"])
def test_a_pdf_carrying_web_markup_is_refused(markup, where):
    body = pdf_upload().read()
    content = body + markup if where == "end" else body[:9] + markup + body[9:]

    error = refusal(SimpleUploadedFile("budget.pdf", content))

    assert error.code == "polyglot"


def test_an_image_carrying_an_event_handler_is_refused():
    jpeg = b"\xff\xd8\xff\xfe\x00\x30<img src=x onerror=alert(document.domain)>\xff\xd9"

    assert refusal(SimpleUploadedFile("photo.jpg", jpeg)).code == "polyglot"


def test_ordinary_pdf_metadata_is_not_mistaken_for_web_markup():
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="LibreOffice 7.4"'
        b' xmp:CreateDate="2026-03-01T10:00:00+01:00"/></rdf:RDF></x:xmpmeta>'
        b'<?xpacket end="w"?>'
    )
    content = b"%PDF-1.7\n1 0 obj<</Type/Metadata/Subtype/XML>>stream\n" + xmp
    content += b"\nendstream endobj\n2 0 obj<</URI(https://example.org/online=1)>>endobj\n%%EOF"

    assert uploads.validate_upload(SimpleUploadedFile("budget.pdf", content)) == uploads.PDF


def assert_served_as_a_sandboxed_download(response, filename):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy


@pytest.mark.django_db
def test_a_reviewer_gets_a_document_as_a_sandboxed_download(
    client,
    admissible,  # noqa: F811 - fixtures imported above
    reviewers,  # noqa: F811
    officer,  # noqa: F811
):
    (assignment,) = review_services.assign([admissible], reviewers[:1], by=officer)
    review_services.accept(assignment, by=reviewers[0], declaration="")
    document = admissible.documents.get()
    client.force_login(reviewers[0])

    response = client.get(reverse("review:document", args=[assignment.pk, document.pk]))

    assert_served_as_a_sandboxed_download(response, document.original_name)
