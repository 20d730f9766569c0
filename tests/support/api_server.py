"""The API served on a real socket in a thread of the test process."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


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
