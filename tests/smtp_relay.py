"""A real SMTP server for the notice tests (aiosmtpd on 127.0.0.1), and what it received.

``LocalRelay`` records every message it accepts. It can refuse given recipients with a code, hold
the n-th message (after recording it, before answering: the moment a killed sender cannot know
whether the relay took it), and, with ``tls=True``, require STARTTLS and a login, with a self-signed
certificate made for the test with ``cryptography``.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import email
import ipaddress
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME, PASSWORD = "sop-tracker", "sandi-relay-uji-2026"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def kind(self) -> str:
        return str(self.message["X-SOP-Notice"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 (its own CA) and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # fixed, wide validity: the test reads no clock
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(20261207).not_valid_before(start).not_valid_after(start + dt.timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "relay.pem", directory / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Handler:
    def __init__(self, relay: LocalRelay):
        self.relay = relay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.relay.refuse.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        relay = self.relay
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        with relay.lock:
            relay.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            count = len(relay.received)
        if relay.hold_at is not None and count == relay.hold_at:
            relay.holding.set()
            while not relay.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


class LocalRelay:
    def __init__(self, directory: Path | None = None, *, tls: bool = False):
        self.port = free_port()
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}  # address -> SMTP reply to its RCPT
        self.hold_at: int | None = None
        self.holding, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.cert: Path | None = None
        kwargs: dict = {}
        if tls:
            import ssl

            self.cert, key = self_signed(directory)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert, key)
            kwargs = {"tls_context": context, "require_starttls": True, "auth_required": True,
                      "authenticator": _authenticator}
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> LocalRelay:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.controller.stop()

    def env(self, security: str = "none") -> dict[str, str]:
        out = {"SOP_MAIL_ENABLED": "true", "SOP_SMTP_HOST": "127.0.0.1" if security == "none" else "localhost",
               "SOP_SMTP_PORT": str(self.port), "SOP_SMTP_SECURITY": security, "SOP_SMTP_TIMEOUT_SECONDS": "20"}
        if self.cert is not None:
            out.update(SOP_SMTP_USERNAME=USERNAME, SOP_SMTP_PASSWORD=PASSWORD, SOP_SMTP_CA_FILE=str(self.cert))
        return out

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)
