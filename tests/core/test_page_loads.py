"""Each page load looks the viewer up once, in its first loader (rooms/rooms.py's on_load).

The lookup is `AuthState._refresh_viewer` (a database round trip in a worker thread); the
later loaders of the page read what it found through `AuthState._signed_in()`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

from reflex.event import EventHandler

LOOKUP = "_refresh_viewer"
KNOWN = "_signed_in"


def _calls(handler: EventHandler) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(handler.fn)))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def _pages() -> dict[str, list[EventHandler]]:
    from rooms.rooms import app

    # Plain handlers only (no EventSpec with arguments), so every loader is read below.
    assert all(isinstance(e, EventHandler) for ev in app._load_events.values() for e in ev)
    return dict(app._load_events)


def test_the_loaders_are_read():
    pages = _pages()
    assert {"sessions", "session/[slug]", "session/[slug]/transcript"} <= set(pages)
    assert LOOKUP in _calls(pages["session/[slug]"][0])


def test_one_viewer_lookup_per_page_load():
    wrong = {}
    for route, loaders in _pages().items():
        looking = [h.fn.__qualname__ for h in loaders if LOOKUP in _calls(h)]
        if len(looking) > 1:
            wrong[route] = looking
    assert not wrong, f"pages that look the viewer up more than once per load: {wrong}"


def test_the_lookup_comes_first():
    """A loader that reads the viewer (`_signed_in()`) runs after the page's lookup."""
    wrong = {}
    for route, loaders in _pages().items():
        if any(KNOWN in _calls(h) for h in loaders[1:]) and LOOKUP not in _calls(loaders[0]):
            wrong[route] = [h.fn.__qualname__ for h in loaders]
    assert not wrong, f"pages whose viewer lookup is not their first loader: {wrong}"


def test_signed_in_pages_start_with_the_guard():
    from rooms.state.auth import AuthState
    from rooms.state.spaces import SpacesState

    guard = AuthState.require_login.fn
    for route, loaders in _pages().items():
        if any(h.fn is SpacesState.load_spaces.fn for h in loaders):
            assert loaders[0].fn is guard, route
