""" "Make a task" on a transcript line (rooms.core.tasks.draft_from_line), against the real
test database: the line's text, quote, speaker and moment, and the assignee suggested only
when the speaker is a member of the space."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rooms.core import identity, sessions, spaces, tasks
from rooms.core.db import session_scope
from rooms.core.errors import Forbidden, NotFound
from rooms.core.models import Participant, ParticipantRole, SpaceMode, TranscriptSegment
from tests.support.helpers import unique_email


def _user(db, name: str):
    return identity.create_user(db, email=unique_email(), name=name, password="password-123")


def _line(
    db, session, text: str, at: float, user=None, name: str | None = None
) -> TranscriptSegment:
    p = Participant(
        session_id=session.id,
        user_id=user.id if user else None,
        identity=f"p-{text[:6]}-{at}",
        name=name,
        role=ParticipantRole.HOST if user else ParticipantRole.GUEST,
    )
    db.add(p)
    db.flush()
    seg = TranscriptSegment(
        session_id=session.id,
        participant_id=p.id,
        utterance_id=f"u-{at}",
        text=text,
        is_final=True,
        started_at=session.created_at + timedelta(seconds=at),
    )
    db.add(seg)
    db.flush()
    return seg


def test_draft_from_a_line_suggests_only_a_member_speaker() -> None:
    with session_scope() as db:
        owner, member, visitor = _user(db, "Owner"), _user(db, "Mia"), _user(db, "Vee")
        space = spaces.create_space(db, owner, "Work", SpaceMode.SESSIONS_AND_TASKS)
        spaces.add_member(db, owner, space.id, member.email)
        session = sessions.create_session(db, owner, title="Plan", space_id=space.id)
        said = _line(db, session, "Mia   ships the\nrelease " + "x " * 150, 42.0, member)
        by_visitor = _line(db, session, "Vee will call", 50.0, visitor, "Vee")

        draft = tasks.draft_from_line(db, owner, session.slug, segment_id=said.id)
        assert draft.assignee_id == member.id and draft.speaker == "Mia"
        assert draft.quote == said.text and draft.at == pytest.approx(42.0)
        assert draft.title.startswith("Mia ships the") and len(draft.title) <= tasks.TITLE_MAX
        # The live sidebar knows the line by its utterance id: the same draft.
        by_caption = tasks.draft_from_line(db, member, session.slug, utterance_id="u-42.0")
        assert by_caption.segment_id == said.id
        # A speaker with an account who is not in the space is not suggested.
        other = tasks.draft_from_line(db, owner, session.slug, segment_id=by_visitor.id)
        assert other.assignee_id is None and other.speaker == "Vee"
        # A caption not saved yet, a line of another session, a stranger: not found.
        with pytest.raises(NotFound):
            tasks.draft_from_line(db, owner, session.slug, utterance_id="u-999")
        second = sessions.create_session(db, owner, title="Other", space_id=space.id)
        with pytest.raises(NotFound):
            tasks.draft_from_line(db, owner, second.slug, segment_id=said.id)
        with pytest.raises(NotFound):
            tasks.draft_from_line(db, visitor, session.slug, segment_id=said.id)
        # And nothing in a space without tasks.
        spaces.update_mode(db, owner, space.id, SpaceMode.SESSIONS_ONLY)
        with pytest.raises(Forbidden):
            tasks.draft_from_line(db, owner, session.slug, segment_id=said.id)


def test_the_board_load_is_paginated_per_column() -> None:
    """What TasksState.load_board and "Show more" read (rooms.state.tasks.load)."""
    from rooms.state.tasks import LIST, PAGE, Query, load

    with session_scope() as db:
        owner = _user(db, "Owner")
        space = spaces.create_space(db, owner, "Big", SpaceMode.SESSIONS_AND_TASKS)
        for i in range(PAGE + 5):
            tasks.create_task(db, owner, tasks.NewTask(title=f"todo {i}", space_id=space.id))
        tasks.create_task(db, owner, tasks.NewTask(title="done", space_id=space.id, status="DONE"))
        board = load(db, owner, Query(space.id, "board", "all", "all", {}))
        assert [len(board.cards[k]) for k in ("todo", "doing", "done")] == [PAGE, 0, 1]
        assert board.cursors["todo"] and not board.cursors["done"]
        more = load(db, owner, Query(space.id, "board", "all", "all", {}), board.cursors)
        assert len(more.cards["todo"]) == 5 and "doing" not in more.cards
        seen = {c.id for c in board.cards["todo"]} | {c.id for c in more.cards["todo"]}
        assert len(seen) == PAGE + 5
        # A live refresh reads as many as are shown now (here: all 30 of the column).
        shown = load(db, owner, Query(space.id, "board", "all", "all", {"todo": PAGE + 5}))
        assert len(shown.cards["todo"]) == PAGE + 5
        only_done = load(db, owner, Query(space.id, LIST, "DONE", "all", {}))
        assert [c.title for c in only_done.cards[LIST]] == ["done"]
