"""Whether the page a background event serves is still open.

Reflex keeps a background event running after its tab closes (a disconnect cancels only
the page's pending load chain), so a loop that serves one page (live captions, a status
watch, a board feed) asks here and ends once the page has been gone for a while. A page
that comes back reconnects with a fresh hydrate, which runs its on_load handlers again and
so starts its loops anew."""

from __future__ import annotations

import time

from reflex.state import BaseState
from reflex_base.registry import RegistrationContext

# Longer than a reconnect after a network blip, so a page that is coming back keeps its
# loop, and short enough that a closed tab stops costing reads (and caption translation).
GONE_AFTER_SECONDS = 15.0


async def _connected(token: str) -> bool:
    try:
        namespace = RegistrationContext.get().app.event_namespace
    except (LookupError, RuntimeError):  # no app in this process: nothing to ask
        return True
    if namespace is None:
        return True
    # The token manager knows every worker's sockets when Redis is in use.
    return await namespace._token_manager.is_token_connected(token)


class PageWatch:
    """One page's presence, asked as often as its loop likes (cheap: a dict lookup, or one
    Redis read with several workers)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._missing_since: float | None = None

    @classmethod
    def of(cls, state: BaseState) -> PageWatch:
        """The page a state serves: Reflex names it by the client token of its tab."""
        return cls(state.router.session.client_token)

    async def gone(self) -> bool:
        """True once the page has had no socket for GONE_AFTER_SECONDS."""
        if await _connected(self.token):
            self._missing_since = None
            return False
        now = time.monotonic()
        if self._missing_since is None:
            self._missing_since = now
        return now - self._missing_since >= GONE_AFTER_SECONDS
