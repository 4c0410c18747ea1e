"""The register of finished SP/SOP on a store, written once and run on every backend: a document with
its signed PDF round-trips (fields, SHA-256, bytes), bad input is refused naming its field and leaves
neither a row nor a file, a change carries the version read, the register lists, filters and counts,
a unit user sees their own unit's only, a changed file is refused on download."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from data_access.file_store import AttachmentMissing, LocalFileStore
from domain import outputs as out
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.permissions import Actor
from tests.apptest_helpers import ACTORS
from tests.tracker_world import SIGNED_PDF, open_at, populated

STAF = ACTORS["staf1"]
AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form(**kw) -> out.OutputForm:
    fields = dict(kind="SOP", title="SOP Pelayanan Persuratan", unit_id="UNIT-SETMEN-1",
                  doc_number="Nomor 12 Tahun 2026", doc_date=dt.date(2026, 11, 27),
                  web_link="https://setneg.example.go.id/sop/persuratan", archive_ref="ARS/OTA/2026/041",
                  pdf_name="SOP persuratan (ttd).pdf", pdf=SIGNED_PDF)
    fields.update(kw)
    return out.OutputForm(**fields)


class RegisterContract:
    """A backend's test class inherits this and provides the ``repo`` fixture."""

    @pytest.fixture
    def world(self, repo):
        with populated(repo) as store:
            yield store

    @pytest.fixture
    def files(self, tmp_path):
        return LocalFileStore(tmp_path / "lampiran")

    def test_a_document_with_its_signed_pdf_round_trips(self, world, files):
        case = open_at(world, track="permen", doc_kind="SP dan SOP", unit_ids=["UNIT-SETMEN-1", "UNIT-SETMEN-2"])
        saved = out.record_output(world, STAF, case["id"], form(), files=files, at=AT)
        back = world.get("outputs", saved["id"])
        assert {k: back[k] for k in ("case_id", "kind", "title", "unit_id", "doc_number", "doc_date", "web_link",
                                     "archive_ref")} == {
            "case_id": case["id"], "kind": "SOP", "title": "SOP Pelayanan Persuratan", "unit_id": "UNIT-SETMEN-1",
            "doc_number": "Nomor 12 Tahun 2026", "doc_date": dt.date(2026, 11, 27),
            "web_link": "https://setneg.example.go.id/sop/persuratan", "archive_ref": "ARS/OTA/2026/041"}
        meta = world.get("attachments", back["attachment_id"])
        assert meta["mime"] == "application/pdf" and meta["name"] == "SOP persuratan_ttd.pdf"
        assert meta["sha256"] == hashlib.sha256(SIGNED_PDF).hexdigest() and meta["size"] == len(SIGNED_PDF)
        got_meta, data = out.signed_pdf(world, STAF, files, saved["id"])
        assert data == SIGNED_PDF and got_meta["id"] == meta["id"]
        assert any(e["action"] == "output.record" for e in world.audit("cases", case["id"]))

    def test_bad_input_is_refused_naming_its_field_and_leaves_no_row_and_no_file(self, world, files):
        case = open_at(world, doc_kind="SOP")
        for bad, name in [(form(pdf=PNG, pdf_name="ttd.pdf"), "attachment"), (form(kind="SP"), "kind"),
                          (form(unit_id="UNIT-HUKUM-1"), "unit_id"), (form(doc_number="  "), "doc_number"),
                          (form(archive_ref=""), "archive_ref"), (form(web_link="javascript:alert(1)"), "web_link"),
                          (form(doc_date=dt.date(2027, 1, 5)), "doc_date"), (form(title="x\x00y"), "title")]:
            with pytest.raises(ValidationError) as exc:
                out.record_output(world, STAF, case["id"], bad, files=files, at=AT)
            assert exc.value.field == name, (name, exc.value.message)
        assert world.count("outputs") == 0 and world.count("attachments") == 0
        assert not [p for p in files.root.rglob("*") if p.is_file()]  # checked before any file is written

    def test_the_number_and_date_are_named_as_the_track_has_them(self, world, files):
        permen = open_at(world, track="permen")
        with pytest.raises(ValidationError) as exc:
            out.record_output(world, STAF, permen["id"], form(doc_number=""), files=files, at=AT)
        assert exc.value.message == "Nomor Permensesneg wajib diisi."
        intern = open_at(world, track="intern")
        with pytest.raises(ValidationError) as exc:
            out.record_output(world, STAF, intern["id"], form(doc_number=""), files=files, at=AT)
        assert exc.value.message == "Nomor dokumen intern wajib diisi."

    def test_no_more_documents_than_the_case_drafts(self, world, files):
        case = open_at(world, drafts=1)
        out.record_output(world, STAF, case["id"], form(), files=files, at=AT)
        with pytest.raises(ValidationError) as exc:
            out.record_output(world, STAF, case["id"], form(title="SOP kedua"), files=files, at=AT)
        assert exc.value.field == "outputs" and world.count("outputs") == 1

    def test_the_website_link_added_later_carries_the_version_read(self, world, files):
        case = open_at(world)
        saved = out.record_output(world, STAF, case["id"], form(web_link=""), files=files, at=AT)
        assert saved["web_link"] is None
        link = "https://setneg.example.go.id/sop/a"
        changed = out.update_output(world, STAF, saved["id"], form(web_link=link, pdf=None),
                                    expected_version=saved["version"], files=files, at=AT)
        assert changed["web_link"] == "https://setneg.example.go.id/sop/a" and changed["version"] == 2
        assert changed["attachment_id"] == saved["attachment_id"]  # no new PDF: the same file
        with pytest.raises(StaleWriteError):
            out.update_output(world, STAF, saved["id"], form(web_link=link, archive_ref="ARS-lain", pdf=None),
                              expected_version=saved["version"], files=files, at=AT)
        assert world.get("outputs", saved["id"])["archive_ref"] == "ARS/OTA/2026/041"
        assert out.update_output(world, STAF, saved["id"], form(web_link=link, pdf=None), expected_version=2,
                                 files=files, at=AT) is None
        renewed = out.update_output(world, STAF, saved["id"], form(web_link=link), expected_version=2, files=files,
                                    at=AT)
        assert renewed["attachment_id"] != saved["attachment_id"]  # a new signed PDF: a new file, the old one kept

    def test_the_register_lists_filters_and_counts_and_a_unit_user_sees_their_own(self, world, files):
        a = open_at(world, unit_ids=["UNIT-SETMEN-1"], doc_kind="SP dan SOP", drafts=2)
        b = open_at(world, unit_ids=["UNIT-HUKUM-1"], doc_kind="SOP")
        out.record_output(world, STAF, a["id"], form(kind="SP", title="SP Persuratan"), files=files, at=AT)
        out.record_output(world, STAF, a["id"], form(title="SOP Arsip", web_link=""), files=files, at=AT)
        out.record_output(world, STAF, b["id"], form(title="SOP Harmonisasi", unit_id="UNIT-HUKUM-1",
                                                     doc_date=dt.date(2025, 6, 2)), files=files, at=AT)
        frames = world.frames(list(out.TABLES))
        everyone = out.register_frame(frames, ACTORS["pimpinan"])
        assert len(everyone) == 3 and set(everyone["org"]) == {"Sekretariat Kementerian",
                                                               "Deputi Bidang Hukum dan Perundang-undangan"}
        assert list(out.filter_register(everyone, out.RegisterFilter(years=[2025]))["title"]) == ["SOP Harmonisasi"]
        assert list(out.filter_register(everyone, out.RegisterFilter(kinds=["SP"]))["title"]) == ["SP Persuratan"]
        assert list(out.filter_register(everyone, out.RegisterFilter(org_ids=["ORG-HUKUM"]))["unit"]) == [
            "Biro Hukum (uji)"]
        assert list(out.filter_register(everyone, out.RegisterFilter(text="arsip"))["title"]) == ["SOP Arsip"]
        counts = out.counts_per_unit(everyone).set_index("unit")
        assert counts.loc["Biro Tata Usaha", ["SP", "SOP", "total", "published"]].tolist() == [1, 1, 2, 1]
        assert list(out.published(everyone)["title"]) == ["SP Persuratan", "SOP Harmonisasi"]
        own = Actor(id="u", username="tu", roles=frozenset({"Unit"}), unit_id="UNIT-HUKUM-1")
        assert list(out.register_frame(frames, own)["title"]) == ["SOP Harmonisasi"]
        theirs = everyone.loc[everyone["title"] == "SP Persuratan", "id"].iloc[0]
        with pytest.raises(PermissionDenied):
            out.signed_pdf(world, own, files, theirs)
        with pytest.raises(PermissionDenied):
            out.register_frame(frames, ACTORS["admin"])

    def test_a_signed_pdf_changed_in_the_folder_is_refused_not_served(self, world, files):
        case = open_at(world)
        saved = out.record_output(world, STAF, case["id"], form(), files=files, at=AT)
        meta = world.get("attachments", saved["attachment_id"])
        (files.root / meta["path"]).write_bytes(SIGNED_PDF + b"% diubah\n")
        with pytest.raises(AttachmentMissing) as exc:
            out.signed_pdf(world, STAF, files, saved["id"])
        assert "checksum berbeda" in str(exc.value.message)
