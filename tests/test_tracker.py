"""The case tracker's rules that need no store (the vectorised clock, links, the bulk-edit diff);
the rules on a store are ``tests/contracts/tracker.py``, run on every backend."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from domain import tracker as trk
from domain.errors import ValidationError
from tests.apptest_helpers import ACTORS

STAF = ACTORS["staf1"]
HOUR = dt.timedelta(hours=1)


# ---- working time, vectorised ------------------------------------------------------------------

def test_diff_rows_finds_only_the_rows_the_user_changed():
    original = pd.DataFrame({"id": ["A", "B", "C"], "version": [3, 1, 2], "pic_id": ["EX-1", None, "EX-2"],
                             "status": ["aktif"] * 3, "notes": [None, "n", ""],
                             "target_date": [pd.NaT, pd.Timestamp("2026-05-01"), pd.NaT]})
    edited = original.copy()
    edited.loc[1, "notes"] = "baru"
    edited.loc[2, "notes"] = None  # '' and None are the same blank
    edited.loc[0, "target_date"] = pd.Timestamp("2026-07-01")
    rows = trk.diff_rows(original, edited)
    assert [(r.case_id, r.expected_version, set(r.changes)) for r in rows] == [
        ("A", 3, {"target_date"}), ("B", 1, {"notes"})]


# ---- document links ----------------------------------------------------------------------------

@pytest.mark.parametrize("link", ["https://jdih.setneg.go.id/sop/12.pdf", "http://intranet/arsip?id=3",
                                  "ND-123/Set/OT.02/2026", r"\\srv-biro\arsip\SOP 2026.docx",
                                  "arsip/2026/sop-persuratan.pdf", r"D:\Arsip\SOP.pdf"])
def test_good_document_links_are_accepted(link):
    assert trk.validate_doc_link(link) == link


@pytest.mark.parametrize("link,text", [("javascript:alert(1)", "http"), ("ftp://x.go.id/a", "http"),
                                       ("https://", "tidak sah"), ("https://a b.go.id/x", "tidak sah"),
                                       ("<script>", "rujukan berkas"), ("line\nbreak", "karakter kendali"),
                                       ("x" * 600, "paling banyak")])
def test_bad_document_links_are_refused_with_a_reason(link, text):
    with pytest.raises(ValidationError) as bad:
        trk.validate_doc_link(link)
    assert bad.value.field == "doc_link" and text in bad.value.message


# ---- the list ----------------------------------------------------------------------------------

