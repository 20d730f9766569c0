"""The transcript page's figures (a table, a speaking-time chart) and the summary after the
meeting: the same core calls and the same rule as the REST routes (members of the space:
rooms.core.access.can_read_analytics, inside rooms.core.analytics.session_stats and
rooms.core.summaries.summary)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from rooms import routes
from rooms.core import access, analytics, summaries, transcripts
from rooms.core.db import session_scope
from rooms.core.errors import NotFound
from rooms.core.models import User
from rooms.state.auth import AuthState


@dataclass
class PersonRow:
    """One participant in the table, every figure already formatted."""

    name: str = ""
    role: str = ""
    present: str = ""  # "12:34"
    speaking: str = ""
    words: str = ""


@dataclass
class ChartBar:
    """One bar of the speaking-time chart (recharts reads the field names as data keys)."""

    name: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class _Loaded:
    figures: dict[str, str]
    people: list[PersonRow]
    chart: list[ChartBar]
    summary: summaries.Summary


def _duration(seconds: float) -> str:
    return transcripts.clock(round(seconds))


def _load(user_id: str, slug: str) -> _Loaded | None:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        if user is None:
            return None
        reader = access.Reader(user=user)
        try:
            stats = analytics.session_stats(db, reader, slug)
            summary = summaries.summary(db, reader, slug)
        except NotFound:
            return None
    figures = {
        "duration": _duration(stats.duration_seconds),
        "words": str(stats.words),
        "transcribed": _duration(stats.transcription_seconds),
        "engine": stats.engine,
    }
    people = [
        PersonRow(
            name=p.name,
            role=p.role.value,
            present=_duration(p.present_seconds),
            speaking=_duration(p.speaking_seconds),
            words=str(p.words),
        )
        for p in stats.participants
    ]
    chart = [ChartBar(p.name, round(p.speaking_seconds, 1)) for p in stats.participants]
    return _Loaded(figures, people, chart, summary)


class SessionStatsState(AuthState):
    stats_found: bool = False
    figures: dict[str, str] = {}
    people: list[PersonRow] = []
    chart: list[ChartBar] = []
    summary_status: str = ""
    summary_text: str = ""
    summary_reason: str = ""

    @rx.event
    async def load_stats(self):
        """On the page's load, and again when the reader asks whether the summary is in."""
        slug = routes.slug_from_path(self.router.url.path)
        signed_in = await self._signed_in()
        loaded = await asyncio.to_thread(_load, self._user_id, slug) if signed_in else None
        self.stats_found = loaded is not None
        self.figures = loaded.figures if loaded else {}
        self.people = loaded.people if loaded else []
        self.chart = loaded.chart if loaded else []
        found = loaded.summary if loaded else None
        self.summary_status = found.status.value if found else ""
        self.summary_text = (found.text or "") if found else ""
        self.summary_reason = (found.reason or "") if found else ""
