"""Run the transcription gateway on its own: `python -m rooms.gateway`.

Granian, as the app's production backend, on GATEWAY_HOST:GATEWAY_PORT (0.0.0.0:8100),
with GRANIAN_WORKERS workers (1; several need REDIS_URL, as the app's do), GRANIAN_BACKLOG
and GRANIAN_BACKPRESSURE as for the app (rooms/api/granian_env.py). SIGTERM drains every
stream (its last finals sent and written, then 1001) before Granian stops.
"""

from __future__ import annotations

import os

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server import Server

from rooms.api import granian_env
from rooms.core.config import get_settings

APP = "rooms.api.gateway_app:make_gateway_api"


def main() -> None:
    settings = get_settings()
    granian_env.apply()
    Server(
        APP,
        address=settings.gateway_host,
        port=settings.gateway_port,
        interface=Interfaces.ASGI,
        workers=int(os.environ.get("GRANIAN_WORKERS") or 1),
        factory=True,
        log_level=LogLevels(os.environ.get("GRANIAN_LOG_LEVEL") or "info"),
    ).serve()


if __name__ == "__main__":
    main()
