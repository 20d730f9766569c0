"""The OpenID Connect code flow's steps against oidc-provider-mock, as a browser takes them."""

from __future__ import annotations

import httpx
from oidc_provider_mock import User

PASSWORD = "correct horse battery"


class Provider:
    def __init__(self, url: str, client_id: str, client_secret: str) -> None:
        self.url, self.client_id, self.client_secret = url, client_id, client_secret
        self.users: list[User] = []


def authorize(authorize_url: str, sub: str | None, deny: bool = False) -> str:
    """What a person does at the provider: open its form and submit who signs in."""
    with httpx.Client(timeout=10) as browser:
        form = browser.get(authorize_url)
        assert form.status_code == 200 and "<form" in form.text
        data = {"action": "deny"} if deny else {"sub": sub}
        res = browser.post(authorize_url, data=data)
        assert res.status_code in (302, 303), res.text
        return res.headers["location"]


def start_sign_in(client: httpx.Client, provider_id: str = "google", next_path: str | None = None):
    params = {"next": next_path} if next_path else {}
    res = client.get(f"/api/auth/{provider_id}/login", params=params)
    assert res.status_code == 302, res.text
    return res.headers["location"]


def add_user(provider_server, sub: str, **claims) -> None:
    res = httpx.put(f"{provider_server[0]}/users/{sub}", json=claims)
    assert res.status_code == 204, res.text
