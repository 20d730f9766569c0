"""Gladia session rotation: a stream longer than Gladia's cap on a live session (3 hours,
here 12 s, enforced by the fake as Gladia does) moves to fresh sessions before the cap, and
every sentence of the speech ends up exactly once in the finals, on the other pages and in
the database. Without rotation the same cap loses the speech after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import EngineSession
from tests.support.api_server import api_server_with
from tests.support.fake_gladia import FakeGladia
from tests.support.gateway import Host, finals, gladia_env, stream_and_listen, wait_for_rows
from tests.support.speech import SENTENCES, speech_track

CAP = 12.0
# Opened 6 s before the cap, the next session overlaps the current one by at least the
# length of a sentence, so every hand-over here happens at the end of a sentence.
MARGIN = 6.0


@pytest.fixture(scope="module")
def capped_gladia(fake_gladia: FakeGladia) -> Iterator[FakeGladia]:
    fake_gladia.max_session_seconds = CAP
    yield fake_gladia
    fake_gladia.max_session_seconds = None


def _server(fake: FakeGladia, margin: float) -> Any:
    return api_server_with(
        gladia_env(
            fake,
            GLADIA_SESSION_MAX_SECONDS=str(CAP),
            GLADIA_ROTATION_MARGIN_SECONDS=str(margin),
        )
    )


@pytest.fixture(scope="module")
def rotating_url(capped_gladia: FakeGladia, database: str) -> Iterator[str]:
    with _server(capped_gladia, MARGIN) as url:
        yield url


@pytest.fixture(scope="module")
def unrotated_url(capped_gladia: FakeGladia, database: str) -> Iterator[str]:
    with _server(capped_gladia, 0) as url:
        yield url


@pytest.fixture(scope="module")
def track() -> tuple[bytes, list[tuple[float, float]]]:
    return speech_track(SENTENCES[:6])  # 28 s of audio: more than two sessions' worth


def heard(final: dict[str, Any], spans: list[tuple[float, float]]) -> list[int]:
    """The sentences a final's time range covers."""
    return [i for i, (s, e) in enumerate(spans) if final["start"] < e and final["end"] > s]


def remembered(session_id: str) -> list[str]:
    """The Gladia sessions the server keeps for the meeting's summary."""
    with session_scope() as db:
        rows = db.exec(select(EngineSession).where(EngineSession.session_id == session_id))
        return [r.external_id for r in rows]


def run(url: str, fake: FakeGladia, pcm: bytes) -> tuple[Host, list, int | None, list, int]:
    host = Host(url)
    before = len(fake.sessions)
    messages, code, hub_seen = stream_and_listen(host.session_id, host.start()["wsUrl"], pcm)
    return host, messages, code, hub_seen, len(fake.sessions) - before


def test_a_stream_longer_than_the_cap_keeps_every_sentence_once(
    rotating_url: str, capped_gladia: FakeGladia, track: tuple[bytes, list]
) -> None:
    pcm, spans = track
    capped = len(capped_gladia.capped)
    host, messages, code, hub_seen, sessions = run(rotating_url, capped_gladia, pcm)

    assert code == 1000
    got = finals(messages)
    # Each final is one sentence, and each sentence has exactly one final.
    assert [heard(m, spans) for m in got] == [[i] for i in range(len(spans))], [
        (m["start"], m["end"]) for m in got
    ]
    assert len({m["utteranceId"] for m in got}) == len(got)
    assert sessions >= 3, "the 28 s stream used at least three 12 s sessions (2+ rotations)"
    assert len(capped_gladia.capped) == capped, "no session reached the cap"
    # No partial is left standing for a final that was dropped as a duplicate.
    shown = {m["utteranceId"] for m in messages if m.get("type") == "transcript"}
    retracted = {m["utteranceId"] for m in messages if m.get("type") == "retract"}
    assert shown - retracted == {m["utteranceId"] for m in got}
    assert finals(hub_seen) == got
    rows = wait_for_rows(host.session_id, len(spans))
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)
    # Every session that carried the stream is summarised, not only the first: the one
    # opened last may have been dropped unused when the stream ended.
    used = list(capped_gladia.sessions)[-sessions:]
    kept = remembered(host.session_id)
    assert set(kept) <= set(used) and len(kept) >= 3, (kept, used)


def test_a_hand_over_in_silence_waits_for_no_final(
    rotating_url: str, capped_gladia: FakeGladia
) -> None:
    """Nobody speaks while the next session overlaps: the hand-over happens a quarter of the
    margin before the cap, in the silence, and the sentence after it is heard once."""
    pcm, spans = speech_track(SENTENCES[6:8], gap=13.0)
    capped = len(capped_gladia.capped)
    host, messages, code, _, sessions = run(rotating_url, capped_gladia, pcm)

    assert code == 1000
    got = finals(messages)
    assert [heard(m, spans) for m in got] == [[0], [1]], [(m["start"], m["end"]) for m in got]
    assert sessions >= 2 and len(capped_gladia.capped) == capped
    rows = wait_for_rows(host.session_id, len(spans))
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)


def test_without_rotation_the_cap_loses_the_speech_after_it(
    unrotated_url: str, capped_gladia: FakeGladia, track: tuple[bytes, list]
) -> None:
    """What the rotation is for: the fake's cap ends the session, and what is said later is
    never transcribed."""
    pcm, spans = track
    capped = len(capped_gladia.capped)
    _, messages, _, _, sessions = run(unrotated_url, capped_gladia, pcm)

    assert sessions == 1 and len(capped_gladia.capped) == capped + 1
    said = {i for m in finals(messages) for i in heard(m, spans)}
    assert said and said != set(range(len(spans)))
    assert max(said) < len(spans) - 1
