"""Page refreshes by route: a state that changes something several pages show asks this
table for the current page's own refresh instead of importing the pages' states.
rooms/rooms.py fills each table next to the pages' on_load."""

from __future__ import annotations

from collections.abc import Callable

from reflex.event import EventHandler
from reflex.route import get_router


class Followers:
    def __init__(self) -> None:
        self._by_route: dict[str, EventHandler] = {}
        self._match: Callable[[str], str | None] = get_router([])

    def follow(self, route: str, refresh: EventHandler) -> None:
        """On the page at `route`, run `refresh` (its own state's) after the change."""
        self._by_route[route.strip("/")] = refresh
        self._match = get_router(list(self._by_route))

    def for_path(self, path: str) -> EventHandler | None:
        route = self._match(path or "/")
        return self._by_route.get(route) if route else None
