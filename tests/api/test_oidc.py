"""Google / any OpenID Connect provider: the whole authorization code flow over real HTTP
against oidc-provider-mock (a standards-following provider built on Authlib)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from oidc_provider_mock import User, run_server_in_thread

from tests.helpers import unique_email

PASSWORD = "correct horse battery"


class Provider:
    def __init__(self, url: str, client_id: str, client_secret: str) -> None:
        self.url, self.client_id, self.client_secret = url, client_id, client_secret
        self.users: list[User] = []


@pytest.fixture(scope="module")
def provider_server() -> Iterator[tuple[str, list[User]]]:
    users: list[User] = []  # added over HTTP by _add_user
    with run_server_in_thread(
        port=0, require_client_registration=True, require_nonce=True, user_claims=users
    ) as server:
        yield f"http://localhost:{server.server_port}", users


@pytest.fixture
def provider(provider_server, settings_env, api_url) -> Provider:
    url, _ = provider_server
    # A registered client: the provider then checks our secret and redirect_uri for real.
    redirect_uris = [f"{api_url}/api/auth/{p}/callback" for p in ("google", "oidc")]
    reg = httpx.post(f"{url}/oauth2/clients", json={"redirect_uris": redirect_uris})
    assert reg.status_code == 201, reg.text
    client = reg.json()
    settings_env(
        APP_URL=api_url,
        OIDC_ISSUER=url,
        OIDC_CLIENT_ID=client["client_id"],
        OIDC_CLIENT_SECRET=client["client_secret"],
        OIDC_DISPLAY_NAME="Test provider",
        GOOGLE_CLIENT_ID=None,
    )
    return Provider(url, client["client_id"], client["client_secret"])


def _authorize(authorize_url: str, sub: str | None, deny: bool = False) -> str:
    """What a person does at the provider: open its form and submit who signs in."""
    with httpx.Client(timeout=10) as browser:
        form = browser.get(authorize_url)
        assert form.status_code == 200 and "<form" in form.text
        data = {"action": "deny"} if deny else {"sub": sub}
        res = browser.post(authorize_url, data=data)
        assert res.status_code in (302, 303), res.text
        return res.headers["location"]


def _start(client: httpx.Client, provider_id: str = "google", next_path: str | None = None):
    params = {"next": next_path} if next_path else {}
    res = client.get(f"/api/auth/{provider_id}/login", params=params)
    assert res.status_code == 302, res.text
    return res.headers["location"]


def _add_user(provider_server, sub: str, **claims) -> None:
    res = httpx.put(f"{provider_server[0]}/users/{sub}", json=claims)
    assert res.status_code == 204, res.text


def test_full_code_flow_signs_in_with_the_session_cookie(
    new_client, provider, provider_server
) -> None:
    email = unique_email("oidc")
    _add_user(
        provider_server,
        "alice",
        email=email,
        email_verified=True,
        name="Alice Oidc",
        picture="https://images.example/alice.png",
    )
    client = new_client()
    assert client.get("/api/auth/providers").json() == {
        "providers": [{"id": "oidc", "name": "Test provider", "loginUrl": "/api/auth/oidc/login"}]
    }

    location = _start(client, next_path="/sessions")
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{provider.url}/oauth2/authorize")
    assert query["client_id"] == [provider.client_id] and query["response_type"] == ["code"]
    assert query["state"][0] and query["nonce"][0]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert "openid" in query["scope"][0].split()
    assert client.cookies.get("rooms_oidc")

    callback = _authorize(location, "alice")
    assert callback.startswith(f"{client.base_url}/api/auth/google/callback?")
    res = client.get(callback)
    assert res.status_code == 303, res.text
    assert res.headers["location"] == "/sessions"
    assert "rooms_session=" in res.headers["set-cookie"]
    assert "httponly" in res.headers["set-cookie"].lower()

    me = client.get("/api/auth/me").json()["user"]
    assert me["email"] == email and me["name"] == "Alice Oidc"
    assert me["avatarUrl"] == "https://images.example/alice.png" and me["activeSpaceId"]
    # The code is single use: replaying the callback does not sign anyone in again.
    replay = new_client()
    assert replay.get(callback).status_code == 400
    assert replay.get("/api/auth/me").status_code == 401

    # Signing in again finds the same account.
    again = new_client()
    res = again.get(_authorize(_start(again, "oidc"), "alice"))
    assert res.status_code == 303 and res.headers["location"] == "/"
    assert again.get("/api/auth/me").json()["user"]["id"] == me["id"]


def test_links_an_existing_account_by_verified_email(
    signed_in, new_client, provider, provider_server
) -> None:
    email = unique_email("link")
    local, user = signed_in(email=email)  # registered here, email never verified
    _add_user(provider_server, "linked", email=email, email_verified=True, name="Other")
    client = new_client()
    assert client.get(_authorize(_start(client), "linked")).status_code == 303
    me = client.get("/api/auth/me").json()["user"]
    # The address, not what the unverified registrant set up (tests/security/test_oidc_takeover.py).
    assert me["id"] == user["id"] and me["name"] == "Other"
    # Whoever registered the address locally may not own it: password and sessions end.
    assert local.get("/api/auth/me").status_code == 401
    res = new_client().post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert res.status_code == 401


def test_unverified_email_is_refused(new_client, provider, provider_server) -> None:
    _add_user(provider_server, "unverified", email=unique_email("unv"), email_verified=False)
    client = new_client()
    res = client.get(_authorize(_start(client), "unverified"))
    assert res.status_code == 403 and res.json()["error"] == "EMAIL_NOT_VERIFIED"
    assert client.get("/api/auth/me").status_code == 401
    # A browser is sent back to the login page with the reason instead.
    browser = new_client()
    callback = _authorize(_start(browser), "unverified")
    res = browser.get(callback, headers={"Accept": "text/html"})
    assert res.status_code == 303 and res.headers["location"] == "/login?error=EMAIL_NOT_VERIFIED"


def test_state_must_match_this_browser(new_client, provider, provider_server) -> None:
    _add_user(provider_server, "mallory", email=unique_email("m"), email_verified=True)
    attacker = new_client()
    callback = _authorize(_start(attacker), "mallory")
    # Login CSRF: the attacker's callback URL opened in the victim's browser (no flow cookie).
    victim = new_client()
    res = victim.get(callback)
    assert res.status_code == 400 and res.json()["error"] == "INVALID_SIGN_IN"
    assert victim.get("/api/auth/me").status_code == 401
    # A tampered state in the attacker's own browser fails too.
    url = urlsplit(callback)
    params = parse_qs(url.query)
    tampered = f"{url.scheme}://{url.netloc}{url.path}?code={params['code'][0]}&state=forged"
    assert attacker.get(tampered).status_code == 400


def test_nonce_must_match(new_client, provider, provider_server) -> None:
    """A flow cookie with the right state but another nonce (as if an ID token issued for a
    different sign-in were replayed) is refused."""
    from rooms.core.config import get_settings

    _add_user(provider_server, "nonce", email=unique_email("n"), email_verified=True)
    client = new_client()
    callback = _authorize(_start(client), "nonce")
    key = hmac.new(get_settings().auth_secret.encode(), b"rooms-oidc-flow", hashlib.sha256)
    flow = jwt.decode(client.cookies["rooms_oidc"], key.digest(), algorithms=["HS256"])["flow"]
    (state_key,) = [k for k in flow if k.startswith("_state_")]
    flow[state_key]["data"]["nonce"] = "not-the-nonce-in-the-token"
    forged = jwt.encode({"flow": flow, "exp": int(time.time()) + 60}, key.digest(), "HS256")
    client.cookies.set(
        "rooms_oidc", forged, domain=urlsplit(str(client.base_url)).hostname, path="/api/auth"
    )
    res = client.get(callback)
    assert res.status_code == 400 and res.json()["error"] == "INVALID_SIGN_IN"
    assert client.get("/api/auth/me").status_code == 401


def test_cancel_misconfiguration_and_open_redirects(
    new_client, provider, settings_env, api_url
) -> None:
    client = new_client()
    res = client.get(_authorize(_start(client), None, deny=True))
    assert res.status_code == 400 and res.json()["error"] == "SIGN_IN_CANCELLED"

    for evil in ["//evil.example/x", "https://evil.example", "/\\evil.example"]:
        browser = new_client()
        location = _start(browser, next_path=evil)
        assert location  # the flow starts; the target is dropped at the end
    assert new_client().get("/api/auth/nope/login").status_code == 404

    settings_env(OIDC_ISSUER="http://127.0.0.1:1", OIDC_CLIENT_ID="x")
    res = new_client().get("/api/auth/oidc/login")
    assert res.status_code == 502 and res.json()["error"] == "PROVIDER_UNAVAILABLE"
    settings_env(OIDC_ISSUER=None, OIDC_CLIENT_ID=None)
    res = new_client().get("/api/auth/google/login")
    assert res.status_code == 404 and res.json()["error"] == "PROVIDER_NOT_CONFIGURED"
    assert new_client().get("/api/auth/providers").json() == {"providers": []}


def test_next_path_cannot_leave_the_site(new_client, provider, provider_server) -> None:
    _add_user(provider_server, "nexter", email=unique_email("nx"), email_verified=True)
    client = new_client()
    res = client.get(_authorize(_start(client, next_path="//evil.example/x"), "nexter"))
    assert res.status_code == 303 and res.headers["location"] == "/"
