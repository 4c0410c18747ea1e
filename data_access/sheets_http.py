"""Point gspread at a different Google API endpoint (emulator, test stand-in, proxy).

gspread 6 builds every URL from the module constants in ``gspread.urls``
(``https://sheets.googleapis.com/v4/spreadsheets/...`` and
``https://www.googleapis.com/drive/v3/files...``) and sends all of them through
``HTTPClient.request``.  Instead of monkeypatching those module globals (which
would redirect *every* client in the process), we subclass the HTTP client and
rewrite the origin of each URL in ``request()``.  One ``api_base`` serves both
APIs, so the target must serve ``/v4/spreadsheets/...`` and ``/drive/v3/...``
(and ``/upload/drive/...`` for ``import_csv``) under the same base.

Authentication is not rerouted here: for service-account credentials the token
endpoint is the ``token_uri`` stored in the service-account file.

Usage::

    creds = Credentials.from_service_account_file(path, scopes=SCOPES)
    client = make_gspread_client(creds, api_base="http://127.0.0.1:8123")
    # or: gspread.Client(auth=creds, http_client=make_http_client_class(base))

With ``api_base=None`` (the production default) the plain gspread classes are
returned, so the same code path serves both cases.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlsplit

import gspread
from gspread.http_client import BackOffHTTPClient, HTTPClient

__all__ = [
    "GOOGLE_API_ORIGINS",
    "normalise_api_base",
    "rewrite_google_url",
    "make_http_client_class",
    "make_gspread_client",
    "disable_regional_access_boundary_lookup",
]

#: Origins used by gspread 6 (see gspread/urls.py) that get rewritten.
GOOGLE_API_ORIGINS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
)


def normalise_api_base(api_base: str) -> str:
    """Validate an endpoint override such as ``http://127.0.0.1:8123`` and strip
    any trailing slash.  A path prefix (``https://proxy.example/google``) is kept."""
    text = (api_base or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"API base must be an http(s) URL with a host, got {api_base!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"API base must not have a query or fragment: {api_base!r}")
    return text.rstrip("/")


def rewrite_google_url(url: str, api_base: str) -> str:
    """Replace a Google API origin at the start of ``url`` by ``api_base``.

    URLs that do not start with one of :data:`GOOGLE_API_ORIGINS` are returned
    unchanged, so rewriting is idempotent (gspread's back-off client calls
    ``request`` again with the already rewritten URL when it retries)."""
    for origin in GOOGLE_API_ORIGINS:
        if url == origin or url.startswith(origin + "/"):
            return api_base + url[len(origin):]
    return url


class _EndpointOverrideMixin:
    """Mixin for gspread HTTP clients: rewrites the origin of every request URL."""

    api_base: str = ""

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any):  # type: ignore[override]
        return super().request(  # type: ignore[misc]
            method, rewrite_google_url(endpoint, self.api_base), *args, **kwargs
        )


@functools.cache
def _endpoint_client_class(api_base: str, backoff: bool) -> type[HTTPClient]:
    parent = BackOffHTTPClient if backoff else HTTPClient
    name = "EndpointBackOffHTTPClient" if backoff else "EndpointHTTPClient"
    return type(
        name,
        (_EndpointOverrideMixin, parent),
        {"api_base": api_base, "__module__": __name__,
         "__doc__": f"gspread {parent.__name__} sending requests to {api_base}"},
    )


def make_http_client_class(base_url: str | None, backoff: bool = True) -> type[HTTPClient]:
    """Return an ``http_client`` class for ``gspread.Client(..., http_client=...)``.

    * ``base_url`` None/empty -> gspread's own ``BackOffHTTPClient`` / ``HTTPClient``.
    * otherwise a cached subclass whose ``request()`` sends Sheets and Drive
      calls to ``base_url`` instead of Google.

    ``backoff=True`` keeps gspread's exponential back-off on 429/408/5xx
    (note: its first retry sleeps 2 s, the next 4 s, ...)."""
    if not base_url:
        return BackOffHTTPClient if backoff else HTTPClient
    return _endpoint_client_class(normalise_api_base(base_url), bool(backoff))


def disable_regional_access_boundary_lookup(credentials: Any) -> Any:
    """Stop google-auth (>= 2.4x) from starting its background "regional access
    boundary" lookup against ``https://iamcredentials.googleapis.com`` after a
    token refresh.  That lookup cannot be redirected to an emulator and would
    try to reach the internet with the emulator's token.  Uses a private hook;
    a no-op on google-auth versions without it.  Returns ``credentials``."""
    if hasattr(credentials, "_is_regional_access_boundary_lookup_required"):
        credentials._is_regional_access_boundary_lookup_required = lambda: False
    return credentials


def make_gspread_client(
    credentials: Any,
    api_base: str | None = None,
    backoff: bool = True,
    timeout: float | None = None,
) -> gspread.Client:
    """Build a ``gspread.Client`` that talks to ``api_base`` (or Google when None)."""
    if api_base:
        disable_regional_access_boundary_lookup(credentials)
    client = gspread.Client(auth=credentials, http_client=make_http_client_class(api_base, backoff))
    if timeout is not None:
        client.set_timeout(timeout)
    return client
