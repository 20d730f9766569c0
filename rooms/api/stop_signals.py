"""Drain live transcription when the server is told to stop, before the server itself acts.

Both servers that run the app cut open WebSockets the moment they get SIGTERM/SIGINT, before
the ASGI lifespan shutdown runs:
- Granian (`reflex run --env prod`) cancels every request task in the worker: the app sees a
  disconnect (1005), whatever it sends afterwards is dropped, and the client is left with
  1006 when the worker exits;
- uvicorn closes every WebSocket with 1012 straight away.
A drain in the lifespan shutdown can still write the last finals, but can no longer send
them, nor a 1001. So the stop signal goes to the gateway first: it ends every stream (the
engine's last finals sent and written, then 1001), and only then is the server's own
handler run. Repeated signals during the drain are ignored: it is bounded, and Granian's
supervisor sends its own SIGTERM right after a SIGINT or a process-group signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from rooms.core.transcription.gateway import STOP_TIMEOUT, drain_gateway

log = logging.getLogger("rooms.realtime")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
DRAIN_TIMEOUT = STOP_TIMEOUT + 8.0  # engines' last finals, then the database

_draining: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_granian_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_tasks: set[asyncio.Task[None]] = set()


async def _drain_then(proceed: Callable[[], Any]) -> None:
    try:
        async with asyncio.timeout(DRAIN_TIMEOUT):
            await drain_gateway()
    except Exception:  # the server must stop whatever the drain did
        log.exception("transcription drain did not finish")
    finally:
        proceed()


def _on_stop_signal(loop: asyncio.AbstractEventLoop, proceed: Callable[[], Any]) -> None:
    """On the loop: start the drain once, then hand over to the server's handler."""
    if loop in _draining:
        return
    _draining.add(loop)
    log.info("stop signal: draining live transcription before the server stops")
    task = loop.create_task(_drain_then(proceed), name="transcription-drain")
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def hook_granian() -> None:
    """Put the drain in front of Granian's worker signal handler.

    Granian has no hook between the signal and its cancelling of requests, so its
    `set_loop_signals` (called in each worker after the app is loaded, before the lifespan
    starts) is wrapped: the worker's loop handler becomes ours, and Granian's stop event is
    set once the drain is over. Without Granian, or if its internals change, nothing is
    patched and the lifespan shutdown still writes every final (tests/core/transcription/
    test_shutdown.py runs the real Granian and would see the missing 1001).
    """
    try:
        from granian import _signals
    except ImportError:
        return
    original = getattr(_signals, "set_loop_signals", None)
    if original is None or getattr(original, "rooms_drain", False):
        return

    @functools.wraps(original)
    def set_loop_signals(loop: asyncio.AbstractEventLoop) -> Any:
        event = original(loop)
        stop = getattr(event, "set", None)
        if stop is None:
            return event
        try:
            for sig in STOP_SIGNALS:
                loop.add_signal_handler(sig, _on_stop_signal, loop, stop)
        except (NotImplementedError, RuntimeError, ValueError) as exc:
            log.warning("cannot drain transcription before Granian stops: %s", exc)
            return event
        _granian_loops.add(loop)
        return event

    set_loop_signals.rooms_drain = True  # type: ignore[attr-defined]
    _signals.set_loop_signals = set_loop_signals


@contextlib.contextmanager
def drain_before_server_stops(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """For servers whose handlers are plain `signal.signal` ones (uvicorn): while the app
    runs, our handler runs first and calls theirs after the drain. Only on the main thread,
    only over a server's own handler (not Python's defaults), and restored afterwards."""
    if loop in _granian_loops or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[signal.Signals, tuple[Any, Any]] = {}
    for sig in STOP_SIGNALS:
        theirs = signal.getsignal(sig)
        if not callable(theirs) or theirs is signal.default_int_handler:
            continue

        def ours(signum: int, frame: FrameType | None, theirs: Callable[..., Any] = theirs) -> None:
            loop.call_soon_threadsafe(_on_stop_signal, loop, lambda: theirs(signum, None))

        previous[sig] = (theirs, ours)
        signal.signal(sig, ours)
    try:
        yield
    finally:
        for sig, (theirs, ours) in previous.items():
            if signal.getsignal(sig) is ours:
                signal.signal(sig, theirs)
