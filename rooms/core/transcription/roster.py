"""LiveKit identities -> participants of one session, for attributing what a stream hears.

Only this session's participants are ever returned: a client naming someone from another
session (or an identity nobody has) gets nothing, so it can never put words in their mouth.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import db as core_db
from rooms.core.models import Participant, User
from rooms.core.transcription.speakers import SpeakerTimeline
from rooms.core.transcripts import SPEAKER_COLUMNS, Speaker, speaker_from

log = logging.getLogger("rooms.transcription.roster")

MAX_CACHED = 1_000  # identities remembered as unknown; a flood of made-up ones is forgotten
# An identity unknown now may join a moment later (its row is written when it gets its
# LiveKit token, which is before it can speak, but a retry costs little).
UNKNOWN_RETRY_SECONDS = 15.0


def _query(db: DbSession, session_id: str, *where) -> dict[str, Speaker]:
    rows = db.exec(
        select(*SPEAKER_COLUMNS)
        .select_from(Participant)
        .outerjoin(User, col(User.id) == col(Participant.user_id))
        .where(Participant.session_id == session_id, *where)
    ).all()
    return {row[2]: speaker_from(*row) for row in rows}


def speakers_of(db: DbSession, session_id: str, identities: list[str]) -> dict[str, Speaker]:
    """identity -> Speaker for those of `identities` who are participants of this session."""
    if not identities:
        return {}
    return _query(db, session_id, col(Participant.identity).in_(identities))


def participant_speaker(db: DbSession, session_id: str, participant_id: str) -> Speaker | None:
    found = _query(db, session_id, col(Participant.id) == participant_id)
    return next(iter(found.values()), None)


class Roster:
    """One stream's cache of who an identity is (None: not of this session)."""

    def __init__(
        self,
        session_id: str,
        lookup: Callable[[list[str]], dict[str, Speaker]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_id = session_id
        self._lookup = lookup or self._from_db
        self._clock = clock
        self._known: dict[str, Speaker] = {}
        self._unknown: dict[str, float] = {}  # identity -> when we last looked

    def _from_db(self, identities: list[str]) -> dict[str, Speaker]:
        with core_db.session_scope() as db:
            return speakers_of(db, self.session_id, identities)

    def add(self, identity: str, speaker: Speaker) -> None:
        self._known[identity] = speaker

    def get(self, identity: str | None) -> Speaker | None:
        return self._known.get(identity) if identity else None

    async def known(self, identities: Iterable[str]) -> list[str]:
        """Those of `identities` that are participants of this session (looked up once)."""
        wanted = list(identities)
        now = self._clock()
        missing = [
            i
            for i in wanted
            if i not in self._known and now - self._unknown.get(i, -1e9) >= UNKNOWN_RETRY_SECONDS
        ]
        if missing:
            try:
                found = await asyncio.to_thread(self._lookup, missing)
            except Exception as exc:  # noqa: BLE001  (a database hiccup must not end the stream)
                log.warning("could not look up %d speakers: %s", len(missing), exc)
                return [i for i in wanted if i in self._known]
            self._known.update(found)  # bounded by the session's participants
            if len(self._unknown) + len(missing) > MAX_CACHED:
                self._unknown.clear()
            self._unknown.update({i: now for i in missing if i not in found})
        return [i for i in wanted if i in self._known]


class Attribution:
    """Who each utterance of one stream is attributed to.

    Per-speaker streams carry one participant's microphone: all of it is theirs. A host's
    stream is the host's until its client first says who speaks; from then on each
    utterance goes to the participant who spoke most during it, or to nobody.
    """

    def __init__(
        self,
        roster: Roster,
        owner: Speaker | None,
        *,
        exact: bool,
        timeline: SpeakerTimeline | None = None,
    ) -> None:
        self.roster = roster
        self.owner = owner
        self.exact = exact
        self.timeline = timeline or SpeakerTimeline()

    async def report(self, at: float, identities: list[str]) -> None:
        """At audio second `at` these identities became the active speakers."""
        if self.exact:
            return
        self.timeline.mark(at, await self.roster.known(identities))

    def speaker(self, start: float, end: float) -> Speaker | None:
        if self.exact or not self.timeline.received:
            return self.owner
        return self.roster.get(self.timeline.who(start, end))
