"""The app with no video server behind it, and Debian's Chromium driven by Playwright.

The database comes from the environment: the top-level conftest points DATABASE_URL at
a migrated SQLite file or PostgreSQL database before this fixture starts the app.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.support.api_server import free_port
from tests.support.app_server import running_app, start_log
from tests.support.pages import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="package")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID Connect provider (oidc-provider-mock) that the app signs in with."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0, require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


# Where each app_url server writes its output, by its URL (app_log below).
APP_LOGS: dict[str, Path] = {}


@pytest.fixture(scope="package")
def app_url(tmp_path_factory: pytest.TempPathFactory, oidc_issuer: str) -> Iterator[str]:
    """LIVEKIT_URL at its default, where nothing listens in the tests: the pages' "video
    unavailable" paths. tests/video/ runs an app with the real LiveKit server."""
    log_path = tmp_path_factory.mktemp("app") / "reflex.log"
    env = {
        # Avatars uploaded by the tests go to a temporary directory, not the checkout.
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "OIDC_ISSUER": oidc_issuer,
        "OIDC_CLIENT_ID": "rooms-browser",
        "OIDC_CLIENT_SECRET": "x",
        # Python's own DeprecationWarnings too, which it hides by default outside __main__.
        "PYTHONWARNINGS": "default",
    }
    with running_app(free_port(), log_path, env) as base:
        shutil.copy(log_path, start_log(log_path))  # the start-up alone, before any test
        APP_LOGS[base] = log_path
        yield base


@pytest.fixture(scope="package")
def app_log(app_url: str) -> Path:
    """The app_url server's output (its start-up log is checked too)."""
    return APP_LOGS[app_url]


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """One Playwright for the package: a second sync_playwright() while one runs fails."""
    # No skip when Chromium is missing: a green run must mean the browser tests ran.
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run scripts/setup"
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
