"""The speaker timeline and the `speakers` message rules, without a server."""

from __future__ import annotations

import json

import pytest

from rooms.core.transcription.roster import Attribution, Roster
from rooms.core.transcription.speakers import (
    MAX_IDENTITIES,
    MAX_MESSAGE_CHARS,
    InvalidSpeakerMessage,
    MessageBudget,
    SpeakerTimeline,
    message_type,
    parse_speakers,
)
from rooms.core.transcripts import Speaker
from tests.support.gateway import run_async


def test_no_information_and_nobody() -> None:
    t = SpeakerTimeline()
    assert not t.received and t.who(0, 10) is None
    t.mark(0.0, [])
    assert t.received and t.who(0, 10) is None, "told, but nobody was speaking"


def test_most_overlap_wins() -> None:
    t = SpeakerTimeline(tolerance=0.0)
    t.mark(0.0, ["a"])
    t.mark(1.0, ["b"])
    t.mark(4.0, [])
    assert t.who(0.0, 1.0) == "a"
    assert t.who(0.5, 3.0) == "b"  # a: 0.5 s, b: 2 s
    assert t.who(0.0, 1.4) == "a"  # a: 1 s, b: 0.4 s
    assert t.who(4.5, 6.0) is None
    # Both at once (crosstalk): each overlapping second counts for everyone active.
    t.mark(5.0, ["a", "b"])
    t.mark(6.0, ["b"])
    assert t.who(5.0, 7.0) == "b"


def test_tolerance_covers_late_events() -> None:
    strict, lenient = SpeakerTimeline(tolerance=0.0), SpeakerTimeline(tolerance=0.3)
    for t in (strict, lenient):
        # LiveKit says "a" only once the utterance has ended (a lag of 0.2 s).
        t.mark(0.0, [])
        t.mark(2.2, ["a"])
    assert strict.who(1.0, 2.0) is None
    assert lenient.who(1.0, 2.0) == "a"


def test_ties_go_to_whoever_spoke_first() -> None:
    t = SpeakerTimeline(tolerance=0.0)
    t.mark(0.0, ["b"])
    t.mark(1.0, ["a"])
    t.mark(2.0, [])
    assert t.who(0.0, 2.0) == "b"


def test_flapping_and_the_clock() -> None:
    t = SpeakerTimeline(tolerance=0.0)
    t.mark(0.0, ["a"])
    t.mark(0.0, ["b"])  # same instant: the last word wins, no zero-length change
    t.mark(0.0, ["a"])
    assert len(t) == 1 and t.who(0, 1) == "a"
    t.mark(1.0, ["a"])  # no change: nothing recorded
    assert len(t) == 1
    for i in range(20):  # a flapping detector every 100 ms
        t.mark(1.0 + i * 0.1, ["b"] if i % 2 else ["a"])
    t.mark(0.5, ["c"])  # a stamp from the past is taken as "now"
    assert t.who(2.95, 3.0) == "c"
    assert t.who(1.0, 2.95) in ("a", "b")


def test_timeline_is_bounded() -> None:
    t = SpeakerTimeline(tolerance=0.0, max_changes=100)
    for i in range(10_000):
        t.mark(float(i), [f"p{i % 3}"])
    assert len(t) <= 100
    assert t.who(9_999.0, 10_000.0) == f"p{9_999 % 3}"
    assert t.who(0.0, 1.0) is None, "long-forgotten history"


def test_message_types_and_validation() -> None:
    assert message_type("stop")[0] == "stop"
    assert message_type('{"type": "stop"}')[0] == "stop"
    assert message_type("hello")[0] == "garbage"
    assert message_type("[1, 2]")[0] == "garbage"
    assert message_type('{"type": "dance"}')[0] == "garbage"
    kind, body = message_type(json.dumps({"type": "speakers", "active": ["a", "b", "a"]}))
    assert kind == "speakers" and parse_speakers(body) == ["a", "b"]
    assert parse_speakers({"type": "speakers", "active": []}) == []
    bad = [
        {"type": "speakers"},
        {"type": "speakers", "active": "a"},
        {"type": "speakers", "active": [1]},
        {"type": "speakers", "active": [""]},
        {"type": "speakers", "active": ["x" * 129]},
        {"type": "speakers", "active": [f"p{i}" for i in range(MAX_IDENTITIES + 1)]},
    ]
    for body in bad:
        with pytest.raises(InvalidSpeakerMessage):
            parse_speakers(body)
    huge = json.dumps({"type": "speakers", "active": ["x" * (MAX_MESSAGE_CHARS + 1)]})
    kind, body = message_type(huge)
    assert kind == "speakers"
    with pytest.raises(InvalidSpeakerMessage, match="at most"):
        parse_speakers(body)


def test_message_budget() -> None:
    now = [0.0]
    budget = MessageBudget(rate=10, burst=20, clock=lambda: now[0])
    assert sum(budget.take() for _ in range(100)) == 20
    now[0] += 1.0
    assert sum(budget.take() for _ in range(100)) == 10


def _speaker(pid: str, name: str) -> Speaker:
    return Speaker(participant_id=pid, name=name, avatar_url=None, color="#fff")


def test_attribution_filters_unknown_identities_and_caches() -> None:
    lookups: list[list[str]] = []
    people = {"user-a": _speaker("pa", "Ada"), "guest-b": _speaker("pb", "Bob")}

    def lookup(identities: list[str]) -> dict[str, Speaker]:
        lookups.append(identities)
        return {i: people[i] for i in identities if i in people}

    owner = _speaker("ph", "Host")

    async def run() -> None:
        a = Attribution(Roster("s1", lookup=lookup), owner, exact=False)
        assert a.speaker(0, 1) == owner, "no speaker messages: today's behaviour"
        await a.report(0.0, ["user-a", "intruder"])
        await a.report(1.0, ["intruder"])  # someone of no session: the same as nobody
        await a.report(2.0, ["guest-b", "user-a"])
        await a.report(2.5, ["guest-b"])
        await a.report(4.0, [])
        assert a.speaker(0.0, 1.0).name == "Ada"
        assert a.speaker(1.3, 1.7) is None
        assert a.speaker(2.0, 4.0).name == "Bob"
        assert lookups == [["user-a", "intruder"], ["guest-b"]], "each identity looked up once"

        exact = Attribution(Roster("s1", lookup=lookup), owner, exact=True)
        await exact.report(0.0, ["user-a"])
        assert exact.speaker(0, 1) == owner, "per-speaker streams are their owner's"

    run_async(run())


def test_a_failed_lookup_is_retried_not_fatal() -> None:
    calls = []

    def flaky(identities: list[str]) -> dict[str, Speaker]:
        calls.append(identities)
        if len(calls) == 1:
            raise OSError("database went away")
        return {"user-a": _speaker("pa", "Ada")}

    async def run() -> None:
        roster = Roster("s1", lookup=flaky)
        assert await roster.known(["user-a"]) == []
        assert await roster.known(["user-a"]) == ["user-a"], "not remembered as unknown"

    run_async(run())
