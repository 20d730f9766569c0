"""Steps of the transcription tests with the real LiveKit server: what a page's live
transcript shows, what the database saved, and who said it."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import Page, WebSocketRoute, expect
from sqlmodel import col, select

from rooms.core.db import session_scope
from rooms.core.models import Participant, Session, TranscriptSegment
from tests.support.pages import TIMEOUT_MS
from tests.support.speech import recall, silence, synth, words, write_wav


def speech_wav(path: Path, text: str | None, lead: float, tail: float = 3.0) -> Path:
    """A fake-microphone WAV: `lead` s of silence, then `text` spoken (or nothing)."""
    pcm = silence(lead) + (synth(text) if text else b"") + silence(tail)
    return write_wav(path, pcm)


def live_finals(page: Page) -> list[tuple[str, str]]:
    """(speaker, text) of every final caption in the page's transcript sidebar."""
    rows = page.locator('#transcript-sidebar [data-final="true"]')
    out = []
    for i in range(rows.count()):
        row = rows.nth(i)
        speaker = row.get_by_test_id("caption-speaker").inner_text().strip()
        out.append((speaker, row.get_by_test_id("caption-text").inner_text().strip()))
    return out


def wait_for_speech(
    page: Page, sentence: str, timeout_s: float, min_recall: float = 0.6
) -> list[tuple[str, str]]:
    """Wait until the page's finals hold `sentence`; returns the finals that carry it."""
    deadline = time.monotonic() + timeout_s
    while True:
        finals = live_finals(page)
        carrying = [(s, t) for s, t in finals if recall(sentence, t) >= 0.3]
        if recall(sentence, " ".join(t for _, t in carrying)) >= min_recall:
            return carrying
        if time.monotonic() > deadline:
            raise AssertionError(f"{sentence!r} never shown; finals: {finals}")
        page.wait_for_timeout(300)


def start_transcription(page: Page) -> None:
    start = page.get_by_role("button", name="Start transcription")
    expect(start).to_be_visible(timeout=TIMEOUT_MS)
    start.click()
    expect(page.get_by_role("button", name="Stop transcription")).to_be_visible(timeout=TIMEOUT_MS)


def wait_for_remote_audio(page: Page, identity: str) -> None:
    """The page's LiveKit room has subscribed to `identity`'s microphone."""
    page.wait_for_function(
        """(who) => {
            const room = window.RoomsLiveKitRoom;
            const p = room && room.remoteParticipants.get(who);
            return !!p && [...p.audioTrackPublications.values()].some(t => t.track);
        }""",
        arg=identity,
        timeout=TIMEOUT_MS,
    )


def session_id_of(slug: str) -> str:
    with session_scope() as db:
        return db.exec(select(Session).where(Session.slug == slug)).one().id


def participant_named(slug: str, name: str) -> Participant:
    with session_scope() as db:
        session = db.exec(select(Session).where(Session.slug == slug)).one()
        return db.exec(
            select(Participant).where(
                Participant.session_id == session.id, Participant.name == name
            )
        ).one()


def saved(slug: str) -> list[tuple[str | None, str]]:
    """(participant id, text) of the session's saved finals, in spoken order."""
    with session_scope() as db:
        session = db.exec(select(Session).where(Session.slug == slug)).one()
        rows = db.exec(
            select(TranscriptSegment)
            .where(TranscriptSegment.session_id == session.id)
            .order_by(col(TranscriptSegment.started_at))
        ).all()
        return [(r.participant_id, r.text) for r in rows]


def wait_saved(slug: str, sentence: str, timeout_s: float = 10) -> list[tuple[str | None, str]]:
    deadline = time.monotonic() + timeout_s
    while True:
        rows = saved(slug)
        if recall(sentence, " ".join(t for _, t in rows)) >= 0.6:
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"{sentence!r} not saved: {rows}")
        time.sleep(0.3)


def carrying(rows: list[tuple[str | None, str]], sentence: str) -> list[tuple[str | None, str]]:
    return [(p, t) for p, t in rows if recall(sentence, t) >= 0.3]


def said_once(rows: list[tuple[str | None, str]], sentence: str) -> None:
    """No word of `sentence` that it says once is saved twice (a voice heard twice, e.g.
    through the mix and again as an echo or a second stream, would be)."""
    once = {w for w, n in Counter(words(sentence)).items() if n == 1 and len(w) > 3}
    seen = Counter(w for _, t in rows for w in words(t))
    twice = {w: seen[w] for w in once if seen[w] > 1}
    assert not twice, (twice, rows)


def drop_leave_events(page: Page) -> dict[str, int]:
    """From now on the page cannot tell the app it left (its Reflex leave events are
    dropped on the way), so only LiveKit's own `participant_left` webhook can. Returns
    counts of the page's events forwarded and dropped (the route is known to be in place)."""
    seen = {"forwarded": 0, "dropped": 0}

    def route(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            text = message if isinstance(message, str) else ""
            if "room_disconnected" in text or "room_state.leave" in text:
                seen["dropped"] += 1
                return
            seen["forwarded"] += 1
            server.send(message)

        ws.on_message(from_page)

    page.route_web_socket(re.compile(r"/_event"), route)
    return seen
