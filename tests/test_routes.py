"""rooms/routes.py: the URLs it builds are the pages it registers, and it reads back what it
writes (`?t=`, slugs from paths)."""

from __future__ import annotations

import re

from rooms import routes


def _matches(pattern: str, path: str) -> bool:
    """Whether `path` is an address of the Reflex route `pattern` (`[name]` = one segment)."""
    regex = re.sub(r"\\\[\w+\\\]", "[^/?#]+", re.escape(pattern))
    return re.fullmatch(regex, path.split("?")[0].split("#")[0]) is not None


def test_builders_give_the_registered_pages() -> None:
    assert _matches(routes.SESSION_ROOM, routes.session_room("abc-defg-hij"))
    assert _matches(routes.SESSION_TRANSCRIPT, routes.transcript("abc-defg-hij", t=75, seg="s1"))
    assert _matches(routes.INVITE, routes.invite("tok_en-1"))
    assert routes.transcript("abc", t=75.9, seg="s1") == "/session/abc/transcript?t=75#seg-s1"
    assert routes.transcript("abc") == "/session/abc/transcript"
    assert routes.login("/session/abc") == "/login?next=/session/abc"
    assert routes.login() == routes.LOGIN
    assert routes.search("a b&c") == "/search?q=a%20b%26c"
    assert routes.absolute("https://rooms.example/", routes.invite("t")) == (
        "https://rooms.example/invite/t"
    )


def test_page_kinds_from_paths() -> None:
    assert routes.is_tasks("/tasks/") and not routes.is_tasks("/sessions")
    assert routes.is_sessions("/sessions/") and not routes.is_sessions("/sessions/x")


def test_time_and_slug_parsing() -> None:
    assert [routes.t_seconds(v) for v in ("754", "12:34", "1:02:03", "", None, "x", "-5")] == [
        754,
        754,
        3723,
        None,
        None,
        None,
        0,
    ]
    assert routes.slug_from_path("/session/ABC-defg-hij/transcript/") == "abc-defg-hij"
    assert routes.slug_from_path("/search") == ""
