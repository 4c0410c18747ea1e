"""The mail relay: one SMTP session per run, STARTTLS (or implicit TLS) and a login, as the
ministry's relay needs. Errors say what failed in words an operator can act on.

A refusal with a 5xx code is permanent (the relay will never take that message: bad address,
refused sender); a 4xx code is temporary (try again later). In both cases the relay did not take the
message, so sending it again later cannot make a duplicate. A connection lost while a message was
being handed over is different: the relay may or may not have taken it (``RelayLost``).
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

SECURITY = ("starttls", "ssl", "none")


class MailConfigError(Exception):
    """The mail settings cannot work; nothing was sent."""


class RelayUnavailable(Exception):
    """The relay could not be reached, or refused the TLS handshake or the login; nothing was sent."""


class RelayLost(Exception):
    """The connection broke while a message was handed over: it may or may not have been taken."""


class SendRefused(Exception):
    def __init__(self, code: int, text: str):
        self.code, self.text = code, text
        super().__init__(f"{code} {text}")

    @property
    def permanent(self) -> bool:
        return self.code >= 500


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    timeout: float = 30.0
    sender: str = ""

    @classmethod
    def from_settings(cls, s) -> RelaySettings:
        if not s.smtp_host:
            raise MailConfigError("smtp_host (SOP_SMTP_HOST) belum diisi: alamat server surel (relay) kementerian.")
        if not s.mail_from:
            raise MailConfigError("mail_from (SOP_MAIL_FROM) belum diisi: alamat pengirim, mis. "
                                  "'SOP Tracker <sop-tracker@setneg.go.id>'.")
        security = (s.smtp_security or "starttls").strip().lower()
        if security not in SECURITY:
            raise MailConfigError(f"smtp_security harus salah satu dari {', '.join(SECURITY)}, bukan {security!r}.")
        if s.smtp_username and security == "none":
            raise MailConfigError("smtp_security = 'none' dengan smtp_username: kata sandi akan terkirim tanpa "
                                  "enkripsi. Pakai 'starttls' atau 'ssl'.")
        if s.smtp_username and not s.smtp_password:
            raise MailConfigError("smtp_username diisi tetapi smtp_password (SOP_SMTP_PASSWORD) kosong.")
        return cls(s.smtp_host, int(s.smtp_port), security, s.smtp_username or None, s.smtp_password or None,
                   s.smtp_ca_file or None, float(s.smtp_timeout_seconds), s.mail_from)


class Relay:
    """An open SMTP session: ``with Relay(settings) as relay: relay.send(message)``."""

    def __init__(self, settings: RelaySettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _tls(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(cafile=self.settings.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise MailConfigError(f"smtp_ca_file {self.settings.ca_file!r} tidak dapat dibaca: {exc}") from exc

    def __enter__(self) -> Relay:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise RelayUnavailable(f"Server surel {where} tidak dapat dihubungi: {exc}") from exc
        self._smtp = smtp
        try:
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise RelayUnavailable(f"Server surel {where} tidak menawarkan STARTTLS; tidak ada yang dikirim "
                                           "tanpa enkripsi.")
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self.__exit__(None, None, None)
            raise RelayUnavailable(f"Server surel {where} menolak login {s.username!r}: {exc.smtp_code} "
                                   f"{_text(exc.smtp_error)}") from exc
        except ssl.SSLError as exc:
            self.__exit__(None, None, None)
            raise RelayUnavailable(f"TLS dengan server surel {where} gagal (sertifikat?): {exc}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.__exit__(None, None, None)
            raise RelayUnavailable(f"Server surel {where} gagal saat pembukaan sesi: {exc}") from exc
        return self

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            raise RelayLost("tidak ada sesi SMTP")
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (550, b"refused"))
            raise SendRefused(code, _text(text)) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise SendRefused(exc.smtp_code, _text(exc.smtp_error)) from exc
        except smtplib.SMTPServerDisconnected as exc:
            self._smtp = None
            raise RelayLost(f"koneksi ke server surel terputus: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            raise SendRefused(exc.smtp_code, _text(exc.smtp_error)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._smtp = None
            raise RelayLost(f"pengiriman ke server surel terhenti: {exc}") from exc
        if refused:  # some recipients refused; every message here has one recipient, so this is rare
            code, text = next(iter(refused.values()))
            raise SendRefused(code, _text(text))

    def __exit__(self, *exc) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
