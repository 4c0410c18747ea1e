"""A store full of hostile text, and the check that none of it became markup in the browser.

Every string is made of constructs that Streamlit's Markdown would turn into an element (bold, link,
image, heading, KaTeX, colour directive, badge, Material icon, emoji shortcode, HTML, quote, list,
code, table, typographic arrow); each construct carries its own marker (``ZQ…``), so an element
that came from stored text is found by the marker inside it. Where the app itself wraps a value in
an element (a heading, bold), the value's own characters must be inside that element too.
"""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from data_access.demo import load_demo
from data_access.file_store import LocalFileStore
from data_access.repository import Log, Update
from data_access.schema import TABLES
from domain import complaints as cp
from domain import evaluation as ev
from domain.calendar import JAKARTA, WorkCalendar
from domain.permissions import NOBODY
from tests.apptest_helpers import ACTORS

# (marker, the characters as typed): rendered as text, the typed characters are what one reads.
CONSTRUCTS: list[tuple[str, str]] = [
    ("ZQB", "**ZQB tebal**"), ("ZQI", "_ZQI miring_"), ("ZQL", "[ZQL tautan](http://127.0.0.1:9/ZQL)"),
    ("ZQM", "![ZQM](http://127.0.0.1:9/ZQM.png)"), ("ZQK", "$ZQK^2$"), ("ZQD", "$$ZQD$$"),
    ("ZQR", ":red[ZQR merah]"), ("ZQG", ":green-background[ZQG latar]"), ("ZQE", ":blue-badge[ZQE lencana]"),
    ("ZQW", "ZQW :material/warning:"), ("ZQJ", "ZQJ :skull: :streamlit:"), ("ZQH", "<b>ZQH</b><img src=x>"),
    ("ZQS", "~~ZQS coret~~"), ("ZQC", "`ZQC kode`"), ("ZQA", "www.ZQA.example ZQA@example.com"),
    ("ZQT", "ZQT -> <= --"), ("ZQN", "&lt;ZQN&gt; &amp;"),
]
# Constructs that act only at the start of a line: each on its own line in multi-line strings.
LINE_CONSTRUCTS: list[tuple[str, str]] = [
    ("ZQ1", "# ZQ1 judul"), ("ZQ2", "> ZQ2 kutipan"), ("ZQ3", "- ZQ3 daftar"), ("ZQ4", "    ZQ4 kode"),
    ("ZQ5", "| ZQ5 | b |\n|---|---|\n| c | d |"), ("ZQ6", "1. ZQ6 nomor"),
]
# What must be read around each marker: the construct's first line, as typed.
LITERALS = {m: " ".join(text.split("\n")[0].split()) for m, text in CONSTRUCTS + LINE_CONSTRUCTS}
# The issue's own examples, whole.
FINDINGS = ["![x](http://127.0.0.1:9/pixel.png) ZQM", "[lihat notulen](http://127.0.0.1:9/n) ZQL",
            ":red[merah] :material/warning: ZQR", "$$ZQD$$"]


def hostile(i: int, *, multiline: bool = True) -> str:
    """The i-th hostile string: a few inline constructs, and line constructs on lines of their own."""
    parts = [CONSTRUCTS[(i + k) % len(CONSTRUCTS)][1] for k in range(4)]
    text = " ".join(parts)
    if multiline:
        text += "\n" + LINE_CONSTRUCTS[i % len(LINE_CONSTRUCTS)][1] + "\n" + CONSTRUCTS[(i + 7) % len(CONSTRUCTS)][1]
    return text


# Columns that hold codes the app itself chooses (ids, states, roles, …), not text a person types.
CODED = {"id", "status", "kind", "role", "track", "origin", "doc_kind", "meeting_location", "team_decree",
         "current_step", "step_code", "handler", "mime", "sha256", "path", "password_hash", "delegated_to",
         "decided_by", "created_by", "updated_by", "value", "username", "actor", "action", "entity", "field"}
ONE_LINE = {"number", "receipt_no", "name", "short_name", "nip", "email", "phone", "contact", "contact_name",
            "display_name", "case_ref", "doc_link", "title"}
HOSTILE_ACTOR = "**ZQB tebal** :material/warning: [ZQL tautan](http://127.0.0.1:9/ZQL)"


def text_columns(table: str) -> list[str]:
    return [c for c, kind in TABLES[table] if kind == "str" and c not in CODED and not c.endswith("_id")]


@dataclass
class HostileWorld:
    lookup_receipt: str = ""  # an answered complaint the status page finds (its contact kept findable)
    lookup_email: str = ""
    attachment_receipt: str = ""
    delegated_receipt: str = ""
    cases: dict[str, str] = field(default_factory=dict)  # active / on_hold / finished -> case id
    written: dict[str, int] = field(default_factory=dict)  # table -> rows made hostile


@contextmanager
def _demo_password(password: str):
    with mock.patch.dict(os.environ, {"SOP_DEMO_PASSWORD": password}):
        yield


def fill(repo, calendar: WorkCalendar, files_dir, password: str,
         today: dt.datetime = dt.datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)) -> HostileWorld:
    """The demo data for ``today``, then every text column of every table overwritten with hostile
    strings (saved through ``repo.apply`` by a hostile actor, so the audit log holds them too)."""
    world = HostileWorld()
    with _demo_password(password):
        load_demo(repo, calendar, today=today)
    files = LocalFileStore(files_dir)
    pdf = b"%PDF-1.4\n% hostile test\n%%EOF\n"
    receipt = cp.submit_complaint(repo, NOBODY, calendar, cp.NewComplaint(
        kind="pengaduan", unit_id="UNIT-SETMEN-2", name="Pelapor", email="pelapor@example.go.id",
        subject="Lampiran", description="Dengan lampiran."), upload=cp.Upload("bukti.pdf", pdf), files=files,
        at=today)
    world.attachment_receipt = receipt.receipt_no
    ev.save_conclusions(repo, ACTORS["karo"], today.year, hostile(1), hostile(2), 0)

    complaints = repo.list("complaints")
    answered = next(c for c in complaints if c["status"] == "dijawab")
    world.lookup_receipt, world.lookup_email = answered["receipt_no"], answered["email"]
    delegated = next(c for c in complaints if c["status"] == "didelegasikan")
    world.delegated_receipt = delegated["receipt_no"]
    repo.apply([Update("complaints", delegated["id"], {"assigned_to": ["EX-STAF1", "EX-KASUBBAG"]},
                       delegated["version"])], actor=HOSTILE_ACTOR)
    cases = repo.list("cases")
    for state in ("aktif", "ditunda", "selesai"):
        world.cases[state] = next(c["id"] for c in cases if c["status"] == state)

    n = 0
    keep = {("complaints", answered["id"]): {"receipt_no", "email"},
            ("complaints", receipt.complaint["id"]): {"receipt_no"},
            ("complaints", delegated["id"]): {"receipt_no"}}
    for table in TABLES:
        cols = text_columns(table)
        if table == "audit" or not cols:
            continue
        writes = []
        for row in repo.list(table):
            kept = keep.get((table, row["id"]), set())
            changes = {}
            for c in cols:
                if c in kept:
                    continue
                n += 1
                value = hostile(n, multiline=c not in ONE_LINE)
                changes[c] = f"{value} #{n}" if c in ("number", "receipt_no") else value
            if changes:
                writes.append(Update(table, row["id"], changes, row["version"]))
        if writes:
            repo.apply(writes, actor=HOSTILE_ACTOR)
            world.written[table] = len(writes)
    repo.apply([Log("hostile", "page", "uji", hostile(3))], actor=HOSTILE_ACTOR)
    return world


# ---- the check in the browser --------------------------------------------------------------------

# Runs in the page: every element that markup would make, with a marker inside it that did not come
# with the characters typed around it. Returns a list of findings (empty: nothing became markup).
DOM_CHECK = r"""
([literals, within]) => {
  const roots = within ? [...document.querySelectorAll(within)] : [document];
  const all = selector => roots.flatMap(r => [...r.querySelectorAll(selector)]);
  const norm = s => (s || '').replace(/\u2060/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
  const markers = Object.keys(literals);
  const found = [];
  const where = el => {
    const ids = [];
    for (let e = el; e; e = e.parentElement) if (e.dataset && e.dataset.testid) ids.push(e.dataset.testid);
    return ids.slice(0, 4).join(' < ');
  };
  const describe = (el, why) => found.push(`${why} in ${where(el)}: ` + norm(el.outerHTML).slice(0, 200));
  // Never made around stored text by the app: any marker inside means the text became this element.
  const never = 'a, img, em, i, del, s, code, pre, blockquote, li:not([role="option"]), ul:not([role="listbox"]), '
      + 'ol, .katex, .katex-display, '
      + '.stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge, span[style*="color"], '
      + '[data-testid="stMarkdownContainer"] table, [data-testid="stMarkdownContainer"] hr';
  for (const el of all(never)) {
    const attrs = ['href', 'src', 'alt', 'title', 'aria-label'].map(a => el.getAttribute(a) || '').join(' ');
    if (/ZQ/.test(el.textContent) || /ZQ/.test(attrs)) describe(el, 'element from stored text');
  }
  // Made by the app around a value (headings, bold): the value's own characters must be inside.
  for (const el of all('h1, h2, h3, h4, h5, h6, strong, b')) {
    const text = norm(el.textContent);
    for (const m of markers) {
      if (text.includes(m) && !text.includes(literals[m])) describe(el, `${m} without its characters`);
    }
  }
  // Icons and the logo: Streamlit's Markdown makes them from :material/…: and :streamlit:.
  for (const el of all('[data-testid="stMarkdownContainer"] span[role="img"], img[alt="Streamlit logo"]')) {
    describe(el, 'icon from a shortcode');
  }
  const body = norm(roots.map(r => (r.body || r).textContent).join(' '));
  if (body.includes('\u{1F480}')) found.push('emoji from :skull:');
  if (/ZQT (→|≤|—)/.test(body)) found.push('typographic arrow from ->');
  return found;
}
"""
