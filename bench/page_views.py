"""Page views without a browser: Streamlit's own websocket protocol, spoken as the browser speaks it,
for benches that measure the server and must not spend the machine's CPU on rendering.

A view opens a new session (``/_stcore/stream``, with the browser's cookies), asks for the page by
its address (``rerun_script`` with the page name and query string) and reads everything the server
sends until the run has finished. As a browser tab does, a viewer keeps its page's session open
until its next page has arrived (Streamlit clears its compiled scripts whenever no session at all is
open, which a bench closing each session first would pay for and no real server does).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Shown:
    """What one view showed: its text elements (headings, markdown, alerts) and any exception."""

    texts: list[str] = field(default_factory=list)
    exceptions: int = 0
    seconds: float = 0.0

    def has(self, text: str) -> bool:
        return any(text in t for t in self.texts)


def _collect(msg: ForwardMsg, shown: Shown) -> None:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        shown.exceptions += 1
        return
    body = getattr(getattr(element, kind), "body", None) if kind else None
    if isinstance(body, str) and body:
        shown.texts.append(body)


class Viewer:
    """One simulated browser: its cookies (a sign-in's ``sop_sesi``, nginx's affinity key)."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None, timeout: float = 120.0):
        self.stream = base_url.rstrip("/").replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self._open = None

    async def view(self, page: str, query: str = "") -> Shown:
        """Open ``page`` (its address, e.g. ``kasus``; "" for the main page) and read it whole."""
        started = time.perf_counter()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        ws = await websockets.connect(self.stream, subprotocols=["streamlit"], additional_headers=headers,
                                      max_size=None, open_timeout=self.timeout)
        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.query_string = query
        await ws.send(request.SerializeToString())
        shown = Shown()
        deadline = time.monotonic() + self.timeout
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            _collect(msg, shown)
            finished = msg.WhichOneof("type") == "script_finished"
            if finished and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                break  # (a run stopped for st.rerun is followed by the run that draws the page)
            if time.monotonic() > deadline:
                raise TimeoutError(f"/{page} did not finish within {self.timeout:.0f} s")
        await self.close()
        self._open = ws
        shown.seconds = time.perf_counter() - started
        return shown

    async def close(self) -> None:
        if self._open is not None:
            await self._open.close()
            self._open = None
