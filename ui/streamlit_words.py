"""Streamlit's own English words (the uploader's button, "Help for …", "Press Enter to apply", a date
field's "dd/mm/yyyy", table and chart toolbars) in the reader's language.

Streamlit writes them in its browser code and offers no way to word them, so a small script of ours
does it in the browser: each of Streamlit's strings in the catalogue (``domain/texts/streamlit_words``)
becomes a rule, and a MutationObserver applies the rules to what Streamlit draws and redraws:
screen-reader labels, placeholders and tooltips of the page's own elements (not the charts' SVG),
and text only inside Streamlit's widgets' own parts (uploader, typing hints, empty date parts,
dropdowns, tooltips, the menu's "View more"), never in what the app shows, so user text is never
touched. What it changed is remembered, so switching back to English restores Streamlit's words.
"""
from __future__ import annotations

import json
import re

import streamlit as st

from domain.texts import DEFAULT_LANG, TEXTS

PREFIX = "st."

# Where Streamlit's own text lives; everything else on the page is the app's (or a person's) text.
SCOPES = ", ".join([
    '[data-testid="stFileUploaderDropzone"]', '[data-testid="stFileUploaderFileErrorMessage"]',
    '[data-testid="InputInstructions"]', '[role="spinbutton"][data-placeholder="true"]',
    '[data-testid="stSidebarNavViewButton"]', '[data-testid="stStatusWidget"]', '[role="tooltip"]',
    '[data-testid="stTooltipContent"]', '[data-baseweb="popover"] [role="listbox"]',
    '[data-testid="stSelectboxVirtualDropdownEmpty"]', '[data-testid="stMultiSelectEmpty"]',
])

_SCRIPT = """<script>(() => {
const W = window.__sopWords || (window.__sopWords = {texts: new WeakMap(), rules: []});
W.rules = %(rules)s.map(([p, r]) => [new RegExp(p), r]);
const SCOPES = %(scopes)s, ATTRS = ["aria-label", "placeholder", "title", "aria-valuetext"];
const word = (s) => { for (const [p, r] of W.rules) if (p.test(s)) return s.replace(p, r); return null; };
const inScope = (el) => el && el.closest && el.closest(SCOPES);
function attr(el, name) {
  const now = el.getAttribute(name), mark = "data-sop-" + name;
  if (now === null || el instanceof SVGElement) return;
  const had = el.getAttribute(mark), was = had === null ? null : JSON.parse(had);
  const english = was && was[1] === now ? was[0] : now, worded = word(english);
  const shown = worded === null ? english : worded;
  if (shown !== now) el.setAttribute(name, shown);
  if (worded !== null) el.setAttribute(mark, JSON.stringify([english, shown]));
  else if (had !== null) el.removeAttribute(mark);
}
function text(node) {
  if (!inScope(node.parentElement)) return;
  const was = W.texts.get(node), now = node.nodeValue;
  const english = was && was[1] === now ? was[0] : now, core = english.trim();
  const worded = core ? word(core) : null;
  const shown = worded === null ? english : english.replace(core, worded);
  if (shown !== now) node.nodeValue = shown;
  if (worded !== null) W.texts.set(node, [english, shown]); else W.texts.delete(node);
}
function walk(root) {
  if (root.nodeType === 3) { text(root); return; }
  if (root.nodeType !== 1) return;
  for (const name of ATTRS) if (root.hasAttribute(name)) attr(root, name);
  for (const el of root.querySelectorAll("[aria-label], [placeholder], [title], [aria-valuetext]"))
    for (const name of ATTRS) if (el.hasAttribute(name)) attr(el, name);
  const scoped = inScope(root) ? [root] : Array.from(root.querySelectorAll(SCOPES));
  for (const part of scoped) {
    const it = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) text(n);
  }
}
if (!W.observer) {
  W.observer = new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "attributes") attr(c.target, c.attributeName);
      else if (c.type === "characterData") text(c.target);
      else for (const n of c.addedNodes) walk(n);
    }
  });
  W.observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                     attributes: true, attributeFilter: ATTRS});
}
walk(document.body);
})();</script>"""


def rules(lang: str) -> list[tuple[str, str]]:
    """(pattern, replacement) for each of Streamlit's strings: its English as a whole-string pattern,
    ``{x}`` captured, and the reader's words with the captured part put back. None for English."""
    out = []
    for key, entry in TEXTS.items():
        if not key.startswith(PREFIX):
            continue
        english, worded = entry["en"], entry.get(lang) or entry[DEFAULT_LANG]
        if worded == english:
            continue
        pattern = "^" + re.escape(english).replace(re.escape("{x}"), "(.+)") + "$"
        out.append((pattern, worded.replace("$", "$$").replace("{x}", "$1")))
    return out


def script(lang: str) -> str:
    return _SCRIPT % {"rules": json.dumps(rules(lang), ensure_ascii=False), "scopes": json.dumps(SCOPES)}


def install(lang: str) -> None:
    """Word Streamlit's own strings in ``lang`` on this page (our own script, never user text)."""
    st.html(script(lang), unsafe_allow_javascript=True, width="content")
