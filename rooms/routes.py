"""The app's page paths and the URLs built from them: the one place a path is spelled.

A plain module (nothing from Reflex), so that rooms/core builds the links it hands out
(invitation mails, task sources, search hits) from the same table the pages register.
The builders take a string or a Reflex Var (they only concatenate), so a component can
pass `item.slug` as it is.
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import quote

INDEX = "/"
LOGIN = "/login"
SESSIONS = "/sessions"  # home once signed in
WELCOME = "/welcome"
TASKS = "/tasks"
SEARCH = "/search"
NOT_FOUND = "404"  # Reflex's name for its not-found page

# The patterns `app.add_page` registers; the builders below fill them in.
SESSION_ROOM = "/session/[slug]"
SESSION_TRANSCRIPT = "/session/[slug]/transcript"
LEGACY_CALL = "/call/[slug]"  # the seed's old address for a session
INVITE = "/invite/[token]"

_SESSION = "/session/"
_TRANSCRIPT = "/transcript"
_INVITE = "/invite/"

S = TypeVar("S")


def session_room(slug: S) -> S:
    return _SESSION + slug  # type: ignore[operator,return-value]


def transcript(slug: str, t: float | None = None, seg: str | None = None) -> str:
    """The transcript page, opened at second `t` (`?t=`) and on line `seg`, when given."""
    target = _SESSION + slug + _TRANSCRIPT
    if t is not None:
        target += f"?t={int(t)}"
    return f"{target}#seg-{seg}" if seg else target


def invite(token: str) -> str:
    return _INVITE + token


def login(next_path: str | None = None) -> str:
    """Sign-in, then back to `next_path` (already checked to be on this site)."""
    return f"{LOGIN}?next={quote(next_path, safe='/')}" if next_path else LOGIN


def search(query: str) -> str:
    return f"{SEARCH}?q={quote(query)}"


def absolute(base_url: str, path: str) -> str:
    """`path` on the site at `base_url` (APP_URL): what goes into a mail or a copied link."""
    return base_url.rstrip("/") + path


def is_tasks(path: str) -> bool:
    return path.rstrip("/").startswith(TASKS)


def is_sessions(path: str) -> bool:
    return path.rstrip("/") == SESSIONS


def slug_from_path(path: str) -> str:
    """The slug of a session's sub-page path (`/session/<slug>/transcript`), lower-cased;
    "" for any other path."""
    parts = [p for p in path.split("/") if p]
    return parts[1].lower() if len(parts) >= 3 and parts[0] == _SESSION.strip("/") else ""


def t_seconds(value: str | None) -> int | None:
    """`?t=` as seconds: `754`, `12:34` or `1:02:03`; None when absent or not a time."""
    if not value:
        return None
    try:
        total = 0
        for piece in value.strip().split(":")[:3]:
            total = total * 60 + int(piece)
        return max(0, total)
    except ValueError:
        return None
