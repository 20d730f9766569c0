"""The Tasks API and the Tasks page's state load with 10 000 tasks in one space.

    python bench/tasks_load.py                       # SQLite, a fresh temporary file
    python bench/tasks_load.py --pg postgresql://postgres@127.0.0.1:5432/test
                                                     # a fresh schema there, dropped afterwards

Seeds 10 000 tasks in the reader's space (5 members, the three statuses, a third made from
lines of a 500-line session, half with due dates) and 5 000 in a space the reader is not in,
then prints the server time of `GET /api/tasks` (first page, filtered by status and by
assignee, and a page deep down the cursor) and of the Tasks page's state load (the board:
three columns of 25; the list). "core" is the rooms call in process, "http" the whole request
through the FastAPI app (routing, auth cookie, serialisation), without a socket. Every
answer is one page, never the whole space: the script checks the sizes too.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p50_p95  # noqa: E402

TASKS = 10_000
NOISE = 5_000  # tasks of a space the reader is not in
LINES = 500
REPEAT = 30
TARGET_MS = 300.0


def _seed(rng: random.Random) -> tuple[str, str, str, str]:
    """Returns (reader's cookie token, reader id, the space id, one member's id)."""
    import sqlalchemy as sa

    from rooms.core import identity, spaces
    from rooms.core.db import get_engine, session_scope
    from rooms.core.models import (
        Session,
        SpaceMember,
        SpaceMode,
        SpaceRole,
        Task,
        TaskStatus,
        TranscriptSegment,
    )

    with session_scope() as db:
        reader = identity.create_user(db, email="reader@example.com", name="Reader")
        token = identity.start_auth_session(db, reader)
        space = spaces.create_space(db, reader, "Busy", SpaceMode.SESSIONS_AND_TASKS)
        spaces.set_active_space(db, reader, space.id)
        people = [reader.id]
        for i in range(4):
            u = identity.create_user(db, email=f"m{i}@example.com", name=f"Member {i}")
            db.add(SpaceMember(space_id=space.id, user_id=u.id, role=SpaceRole.MEMBER))
            people.append(u.id)
        other = identity.create_user(db, email="other@example.com", name="Other")
        hidden = spaces.create_space(db, other, "Hidden", SpaceMode.SESSIONS_AND_TASKS)
        start = datetime(2026, 1, 5, 9, tzinfo=UTC)
        session = Session(slug=f"bench-{uuid.uuid4().hex[:8]}", title="Weekly", space_id=space.id)
        session.created_at = start
        db.add(session)
        db.flush()
        ids = (space.id, hidden.id, session.id, session.slug, other.id)
    space_id, hidden_id, session_id, slug, other_id = ids
    engine = get_engine()
    segments = []
    for j in range(LINES):
        at = start + timedelta(seconds=j * 7)
        segments.append(
            {
                "id": uuid.uuid4().hex,
                "session_id": session_id,
                "utterance_id": f"u{j}",
                "text": f"Line {j}: someone should follow up on item {j}.",
                "language": "en",
                "is_final": True,
                "started_at": at,
                "ended_at": at + timedelta(seconds=5),
                "created_at": at,
            }
        )
    statuses = [s.value for s in TaskStatus]

    def task(space: str, i: int, owner: str, assignees: list[str]) -> dict:
        made = start + timedelta(minutes=i)
        row = {
            "id": uuid.uuid4().hex,
            "space_id": space,
            "title": f"Task {i}",
            "description": None,
            "status": rng.choice(statuses),
            "assignee_id": rng.choice([*assignees, None]),
            "created_by_user_id": owner,
            "due_date": date(2026, 1, 1) + timedelta(days=rng.randrange(120))
            if rng.random() < 0.5
            else None,
            "session_id": None,
            "segment_id": None,
            "source_slug": None,
            "source_quote": None,
            "source_speaker": None,
            "source_at": None,
            "created_at": made,
            "updated_at": made,
        }
        if space == space_id and i % 3 == 0:
            seg = segments[rng.randrange(LINES)]
            row |= {
                "session_id": session_id,
                "segment_id": seg["id"],
                "source_slug": slug,
                "source_quote": seg["text"],
                "source_speaker": "Member 1",
                "source_at": (seg["started_at"] - start).total_seconds(),
            }
        return row

    rows = [task(space_id, i, rng.choice(people), people) for i in range(TASKS)]
    rows += [task(hidden_id, i, other_id, [other_id]) for i in range(NOISE)]
    with engine.begin() as conn:
        conn.execute(sa.insert(TranscriptSegment.__table__), segments)
        for k in range(0, len(rows), 2000):
            conn.execute(sa.insert(Task.__table__), rows[k : k + 2000])
        conn.execute(sa.text("ANALYZE"))
        total = conn.execute(sa.text("SELECT count(*) FROM tasks")).scalar()
    print(f"seeded {total} tasks ({TASKS} in the reader's space), {LINES} transcript lines")
    return token, people[0], space_id, people[2]


def _time(fn, repeat: int = REPEAT) -> tuple[float, float]:
    return p50_p95(fn, repeat)


def _run() -> bool:
    from fastapi.testclient import TestClient

    from rooms.api.app import make_api
    from rooms.core import tasks
    from rooms.core.db import session_scope
    from rooms.core.models import TaskStatus, User
    from rooms.state import tasks as page
    from tests.support.app_server import migrate_to_head

    migrate_to_head(os.environ["DATABASE_URL"])
    t0 = time.perf_counter()
    token, reader_id, space_id, member_id = _seed(random.Random(17))
    print(f"seed time {time.perf_counter() - t0:.1f} s")
    client = TestClient(make_api())
    client.cookies.set("rooms_session", token)

    # A cursor 4 000 tasks deep (80 pages of 50), for the "deep page" rows.
    cursor = None
    for _ in range(80):
        cursor = client.get("/api/tasks", params={"spaceId": space_id, "cursor": cursor}).json()[
            "nextCursor"
        ]
    deep = cursor

    cases = [
        ("GET /api/tasks (first page of 50)", {}, {}),
        ("  ?status=DONE", {"status": "DONE"}, {"status": TaskStatus.DONE}),
        ("  ?assigneeId=one member", {"assigneeId": member_id}, {"assignee_id": member_id}),
        ("  ?limit=100", {"limit": 100}, {"limit": 100}),
        ("  a page 4 000 tasks deep", {"cursor": deep}, {"cursor": deep}),
    ]
    ok = True
    print(f"\n{'what':44} {'rows':>5} {'core p50':>9} {'p95':>7} {'http p50':>9} {'p95':>7}")
    for label, params, kwargs in cases:
        with session_scope() as db:
            reader = db.get(User, reader_id)

            def core(db=db, reader=reader, kwargs=kwargs) -> int:
                return len(tasks.list_tasks(db, reader, space_id, **kwargs).tasks)

            n = core()
            c50, c95 = _time(core)

        def http(params=params) -> int:
            res = client.get("/api/tasks", params={"spaceId": space_id, **params})
            assert res.status_code == 200, res.text
            return len(res.json()["tasks"])

        assert http() == n <= tasks.PAGE_MAX
        h50, h95 = _time(http)
        ok &= h95 < TARGET_MS
        print(f"{label:44} {n:5d} {c50:9.1f} {c95:7.1f} {h50:9.1f} {h95:7.1f}")

    views = [
        ("Tasks page state: board (3 columns)", page.Query(space_id, "board", "all", "all", {})),
        ("  board, one assignee", page.Query(space_id, "board", "all", member_id, {})),
        ("Tasks page state: list", page.Query(space_id, page.LIST, "all", "all", {})),
    ]
    for label, query in views:
        with session_scope() as db:
            reader = db.get(User, reader_id)

            def state(db=db, reader=reader, query=query) -> int:
                return sum(len(c) for c in page.load(db, reader, query).cards.values())

            n = state()
            s50, s95 = _time(state)
        ok &= s95 < TARGET_MS
        print(f"{label:44} {n:5d} {s50:9.1f} {s95:7.1f} {'':>9} {'':>7}")
    print(f"\nall times in ms (median and 95th percentile); target p95 < {TARGET_MS:.0f} ms:")
    print("met" if ok else "NOT met")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    from tests.support.helpers import scratch_database

    url, cleanup = scratch_database(args.pg)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("APP_ENV", "test")
    try:
        ok = _run()
    finally:
        from rooms.core.db import get_engine

        get_engine().dispose()
        cleanup()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
