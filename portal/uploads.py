"""Checking uploaded files: the type comes from the content, never from the name.

Accepted: PDF, OpenDocument text and spreadsheet, Word (DOCX), Excel (XLSX), PNG and JPEG.
Office formats are ZIP containers, opened to check what they hold and refused when they
would expand to far more than they weigh (a "zip bomb") or carry macros (VBA in Word and Excel
files, Basic or scripts in OpenDocument ones). A PDF or an image that is at the same time
another kind of file (a "polyglot": a ZIP appended to it, web markup a browser could run) is
refused, as is a PDF that carries scripts.

These checks are heuristics that catch the usual tricks early, with a message the person can
act on. The guard that holds whatever slips through is how a document is served back:
``download()`` (an attachment, the stored type with ``nosniff``, and a sandboxing
Content-Security-Policy), so no browser ever runs a stored file as a page of the portal.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "PNG")
JPEG = FileType("jpg", "image/jpeg", "JPEG")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "ODT")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOCX",
)
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
ACCEPTED = (PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG)

MAX_ZIP_MEMBERS = 2_000
MAX_EXPANSION_RATIO = 100
# Web markup a browser would run if it ever read the file as a page: the elements that carry
# or load code, any element with an event-handler attribute (``<img src=x onerror=…>``, also
# written ``<img/src=x/onerror=…>``), ``javascript:`` links and XML style sheets. The
# attributes must be printable text, as in a page, so that compressed binary data (where any
# byte sequence occurs by chance) does not match.
WEB_MARKUP = re.compile(
    rb"<(?:script|html|head|body|svg|math|iframe|frame|frameset|object|embed|applet|meta|"
    rb"link|base|form|style)\b"
    rb"|<!doctype|<\?xml-stylesheet"
    rb"|<[a-z][a-z0-9:-]*[\s/][\x20-\x3b\x3d\x3f-\x7e\t\r\n]{0,400}?[\s/\"']on[a-z]{3,}\s*="
    rb"|javascript\s*:",
    re.I,
)
PDF_SCRIPT = re.compile(rb"/(?:JavaScript|JS|Launch|AA)\b")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

# Macros. OpenDocument keeps Basic modules and dialogs in ``Basic/`` and ``Dialogs/``, other
# languages in ``Scripts/``, lists them in its manifest, and binds them to events with
# ``vnd.sun.star.script:`` or ``macro:`` links (which may also call scripts installed with the
# office suite). Office Open XML keeps VBA in ``vbaProject.bin``, Excel 4 macros in
# ``xl/macrosheets/``, and says so in ``[Content_Types].xml`` (the .docm/.xlsm types).
ODF_MACRO_FOLDERS = ("basic/", "dialogs/", "scripts/")
ODF_MACRO_MARKERS = re.compile(
    rb"full-path=\"(?:Basic|Dialogs|Scripts)/|vnd\.sun\.star\.(?:script:|framework-script|basic)"
    rb"|[\"']macro:|script:event-listener",
    re.I,
)
ODF_MACRO_PARTS = ("META-INF/manifest.xml", "content.xml", "styles.xml", "settings.xml")
OOXML_MACRO_MARKERS = re.compile(rb"macroEnabled|vbaProject|macrosheet|vnd\.ms-office\.vba", re.I)
SCAN_CHUNK = 1024 * 1024


def accepted_labels() -> str:
    return ", ".join(file_type.label for file_type in ACCEPTED)


def _refuse_type():
    return ValidationError(
        _(
            "This file is not one of the accepted types (%(types)s). Its name does not matter: "
            "we look at its content."
        ),
        code="file_type",
        params={"types": accepted_labels()},
    )


def _refuse_macros() -> ValidationError:
    return ValidationError(
        _("Documents with macros are refused: save the file without macros."), code="macros"
    )


def _member_matches(archive: zipfile.ZipFile, name: str, pattern: re.Pattern) -> bool:
    """Whether ``pattern`` occurs in member ``name``, read a chunk at a time (its size is
    already bounded by the zip-bomb check)."""
    tail = b""
    with archive.open(name) as member:
        while chunk := member.read(SCAN_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-200:]
    return False


def _has_macros(archive: zipfile.ZipFile, names: set[str], opendocument: bool) -> bool:
    lowered = {name.lower() for name in names}
    if opendocument:
        if any(name.startswith(ODF_MACRO_FOLDERS) for name in lowered):
            return True
        parts = [name for name in ODF_MACRO_PARTS if name in names]
        return any(_member_matches(archive, name, ODF_MACRO_MARKERS) for name in parts)
    if any(
        name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in lowered
    ):
        return True
    return "[Content_Types].xml" in names and _member_matches(
        archive, "[Content_Types].xml", OOXML_MACRO_MARKERS
    )


def _sniff_zip(upload) -> FileType:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise _refuse_type() from None
    with archive:
        members = archive.infolist()
        expanded = sum(member.file_size for member in members)
        if len(members) > MAX_ZIP_MEMBERS or expanded > MAX_EXPANSION_RATIO * max(upload.size, 1):
            raise ValidationError(
                _("This file expands to far more than its size and is refused."), code="zip_bomb"
            )
        names = {member.filename for member in members}
        file_type = None
        if "mimetype" in names:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            file_type = next((t for t in (ODT, ODS) if declared == t.content_type), None)
        if file_type is None and "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                file_type = DOCX
            elif "xl/workbook.xml" in names:
                file_type = XLSX
        if file_type is None:
            raise _refuse_type()
        if _has_macros(archive, names, opendocument=file_type in (ODT, ODS)):
            raise _refuse_macros()
        return file_type


def _refuse_polyglot(upload, file_type: FileType) -> None:
    content = upload.read()
    upload.seek(0)
    if WEB_MARKUP.search(content) or zipfile.is_zipfile(upload):
        raise ValidationError(
            _(
                "This %(type)s file also holds another kind of content (web page code or an "
                "archive) and is refused. Export or scan the document again."
            ),
            code="polyglot",
            params={"type": file_type.label},
        )
    # A heuristic on the file's bytes (names unescaped: /J#61vaScript is /JavaScript); a
    # script hidden in a compressed object stream passes, and is harmless to the portal,
    # which serves documents as downloads only.
    plain_names = PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), content)
    if file_type == PDF and PDF_SCRIPT.search(plain_names):
        raise ValidationError(
            _("PDF documents with scripts are refused: print the document to PDF again."),
            code="pdf_script",
        )


def sniff(upload) -> FileType:
    """The type of ``upload`` read from its first bytes (and, for ZIP files, its members)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(upload)
        for file_type, magic in (
            (PDF, b"%PDF-"),
            (PNG, b"\x89PNG\r\n\x1a\n"),
            (JPEG, b"\xff\xd8\xff"),
        ):
            if head.startswith(magic):
                _refuse_polyglot(upload, file_type)
                return file_type
        raise _refuse_type()
    finally:
        upload.seek(0)


def clean_filename(name: str, extension: str) -> str:
    """A safe display name: no folders, no control or odd characters, the right extension."""
    stem = PurePath(name.replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    stem = re.sub(r"[^\w\s.()-]", "_", stem).strip(" ._") or "document"
    return f"{stem[:100]}.{extension}"


def validate_upload(upload) -> FileType:
    """Check size and type; raise a ValidationError the person can act on."""
    limit = settings.DOCUMENT_MAX_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s."),
            code="file_size",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="file_empty")
    return sniff(upload)


# Served back, an uploaded file is a download in its stored type, which the browser may not
# second-guess (nosniff), and were it ever shown in a tab anyway, a sandboxed one without
# scripts, forms or access to the portal's origin. This, not the upload checks above, is what
# keeps a file that slipped through them from running as a page of the portal.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def download(file, *, filename: str, content_type: str) -> FileResponse:
    """The response that hands an uploaded (or issued) file back to a person."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY  # the site-wide policy yields to it
    return response
