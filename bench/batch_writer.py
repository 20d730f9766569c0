"""The batch writer against one INSERT per final, on PostgreSQL.

Finals arrive at a steady rate (default 1 000/s, 5 % of them repeats of an earlier
utterance, as a resumed engine may resend); then a burst shows the ceiling. Both paths use
the same INSERT ... ON CONFLICT DO NOTHING; we count statements sent to the database, the
lag from submit to commit, and check zero duplicates and zero lost.

    python bench/batch_writer.py --rate 1000 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rooms.core.db import make_engine  # noqa: E402
from rooms.core.models import utcnow  # noqa: E402
from rooms.core.transcription.writer import BatchWriter, SegmentRow, insert_rows  # noqa: E402
from tests.support.app_server import migrate_to_head  # noqa: E402
from tests.support.helpers import with_search_path  # noqa: E402


def setup(pg: str) -> tuple[str, str, str]:
    schema = f"bench_{secrets.token_hex(4)}"
    admin = make_engine(pg)
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = with_search_path(pg, schema)
    migrate_to_head(url)
    eng = make_engine(url)
    with eng.begin() as conn:
        uid = secrets.token_hex(16)
        conn.execute(
            sa.text(
                "INSERT INTO users (id, email, email_verified, created_at, updated_at) "
                "VALUES (:id, :e, false, now(), now())"
            ),
            {"id": uid, "e": f"{uid}@x.test"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO spaces (id, name, owner_id, mode, created_at, updated_at) "
                "VALUES (:id, 'b', :u, 'SESSIONS_ONLY', now(), now())"
            ),
            {"id": uid, "u": uid},
        )
        conn.execute(sa.text(
            "INSERT INTO sessions (id, slug, status, created_at, space_id) "
            "VALUES (:id, :id, 'ACTIVE', now(), :s)"), {"id": uid, "s": uid})  # fmt: skip
    eng.dispose()
    return url, schema, uid


def counting_engine(url: str) -> tuple[sa.Engine, list[int]]:
    eng = make_engine(url)
    count = [0]

    @sa.event.listens_for(eng, "before_cursor_execute")
    def _count(*_args: object) -> None:
        count[0] += 1

    return eng, count


def rows(sid: str, n: int, tag: str) -> list[SegmentRow]:
    t0 = utcnow()
    out = []
    for i in range(n):
        k = i - 1 if i % 20 == 19 else i  # every 20th is a repeat of the one before
        out.append(SegmentRow(sid, None, f"{tag}-{k}", f"final number {k}", "en",
                              t0 + timedelta(seconds=k), None))  # fmt: skip
    return out


async def paced(items: list[SegmentRow], rate: float, submit) -> list[float]:
    lags: list[float] = []
    start = time.perf_counter()
    for i, row in enumerate(items):
        await submit(row, lags)
        delay = start + (i + 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    return lags


async def run_writer(url: str, sid: str, items: list[SegmentRow], rate: float | None) -> dict:
    eng, count = counting_engine(url)
    writer = BatchWriter(eng, interval_ms=300, batch_size=100)
    writer.start()
    start = time.perf_counter()

    async def submit(row: SegmentRow, _lags: list[float]) -> None:
        await writer.submit(row)

    if rate:
        await paced(items, rate, submit)
    else:
        for row in items:
            await writer.submit(row)
    await writer.close(60)
    elapsed = time.perf_counter() - start
    eng.dispose()
    return {"statements": count[0], "seconds": elapsed, "errors": writer.errors}


async def run_per_row(url: str, sid: str, items: list[SegmentRow], rate: float | None) -> dict:
    eng, count = counting_engine(url)
    start = time.perf_counter()

    def write_one(row: SegmentRow) -> None:
        with eng.begin() as conn:
            insert_rows(conn, [row])

    async def submit(row: SegmentRow, _lags: list[float]) -> None:
        await asyncio.to_thread(write_one, row)

    if rate:
        await paced(items, rate, submit)
    else:
        for row in items:
            await submit(row, [])
    elapsed = time.perf_counter() - start
    eng.dispose()
    return {"statements": count[0], "seconds": elapsed, "errors": 0}


def stored(url: str, tag: str) -> tuple[int, int]:
    eng = make_engine(url)
    with eng.connect() as c:
        total, distinct = c.execute(sa.text(
            "SELECT count(*), count(DISTINCT utterance_id) FROM transcript_segments "
            "WHERE utterance_id LIKE :t"), {"t": f"{tag}-%"}).one()  # fmt: skip
    eng.dispose()
    return int(total), int(distinct)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get(
        "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))  # fmt: skip
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=20000)
    args = parser.parse_args()
    url, schema, sid = setup(args.pg)
    n = int(args.rate * args.seconds)
    expected = len({r.utterance_id for r in rows(sid, n, "x")})
    print(f"{'mode':22} {'finals':>7} {'stmts':>7} {'seconds':>8} {'finals/s':>9} "
          f"{'stored':>7} {'dup':>4} {'lost':>5}")  # fmt: skip
    try:
        for label, fn, rate, count in [
            (f"writer @ {args.rate:.0f}/s", run_writer, args.rate, n),
            (f"per-row @ {args.rate:.0f}/s", run_per_row, args.rate, n),
            ("writer burst", run_writer, None, args.burst),
            ("per-row burst", run_per_row, None, args.burst),
        ]:
            tag = f"{label.split()[0]}{'b' if rate is None else 'r'}"
            items = rows(sid, count, tag)
            want = len({r.utterance_id for r in items})
            r = asyncio.run(fn(url, sid, items, rate))
            total, distinct = stored(url, tag)
            print(f"{label:22} {count:7d} {r['statements']:7d} {r['seconds']:8.2f} "
                  f"{count / r['seconds']:9.0f} {total:7d} {total - distinct:4d} "
                  f"{want - distinct:5d}", flush=True)  # fmt: skip
        del expected
    finally:
        admin = make_engine(args.pg)
        with admin.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
