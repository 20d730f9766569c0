"""Google / any OpenID Connect provider: the whole authorization code flow over real HTTP
against oidc-provider-mock (a standards-following provider built on Authlib)."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import parse_qs, urlsplit

import jwt

from tests.support.helpers import unique_email
from tests.support.oidc import PASSWORD, add_user, authorize, start_sign_in


def test_full_code_flow_signs_in_with_the_session_cookie(
    new_client, provider, provider_server
) -> None:
    email = unique_email("oidc")
    add_user(
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

    location = start_sign_in(client, next_path="/sessions")
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{provider.url}/oauth2/authorize")
    assert query["client_id"] == [provider.client_id] and query["response_type"] == ["code"]
    assert query["state"][0] and query["nonce"][0]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert "openid" in query["scope"][0].split()
    assert client.cookies.get("rooms_oidc")

    callback = authorize(location, "alice")
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
    res = again.get(authorize(start_sign_in(again, "oidc"), "alice"))
    assert res.status_code == 303 and res.headers["location"] == "/"
    assert again.get("/api/auth/me").json()["user"]["id"] == me["id"]


def test_links_an_existing_account_by_verified_email(
    signed_in, new_client, provider, provider_server
) -> None:
    email = unique_email("link")
    local, user = signed_in(email=email)  # registered here, email never verified
    add_user(provider_server, "linked", email=email, email_verified=True, name="Other")
    client = new_client()
    assert client.get(authorize(start_sign_in(client), "linked")).status_code == 303
    me = client.get("/api/auth/me").json()["user"]
    # The address, not what the unverified registrant set up (tests/api/test_oidc_takeover.py).
    assert me["id"] == user["id"] and me["name"] == "Other"
    # Whoever registered the address locally may not own it: password and sessions end.
    assert local.get("/api/auth/me").status_code == 401
    res = new_client().post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert res.status_code == 401


def test_unverified_email_is_refused(new_client, provider, provider_server) -> None:
    add_user(provider_server, "unverified", email=unique_email("unv"), email_verified=False)
    client = new_client()
    res = client.get(authorize(start_sign_in(client), "unverified"))
    assert res.status_code == 403 and res.json()["error"] == "EMAIL_NOT_VERIFIED"
    assert client.get("/api/auth/me").status_code == 401
    # A browser is sent back to the login page with the reason instead.
    browser = new_client()
    callback = authorize(start_sign_in(browser), "unverified")
    res = browser.get(callback, headers={"Accept": "text/html"})
    assert res.status_code == 303 and res.headers["location"] == "/login?error=EMAIL_NOT_VERIFIED"


def test_state_must_match_this_browser(new_client, provider, provider_server) -> None:
    add_user(provider_server, "mallory", email=unique_email("m"), email_verified=True)
    attacker = new_client()
    callback = authorize(start_sign_in(attacker), "mallory")
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

    add_user(provider_server, "nonce", email=unique_email("n"), email_verified=True)
    client = new_client()
    callback = authorize(start_sign_in(client), "nonce")
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
    res = client.get(authorize(start_sign_in(client), None, deny=True))
    assert res.status_code == 400 and res.json()["error"] == "SIGN_IN_CANCELLED"

    for evil in ["//evil.example/x", "https://evil.example", "/\\evil.example"]:
        browser = new_client()
        location = start_sign_in(browser, next_path=evil)
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
    add_user(provider_server, "nexter", email=unique_email("nx"), email_verified=True)
    client = new_client()
    res = client.get(authorize(start_sign_in(client, next_path="//evil.example/x"), "nexter"))
    assert res.status_code == 303 and res.headers["location"] == "/"
