"""Whatever a client sends, the answer is a clear 4xx in the error contract, never a 500."""

from __future__ import annotations

import itertools

import httpx
import pytest

from tests.support.helpers import unique_email

LONG = "x" * 10_000
WEIRD_VALUES = [
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    [1, "a"],
    {"a": 1},
    "",
    " ",
    LONG,
    "\x00",
    "a\x00b",
    "\u202e\u0000",
    "😀" * 50,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
RAW_BODIES = [b"", b"{", b"null", b"[]", b'"text"', b"123", b'{"a":', b"\xff\xfe", b"{}" * 1000]


def _json_bodies(fields: list[str]) -> list[object]:
    bodies: list[object] = [{}]
    for field, value in itertools.product(fields, WEIRD_VALUES):
        bodies.append({field: value})
    bodies.append({f: LONG for f in fields})
    bodies.append({f: "\x00" for f in fields})
    return bodies


def _assert_contract(res: httpx.Response, context: object) -> None:
    assert res.status_code < 500, (context, res.status_code, res.text[:300])
    if res.status_code >= 400:
        body = res.json()
        assert isinstance(body.get("error"), str) and isinstance(body.get("message"), str), (
            context,
            body,
        )
        assert res.status_code != 422  # FastAPI's default shape must never leak out


@pytest.fixture
def world(signed_in):
    owner, _ = signed_in(name="Owner")
    other, other_user = signed_in(name="Other")
    slug = owner.post("/api/sessions", json={"title": "t"}).json()["session"]["slug"]
    other_slug = other.post("/api/sessions", json={"title": "t"}).json()["session"]["slug"]
    extra = owner.post("/api/spaces", json={"name": "extra"}).json()["space"]["id"]
    return {
        "client": owner,
        "space": extra,
        "slug": slug,
        "foreign_space": other_user["activeSpaceId"],
        "foreign_slug": other_slug,
    }


ROUTES = [
    ("POST", "/api/auth/signup", ["email", "password", "name"]),
    ("POST", "/api/auth/login", ["email", "password"]),
    ("PATCH", "/api/identity/profile", ["name", "displayName", "avatarUrl"]),
    ("POST", "/api/spaces", ["name", "mode"]),
    ("PATCH", "/api/spaces/{space}", ["name"]),
    ("PATCH", "/api/spaces/{space}/mode", ["mode"]),
    ("POST", "/api/spaces/{space}/members", ["email"]),
    ("POST", "/api/sessions", ["title", "spaceId"]),
    ("POST", "/api/sessions/{slug}/participants/join", ["name"]),
]


@pytest.mark.parametrize("method,path,fields", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_json_bodies_never_500(world, method: str, path: str, fields: list[str]) -> None:
    client: httpx.Client = world["client"]
    url = path.format(**world)
    for body in _json_bodies(fields):
        _assert_contract(client.request(method, url, json=body), body)
    for raw in RAW_BODIES:
        res = client.request(method, url, content=raw, headers={"content-type": "application/json"})
        _assert_contract(res, raw)
        assert res.status_code == 400, (raw, res.text)
    res = client.request(method, url, content=b"name=x", headers={"content-type": "text/plain"})
    _assert_contract(res, "text/plain")


def test_malformed_json_and_wrong_types_are_400(world) -> None:
    client = world["client"]
    res = client.post(
        "/api/spaces", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert res.status_code == 400 and res.json()["error"] == "INVALID_JSON"
    res = client.post("/api/spaces", json={"name": 42})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_INPUT"
    assert "name" in res.json()["message"]
    res = client.post("/api/spaces", json={"name": LONG})
    assert res.status_code == 400 and "100" in res.json()["message"]
    res = client.post("/api/spaces", json={"name": "   "})
    assert res.status_code == 400


def test_signup_input_rules(new_client) -> None:
    client = new_client()
    cases = [
        ({"email": "not-an-email", "password": "long-enough", "name": "A"}, "INVALID_EMAIL"),
        ({"email": unique_email(), "password": "short", "name": "A"}, "WEAK_PASSWORD"),
        ({"email": unique_email(), "password": "long-enough", "name": ""}, "INVALID_INPUT"),
        ({"email": unique_email(), "password": LONG, "name": "A"}, "INVALID_INPUT"),
        ({"email": unique_email(), "password": "long-enough"}, "INVALID_INPUT"),
        ({"email": "a\x00b@example.com", "password": "long-enough", "name": "A"}, "INVALID_EMAIL"),
    ]
    for body, code in cases:
        res = client.post("/api/auth/signup", json=body)
        assert res.status_code == 400 and res.json()["error"] == code, (body, res.text)
    assert "rooms_session" not in client.cookies


IDS = ["nope", "0", LONG[:5000], "%00", "a%00b", "..%2F..%2Fetc", "%F0%9F%98%80", "' OR 1=1 --"]


def test_path_ids_never_500(world) -> None:
    client = world["client"]
    for raw in IDS:
        for method, path, body in [
            ("PATCH", f"/api/spaces/{raw}", {"name": "x"}),
            ("DELETE", f"/api/spaces/{raw}", None),
            ("POST", f"/api/spaces/{raw}/set-active", None),
            ("PATCH", f"/api/spaces/{raw}/mode", {"mode": "SESSIONS_ONLY"}),
            ("GET", f"/api/spaces/{raw}/members", None),
            ("GET", f"/api/sessions/{raw}", None),
            ("POST", f"/api/sessions/{raw}/end", None),
            ("DELETE", f"/api/sessions/{raw}", None),
            ("GET", f"/api/sessions/{raw}/token?name=x", None),
            ("POST", f"/api/sessions/{raw}/participants/join", {"name": "x"}),
            ("GET", f"/api/sessions/{world['slug']}/participants/{raw}", None),
        ]:
            res = client.request(method, path, json=body)
            _assert_contract(res, (method, path[:80]))
            assert res.status_code == 404, (method, path[:80], res.text)


def test_other_users_ids_are_404(world) -> None:
    client = world["client"]
    for method, path, body in [
        ("PATCH", f"/api/spaces/{world['foreign_space']}", {"name": "x"}),
        ("DELETE", f"/api/spaces/{world['foreign_space']}", None),
        ("POST", f"/api/spaces/{world['foreign_space']}/set-active", None),
        ("POST", f"/api/sessions/{world['foreign_slug']}/end", None),
        ("DELETE", f"/api/sessions/{world['foreign_slug']}", None),
    ]:
        res = client.request(method, path, json=body)
        assert res.status_code == 404, (method, path, res.text)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "abc"},
        {"limit": "1e3"},
        {"limit": str(10**30)},
        {"cursor": "garbage!!"},
        {"cursor": "Zm9v"},
        {"cursor": LONG[:600]},
        {"cursor": "MjAyNi0wMS0wMVQwMDowMDowMHwA"},
        {"spaceId": "nope"},
        {"spaceId": LONG[:100]},
        {"spaceId": "\x00"},
    ],
)
def test_list_query_params_never_500(world, params: dict[str, str]) -> None:
    res = world["client"].get("/api/sessions", params=params)
    _assert_contract(res, params)
    assert res.status_code in (400, 404)


def test_unknown_api_path_and_wrong_method(world) -> None:
    client = world["client"]
    res = client.get("/api/does-not-exist")
    assert res.status_code == 404 and res.json()["error"] == "NOT_FOUND"
    res = client.put("/api/spaces")
    assert res.status_code == 405 and res.json()["error"] == "METHOD_NOT_ALLOWED"
    res = client.get(f"/api/sessions/{world['slug']}/end")
    assert res.status_code == 405


def test_bad_cookies_are_just_signed_out(new_client) -> None:
    for value in ["", "x", LONG[:4000], "%00", "a" * 129]:
        client = new_client()
        client.cookies.set("rooms_session", value)
        res = client.get("/api/auth/me")
        assert res.status_code == 401 and res.json()["error"] == "UNAUTHORIZED"
