"""Who was speaking when: the host's `speakers` messages, stamped on the audio clock.

The host's client reports the active LiveKit identities whenever they change. Each report is
stamped with the stream's audio position when it arrives (seconds of audio received so far),
which is the clock the engine's utterance start/end use, so no clock sync is needed. An
utterance goes to the identity whose active time overlaps it the most.
"""

from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# LiveKit computes active speakers from audio levels and reports them a few hundred ms late;
# widening the utterance by this much lets a late "started" still count.
TOLERANCE_SECONDS = 0.3
MAX_CHANGES = 2_000  # per stream; older changes only matter to utterances long finished
MAX_IDENTITIES = 50
MAX_IDENTITY_CHARS = 128
MAX_MESSAGE_CHARS = 16 * 1024  # 50 identities of 128 characters, even fully escaped
# A real client sends a change at most every few hundred ms; more than this is a flood.
RATE_PER_SECOND = 10.0
BURST = 20.0


class SpeakerTimeline:
    """The active identities of one stream over audio time, as a bounded list of changes."""

    def __init__(self, tolerance: float = TOLERANCE_SECONDS, max_changes: int = MAX_CHANGES):
        self.tolerance = tolerance
        self.max_changes = max(2, max_changes)
        self._times: list[float] = []
        self._active: list[frozenset[str]] = []

    @property
    def received(self) -> bool:
        """Whether the client ever said who speaks (else the stream's owner is assumed)."""
        return bool(self._times)

    def __len__(self) -> int:
        return len(self._times)

    def mark(self, at: float, identities: Iterable[str]) -> None:
        """From audio second `at` on, exactly these identities are speaking."""
        active = frozenset(identities)
        if self._times:
            at = max(at, self._times[-1])  # the audio clock never runs backwards
            if active == self._active[-1]:
                return
            if at == self._times[-1]:  # flapping within one frame: the last word wins
                self._active[-1] = active
                return
        self._times.append(at)
        self._active.append(active)
        if len(self._times) > self.max_changes:
            # Drop the oldest quarter at once so trimming stays cheap.
            drop = len(self._times) - self.max_changes * 3 // 4
            del self._times[:drop], self._active[:drop]

    def who(self, start: float, end: float) -> str | None:
        """The identity active longest within [start, end] (widened by the tolerance);
        ties go to whoever was active first. None if nobody was."""
        lo, hi = start - self.tolerance, max(start, end) + self.tolerance
        spoken: dict[str, float] = {}
        first = max(0, bisect_right(self._times, lo) - 1)
        for i in range(first, len(self._times)):
            since = self._times[i]
            if since >= hi:
                break
            until = self._times[i + 1] if i + 1 < len(self._times) else hi
            overlap = min(until, hi) - max(since, lo)
            if overlap <= 0:
                continue
            for identity in sorted(self._active[i]):
                spoken[identity] = spoken.get(identity, 0.0) + overlap
        if not spoken:
            return None
        return max(spoken, key=lambda identity: spoken[identity])


class InvalidSpeakerMessage(ValueError):
    """A `speakers` message that breaks a rule: reported to the client, then ignored."""


def message_type(text: str) -> tuple[str, object]:
    """(`stop` | `speakers` | `garbage`, the parsed JSON) for a text frame."""
    if text.strip() == "stop":
        return "stop", None
    if len(text) > MAX_MESSAGE_CHARS:
        # Too big to be worth parsing; it can only be a (broken) speakers message or junk,
        # and junk that large is not worth closing a meeting's transcription over.
        return "speakers", None
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: a few thousand nested brackets exhaust the decoder's stack; it is
        # as bad a frame as any other and must get the same error code.
        return "garbage", None
    kind = body.get("type") if isinstance(body, dict) else None
    if kind in ("stop", "speakers"):
        return kind, body
    return "garbage", body


def parse_speakers(body: object) -> list[str]:
    """The active identities of a `speakers` message, or InvalidSpeakerMessage."""
    if not isinstance(body, dict):  # message_type() did not parse it: it was too large
        raise InvalidSpeakerMessage(f"A speakers message is at most {MAX_MESSAGE_CHARS} bytes.")
    active = body.get("active")
    if not isinstance(active, list):
        raise InvalidSpeakerMessage("`active` must be a list of participant identities.")
    if len(active) > MAX_IDENTITIES:
        raise InvalidSpeakerMessage(f"At most {MAX_IDENTITIES} active speakers per message.")
    for identity in active:
        if not isinstance(identity, str) or not 0 < len(identity) <= MAX_IDENTITY_CHARS:
            raise InvalidSpeakerMessage(
                f"Each identity must be a string of 1 to {MAX_IDENTITY_CHARS} characters."
            )
    return list(dict.fromkeys(active))


@dataclass
class MessageBudget:
    """A token bucket over speakers messages (valid or not): beyond it they are dropped."""

    rate: float = RATE_PER_SECOND
    burst: float = BURST
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(default=-1.0, init=False)
    _last: float = field(default=0.0, init=False)

    def take(self) -> bool:
        now = self.clock()
        if self._tokens < 0:
            self._tokens, self._last = self.burst, now
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
