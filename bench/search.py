"""Search and transcript speed on a realistic amount of data, on SQLite or PostgreSQL.

    python bench/search.py                       # SQLite, a fresh temporary file
    python bench/search.py --pg postgresql://postgres@127.0.0.1:5432/test
                                                 # a fresh schema there, dropped afterwards

Seeds 100 000 transcript segments (Zipf-distributed vocabulary, 37 sessions in 10 spaces, the
reader a member of 9) and one 3-hour session of 3 000 segments, then
prints the server time of typical searches and of the whole transcript: "core" is the
rooms.core call, "http" the full request through the FastAPI app (routing, auth cookie,
serialisation) in process, without a socket.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p50_p95  # noqa: E402

TOTAL = 100_000
LONG_SESSION = 3_000
REPEAT = 30
QUERIES = [
    "budget",  # a topic word: ~3 % of segments match
    "deadline review",  # two words, both required
    '"customer onboarding"',  # a phrase
    "migration OR rollback",  # alternatives
    "latency -database",  # an exclusion
    "quarterly roadmap priorities",  # three words, few rows have all
    "people",  # worst case: a filler word in ~15 % of all segments
]
WORDS = [
    "budget",
    "deadline",
    "review",
    "customer",
    "onboarding",
    "migration",
    "rollback",
    "latency",
    "database",
    "quarterly",
    "roadmap",
    "priorities",
    "release",
    "design",
    "hiring",
    "feedback",
    "metrics",
    "incident",
    "outage",
    "contract",
    "invoice",
    "pricing",
    "launch",
    "security",
    "audit",
    "backlog",
    "sprint",
    "estimate",
    "dependency",
    "vendor",
    "analytics",
    "dashboard",
    "retention",
    "churn",
    "pipeline",
    "deploy",
    "staging",
    "production",
    "test",
    "coverage",
    "bug",
    "fix",
    "refactor",
    "api",
    "schema",
    "index",
    "query",
    "cache",
    "queue",
    "worker",
    "timeout",
    "retry",
]
FILLER = [
    "the",
    "a",
    "and",
    "to",
    "of",
    "we",
    "it",
    "that",
    "is",
    "in",
    "so",
    "i",
    "you",
    "this",
    "for",
    "on",
    "be",
    "with",
    "as",
    "have",
    "just",
    "but",
    "think",
    "about",
    "going",
    "yeah",
    "right",
    "okay",
    "well",
    "know",
    "like",
    "maybe",
    "then",
    "need",
    "should",
    "can",
    "will",
    "next",
    "week",
    "team",
    "today",
    "thing",
    "point",
    "also",
    "really",
    "time",
    "work",
    "way",
    "people",
    "sure",
    "good",
]


VOCABULARY = 5_000


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Zipf-ranked words (weight 1/rank); the query words sit at ranks 20 to 120."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "po", "da", "fe"]
    words: list[str] = []
    while len(words) < VOCABULARY:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if w not in words:
            words.append(w)
    for i, w in enumerate(WORDS):
        words[20 + i * 2] = w
    cum, total = [], 0.0
    for rank in range(1, VOCABULARY + 1):
        total += 1 / rank
        cum.append(total)
    return words, cum


def _sentence(rng: random.Random, vocab: tuple[list[str], list[float]]) -> str:
    words, cum = vocab
    n = rng.randint(6, 28)
    out = []
    for _ in range(n):
        if rng.random() < 0.35:
            out.append(rng.choices(words, cum_weights=cum)[0])
        else:
            out.append(rng.choice(FILLER))
    return " ".join(out).capitalize() + "."


def _seed(rng: random.Random) -> tuple[str, str, str]:
    """Returns (reader's cookie token, the long session's slug, reader id)."""
    import sqlalchemy as sa

    from rooms.core import identity, spaces
    from rooms.core.db import get_engine, session_scope
    from rooms.core.models import Participant, Session, SpaceMember, TranscriptSegment

    with session_scope() as db:
        reader = identity.create_user(db, email="reader@example.com", name="Reader")
        other = identity.create_user(db, email="other@example.com", name="Other")
        token = identity.start_auth_session(db, reader)
        mine = [spaces.create_space(db, reader, f"Team {i}").id for i in range(7)]
        mine.append(reader.active_space_id)
        theirs = [spaces.create_space(db, other, f"Hidden {i}").id for i in range(2)]
        # The reader also belongs to one of the other user's spaces.
        db.add(SpaceMember(space_id=theirs[0], user_id=reader.id))
        mine.append(theirs[0])
        sessions, start = [], datetime(2026, 1, 5, 9, tzinfo=UTC)
        long_slug = f"bench-{uuid.uuid4().hex[:8]}"
        plan = [(long_slug, mine[0], LONG_SESSION)]
        per = (TOTAL - LONG_SESSION) // 36
        for i in range(36):
            space = theirs[1] if i % 18 == 0 else mine[i % len(mine)]
            plan.append((f"bench-{uuid.uuid4().hex[:8]}", space, per))
        for i, (slug, space_id, n) in enumerate(plan):
            s = Session(
                slug=slug,
                title=f"Meeting {i}",
                space_id=space_id,
                created_by_user_id=reader.id,
                created_at=start + timedelta(days=i),
            )
            db.add(s)
            db.flush()
            people = []
            for k in range(4):
                p = Participant(session_id=s.id, identity=f"p-{i}-{k}", name=f"Speaker {k}")
                db.add(p)
                people.append(p)
            db.flush()
            sessions.append((s, [p.id for p in people], n))

    vocab = _vocabulary(rng)
    engine = get_engine()
    table = TranscriptSegment.__table__
    for s, people, n in sessions:
        rows = []
        for j in range(n):
            at = s.created_at + timedelta(seconds=j * 3.6)
            rows.append(
                {
                    "id": uuid.uuid4().hex,
                    "session_id": s.id,
                    "participant_id": rng.choice(people),
                    "utterance_id": f"u{j}",
                    "text": _sentence(rng, vocab),
                    "language": "en",
                    "is_final": True,
                    "started_at": at,
                    "ended_at": at + timedelta(seconds=3),
                    "created_at": at,
                }
            )
        with engine.begin() as conn:
            conn.execute(sa.insert(table), rows)
    with engine.begin() as conn:
        total = conn.execute(sa.text("SELECT count(*) FROM transcript_segments")).scalar()
        conn.execute(sa.text("ANALYZE"))
    print(f"seeded {total} segments in {len(sessions)} sessions")
    with engine.connect() as conn:
        like = "SELECT count(*) FROM transcript_segments WHERE lower(text) LIKE :w"
        for w in ("budget", "deadline", "people"):
            n = conn.execute(sa.text(like), {"w": f"%{w}%"}).scalar()
            print(f"  segments containing {w!r}: {n} ({n / total:.1%})")
    return token, long_slug, reader.id


def _time(fn, repeat: int = REPEAT) -> tuple[float, float]:
    return p50_p95(fn, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    from tests.support.helpers import scratch_database

    url, cleanup = scratch_database(args.pg)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("APP_ENV", "test")
    try:
        _run(url)
    finally:
        from rooms.core.db import get_engine

        get_engine().dispose()
        cleanup()


def _run(url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from fastapi.testclient import TestClient

    from rooms.api.app import make_api
    from rooms.core import exports, search, transcripts
    from rooms.core.db import session_scope
    from rooms.core.models import User

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    t0 = time.perf_counter()
    token, long_slug, reader_id = _seed(random.Random(42))
    print(f"seed time {time.perf_counter() - t0:.1f} s on {url.split(':')[0]}")
    client = TestClient(make_api())
    client.cookies.set("rooms_session", token)

    print(f"\n{'what':44} {'hits':>5} {'core p50':>9} {'p95':>7} {'http p50':>9} {'p95':>7}")
    for q in QUERIES:
        with session_scope() as db:
            reader = db.get(User, reader_id)

            def core(db=db, reader=reader, q=q) -> int:
                return len(search.search(db, reader, q, limit=20).hits)

            hits = core()
            c50, c95 = _time(core)

        def http(q=q) -> None:
            assert client.get("/api/search", params={"q": q, "limit": 20}).status_code == 200

        h50, h95 = _time(http)
        print(f"search {q:37} {hits:5d} {c50:9.1f} {c95:7.1f} {h50:9.1f} {h95:7.1f}")

    for fmt in ("json", "vtt", "srt"):
        with session_scope() as db:
            reader = db.get(User, reader_id)

            def core_t(db=db, reader=reader, fmt=fmt) -> int:
                t = transcripts.load(db, reader, long_slug)
                exports.render(t, exports.FORMATS[fmt])
                return len(t.lines)

            n = core_t()
            c50, c95 = _time(core_t, 10)

        def http_t(fmt=fmt) -> None:
            res = client.get(f"/api/sessions/{long_slug}/transcript", params={"format": fmt})
            assert res.status_code == 200

        h50, h95 = _time(http_t, 10)
        label = f"transcript of {n} segments, {fmt}"
        print(f"{label:44} {'':5} {c50:9.1f} {c95:7.1f} {h50:9.1f} {h95:7.1f}")
    print("\nall times in ms (median and 95th percentile)")


if __name__ == "__main__":
    main()
