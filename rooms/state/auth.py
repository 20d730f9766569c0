"""The base state: who is signed in, read from the httpOnly session cookie.

The browser never shows the session cookie to JavaScript, so `rx.Cookie` cannot
see it. The `/_event` socket's handshake carries it, though, and Reflex keeps the
handshake headers in `self.router.headers`. The cookie is therefore read when the
socket connects: after signing in or out, the page must do a full page load.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import reflex as rx
from reflex.state import OnLoadInternalState

from rooms import routes
from rooms.core import i18n, identity, ratelimit, redirects
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.errors import Unauthorized
from rooms.core.models import User

LOGIN_ROUTE = routes.LOGIN
HOME_ROUTE = routes.SESSIONS

T = TypeVar("T")


@dataclass(frozen=True)
class _Viewer:
    id: str
    name: str
    email: str
    avatar_color: str
    avatar_url: str
    locale: str | None


# A year: the choice of a signed-out visitor outlives their browser session.
_LOCALE_COOKIE_AGE = 365 * 24 * 3600


def safe_next(path: str | None) -> str:
    """Where to go after signing in: `?next=` if it is a path on this site."""
    return redirects.safe_next(path, HOME_ROUTE)


def login_url(next_path: str) -> str:
    # Pages are served with a trailing slash (`/sessions/`); keep the address people know.
    path = safe_next(next_path).rstrip("/") or HOME_ROUTE
    return routes.login(path)


def cookie_value(header: str | None, name: str) -> str | None:
    """One cookie from a `Cookie:` header.

    Parsed by hand: `http.cookies.SimpleCookie` silently drops every cookie after
    the first one it cannot parse, and other apps on the same host may set those.
    """
    for part in (header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"') or None
    return None


def _lookup(token: str | None) -> _Viewer | None:
    if not token:
        return None
    with session_scope() as db:
        user = identity.user_for_token(db, token)
        if user is None:
            return None
        return _Viewer(
            id=user.id,
            name=identity.display_name(user),
            email=user.email,
            avatar_color=user.no_avatar_color or "",
            avatar_url=user.avatar_url or "",
            locale=user.locale,
        )


def _save_locale(db, user: User, locale: str) -> None:
    identity.update_profile(
        db, user, identity.ProfileUpdate(locale=locale, fields=frozenset({"locale"}))
    )


class AuthState(rx.State):
    """Every page's state derives from this one, so the viewer is known everywhere."""

    auth_checked: bool = False
    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_avatar_color: str = ""
    user_avatar_url: str = ""
    _user_id: str = ""
    # The UI language (rooms.core.i18n) and its catalog: only this locale's messages reach
    # the browser, and rooms.components.i18n.t() reads them with the English id as fallback.
    locale: str = i18n.DEFAULT_LOCALE
    messages: dict[str, str] = {}
    # A signed-out visitor's pick; a signed-in one's lives in their profile (every device).
    locale_cookie: str = rx.Cookie(
        "", name=i18n.LOCALE_COOKIE, max_age=_LOCALE_COOKIE_AGE, same_site="lax"
    )

    def _session_token(self) -> str | None:
        headers = self.router.headers
        header = headers.cookie or headers.raw_headers.get("cookie")
        return cookie_value(header, get_settings().auth_cookie_name)

    async def _refresh_viewer(self) -> None:
        # A database round trip: keep it off the event loop that serves every socket.
        viewer = await asyncio.to_thread(_lookup, self._session_token())
        self.signed_in = viewer is not None
        self._user_id = viewer.id if viewer else ""
        self.user_name = viewer.name if viewer else ""
        self.user_email = viewer.email if viewer else ""
        self.user_avatar_color = viewer.avatar_color if viewer else ""
        self.user_avatar_url = viewer.avatar_url if viewer else ""
        self.auth_checked = True
        chosen = (viewer.locale if viewer else None) or self.locale_cookie
        self._apply_locale(i18n.resolve(chosen, self.router.headers.accept_language))

    def _apply_locale(self, locale: str) -> None:
        if locale != self.locale or (locale != i18n.DEFAULT_LOCALE and not self.messages):
            self.locale = locale
            self.messages = i18n.client_catalog(locale)

    def _t(self, message: str, **values: object) -> str:
        """A message in the viewer's language, for text the server composes (toasts,
        counts, dates). Static text in components uses rooms.components.i18n.t()."""
        return i18n.gettext(self.locale, message, **values)

    def _tn(self, singular: str, plural: str, n: int, **values: object) -> str:
        return i18n.ngettext(self.locale, singular, plural, n, **values)

    @rx.event
    async def set_language(self, locale: str):
        """The switcher: re-renders in place (the page's loaders run again, so text the
        server formats follows) and is kept in the cookie and, when signed in, the profile."""
        if locale not in i18n.LOCALES:
            return None
        self.locale_cookie = locale
        if await self._signed_in():
            await self._as_user(_save_locale, locale)
        self._apply_locale(locale)
        return [
            rx.call_script(f"document.documentElement.lang = {locale!r}"),
            OnLoadInternalState.on_load_internal,
        ]

    async def _spend(self, rule: str) -> None:
        """Spend one use of a REST rate-limit budget (rooms.core.ratelimit) from this
        socket's client address: handlers that create things cost what their route does.
        Raises RateLimited."""
        settings = get_settings()
        forwarded = self.router.headers.raw_headers.get("x-forwarded-for")
        peer = self.router.session.client_ip or "unknown"
        client = ratelimit.client_key(settings, peer, forwarded)
        await asyncio.to_thread(ratelimit.spend, settings, rule, client)

    async def _as_user(self, work: Callable[..., T], *args: object) -> T:
        """Run `work(db, user, *args)` in a worker thread, in one unit of work.

        The user comes from the id read off the cookie, never from the client.
        """
        user_id = self._user_id

        def run() -> T:
            with session_scope() as db:
                user = db.get(User, user_id) if user_id else None
                if user is None:
                    raise Unauthorized("Please sign in again.")
                return work(db, user, *args)

        return await asyncio.to_thread(run)

    @rx.var
    def user_initial(self) -> str:
        return self.user_name[:1].upper()

    @rx.var
    def user_initials(self) -> str:
        return identity.initials_of(self.user_name)

    async def _signed_in(self) -> bool:
        """Whether a user is signed in, as this page load's first loader found (`load_viewer`
        or `require_login`: the one lookup per page load). A handler called on a socket that
        never loaded a page looks the viewer up itself."""
        if not self.auth_checked:
            await self._refresh_viewer()
        return self.signed_in

    @rx.event
    async def load_viewer(self):
        """The first on_load of the pages anyone may see: who is looking."""
        await self._refresh_viewer()

    def _to_login(self):
        """To sign-in, and afterwards back to this very address (its query included)."""
        url = self.router.url
        here = (url.path or HOME_ROUTE) + (f"?{url.query}" if url.query else "")
        return rx.redirect(login_url(here))

    @rx.event
    async def require_login(self):
        """The first on_load of every signed-in page: the viewer, or off to sign in. The
        page's later loaders ask `_signed_in()` (and do nothing for a signed-out viewer)."""
        await self._refresh_viewer()
        if not self.signed_in:
            return self._to_login()

    @rx.event
    async def go_home_or_login(self):
        """on_load of `/`: straight to the sessions, or to sign-in."""
        await self._refresh_viewer()
        return rx.redirect(HOME_ROUTE if self.signed_in else LOGIN_ROUTE)
