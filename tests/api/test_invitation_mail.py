"""Invitation emails (issue 16): a real SMTP conversation with aiosmtpd, signed in with the
credentials in SMTP_URL; no email for a bare link; a mail server that is down does not
stop the invitation (the owner copies the link)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.api_server import free_port
from tests.support.helpers import unique_email

USER, PASSWORD = "rooms@example.com", "mail secret"


@dataclass
class Inbox:
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            (
                envelope.mail_from,
                list(envelope.rcpt_tos),
                message_from_bytes(envelope.content, policy=policy.default),
            )
        )
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, data) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.logins.append((data.login.decode(), data.password.decode()))
            ok = (data.login.decode(), data.password.decode()) == (USER, PASSWORD)
            return AuthResult(success=ok)
        return AuthResult(success=False)

    def wait(self, count: int, limit: float = 15.0) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return True
            time.sleep(0.1)
        return False


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_required=True,
        auth_require_tls=False,  # loopback only; smtps:// and STARTTLS are for real servers
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_an_email_bound_invitation_is_mailed(smtp_server, settings_env, signed_in) -> None:
    inbox, port = smtp_server
    settings_env(
        SMTP_URL=f"smtp://rooms%40example.com:mail%20secret@127.0.0.1:{port}",
        SMTP_FROM="Rooms <rooms@example.com>",
    )
    owner, _ = signed_in(name="Olga Owner")
    space_id = owner.post("/api/spaces", json={"name": "Mail crew"}).json()["space"]["id"]
    email = unique_email("mailed")
    res = owner.post(f"/api/spaces/{space_id}/invitations", json={"role": "MEMBER", "email": email})
    assert res.status_code == 201
    invitation = res.json()["invitation"]

    assert inbox.wait(1), "no message reached the SMTP server"
    sender, recipients, message = inbox.messages[0]
    assert inbox.logins == [(USER, PASSWORD)]
    assert sender == "rooms@example.com" and recipients == [email]
    assert message["To"] == email and "Mail crew" in message["Subject"]
    body = message.get_content()
    assert invitation["url"] in body and "Olga Owner" in body

    # A bare link has nobody to mail.
    res = owner.post(f"/api/spaces/{space_id}/invitations", json={"role": "MEMBER"})
    assert res.status_code == 201
    time.sleep(1.5)
    assert len(inbox.messages) == 1


def test_a_mail_server_that_is_down_does_not_stop_the_invitation(settings_env, signed_in) -> None:
    settings_env(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    owner, _ = signed_in(name="Olga Owner")
    space_id = owner.post("/api/spaces", json={"name": "Offline"}).json()["space"]["id"]
    res = owner.post(
        f"/api/spaces/{space_id}/invitations",
        json={"role": "MEMBER", "email": unique_email("nomail")},
    )
    assert res.status_code == 201
    token = res.json()["invitation"]["token"]
    assert owner.get(f"/api/invitations/{token}").status_code == 200
