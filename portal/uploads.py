"""Checking uploaded files: the type comes from the content, never from the name.

Accepted: PDF, OpenDocument text and spreadsheet, Word (DOCX), Excel (XLSX), PNG and JPEG.
Office formats are ZIP containers, opened to check what they hold and refused when they
would expand to far more than they weigh (a "zip bomb"). A PDF or an image that is at the same
time another kind of file (a "polyglot": a ZIP appended to it, web markup a browser could run)
is refused, as is a PDF that carries scripts.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
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
WEB_MARKUP = re.compile(rb"<(?:script|html|body|svg|iframe|object|embed)\b|<!doctype", re.I)
PDF_SCRIPT = re.compile(rb"/(?:JavaScript|JS|Launch|AA)\b")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


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
        if "mimetype" in names:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            for file_type in (ODT, ODS):
                if declared == file_type.content_type:
                    return file_type
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise ValidationError(
                _("Documents with macros are refused: save the file without macros."),
                code="macros",
            )
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    raise _refuse_type()


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
