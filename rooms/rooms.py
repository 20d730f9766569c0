"""The Reflex app: its pages, and the REST API mounted in front of Reflex."""

import reflex as rx

from rooms.api.app import make_api
from rooms.api.realtime import gateway_lifespan
from rooms.pages.index import index
from rooms.pages.login import login
from rooms.pages.search import search
from rooms.pages.transcript import transcript
from rooms.state.auth import AuthState
from rooms.state.search import SearchState
from rooms.state.transcript_page import TranscriptPageState

app = rx.App(
    # A new FastAPI app per rx.App: its routes match before Reflex's own.
    api_transformer=make_api(),
)
# Drains live transcription on shutdown: the hook make_api() gives FastAPI under plain uvicorn.
app.register_lifespan_task(gateway_lifespan)
app.add_page(index, route="/", title="Rooms", on_load=AuthState.load_viewer)
app.add_page(login, route="/login", title="Sign in · Rooms", on_load=AuthState.load_viewer)
app.add_page(
    transcript,
    route="/session/[slug]/transcript",
    title="Transcript · Rooms",
    on_load=TranscriptPageState.load_page,
)
app.add_page(search, route="/search", title="Search · Rooms", on_load=SearchState.load_page)
