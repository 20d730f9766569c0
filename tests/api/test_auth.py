import sqlalchemy as sa

from rooms.core.db import get_engine
from tests.support.helpers import unique_email


def test_signup_sets_httponly_cookie_and_creates_active_space(new_client) -> None:
    client = new_client()
    email = unique_email()
    res = client.post(
        "/api/auth/signup",
        json={"email": email.upper(), "password": "s3cret-pass", "name": "Grace"},
    )
    assert res.status_code == 201
    user = res.json()["user"]
    assert user["email"] == email  # normalised to lower case
    assert user["displayName"] == "Grace"
    assert user["noAvatarColor"].startswith("#")
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # APP_URL is http:// in tests

    spaces = client.get("/api/spaces").json()
    assert len(spaces["spaces"]) == 1
    assert spaces["activeSpaceId"] == spaces["spaces"][0]["id"] == user["activeSpaceId"]
    assert spaces["spaces"][0]["role"] == "OWNER"
    assert client.get("/api/auth/me").json()["user"]["id"] == user["id"]


def test_password_is_stored_only_as_argon2_hash(signed_in) -> None:
    _, user = signed_in()
    with get_engine().connect() as conn:
        row = (
            conn.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user["id"]})
            .mappings()
            .one()
        )
    assert row["password_hash"].startswith("$argon2id$")
    assert not any("correct horse battery" in str(v) for v in row.values())


def test_login_logout_and_revoked_cookie(new_client) -> None:
    email = unique_email()
    first = new_client()
    assert (
        first.post(
            "/api/auth/signup", json={"email": email, "password": "pass-word-1", "name": "Lin"}
        ).status_code
        == 201
    )

    browser = new_client()
    assert browser.get("/api/auth/me").status_code == 401
    bad = browser.post("/api/auth/login", json={"email": email, "password": "wrong-password"})
    assert bad.status_code == 401 and bad.json()["error"] == "INVALID_CREDENTIALS"
    unknown = browser.post("/api/auth/login", json={"email": unique_email(), "password": "x" * 10})
    assert unknown.status_code == 401 and unknown.json()["error"] == "INVALID_CREDENTIALS"

    assert (
        browser.post(
            "/api/auth/login", json={"email": email, "password": "pass-word-1"}
        ).status_code
        == 200
    )
    token = browser.cookies.get("rooms_session")
    assert browser.get("/api/auth/me").status_code == 200

    out = browser.post("/api/auth/logout")
    assert out.status_code == 200 and out.json() == {"ok": True}
    # Replaying the old cookie after logout must not work: the server-side row is gone.
    replay = new_client()
    replay.cookies.set("rooms_session", token)
    res = replay.get("/api/auth/me")
    assert res.status_code == 401 and res.json()["error"] == "UNAUTHORIZED"
    # The other browser's session is unaffected.
    assert first.get("/api/auth/me").status_code == 200


def test_duplicate_signup_is_409(new_client) -> None:
    email = unique_email()
    body = {"email": email, "password": "long-enough", "name": "A"}
    assert new_client().post("/api/auth/signup", json=body).status_code == 201
    res = new_client().post("/api/auth/signup", json=body)
    assert res.status_code == 409 and res.json()["error"] == "EMAIL_TAKEN"


def test_profile_read_and_update(signed_in) -> None:
    client, user = signed_in(name="Old Name")
    assert client.get("/api/identity/profile").json()["user"]["id"] == user["id"]
    res = client.patch("/api/identity/profile", json={"displayName": "  New Name  "})
    assert res.status_code == 200
    assert res.json()["user"]["displayName"] == "New Name"
    assert res.json()["user"]["name"] == "Old Name"  # fields not sent stay as they were
    res = client.patch("/api/identity/profile", json={"avatarUrl": "javascript:alert(1)"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_INPUT"
    # Only the user's own upload (tests/api/test_avatar_urls.py), never any URL.
    res = client.patch("/api/identity/profile", json={"avatarUrl": "https://cdn.example.com/a.png"})
    assert res.status_code == 400
    res = client.patch("/api/identity/profile", json={"avatarUrl": None})
    assert res.status_code == 200 and res.json()["user"]["avatarUrl"] is None


def test_sign_in_required_everywhere(new_client) -> None:
    anon = new_client()
    for method, path in [
        ("GET", "/api/auth/me"),
        ("GET", "/api/identity/profile"),
        ("PATCH", "/api/identity/profile"),
        ("GET", "/api/spaces"),
        ("POST", "/api/spaces"),
        ("PATCH", "/api/spaces/abc"),
        ("DELETE", "/api/spaces/abc"),
        ("POST", "/api/spaces/abc/set-active"),
        ("PATCH", "/api/spaces/abc/mode"),
        ("GET", "/api/sessions"),
        ("POST", "/api/sessions"),
        ("DELETE", "/api/sessions/abc"),
        ("POST", "/api/sessions/abc/end"),
    ]:
        res = anon.request(method, path, json={})
        assert res.status_code == 401, (method, path, res.text)
        assert res.json()["error"] == "UNAUTHORIZED"
