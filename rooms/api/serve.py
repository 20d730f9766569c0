"""Serve a built app the way `reflex run --env prod` does, with a supervisor that stays small.

`reflex run --env prod` compiles the app in the process that then supervises Granian, and
forks the workers from it: that process keeps the whole app imported for as long as it runs
(~165 MB that serve nothing). `scripts/serve` builds the pages first with `reflex export
--frontend-only` (Reflex's own build, the one `run --env prod` does), then starts this:
Reflex's production backend (`reflex.utils.exec.run_backend_prod`, the function its CLI
calls), serving the built pages on the same port, with spawned workers
(`REFLEX_BACKEND_START_METHOD=spawn`, a Reflex setting) that import the app themselves. The
supervisor imports the configuration only. Figures: docs/benchmarks.md, "Idle memory".

    python -m rooms.api.serve --host 0.0.0.0 --port 3000
"""

from __future__ import annotations

import argparse
import os

from reflex.utils import exec as reflex_exec
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built Rooms app (one port).")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args()
    os.environ.setdefault(environment.REFLEX_BACKEND_START_METHOD.name, "spawn")
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    # The pages were compiled and built by `reflex export` just before: the workers only
    # load the app, as `reflex run --env prod`'s do.
    environment.REFLEX_SKIP_COMPILE.set(True)
    reflex_exec.run_backend_prod(
        args.host,
        args.port,
        get_config().loglevel.subprocess_level(),
        mount_frontend_compiled_app=True,
    )


if __name__ == "__main__":
    main()
