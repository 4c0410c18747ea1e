"""The attachment uploader of the complaint pages.

Given a size limit, Streamlit's uploader refuses a larger file in the browser, in English, and the
form is then sent without it, silently. So the uploader takes any file up to the server's ceiling
(``server.maxUploadSize`` in ``.streamlit/config.toml``), and the domain's own check
(``domain.attachments.check_upload``) refuses one over ``max_upload_mb`` with a message naming the
limit, while the form keeps its text. The uploader's own English line ("25MB per file • PDF, …"),
which would state the ceiling rather than the limit, gives way to the same facts in the catalogue's
words. Only a file over the ceiling itself meets Streamlit's message.
"""
from __future__ import annotations

import streamlit as st

from domain import attachments as att
from domain import complaints as cp
from ui.context import say, settings, tr

# Our own stylesheet, never user text.
_HIDE_CEILING = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none; }</style>"


def ceiling_mb() -> int:
    """The largest file the server takes at all (Streamlit refuses anything larger by itself)."""
    return int(st.get_option("server.maxUploadSize"))


def attachment_uploader(key: str):
    """The uploader: any accepted kind up to the server's ceiling; the limit is the domain's to check."""
    limit = int(settings().max_upload_mb)
    st.html(_HIDE_CEILING)
    upload = st.file_uploader(tr("complaint.field.attachment"), type=list(att.UPLOAD_TYPES), key=key,
                              max_upload_size=ceiling_mb())
    st.caption(say("complaint.form.attachment_help", mb=limit))
    return upload


def as_upload(upload) -> cp.Upload | None:
    """What the browser sent, as the domain takes it (an empty file too: the domain refuses it)."""
    return cp.Upload(upload.name, upload.getvalue()) if upload is not None else None
