# Shared environment for scripts/setup, scripts/run and the test scripts. Source it.
# Bun comes from the npm package in package.json: Reflex must not download its own.

ROOMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOMS_ROOT
export REFLEX_BUN_PATH="$ROOMS_ROOT/node_modules/.bin/bun"
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
export PATH="$ROOMS_ROOT/.venv/bin:$ROOMS_ROOT/node_modules/.bin:$PATH"
