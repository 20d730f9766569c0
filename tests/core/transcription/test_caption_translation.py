"""Live caption translation with Gladia's real-time translation, through the real route,
handshake, gateway and Gladia SDK against the fake: the languages the session's viewers read
captions in go to Gladia at the start of a stream; each final's `translation` messages reach
the other pages (the hub) after that final and are saved with it; a viewer who picks a new
language mid-stream gets it from a fresh Gladia session that takes over without losing a
final (the local engine's refusal: tests/core/transcription/local/test_translation.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from sqlmodel import select

from rooms.core import caption_languages
from rooms.core.db import session_scope
from rooms.core.models import TranscriptTranslation
from rooms.core.transcription.hub import get_hub
from tests.support.api_server import api_server_with
from tests.support.fake_gladia import FakeGladia, speech_pcm, translated
from tests.support.gateway import (
    Host,
    finals,
    gladia_env,
    pump,
    run_async,
    stream_and_listen,
    wait_for_rows,
)


@pytest.fixture(scope="module")
def checking_url(fake_gladia: FakeGladia, database: str) -> Iterator[str]:
    """A server whose streams re-read their viewers' languages twice a second."""
    with api_server_with(gladia_env(fake_gladia, TRANSCRIPTION_CHECK_SECONDS="0.5")) as url:
        yield url


def _watch(session_id: str, viewer: str, language: str) -> None:
    with session_scope() as db:
        caption_languages.watch(db, session_id, viewer, language)


def _saved(session_id: str) -> dict[tuple[str, str], str]:
    with session_scope() as db:
        rows = db.exec(
            select(TranscriptTranslation).where(TranscriptTranslation.session_id == session_id)
        ).all()
        return {(r.utterance_id, r.language): r.text for r in rows}


def _translations(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("type") == "translation"]


def _wait_saved(session_id: str, n: int) -> dict[tuple[str, str], str]:
    import time

    deadline = time.monotonic() + 10
    saved = _saved(session_id)
    while len(saved) < n and time.monotonic() < deadline:
        time.sleep(0.1)
        saved = _saved(session_id)
    return saved


def test_viewers_languages_are_translated_live_and_saved(host: Host, fake_gladia) -> None:
    # Two pages read German, one French, one the original; the spoken language (English,
    # from the space's setting) is never asked for.
    host.http.patch(
        f"/api/spaces/{host.user['activeSpaceId']}/transcription", json={"language": "en"}
    )
    for viewer, language in (("a", "de"), ("b", "de"), ("c", "fr"), ("d", ""), ("e", "en")):
        _watch(host.session_id, viewer, language)
    started = host.start()
    messages, code, seen = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(2))
    assert code == 1000
    processing = fake_gladia.init_bodies[-1]["realtime_processing"]
    assert processing == {
        "translation": True,
        "translation_config": {
            "target_languages": ["de", "fr"],
            "model": "base",
            "match_original_utterances": True,
        },
    }
    said = finals(seen)
    assert len(said) == 2
    got = _translations(seen)
    assert sorted((m["utteranceId"], m["language"], m["text"]) for m in got) == sorted(
        (f["utteranceId"], lang, translated(f["text"], lang)) for f in said for lang in ("de", "fr")
    )
    # Each translation comes after its final, on the pages' topic only (not to the host).
    for m in got:
        final_at = next(
            i for i, x in enumerate(seen) if x in said and x["utteranceId"] == m["utteranceId"]
        )
        assert seen.index(m) > final_at
    assert not _translations(messages)
    wait_for_rows(host.session_id, 2)
    assert _wait_saved(host.session_id, 4) == {
        (m["utteranceId"], m["language"]): m["text"] for m in got
    }


def test_nobody_reading_another_language_asks_for_no_translation(host: Host, fake_gladia) -> None:
    _watch(host.session_id, "x", "")
    _messages, code, seen = stream_and_listen(host.session_id, host.start()["wsUrl"], speech_pcm(1))
    assert code == 1000 and finals(seen)
    assert "realtime_processing" not in fake_gladia.init_bodies[-1]
    assert not _translations(seen) and not _saved(host.session_id)


def test_a_language_picked_mid_stream_comes_from_a_fresh_session(
    checking_url: str, fake_gladia: FakeGladia
) -> None:
    host = Host(checking_url)
    url = host.start()["wsUrl"]
    sessions_before = len(fake_gladia.sessions)
    pcm = speech_pcm(10)

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        sub = get_hub().subscribe(host.session_id)
        try:
            async with websockets.connect(url, compression=None) as ws:
                streaming = asyncio.create_task(pump(ws, pcm))
                await asyncio.sleep(2.0)  # a few finals in, a viewer picks German
                await asyncio.to_thread(_watch, host.session_id, "late", "de")
                messages, _ = await streaming
            await asyncio.sleep(0.3)
            seen = []
            while not sub.queue.empty():
                seen.append(sub.queue.get_nowait())
            return messages, seen
        finally:
            sub.close()

    _messages, seen = run_async(run())
    bodies = fake_gladia.init_bodies[-(len(fake_gladia.sessions) - sessions_before) :]
    assert "realtime_processing" not in bodies[0]
    assert bodies[-1]["realtime_processing"]["translation_config"]["target_languages"] == ["de"]
    said = finals(seen)
    # No final lost or said twice over the hand-over: ten utterances, in order, apart.
    assert len(said) == 10, [(f["start"], f["end"], f["text"]) for f in said]
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(said))
    got = _translations(seen)
    assert got, "no translation after the hand-over"
    ids = {f["utteranceId"]: f for f in said}
    for m in got:  # each translates a final that was kept, the later ones
        assert m["utteranceId"] in ids and m["language"] == "de"
        assert m["text"] == translated(ids[m["utteranceId"]]["text"], "de")
    assert said[-1]["utteranceId"] in {m["utteranceId"] for m in got}
    assert said[0]["utteranceId"] not in {m["utteranceId"] for m in got}
