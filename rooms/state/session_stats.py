"""The transcript page's figures (a table, a speaking-time chart) and the summary after the
meeting: the same core calls and the same rule as the REST routes (members of the space:
rooms.core.access.can_read_analytics, inside rooms.core.analytics.session_stats and
rooms.core.summaries.summary)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import cache

import reflex as rx

from rooms import routes
from rooms.core import access, analytics, i18n, summaries, transcripts
from rooms.core.db import session_scope
from rooms.core.errors import NotFound
from rooms.core.i18n import N_
from rooms.core.models import ParticipantRole, User
from rooms.state.auth import AuthState
from rooms.state.task_cards import speaker_label

ROLE_LABELS = {ParticipantRole.HOST.value: N_("Host"), ParticipantRole.GUEST.value: N_("Guest")}
# Engines by the name the figures show; one missing here shows as its id.
ENGINE_NAMES = {"local": N_("local"), "gladia": "Gladia"}
# rooms.core.summaries stores why there is no summary as English text in the row. These are
# its sentences as templates, so the reader gets them in their language; one that matches
# none (a new sentence in core) stays English.
SUMMARY_REASONS = (
    N_(
        "No summary: this session is transcribed by the {engine} engine, and this server "
        "has no summarization model. Summaries come from Gladia, when the server uses it "
        "for transcription."
    ),
    N_("No summary: this server does not ask Gladia for summaries (GLADIA_SUMMARIZATION is off)."),
    N_("No summary: Gladia was not asked to summarise this session."),
    N_("No summary: nothing was transcribed in this session."),
    N_("No summary: Gladia refused the API key."),
    N_("No summary: Gladia no longer has this live session."),
    N_("No summary: Gladia answered {status}."),
    N_("No summary: Gladia could not process the session ({code})."),
    N_("No summary: Gladia returned none for this session."),
    N_("No summary: Gladia's summarization failed ({detail})."),
    N_("No summary: too little was said to summarise."),
    N_("No summary: {problem}, and still did after {wait} s of retrying."),
    N_("No summary: Gladia had not finished it {wait} s after the meeting."),
)
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _reason_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for template in SUMMARY_REASONS:
        parts = _FIELD.split(template)  # text, name, text, name, ..., text
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        patterns.append((template, re.compile(regex, re.DOTALL)))
    return patterns


def summary_reason_text(reason: str, locale: str) -> str:
    """The stored English reason in the reader's language (the engine by its name there)."""
    for template, pattern in _reason_patterns():
        found = pattern.fullmatch(reason)
        if found:
            values = found.groupdict()
            if "engine" in values and values["engine"] in ENGINE_NAMES:
                values["engine"] = i18n.gettext(locale, ENGINE_NAMES[values["engine"]])
            return i18n.gettext(locale, template, **values)
    return reason


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


def _load(user_id: str, slug: str, locale: str = i18n.DEFAULT_LOCALE) -> _Loaded | None:
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
        "engine": i18n.gettext(locale, ENGINE_NAMES.get(stats.engine, stats.engine)),
    }
    people = [
        PersonRow(
            name=speaker_label(p.name, locale),
            role=i18n.gettext(locale, ROLE_LABELS.get(p.role.value, p.role.value)),
            present=_duration(p.present_seconds),
            speaking=_duration(p.speaking_seconds),
            words=str(p.words),
        )
        for p in stats.participants
    ]
    chart = [
        ChartBar(speaker_label(p.name, locale), round(p.speaking_seconds, 1))
        for p in stats.participants
    ]
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
        loaded = (
            await asyncio.to_thread(_load, self._user_id, slug, self.locale) if signed_in else None
        )
        self.stats_found = loaded is not None
        self.figures = loaded.figures if loaded else {}
        self.people = loaded.people if loaded else []
        self.chart = loaded.chart if loaded else []
        found = loaded.summary if loaded else None
        self.summary_status = found.status.value if found else ""
        self.summary_text = (found.text or "") if found else ""
        self.summary_reason = summary_reason_text(found.reason or "", self.locale) if found else ""
