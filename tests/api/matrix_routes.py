"""The authorization matrix's table: each API route, how to call it, and the status each
role must get (anonymous, guest with the invite link, signed-in non-member, member, owner).
The assertions are in test_matrix.py.

`linkguest` is a signed-in non-member who joined the session through the link (a GUEST
participant with an account); unless a row says otherwise (`l=`) it gets what `nonmember`
gets. `waiting` is a guest (one browser, its key cookie kept) waiting in the session's
lobby, which is on once the others have joined (issue 16); unless a row says otherwise
(`w=`) it gets what `guest` gets. To add a route: one `row(...)` call below;
test_matrix_covers_every_route fails until every route has one."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from tests.support.helpers import unique_email

PASSWORD = "correct horse battery"
SECRET_WORD = "matrixsecretword"
ROLES = ("anonymous", "guest", "waiting", "linkguest", "nonmember", "member", "owner")


@dataclass
class World:
    space: str
    slug: str
    session_id: str
    identities: dict[str, str]
    avatar: str | None = None
    participant_ids: dict[str, str] = field(default_factory=dict)
    invitations: dict[str, dict[str, str]] = field(default_factory=dict)  # issue 16, lazily
    task: str = ""  # a task the owner made in the space (issue 17)


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
    w: int | None = None,  # the waiting guest's column
    **kw: Any,
) -> Row:
    statuses = (a, g, g if w is None else w, n if l is None else l, n, m, o)
    return Row(method, path, call, dict(zip(ROLES, statuses, strict=True)), **kw)


def _name(role: str) -> dict[str, str]:
    return {"name": "Guest"} if role in ("guest", "waiting") else {}


def _avatar_file() -> dict:
    png = io.BytesIO()
    Image.new("RGB", (32, 32)).save(png, "PNG")
    return {"file": ("a.png", png.getvalue(), "image/png")}


# --- invitations and members (issue 16) ---------------------------------------------


def _member_id(w: World) -> str:
    """The space's one MEMBER (the world's `member`)."""
    from sqlmodel import select

    from rooms.core.db import session_scope
    from rooms.core.models import SpaceMember, SpaceRole

    with session_scope() as db:
        return db.exec(
            select(SpaceMember.user_id).where(
                SpaceMember.space_id == w.space, SpaceMember.role == SpaceRole.MEMBER
            )
        ).one()


def _invitation(w: World, kind: str) -> dict[str, str]:
    """An invitation the space's owner made: `link` (anyone), `member` (bound to the
    member's email), made once per world."""
    if kind not in w.invitations:
        from rooms.core import invitations
        from rooms.core.db import session_scope
        from rooms.core.models import Space, SpaceRole, User

        with session_scope() as db:
            space = db.get(Space, w.space)
            owner = db.get(User, space.owner_id)
            email = db.get(User, _member_id(w)).email if kind == "member" else None
            inv = invitations.create_invitation(db, owner, w.space, SpaceRole.MEMBER)
            inv.email = email  # bound after the fact: creating refuses an existing member
            w.invitations[kind] = {"id": inv.id, "token": inv.token}
    return w.invitations[kind]


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
    # No provider is configured here: the flow itself is covered in tests/api/test_oidc.py.
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
        202,  # a new browser with the link: the lobby holds it back (issue 16)
        202,
        200,
        200,
        l=200,  # in before the lobby was turned on
    ),
    row(
        "POST",
        S + "/participants/join",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/participants/join", json=_name(r)),
        400,
        202,  # outsiders wait in the lobby; members never do (issue 16)
        202,
        200,
        200,
        l=200,  # in before the lobby was turned on
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
    # Session analytics and the summary after the meeting (issue 17): members only
    # (rooms.core.access.can_read_analytics); a linkguest present in the room reads the
    # captions, not these.
    row(
        "GET",
        S + "/stats",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/stats"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "GET",
        S + "/summary",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/summary"),
        U,
        U,
        404,
        200,
        200,
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
    # Tasks (issue 17): any member creates and edits; the creator (here the owner) or the
    # owner deletes; outsiders learn nothing (rooms.core.tasks).
    row(
        "POST",
        "/api/tasks",
        lambda c, w, r: c.post("/api/tasks", json={"spaceId": w.space, "title": "From " + r}),
        U,
        U,
        404,
        201,
        201,
    ),
    row(
        "PATCH",
        "/api/tasks/{task_id}",
        lambda c, w, r: c.patch(f"/api/tasks/{w.task}", json={"status": "DONE"}),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "DELETE",
        "/api/tasks/{task_id}",
        lambda c, w, r: c.delete(f"/api/tasks/{w.task}"),
        U,
        U,
        404,
        403,
        204,
    ),
    # Unsigned: refused whoever calls; signed deliveries are covered in tests/core/test_livekit.py.
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
    # --- invitations and members (issue 16) ---
    row(
        "POST",
        "/api/spaces/{space_id}/invitations",
        lambda c, w, r: c.post(f"/api/spaces/{w.space}/invitations", json={"role": "MEMBER"}),
        U,
        U,
        404,
        403,
        201,
    ),
    row(
        "GET",
        "/api/spaces/{space_id}/invitations",
        lambda c, w, r: c.get(f"/api/spaces/{w.space}/invitations"),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "DELETE",
        "/api/spaces/{space_id}/invitations/{invitation_id}",
        lambda c, w, r: c.delete(
            f"/api/spaces/{w.space}/invitations/{_invitation(w, 'link')['id']}"
        ),
        U,
        U,
        404,
        403,
        204,
    ),
    # Anyone holding the token reads it: the space's name and the inviter's, nothing else.
    row(
        "GET",
        "/api/invitations/{token}",
        lambda c, w, r: c.get(f"/api/invitations/{_invitation(w, 'link')['token']}"),
        200,
        200,
        200,
        200,
        200,
    ),
    # Bound to the member's email: only that account accepts (a bare link makes anyone
    # signed in a member, which is its point: tests/api/test_invitations.py).
    row(
        "POST",
        "/api/invitations/{token}/accept",
        lambda c, w, r: c.post(f"/api/invitations/{_invitation(w, 'member')['token']}/accept"),
        U,
        U,
        403,
        200,
        403,
    ),
    row(
        "PATCH",
        "/api/spaces/{space_id}/members/{user_id}",
        lambda c, w, r: c.patch(
            f"/api/spaces/{w.space}/members/{_member_id(w)}", json={"role": "MEMBER"}
        ),
        U,
        U,
        404,
        403,
        200,
    ),
    row(
        "DELETE",
        "/api/spaces/{space_id}/members/{user_id}",
        lambda c, w, r: c.delete(f"/api/spaces/{w.space}/members/{_member_id(w)}"),
        U,
        U,
        404,
        403,
        204,
    ),
    row(
        "POST",
        "/api/spaces/{space_id}/leave",
        lambda c, w, r: c.post(f"/api/spaces/{w.space}/leave"),
        U,
        U,
        404,
        200,
        409,  # the only owner: LAST_OWNER
    ),
    # --- the lobby (issue 16): the world's session has one, `waiting` waits in it --------
    row(
        "PATCH",
        S,
        lambda c, w, r: c.patch(f"/api/sessions/{w.slug}", json={"lobby": True}),
        U,
        U,
        404,
        403,  # only the session's creator (the owner here) or the space owner
        200,
    ),
    row(
        "GET",
        S + "/lobby",
        lambda c, w, r: c.get(f"/api/sessions/{w.slug}/lobby"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "POST",
        S + "/lobby/{identity}/admit",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/lobby/{w.identities['waiting']}/admit"),
        U,
        U,
        404,
        200,  # any member lets people in
        200,
    ),
    row(
        "POST",
        S + "/lobby/{identity}/deny",
        lambda c, w, r: c.post(f"/api/sessions/{w.slug}/lobby/{w.identities['waiting']}/deny"),
        U,
        U,
        404,
        200,
        200,
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
    # --- a space's glossary (issue 14): members read it, the owner replaces it; to anyone
    # else the space does not exist.
    row(
        "GET",
        "/api/spaces/{space_id}/glossary",
        lambda c, w, r: c.get(f"/api/spaces/{w.space}/glossary"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "PUT",
        "/api/spaces/{space_id}/glossary",
        lambda c, w, r: c.put(f"/api/spaces/{w.space}/glossary", json={"terms": ["Okonkwo"]}),
        U,
        U,
        404,
        403,
        200,
    ),
    # --- a space's transcription language (issue 18): members read it, the owner sets it;
    # to anyone else the space does not exist.
    row(
        "GET",
        "/api/spaces/{space_id}/transcription",
        lambda c, w, r: c.get(f"/api/spaces/{w.space}/transcription"),
        U,
        U,
        404,
        200,
        200,
    ),
    row(
        "PATCH",
        "/api/spaces/{space_id}/transcription",
        lambda c, w, r: c.patch(
            f"/api/spaces/{w.space}/transcription", json={"language": "de", "codeSwitching": False}
        ),
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
