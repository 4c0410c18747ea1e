"""Attachments of complaints: what may be uploaded, judged by the file's content, never by its name.

Accepted: PDF, PNG, JPEG and Office Open XML documents (Word .docx, Excel .xlsx, PowerPoint .pptx).
An Office file is a ZIP archive; it passes only when the archive opens and holds the parts that
make it that kind of document, and it is refused when it carries macros. Macros are found by what
the document declares, not by part names, which anyone can change: a macro-enabled or VBA content
type in ``[Content_Types].xml`` (also as the default for an extension, as for a VBA project renamed
``word/data1.bin``), a VBA relationship in any ``.rels`` part, or a template fetched from elsewhere
(an external ``attachedTemplate``, which brings its macros when the document opens). A document
with a DTD, or whose declarations cannot be read, is not accepted.
The stored name is rebuilt from the original: no folders, no odd characters, and the extension
that matches the content ('x.exe:y.pdf' -> 'x_exe_y.pdf', '../a.pdf' -> 'a.pdf').

Pure: bytes in, a verdict out. The bytes themselves are kept by a ``FileStore`` (see
data_access/file_store.py), referenced from the ``attachments`` table by ID and SHA-256.
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from xml.etree import ElementTree
from dataclasses import dataclass
from typing import Protocol

from domain.errors import ValidationError
from domain.texts import Worded

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx"}
# For the upload widget's file picker only; the content decides.
UPLOAD_TYPES = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx")
MAX_NAME = 100
_OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}
_MAX_ZIP_ENTRIES = 10_000
_MAX_DECLARATION = 2 * 1024 * 1024  # [Content_Types].xml or a .rels part larger than this is not a document's
# Content types of macro-enabled documents and their parts (Word, Excel, PowerPoint, Excel 4.0 sheets).
_MACRO_TYPE = re.compile(r"macroenabled|vbaproject|vbadata|ms-excel\.(intl)?macrosheet|ms-office\.activex", re.I)
_MACRO_RELATION = re.compile(r"/(vbaProject|vbaProjectSignature|vbaProjectSignatureAgile|wordVbaData|"
                             r"keyMapCustomizations|activeXControl|activeXControlBinary)$", re.I)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _m(key: str, **params) -> str:
    """Indonesian, the language of record; the UI words a message again for its reader (Worded)."""
    return Worded(key, **params)


class FileStore(Protocol):
    """Where attachment bytes live; the ``attachments`` table holds their metadata."""

    def put(self, attachment_id: str, data: bytes) -> str: ...  # returns the stored path (relative)
    def get(self, attachment_id: str, path: str, sha256: str) -> bytes: ...  # verified against sha256
    def delete(self, attachment_id: str, path: str) -> None: ...


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: a safe name, the type found in the content, size and checksum."""

    name: str
    mime: str
    size: int
    sha256: str
    data: bytes


class _Unreadable(Exception):
    """A declaration part that is too large, has a DTD, or is not XML: not an Office document."""


def _declaration(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> ElementTree.Element:
    if info.file_size > _MAX_DECLARATION:
        raise _Unreadable(info.filename)
    text = archive.read(info)
    if b"<!DOCTYPE" in text.upper() or b"<!ENTITY" in text.upper():  # never in OOXML; entity expansion is an attack
        raise _Unreadable(info.filename)
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise _Unreadable(info.filename) from None


def _carries_macros(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    """What the package declares: macro content types, VBA relationships, a template from elsewhere."""
    if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
        return True
    types = next(i for i in infos if i.filename == "[Content_Types].xml")
    if any(_MACRO_TYPE.search(el.get("ContentType") or "") for el in _declaration(archive, types).iter()):
        return True
    for info in infos:
        if not info.filename.lower().endswith(".rels"):
            continue
        for rel in _declaration(archive, info).iter():
            kind = rel.get("Type") or ""
            if _MACRO_RELATION.search(kind):
                return True
            if kind.endswith("/attachedTemplate") and (rel.get("TargetMode") or "").lower() == "external":
                return True
    return False


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                return None
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                return None
            macros = _carries_macros(archive, infos)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, _Unreadable, KeyError):
        return None
    if macros:
        raise ValidationError("attachment", _m("complaint.err.attachment_macro"))
    for mime, part in _OFFICE_PARTS.items():
        if part in names:
            return mime
    return None


def detect_type(data: bytes) -> str | None:
    """The MIME type the content shows, or None when it is none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def safe_name(original: str | None, mime: str) -> str:
    """A harmless file name: the last path part, plain letters, digits, '-', '_' and spaces, one
    extension, the one that matches ``mime``."""
    base = re.split(r"[\\/]", original or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = re.sub(r"[^A-Za-z0-9 _-]+", "_", stem)
    stem = re.sub(r"[ _]*_[ _]*", "_", re.sub(r"\s+", " ", stem)).strip(" _-")
    if not stem:
        stem = "lampiran"
    if stem.lower() in _RESERVED:
        stem = f"lampiran_{stem}"
    ext = EXTENSIONS[mime]
    return f"{stem[:MAX_NAME - len(ext) - 1].rstrip(' _-') or 'lampiran'}.{ext}"


def check_upload(name: str | None, data: bytes, max_mb: int) -> CheckedFile:
    """Accept or refuse one upload with a message naming the field; nothing is stored here."""
    if not data:
        raise ValidationError("attachment", _m("complaint.err.attachment_empty"))
    limit = int(max_mb) * 1024 * 1024
    if len(data) > limit:
        size = f"{len(data) / (1024 * 1024):.1f}".replace(".", ",")
        raise ValidationError("attachment", _m("complaint.err.attachment_size", mb=max_mb, size=size))
    mime = detect_type(data)
    if mime is None:
        raise ValidationError("attachment", _m("complaint.err.attachment_type"))
    return CheckedFile(name=safe_name(name, mime), mime=mime, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), data=data)
