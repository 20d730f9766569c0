"""Test database and a real HTTP server for the API.

The suite runs against SQLite by default and against PostgreSQL when TEST_DATABASE_URL
is set; for PostgreSQL each run gets a fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.app_server import migrate_to_head
from tests.helpers import unique_email, with_search_path
from tests.livekit_server import LiveKitServer

ROOT = Path(__file__).resolve().parent.parent


def _pick_database() -> tuple[str, str | None]:
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        path = Path(tempfile.mkdtemp(prefix="rooms-test-")) / "test.db"
        return f"sqlite:///{path}", None
    schema = f"t_{secrets.token_hex(6)}"
    return with_search_path(pg, schema), schema


DATABASE_URL, PG_SCHEMA = _pick_database()
# Set before any rooms module reads its settings; subprocesses (the app server) inherit it.
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
# Every test client is 127.0.0.1: budgets no suite reaches; tests/integrations/
# test_rate_limits.py lowers them for itself.
for _limit in ("SESSIONS", "TOKEN", "PROFILE", "AUTH", "SPACES"):
    os.environ.setdefault(f"RATE_LIMIT_{_limit}_PER_MINUTE", "100000")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """uvicorn serving an ASGI app on a real socket, in a thread of this process."""

    def __init__(self, app: object, host: str = "127.0.0.1") -> None:
        import uvicorn

        self.host = host
        self.port = free_port()
        config = uvicorn.Config(app, host=host, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test API server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


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


@contextmanager
def api_server_with(env: dict[str, str]) -> Iterator[str]:
    """A second API server whose settings differ from the suite's by `env`."""
    from rooms.api.app import make_api
    from rooms.core.config import reset_settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    reset_settings()
    try:
        with ServerThread(make_api()) as server:
            yield server.url
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings()


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
