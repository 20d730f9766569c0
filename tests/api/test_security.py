"""Cross-site requests are refused, every response carries security headers, and no secret
or password hash ever leaves the server in a response or a log line."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlmodel import Session as DbSession
from sqlmodel import select

from rooms.core.security import is_cross_site, origin_of
from tests.support.helpers import unique_email

PASSWORD = "correct horse battery"


def test_origin_of_normalises() -> None:
    assert origin_of("HTTPS://Rooms.Example.com:443/path?q") == "https://rooms.example.com"
    assert origin_of("http://localhost:3000/") == "http://localhost:3000"
    assert origin_of("wss://lk.example.com") == "wss://lk.example.com"
    assert origin_of("null") is None and origin_of("javascript:alert(1)") is None
    assert origin_of("http://[::1]:8080") == "http://[::1]:8080"


@pytest.mark.parametrize(
    ("origin", "fetch_site", "host", "cross"),
    [
        ("http://localhost:3000", None, "127.0.0.1:9", False),  # APP_URL itself
        ("http://127.0.0.1:9", None, "127.0.0.1:9", False),  # the host it was sent to
        ("https://rooms.example.com", None, "rooms.example.com", False),  # TLS proxy
        ("https://evil.example", None, "127.0.0.1:9", True),
        ("http://127.0.0.1:10", None, "127.0.0.1:9", True),  # another port, another origin
        ("null", None, "127.0.0.1:9", True),
        (None, "cross-site", "127.0.0.1:9", True),
        (None, "same-site", "127.0.0.1:9", True),  # a sibling subdomain is not us
        (None, "same-origin", "127.0.0.1:9", False),
        (None, "none", "127.0.0.1:9", False),  # typed in the address bar
        (None, None, "127.0.0.1:9", False),  # API clients send neither header
    ],
)
def test_cross_site_rule(origin, fetch_site, host, cross) -> None:
    assert is_cross_site(origin, fetch_site, host, "http://localhost:3000") is cross


def _assert_refused(res: httpx.Response) -> None:
    assert res.status_code == 403, res.text
    assert res.json()["error"] == "CROSS_SITE_REQUEST" and res.json()["message"]


def test_cross_site_form_posts_are_refused(signed_in, new_client, api_url) -> None:
    client, user = signed_in(name="Before")
    # A hostile page posting a form with the victim's cookie.
    res = client.patch(
        "/api/identity/profile",
        json={"name": "Hijacked"},
        headers={"Origin": "https://evil.example"},
    )
    _assert_refused(res)
    res = client.post(
        "/api/sessions",
        content="title=x",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "cross-site",
        },
    )
    _assert_refused(res)
    res = client.post(f"/api/spaces/{user['activeSpaceId']}/set-active", headers={"Origin": "null"})
    _assert_refused(res)
    assert client.get("/api/identity/profile").json()["user"]["name"] == "Before"
    # Login CSRF: a cross-site form must not sign the browser into someone else's account.
    anon = new_client()
    res = anon.post(
        "/api/auth/login",
        data={"email": "a@example.com", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    _assert_refused(res)
    assert "set-cookie" not in res.headers

    # The same requests from the app's own pages go through.
    own = {"Origin": api_url, "Sec-Fetch-Site": "same-origin"}
    res = client.patch("/api/identity/profile", json={"name": "After"}, headers=own)
    assert res.status_code == 200 and res.json()["user"]["name"] == "After"
    # Reads are never refused: links from other sites must keep working.
    res = client.get("/api/auth/me", headers={"Origin": "https://evil.example"})
    assert res.status_code == 200


EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def test_allowed_origins_for_sockets() -> None:
    from rooms.core.config import Settings
    from rooms.core.security import allowed_origins, origin_allowed

    local = Settings(_env_file=None, app_url="http://localhost:3000")
    assert allowed_origins(local) == ["http://127.0.0.1:3000", "http://localhost:3000"]
    public = Settings(
        _env_file=None,
        app_url="https://rooms.example.org",
        reflex_cors_allowed_origins="https://admin.example.org, https://Other.example.org:443",
    )
    assert origin_allowed("https://rooms.example.org", public)
    assert origin_allowed("https://ROOMS.example.org:443", public)  # the same origin
    assert origin_allowed("https://other.example.org", public)
    assert origin_allowed(None, public)  # no Origin: not a browser
    for origin in ("http://rooms.example.org", "https://evil.example", "null", "", "x"):
        assert not origin_allowed(origin, public), origin
    anyone = Settings(_env_file=None, reflex_cors_allowed_origins="*")
    assert origin_allowed("https://evil.example", anyone)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/health"), ("GET", "/api/auth/me"), ("GET", "/api/nowhere"), ("POST", "/api/x")],
)
def test_security_headers_on_every_response(new_client, method, path) -> None:
    res = new_client().request(method, path)
    for name, value in EXPECTED_HEADERS.items():
        assert res.headers.get(name) == value, (path, name)
    csp = res.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "ws://localhost:7880" in csp  # the LiveKit server the pages connect to


def test_security_headers_and_error_body_on_a_server_error() -> None:
    """A 500 is made outside every middleware (Starlette's outermost error layer), so it
    must carry the headers itself."""
    from rooms.api.app import make_api
    from tests.support.api_server import ServerThread

    api = make_api()

    def explode() -> None:
        raise RuntimeError("forced failure")

    api.add_api_route("/forced-error", explode)
    with ServerThread(api) as server:
        res = httpx.get(f"{server.url}/forced-error")
        ok = httpx.get(f"{server.url}/health")
    assert res.status_code == 500
    assert res.json() == {"error": "INTERNAL_ERROR", "message": "Something went wrong on our side."}
    for name in (*EXPECTED_HEADERS, "permissions-policy", "cross-origin-opener-policy"):
        assert res.headers.get(name) == ok.headers[name], name
    assert res.headers["content-security-policy"] == ok.headers["content-security-policy"]


# --- nothing secret leaves the server ------------------------------------------------

SECRETS = {
    "AUTH_SECRET": "auth-secret-5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f",
    "LIVEKIT_API_SECRET": "livekit-secret-0a9b8c7d6e5f4a3b2c1d",
    "TRANSCRIPTION_JWT_SECRET": "transcription-secret-1b2c3d4e5f6a7b8c",
    "CLOUDINARY_API_SECRET": "cloudinary-secret-9f8e7d6c5b4a",
    "GOOGLE_CLIENT_SECRET": "google-secret-6a5b4c3d2e1f",
    "OIDC_CLIENT_SECRET": "oidc-secret-2e3f4a5b6c7d",
    "SENTRY_AUTH_TOKEN": "sentry-token-7c8d9e0f1a2b",
}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The test's own HTTP client logs the Set-Cookie it received; that is not the server.
        if not record.name.startswith(("httpcore", "httpx")):
            self.lines.append(self.format(record))


@pytest.fixture
def all_logs() -> list[str]:
    handler = _Collect()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    noisy = ["sqlalchemy.engine", "rooms", "uvicorn", "uvicorn.access", "fastapi"]
    saved = {name: logging.getLogger(name).level for name in noisy}
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in noisy:
        # SQL statements are logged at INFO: the most a production operator would switch on.
        logging.getLogger(name).setLevel(logging.INFO if name == "sqlalchemy.engine" else 10)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_no_secret_or_password_hash_in_responses_or_logs(
    settings_env, new_client, all_logs
) -> None:
    settings_env(**SECRETS)
    email = unique_email("leak")
    seen: list[str] = []

    def record(res: httpx.Response) -> httpx.Response:
        headers = {k: v for k, v in res.headers.items() if k != "set-cookie"}
        seen.append(f"{res.status_code} {headers} {res.text}")
        return res

    client = new_client()
    record(
        client.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "name": "L"})
    )
    record(
        client.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "name": "L"})
    )
    record(client.post("/api/auth/signup", json={"email": "x", "password": "short", "name": "L"}))
    record(new_client().post("/api/auth/login", json={"email": email, "password": "wrong pass"}))
    record(client.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
    token = client.cookies.get("rooms_session")
    for path in ["/api/auth/me", "/api/identity/profile", "/api/spaces", "/api/sessions"]:
        record(client.get(path))
    record(client.patch("/api/identity/profile", json={"displayName": PASSWORD}))
    record(client.patch("/api/identity/profile", json={"avatarUrl": "ftp://x"}))
    record(client.post("/api/sessions", json={"title": "t"}))
    record(client.get("/api/openapi.json"))
    record(client.post("/api/auth/logout"))

    from rooms.core.db import get_engine
    from rooms.core.models import AuthSession, User

    with DbSession(get_engine()) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        token_hashes = db.exec(select(AuthSession.token_hash)).all()
    assert user.password_hash and user.password_hash.startswith("$argon2")
    forbidden = {
        **SECRETS,
        "password hash": user.password_hash,
        "argon2 prefix": "$argon2",
        "password": PASSWORD,
    }
    assert token
    forbidden["session token"] = token
    everything = "\n".join(seen)
    logs = "\n".join(all_logs)
    assert "INSERT INTO users" in logs  # the SQL log really was captured
    for label, value in forbidden.items():
        if label == "password":
            # The displayName the client itself chose comes back in its own profile; that is
            # not a leak. Nowhere else may the password appear.
            everything = everything.replace(f'"displayName":"{PASSWORD}"', "")
        assert value not in everything, f"{label} in a response"
        assert value not in logs, f"{label} in a log line"
    for token_hash in token_hashes:
        assert token_hash not in everything and token_hash not in logs
