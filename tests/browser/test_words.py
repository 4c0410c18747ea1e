"""No English on any page in Indonesian mode and no Indonesian in English mode: a word list checked over
each page's DOM (text, screen-reader labels, placeholders and tooltips), signed in as the Karo (every
working page) and as the administrator (the administration page), in both languages."""
import re

import pytest

from tests.browser.conftest import assert_no_exception, login, wait_for_app
from tests.browser.test_language import choose

PAGES = ["beranda", "pengaduan", "status-pengaduan", "kasus", "detail-kasus", "ubah-massal", "kotak-pengaduan",
         "dasbor", "evaluasi", "masuk"]
ADMIN_PAGES = ["admin"]
# Words only the interface uses (never the demo data's names and titles), whole words.
ENGLISH = ["Upload", "per file", "Drag and drop", "Browse files", "Help for", "Press Enter", "Choose an option",
           "Choose options", "No results", "Page not found", "Signed in as", "Save", "Download", "Search",
           "Fullscreen", "Show data", "Clear", "Sidebar", "Running", "Not signed in", "Choose date", "yyyy",
           "Account", "Complaint", "Cases", "Language", "Status of", "Sign out"]
INDONESIAN = ["Unggah", "per berkas", "Bantuan untuk", "Tekan Enter", "Pilih", "Tidak ada", "Masuk sebagai",
              "Simpan", "Unduh", "Cari", "Layar penuh", "Kosongkan", "Belum masuk", "Bahasa", "Keluar", "Akun",
              "Kasus", "Pengaduan", "tanggal", "Halaman", "wajib", "Tampilkan", "Saringan", "Semua", "tttt"]

DOM_WORDS = """() => {
  const root = document.querySelector('[data-testid="stApp"]');
  const parts = [root.innerText];
  for (const el of root.querySelectorAll('[aria-label], [placeholder], [title]'))
    if (!(el instanceof SVGElement))
      for (const a of ['aria-label', 'placeholder', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
  return parts.join('\\n');
}"""


def found(words: list[str], text: str) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


def visit_all(pg, url: str, pages: list[str], wrong: list[str], heading_wait: str) -> dict[str, list[str]]:
    seen = {}
    for name in pages:
        pg.goto(f"{url}/{name}")
        wait_for_app(pg, heading_wait)
        pg.locator("h1").first.wait_for()
        pg.wait_for_timeout(800)  # the words script runs after Streamlit's last draw
        assert_no_exception(pg)
        hits = found(wrong, pg.evaluate(DOM_WORDS))
        if hits:
            seen[name] = hits
    return seen


@pytest.mark.parametrize("username, pages", [("karo", PAGES), ("admin", ADMIN_PAGES)])
def test_no_english_in_indonesian_mode_and_no_indonesian_in_english_mode_on_any_page(duckdb_app, page,
                                                                                      username, pages):
    login(page, duckdb_app.url, username)
    assert visit_all(page, duckdb_app.url, pages, ENGLISH, "Masuk sebagai") == {}
    choose(page, "Bahasa", "English")
    wait_for_app(page, "Signed in as")
    assert visit_all(page, duckdb_app.url, pages, INDONESIAN, "Signed in as") == {}
    choose(page, "Language", "Bahasa Indonesia")  # the account's choice back to the default for later tests
