"""The Reflex app: its pages, and the REST API mounted in front of Reflex."""

import reflex as rx
from reflex.app import default_backend_exception_handler

from rooms.api.app import make_api
from rooms.api.realtime import gateway_lifespan
from rooms.core.monitoring import capture
from rooms.pages.index import index
from rooms.pages.login import login
from rooms.state.auth import AuthState


def report_backend_exception(exception: Exception) -> rx.event.EventSpec:
    """Errors in event handlers go to Sentry (when configured), then Reflex's own toast."""
    capture(exception)
    return default_backend_exception_handler(exception)


app = rx.App(
    backend_exception_handler=report_backend_exception,
    # A new FastAPI app per rx.App: its routes match before Reflex's own.
    api_transformer=make_api(),
)
# Drains live transcription on shutdown: the hook make_api() gives FastAPI under plain uvicorn.
app.register_lifespan_task(gateway_lifespan)
app.add_page(index, route="/", title="Rooms", on_load=AuthState.load_viewer)
app.add_page(login, route="/login", title="Sign in · Rooms", on_load=AuthState.load_viewer)
