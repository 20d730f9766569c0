"""Test database and a real HTTP server for the API.

The suite runs against SQLite by default and against PostgreSQL when TEST_DATABASE_URL
is set; for PostgreSQL each run gets a fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from tests.support.api_server import ServerThread, free_port
from tests.support.app_server import migrate_to_head
from tests.support.database import DATABASE_URL, PG_SCHEMA
from tests.support.helpers import unique_email
from tests.support.livekit_server import LiveKitServer


def _admin_engine() -> sa.Engine:
    from rooms.core.db import make_engine

    return make_engine(os.environ["TEST_DATABASE_URL"])


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[str]:
    from rooms.core.config import reset_settings
    from rooms.core.db import reset_engine

    if PG_SCHEMA:
        with _admin_engine().begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    reset_settings()
    reset_engine()
    migrate_to_head(DATABASE_URL)
    yield DATABASE_URL
    from rooms.core.db import get_engine

    get_engine().dispose()
    if PG_SCHEMA:
        with _admin_engine().begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{PG_SCHEMA}" CASCADE'))


@pytest.fixture(scope="session")
def api_url(database: str) -> Iterator[str]:
    from rooms.api.app import make_api

    with ServerThread(make_api()) as server:
        yield server.url


@pytest.fixture(scope="session")
def video_app_port() -> int:
    """The port the browser tests' app with real video (tests/video/) will listen on, known
    before LiveKit starts so that its webhooks reach that app too."""
    return free_port()


@pytest.fixture(scope="session")
def livekit(api_url: str, video_app_port: int) -> Iterator[LiveKitServer]:
    """The real LiveKit server, once per run. Its webhooks go to the suite's API server and
    to the video app; both share the database and apply an event idempotently."""
    hook = "/api/livekit/webhook"
    server = LiveKitServer([f"{api_url}{hook}", f"http://127.0.0.1:{video_app_port}{hook}"])
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_client(api_url: str) -> Iterator:
    """Make HTTP clients, each with its own cookie jar (one per simulated browser)."""
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        client = httpx.Client(base_url=api_url, timeout=30)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def signed_in(new_client):
    """Sign up a fresh user and return (client, user json)."""

    def make(name: str = "Ada Lovelace", email: str | None = None) -> tuple[httpx.Client, dict]:
        client = new_client()
        body = {"email": email or unique_email(), "password": "correct horse battery", "name": name}
        res = client.post("/api/auth/signup", json=body)
        assert res.status_code == 201, res.text
        return client, res.json()["user"]

    return make


@pytest.fixture
def settings_env() -> Iterator:
    """Set environment variables for one test; the live API server sees them at once
    because it reads the cached settings object per request."""
    from rooms.core.config import reset_settings

    patch = pytest.MonkeyPatch()

    def apply(**values: str | None) -> None:
        for name, value in values.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        reset_settings()

    yield apply
    patch.undo()
    reset_settings()
