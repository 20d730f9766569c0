"""Reflex configuration: everything comes from the one settings object in rooms.core."""

from urllib.parse import urlsplit

import reflex as rx

from rooms.api import granian_env
from rooms.core.config import get_settings
from rooms.core.db import normalize_url

_settings = get_settings()
# Before `reflex run` builds its Granian server: GRANIAN_BACKLOG and GRANIAN_BACKPRESSURE
# reach it as they would reach Granian's own command line (scripts/run sets them).
granian_env.apply()


def _origins(app_url: str) -> list[str]:
    """Who may open the event socket and call the API with the session cookie.

    Reflex's default is every origin ("*", with credentials); the app's own public
    URL (APP_URL) is enough. REFLEX_CORS_ALLOWED_ORIGINS still overrides this.
    """
    url = urlsplit(app_url)
    origins = [f"{url.scheme}://{url.netloc}"]
    if url.hostname in ("localhost", "127.0.0.1"):
        port = f":{url.port}" if url.port else ""
        origins += [f"{url.scheme}://{host}{port}" for host in ("localhost", "127.0.0.1")]
    return sorted(set(origins))


config = rx.Config(
    app_name="rooms",
    db_url=normalize_url(_settings.database_url),
    # Reflex only shares state through Redis when it is given the URL explicitly.
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=_origins(_settings.app_url),
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large"),
        ),
    ],
    # The app lives behind sign-in: a sitemap would only list the login page.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
