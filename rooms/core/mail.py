"""Email through the standard library's SMTP client, when SMTP_URL is set.

`smtp://user:pass@host:port` upgrades with STARTTLS when the server offers it;
`smtps://...` speaks TLS from the first byte. smtplib blocks: callers run `send` in a
worker thread (asyncio.to_thread, or FastAPI's background tasks).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import unquote, urlsplit

from rooms.core.config import Settings, get_settings

log = logging.getLogger("rooms.mail")
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


def configured(settings: Settings | None = None) -> bool:
    return bool((settings or get_settings()).smtp_url)


def sender(settings: Settings) -> str:
    if settings.smtp_from:
        return settings.smtp_from
    host = urlsplit(settings.app_url).hostname or "localhost"
    return formataddr(("Rooms", f"no-reply@{host}"))


def _message(mail: Mail, settings: Settings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender(settings)
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg.set_content(mail.text)
    return msg


def send(mail: Mail, settings: Settings | None = None) -> bool:
    """Deliver one message; False (and a log line) when the server cannot be reached or
    refuses it: a mail server must never break the action that wanted to write."""
    settings = settings or get_settings()
    if not settings.smtp_url:
        return False
    url = urlsplit(settings.smtp_url)
    implicit_tls = url.scheme == "smtps"
    host, port = url.hostname or "localhost", url.port or (465 if implicit_tls else 25)
    try:
        if implicit_tls:
            context = ssl.create_default_context()
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with client:
            client.ehlo()
            if not implicit_tls and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(_message(mail, settings))
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not send mail to the SMTP server at %s:%s: %s", host, port, exc)
        return False
    return True
