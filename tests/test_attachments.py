"""Attachments: type judged by content, size limit, harmless names; the local file store."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from data_access.config import Settings
from data_access.file_store import AttachmentMissing, LocalFileStore, open_file_store
from domain import attachments as att
from domain.errors import ValidationError

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_zip(*parts: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for part in parts:
            z.writestr(part, "<x/>")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "data"
    wb.save(buf)
    return buf.getvalue()


DOCX_BYTES = office_zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")


@pytest.mark.parametrize("data, mime, ext", [
    (PDF_BYTES, att.PDF, "pdf"), (PNG_BYTES, att.PNG, "png"), (JPEG_BYTES, att.JPEG, "jpg"),
    (DOCX_BYTES, att.DOCX, "docx"), (xlsx_bytes(), att.XLSX, "xlsx"),
    (office_zip("[Content_Types].xml", "ppt/presentation.xml"), att.PPTX, "pptx"),
])
def test_accepted_kinds_are_recognised_by_their_content(data, mime, ext):
    checked = att.check_upload("berkas", data, max_mb=5)
    assert checked.mime == mime
    assert checked.name == f"berkas.{ext}"
    assert checked.size == len(data) and checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name, data", [
    ("laporan.pdf", b"MZ\x90\x00 this is a windows program"),
    ("gambar.png", b"GIF89a not a png"),
    ("catatan.pdf", b"just some text that claims to be a pdf"),
    ("arsip.docx", office_zip("foo.txt")),  # a zip, but not an Office document
    ("rusak.xlsx", b"PK\x03\x04 broken zip"),
    ("halaman.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_a_file_whose_content_is_not_an_accepted_kind_is_refused_whatever_its_name(name, data):
    with pytest.raises(ValidationError) as err:
        att.check_upload(name, data, max_mb=5)
    assert err.value.field == "attachment"
    assert "jenis berkas tidak diterima" in err.value.message


def test_an_office_file_with_macros_is_refused():
    data = office_zip("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin")
    with pytest.raises(ValidationError, match="makro"):
        att.check_upload("anggaran.xlsx", data, max_mb=5)


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named():
    data = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="paling besar 1 MB"):
        att.check_upload("besar.pdf", data, max_mb=1)
    assert att.check_upload("pas.pdf", data[: 1024 * 1024], max_mb=1).size == 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="kosong"):
        att.check_upload("kosong.pdf", b"", max_mb=5)


@pytest.mark.parametrize("original, mime, expected", [
    ("x.exe:y.pdf", att.PDF, "x_exe_y.pdf"),
    ("../a.pdf", att.PDF, "a.pdf"),
    ("..\\..\\windows\\system32\\a.pdf", att.PDF, "a.pdf"),
    ("/etc/passwd", att.PDF, "passwd.pdf"),
    ("laporan.exe", att.PDF, "laporan.pdf"),  # the extension follows the content
    ("foto.pdf", att.PNG, "foto.png"),
    ("", att.PDF, "lampiran.pdf"),
    ("...", att.PDF, "lampiran.pdf"),
    ("CON.pdf", att.PDF, "lampiran_CON.pdf"),
    ("Surat Dinas (final) #2.docx", att.DOCX, "Surat Dinas_final_2.docx"),
    ("Rapat\u202ecod.pdf", att.PDF, "Rapatcod.pdf"),  # right-to-left override removed
    ("résumé.pdf", att.PDF, "resume.pdf"),
])
def test_odd_names_are_made_harmless(original, mime, expected):
    assert att.safe_name(original, mime) == expected


def test_a_very_long_name_is_shortened_and_keeps_its_extension():
    name = att.safe_name("a" * 500 + ".pdf", att.PDF)
    assert len(name) <= att.MAX_NAME and name.endswith(".pdf")


# ---- the local file store ------------------------------------------------------------------------

def test_the_file_store_keeps_bytes_under_its_folder_and_verifies_the_checksum(tmp_path):
    store = LocalFileStore(tmp_path / "lampiran")
    path = store.put("ATT-0123456789abcdef", PDF_BYTES)
    assert (tmp_path / "lampiran" / path).read_bytes() == PDF_BYTES
    sha = hashlib.sha256(PDF_BYTES).hexdigest()
    assert store.get("ATT-0123456789abcdef", path, sha) == PDF_BYTES


def test_a_changed_file_is_refused_not_served(tmp_path):
    store = LocalFileStore(tmp_path)
    path = store.put("ATT-1", PDF_BYTES)
    (tmp_path / path).write_bytes(b"%PDF-1.4 swapped")
    with pytest.raises(AttachmentMissing, match="checksum"):
        store.get("ATT-1", path, hashlib.sha256(PDF_BYTES).hexdigest())


def test_a_missing_file_gives_a_message_not_a_crash(tmp_path):
    store = LocalFileStore(tmp_path)
    with pytest.raises(AttachmentMissing, match="tidak ada"):
        store.get("ATT-2", None, "0" * 64)


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "", "x" * 200, "ATT 1"])
def test_ids_that_could_leave_the_folder_are_refused(tmp_path, bad_id):
    with pytest.raises(ValidationError):
        LocalFileStore(tmp_path).put(bad_id, PDF_BYTES)


def test_a_path_in_the_table_that_does_not_match_the_id_is_not_followed(tmp_path):
    store = LocalFileStore(tmp_path)
    store.put("ATT-3", PDF_BYTES)
    with pytest.raises(AttachmentMissing):
        store.get("ATT-3", "../../etc/passwd", hashlib.sha256(PDF_BYTES).hexdigest())


def test_delete_removes_the_file_and_is_harmless_when_it_is_gone(tmp_path):
    store = LocalFileStore(tmp_path)
    store.put("ATT-4", PDF_BYTES)
    store.delete("ATT-4")
    store.delete("ATT-4")
    assert not store.exists("ATT-4")


def test_the_folder_comes_from_the_settings(tmp_path):
    store = open_file_store(Settings(attachments_dir=str(tmp_path / "x")))
    assert store.root == tmp_path / "x"
    relative = open_file_store(Settings(attachments_dir="data/lampiran"))
    assert relative.root.is_absolute() and relative.root.parts[-2:] == ("data", "lampiran")


def test_an_unwritable_folder_gives_a_store_message(tmp_path):
    from domain.errors import StoreUnavailableError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailableError, match="Folder lampiran"):
        LocalFileStore(blocker).put("ATT-5", PDF_BYTES)


# ---- macros are found by what the package declares, not by part names ------------------------------

CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATION = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
TEMPLATE_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def docx(main_type: str = DOCX_MAIN, defaults: tuple[tuple[str, str], ...] = (),
         document_rels: tuple[tuple[str, str, str], ...] = (), extra: dict[str, bytes] | None = None) -> bytes:
    """A Word document as Word writes one: content types, package and document relationships."""
    types = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in (
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"), ("xml", "application/xml"),
        *defaults))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{t}" Target="{target}"{f" TargetMode={mode!r}" if mode else ""}/>'
                   for i, (t, target, mode) in enumerate(document_rels, start=1))
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{CT}">{types}'
                               f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{RELS}">'
                       f'<Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                             'wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>',
        "word/_rels/document.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{rels}</Relationships>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"VBA project" * 10


def test_a_plain_word_document_as_word_writes_it_is_accepted():
    assert att.check_upload("surat.docx", docx(), max_mb=5).mime == att.DOCX


@pytest.mark.parametrize("data", [
    # The finding: macro-enabled main part, the VBA project renamed word/data1.bin, pointed at by a relationship.
    docx(DOCM_MAIN, (("bin", VBA_TYPE),), ((VBA_RELATION, "data1.bin", ""),), {"word/data1.bin": VBA}),
    docx(DOCM_MAIN),  # the main part declares macros
    docx(defaults=(("bin", VBA_TYPE),), extra={"word/data1.bin": VBA}),  # a VBA project by default type
    docx(document_rels=((VBA_RELATION, "media/image9.png", ""),), extra={"word/media/image9.png": VBA}),
    docx(document_rels=((TEMPLATE_RELATION, "https://example.org/macros.dotm", "External"),)),  # fetched on open
], ids=["renamed-vba-part", "macro-enabled-main", "vba-default-type", "vba-relationship", "remote-template"])
def test_a_document_declaring_macros_is_refused_whatever_its_parts_are_called(data):
    with pytest.raises(ValidationError, match="makro") as err:
        att.check_upload("surat.docx", data, max_mb=5)
    assert err.value.field == "attachment"


def test_a_local_template_reference_is_not_taken_for_macros():
    data = docx(document_rels=((TEMPLATE_RELATION, "file:///C:/Templates/Normal.dotm", ""),))
    assert att.check_upload("surat.docx", data, max_mb=5).mime == att.DOCX


@pytest.mark.parametrize("content_types", [
    '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>',  # entity expansion
    "not xml at all <",
])
def test_a_package_whose_declarations_cannot_be_read_is_not_an_office_document(content_types):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("word/document.xml", "<x/>")
    with pytest.raises(ValidationError, match="jenis berkas tidak diterima"):
        att.check_upload("surat.docx", buf.getvalue(), max_mb=5)


def test_a_file_over_the_limit_is_refused_naming_its_size_and_the_limit():
    with pytest.raises(ValidationError) as err:
        att.check_upload("besar.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024), max_mb=5)
    assert err.value.field == "attachment"
    assert "berkas 6,0 MB terlalu besar" in err.value.message and "paling besar 5 MB" in err.value.message
