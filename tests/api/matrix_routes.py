"""The authorization matrix's table: each API route, how to call it, and the status each
role must get (anonymous, guest with the invite link, signed-in non-member, member, owner).
The assertions are in test_matrix.py.

`linkguest` is a signed-in non-member who joined the session through the link (a GUEST
participant with an account); unless a row says otherwise (`l=`) it gets what `nonmember`
gets. To add a route: one `row(...)` call below; test_matrix_covers_every_route fails until
every route has one."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from tests.helpers import unique_email

PASSWORD = "correct horse battery"
SECRET_WORD = "matrixsecretword"
ROLES = ("anonymous", "guest", "linkguest", "nonmember", "member", "owner")


@dataclass
class World:
    space: str
    slug: str
    session_id: str
    identities: dict[str, str]
    avatar: str | None = None
    participant_ids: dict[str, str] = field(default_factory=dict)


Request = Callable[[httpx.Client, World, str], httpx.Response]
U = 401  # shorthand: not signed in


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    call: Request
    expected: dict[str, int]
    fresh_login: bool = False


def row(
    method: str,
    path: str,
    call: Request,
    a: int,
    g: int,
    n: int,
    m: int,
    o: int,
    l: int | None = None,  # noqa: E741  (the linkguest column)
    **kw: Any,
) -> Row:
    statuses = (a, g, n if l is None else l, n, m, o)
    return Row(method, path, call, dict(zip(ROLES, statuses, strict=True)), **kw)


def _name(role: str) -> dict[str, str]:
    return {"name": "Guest"} if role == "guest" else {}


def _avatar_file() -> dict:
    png = io.BytesIO()
    Image.new("RGB", (32, 32)).save(png, "PNG")
    return {"file": ("a.png", png.getvalue(), "image/png")}


S = "/api/sessions/{slug}"
ROWS = [
    row(
        "POST",
        "/api/auth/signup",
        lambda c, w, r: c.post(
            "/api/auth/signup",
            json={"email": unique_email("mx"), "password": PASSWORD, "name": "X"},
        ),
        201,
        201,
        201,
        201,
        201,
    ),
    row(
        "POST",
        "/api/auth/login",
        lambda c, w, r: c.post(
            "/api/auth/login", json={"email": "nobody@example.com", "password": PASSWORD}
        ),
        401,
        401,
        401,
        401,
        401,
    ),
    row(
        "POST",
        "/api/auth/logout",
        lambda c, w, r: c.post("/api/auth/logout"),
        200,
        200,
        200,
        200,
        200,
        fresh_login=True,
    ),
    row("GET", "/api/auth/me", lambda c, w, r: c.get("/api/auth/me"), U, U, 200, 200, 200),
    row(
        "GET",
        "/api/auth/providers",
        lambda c, w, r: c.get("/api/auth/providers"),
        200,
        200,
        200,
        200,
        200,
    ),
    # No provider is configured here: the flow itself is covered in tests/integrations.
    row(
        "GET",
        "/api/auth/{provider_id}/login",
        lambda c, w, r: c.get("/api/auth/google/login"),
        404,
        404,
        404,
        404,
        404,
    ),
    row(
        "GET",
        "/api/auth/{provider_id}/callback",
        lambda c, w, r: c.get("/api/auth/google/callback", params={"code": "x", "state": "y"}),
        404,
        404,
        404,
        404,
        404,
    ),
    row(
        "GET",
        "/api/identity/profile",
        lambda c, w, r: c.get("/api/identity/profile"),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "PATCH",
        "/api/identity/profile",
        lambda c, w, r: c.patch("/api/identity/profile", json={"displayName": r}),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "GET",
        "/api/identity/avatar/sign",
        lambda c, w, r: c.get("/api/identity/avatar/sign"),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "POST",
        "/api/identity/avatar",
        lambda c, w, r: c.post("/api/identity/avatar", files=_avatar_file()),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "GET",
        "/api/uploads/avatars/{name}",
        lambda c, w, r: c.get(w.avatar),
        200,
        200,
        200,
        200,
        200,
    ),
    row("GET", "/api/spaces", lambda c, w, r: c.get("/api/spaces"), U, U, 200, 200, 200),
    row(
        "POST",
        "/api/spaces",
        lambda c, w, r: c.post("/api/spaces", json={"name": "N"}),
        U,
        U,
        201,
        201,
        201,
    ),
    row(
        "PATCH",
        "/api/spaces/{space_id}",
        lambda c, w, r: c.patch(f"/api/spaces/{w.space}", json={"name": r}),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "DELETE",
        "/api/spaces/{space_id}",
        lambda c, w, r: c.delete(f"/api/spaces/{w.space}"),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "POST",
        "/api/spaces/{space_id}/set-active",
        lambda c, w, r: c.post(f"/api/spaces/{w.space}/set-active"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "PATCH",
        "/api/spaces/{space_id}/mode",
        lambda c, w, r: c.patch(f"/api/spaces/{w.space}/mode", json={"mode": "SESSIONS_ONLY"}),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "GET",
        "/api/spaces/{space_id}/members",
        lambda c, w, r: c.get(f"/api/spaces/{w.space}/members"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "POST",
        "/api/spaces/{space_id}/members",
        lambda c, w, r: c.post(f"/api/spaces/{w.space}/members", json={"email": "x@example.com"}),
        U,
        U,
        404,
        403,
        404,
    ),  # the owner may add only existing accounts
    row(
        "GET",
        "/api/sessions",
        lambda c, w, r: c.get("/api/sessions", params={"spaceId": w.space}),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "POST",
        "/api/sessions",
        lambda c, w, r: c.post("/api/sessions", json={"spaceId": w.space}),
        U,
        U,
        404,
        201,
        201,
    ),
    row("GET", S, lambda c, w, r: c.get(f"/api/sessions/{w.slug}"), 200, 200, 200, 200, 200),
    row("DELETE", S, lambda c, w, r: c.delete(f"/api/sessions/{w.slug}"), U, U, 404, 403, 204),
    row(
        "POST",
        S + "/end",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/end"),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "GET",
        S + "/token",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/token", params=_name(r)),
        400,
        200,
        200,
        200,
        200,
    ),
    row(
        "POST",
        S + "/participants/join",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/participants/join", json=_name(r)),
        400,
        200,
        200,
        200,
        200,
    ),
    row(
        "GET",
        S + "/participants/{identity}",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/participants/{w.identities['owner']}"),
        200,
        200,
        200,
        200,
        200,
    ),
    row(
        "DELETE",
        S + "/participants/{identity}",
        lambda c, w, r: c.delete(f"/api/sessions/{w.slug}/participants/{w.identities['guest']}"),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "DELETE",
        S + "/bans/{identity}",
        lambda c, w, r: c.delete(f"/api/sessions/{w.slug}/bans/{w.identities['guest']}"),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "POST",
        S + "/transcription-host",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/transcription-host"),
        U,
        U,
        403,
        403,  # a member who is neither the host nor the creator may not move it (issue 13)
        200,
        l=403,  # only the host, the creator or the space owner moves it (issue 13 #6)
    ),
    row(
        "POST",
        S + "/transcription/start",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/transcription/start"),
        U,
        U,
        403,
        403,
        200,
    ),
    row(
        "GET",
        S + "/transcription/usage",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/transcription/usage"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "POST",
        "/api/transcription/usage/save",
        lambda c, w, r: c.post(
            "/api/transcription/usage/save", json={"slug": w.slug, "durationSeconds": 1.5}
        ),
        U,
        U,
        403,
        201,
        201,
        l=201,  # recorded, bounded by what the server measured (issue 13 #5)
    ),
    row(
        "GET",
        "/api/transcription/stats",
        lambda c, w, r: c.get("/api/transcription/stats"),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "GET",
        S + "/transcript",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/transcript"),
        U,
        U,
        404,
        200,
        200,
        l=200,  # present in the ACTIVE session: rooms.core.access
    ),
    row(
        "GET",
        "/api/search",
        lambda c, w, r: c.get("/api/search", params={"q": SECRET_WORD}),
        U,
        U,
        200,
        200,
        200,
    ),
    row(
        "GET",
        "/api/tasks",
        lambda c, w, r: c.get("/api/tasks", params={"spaceId": w.space}),
        U,
        U,
        404,
        200,
        200,
    ),
    # Unsigned: refused whoever calls; signed deliveries are covered in tests/integrations.
    row(
        "POST",
        "/api/livekit/webhook",
        lambda c, w, r: c.post("/api/livekit/webhook", content="{}"),
        U,
        U,
        U,
        U,
        U,
    ),
    # --- session agenda (docs/extending.md's worked example): the creator (here the owner)
    # writes it; members who did not create the session may not; outsiders learn nothing.
    row(
        "PUT",
        S + "/agenda",
        lambda c, w, r: c.put(f"/api/sessions/{w.slug}/agenda", json={"agenda": "1. Hello"}),
        U,
        U,
        404,
        403,
        200,
    ),
    row("GET", "/health", lambda c, w, r: c.get("/health"), 200, 200, 200, 200, 200),
    row("GET", "/metrics", lambda c, w, r: c.get("/metrics"), 200, 200, 200, 200, 200),
]


SEES_TRANSCRIPT = {"/api/search", S + "/transcript"}
