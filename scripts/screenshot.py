"""Take a screenshot of a page of a running app: python scripts/screenshot.py URL OUT.png [WAIT_TEXT]"""
import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

url, out = sys.argv[1], sys.argv[2]
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30000)
    if len(sys.argv) > 3:
        page.get_by_text(sys.argv[3]).first.wait_for(timeout=30000)
    page.wait_for_timeout(2500)
    page.screenshot(path=out, full_page=True)
    browser.close()
