"""The Reflex app: its pages, and the REST API mounted in front of Reflex."""

from pathlib import Path

import reflex as rx
from reflex.app import default_backend_exception_handler

from rooms import routes
from rooms.api.app import make_api
from rooms.api.realtime import gateway_lifespan
from rooms.components.error_boundary import error_boundary
from rooms.components.i18n import t
from rooms.core.monitoring import capture
from rooms.core.transcription.protocol import render_js
from rooms.pages.index import index
from rooms.pages.invite import invite_page
from rooms.pages.login import login
from rooms.pages.not_found import not_found_page
from rooms.pages.search import search
from rooms.pages.session import call_redirect, session_page
from rooms.pages.sessions import sessions_page
from rooms.pages.tasks import tasks_page
from rooms.pages.transcript import transcript
from rooms.pages.welcome import welcome
from rooms.state.auth import AuthState
from rooms.state.invite import InviteState
from rooms.state.legacy_call import LegacyCallState
from rooms.state.login import LoginState
from rooms.state.onboarding import OnboardingState
from rooms.state.profile import ProfileState
from rooms.state.room import RoomState
from rooms.state.search import SearchState
from rooms.state.session_stats import SessionStatsState
from rooms.state.sessions import SessionsState
from rooms.state.spaces import SpacesState, follow_space_changes
from rooms.state.task_dialog import follow_task_changes
from rooms.state.tasks import TasksState
from rooms.state.transcript import TranscriptState
from rooms.state.transcript_page import TranscriptPageState


def report_backend_exception(exception: Exception) -> rx.event.EventSpec:
    """Errors in event handlers go to Sentry (when configured), then Reflex's own toast."""
    capture(exception)
    return default_backend_exception_handler(exception)


# The browser's transcription constants come from the one table, written before Reflex copies
# assets/ into the build (unchanged content is not rewritten: a read-only checkout still runs).
_PROTOCOL_JS = Path(__file__).resolve().parent.parent / "assets" / "audio" / "protocol.js"
if not _PROTOCOL_JS.exists() or _PROTOCOL_JS.read_text() != render_js():
    _PROTOCOL_JS.write_text(render_js())

app = rx.App(
    backend_exception_handler=report_backend_exception,
    # A new FastAPI app per rx.App: its routes match before Reflex's own.
    api_transformer=make_api(),
    stylesheets=["/rooms.css"],
)
# Drains live transcription on shutdown: the hook make_api() gives FastAPI under plain uvicorn.
app.register_lifespan_task(gateway_lifespan)
# A calm message with a reload instead of Reflex's developer error page.
app.app_wraps[(55, "ErrorBoundary")] = lambda stateful: error_boundary()

# Every signed-in page loads this first: the one viewer lookup and sign-in guard, then what
# the app shell around the page shows (its space switcher; the profile dialog closed).
SIGNED_IN = [AuthState.require_login, SpacesState.load_spaces, ProfileState.close_profile]

# Titles are Vars of the viewer's catalog: React renders <title> with the page, so it
# follows a switch of language like the rest of the text.
app.add_page(index, route=routes.INDEX, title=t("Rooms"), on_load=AuthState.go_home_or_login)
app.add_page(login, route=routes.LOGIN, title=t("Sign in · Rooms"), on_load=LoginState.load)
app.add_page(
    sessions_page,
    route=routes.SESSIONS,
    title=t("Sessions · Rooms"),
    on_load=[*SIGNED_IN, SessionsState.reload],
)
follow_space_changes(routes.SESSIONS, SessionsState.reload)
app.add_page(
    welcome,
    route=routes.WELCOME,
    title=t("Welcome · Rooms"),
    on_load=[AuthState.require_login, OnboardingState.load],
)
app.add_page(
    tasks_page,
    route=routes.TASKS,
    title=t("Tasks · Rooms"),
    on_load=[*SIGNED_IN, TasksState.load_board],
)
follow_space_changes(routes.TASKS, TasksState.refresh)
follow_task_changes(routes.TASKS, TasksState.refresh)
app.add_page(
    not_found_page,
    route=routes.NOT_FOUND,
    title=t("Not found · Rooms"),
    on_load=AuthState.load_viewer,  # the viewer's language: profile, cookie or browser
)
app.add_page(
    session_page,
    route=routes.SESSION_ROOM,
    title=t("Session · Rooms"),
    on_load=[AuthState.load_viewer, RoomState.load, TranscriptState.load_transcript],
)
app.add_page(
    call_redirect, route=routes.LEGACY_CALL, title=t("Rooms"), on_load=LegacyCallState.forward
)
app.add_page(
    transcript,
    route=routes.SESSION_TRANSCRIPT,
    title=t("Transcript · Rooms"),
    on_load=[*SIGNED_IN, TranscriptPageState.load_page, SessionStatsState.load_stats],
)
# A deleted space takes its sessions with it: this one may no longer be the reader's to read.
follow_space_changes(routes.SESSION_TRANSCRIPT, TranscriptPageState.refresh)
follow_task_changes(routes.SESSION_TRANSCRIPT, TranscriptPageState.refresh_tasks)
app.add_page(
    search,
    route=routes.SEARCH,
    title=t("Search · Rooms"),
    on_load=[*SIGNED_IN, SearchState.load_page],
)
follow_space_changes(routes.SEARCH, SearchState.refresh)
app.add_page(
    invite_page, route=routes.INVITE, title=t("Invitation · Rooms"), on_load=InviteState.load
)
