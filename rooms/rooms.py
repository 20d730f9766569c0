"""The Reflex app: its pages, and the REST API mounted in front of Reflex."""

import reflex as rx

from rooms.api.app import make_api
from rooms.api.realtime import gateway_lifespan
from rooms.components.error_boundary import error_boundary
from rooms.pages.index import index
from rooms.pages.login import LoginState, login
from rooms.pages.not_found import not_found_page
from rooms.pages.session import LegacyCallState, call_redirect, session_page
from rooms.pages.sessions import sessions_page
from rooms.pages.tasks import tasks_page
from rooms.state.auth import AuthState
from rooms.state.room import RoomState
from rooms.state.spaces import SpacesState

app = rx.App(
    # A new FastAPI app per rx.App: its routes match before Reflex's own.
    api_transformer=make_api(),
    stylesheets=["/rooms.css"],
)
# Drains live transcription on shutdown: the hook make_api() gives FastAPI under plain uvicorn.
app.register_lifespan_task(gateway_lifespan)
# A calm message with a reload instead of Reflex's developer error page.
app.app_wraps[(55, "ErrorBoundary")] = lambda stateful: error_boundary()

app.add_page(index, route="/", title="Rooms", on_load=AuthState.go_home_or_login)
app.add_page(login, route="/login", title="Sign in · Rooms", on_load=LoginState.load)
app.add_page(
    sessions_page, route="/sessions", title="Sessions · Rooms", on_load=SpacesState.load_spaces
)
app.add_page(tasks_page, route="/tasks", title="Tasks · Rooms", on_load=SpacesState.load_spaces)
app.add_page(not_found_page, route="404", title="Not found · Rooms")
app.add_page(session_page, route="/session/[slug]", title="Session · Rooms", on_load=RoomState.load)
app.add_page(call_redirect, route="/call/[slug]", title="Rooms", on_load=LegacyCallState.forward)
