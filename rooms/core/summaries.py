"""The summary after the meeting. Gladia makes it: each of its live sessions is asked for
post-processing summarization when it starts (rooms/core/transcription/gladia.py), and
its id is remembered here; once our session ends, its result endpoint
(`GET {GLADIA_API_URL}/v2/live/{id}`: queued -> processing -> done | error, the summary
in `result.summarization`) is polled, backing off, until each one is done or we give up,
and what it said is stored. Nothing here can undo or delay the end of a session: it runs
after the end is committed, in a thread of its own, and every failure becomes a reason.

The local engine makes no summaries: its sessions say so (UNAVAILABLE, with the reason).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import access, analytics, sessions
from rooms.core import db as core_db
from rooms.core.config import get_settings
from rooms.core.models import EngineSession, Session, SessionStatus, SummaryStatus, utcnow
from rooms.core.transcription import usage

log = logging.getLogger("rooms.summaries")

SUMMARY_ENGINE = "gladia"
REASON_MAX = 500
MAX_POLL_SECONDS = 60.0
HTTP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Summary:
    status: SummaryStatus
    text: str | None = None
    reason: str | None = None


# --- what readers see -------------------------------------------------------------------


def summary(db: DbSession, reader: access.Reader, slug: str) -> Summary:
    session = access.analytics_session(db, slug, reader)
    return summary_of(db, session)


def summary_of(db: DbSession, session: Session) -> Summary:
    parts = db.exec(
        select(EngineSession)
        .where(EngineSession.session_id == session.id)
        .order_by(col(EngineSession.created_at), col(EngineSession.id))
    ).all()
    if any(p.summary_status == SummaryStatus.PENDING for p in parts):
        return Summary(SummaryStatus.PENDING)
    texts = [p.summary_text for p in parts if p.summary_status == SummaryStatus.READY]
    if any(texts):
        # One Gladia session per stream: a reconnect or per-speaker streams make several.
        return Summary(SummaryStatus.READY, "\n\n".join(t for t in texts if t))
    if parts:
        return Summary(SummaryStatus.UNAVAILABLE, reason=next(p.summary_reason for p in parts))
    engine = analytics.engine_of(db, session)
    if engine != SUMMARY_ENGINE:
        return Summary(
            SummaryStatus.UNAVAILABLE,
            reason=(
                f"No summary: this session is transcribed by the {engine} engine, and this "
                "server has no summarization model. Summaries come from Gladia, when the "
                "server uses it for transcription."
            ),
        )
    if not get_settings().gladia_summarization:
        return Summary(
            SummaryStatus.UNAVAILABLE,
            reason="No summary: this server does not ask Gladia for summaries "
            "(GLADIA_SUMMARIZATION is off).",
        )
    if session.status == SessionStatus.ACTIVE:
        return Summary(SummaryStatus.PENDING)
    if usage.session_seconds(db, session.id) > 0:
        # Streams from before summaries were asked for, or whose id could not be kept.
        return Summary(
            SummaryStatus.UNAVAILABLE,
            reason="No summary: Gladia was not asked to summarise this session.",
        )
    return Summary(
        SummaryStatus.UNAVAILABLE,
        reason="No summary: nothing was transcribed in this session.",
    )


# --- remembering Gladia's sessions ---------------------------------------------------------


def remember(db: DbSession, session_id: str, engine: str, external_id: str) -> bool:
    """Note the engine's own session behind a stream of ours, if it will summarise it."""
    if engine != SUMMARY_ENGINE or not external_id or not get_settings().gladia_summarization:
        return False
    known = db.exec(
        select(EngineSession.id).where(
            EngineSession.engine == engine, EngineSession.external_id == external_id
        )
    ).first()
    if known is not None:
        return False
    db.add(EngineSession(session_id=session_id, engine=engine, external_id=external_id[:128]))
    db.flush()
    return True


def _remember_now(session_id: str, engine: str, external_id: str) -> None:
    with contextlib.suppress(IntegrityError), core_db.session_scope() as db:
        remember(db, session_id, engine, external_id)


async def remember_stream(session_id: str, engine: str, external_id: str) -> None:
    """For the gateway, when an engine stream has started. A failure here costs the
    summary, never the stream."""
    if engine != SUMMARY_ENGINE:
        return
    try:
        await asyncio.to_thread(_remember_now, session_id, engine, external_id)
    except Exception as exc:  # noqa: BLE001
        log.warning("could not remember engine session %s: %s", external_id, exc)


# --- fetching Gladia's result ------------------------------------------------------------


class Transient(Exception):
    """Gladia could not answer now (5xx, timeout, unreachable): ask again later."""


@dataclass(frozen=True)
class Fetched:
    done: bool
    text: str | None = None
    reason: str | None = None


def fetch_result(client: httpx.Client, external_id: str) -> Fetched:
    """One look at a live session's result endpoint."""
    try:
        res = client.get(f"/v2/live/{quote(external_id, safe='')}")
    except httpx.HTTPError as exc:
        raise Transient(f"Gladia could not be reached ({type(exc).__name__})") from None
    if res.status_code >= 500 or res.status_code in (408, 429):
        raise Transient(f"Gladia answered {res.status_code}")
    if res.status_code in (401, 403):
        return Fetched(True, reason="No summary: Gladia refused the API key.")
    if res.status_code == 404:
        return Fetched(True, reason="No summary: Gladia no longer has this live session.")
    if res.status_code != 200:
        return Fetched(True, reason=f"No summary: Gladia answered {res.status_code}.")
    try:
        body = res.json()
        status = body.get("status")
    except (ValueError, AttributeError):
        raise Transient("Gladia's answer was not JSON") from None
    if status in ("queued", "processing"):
        return Fetched(False)
    if status == "error":
        code = body.get("error_code")
        return Fetched(True, reason=f"No summary: Gladia could not process the session ({code}).")
    if status != "done":
        raise Transient(f"Gladia said the session is {status!r}")
    found = (body.get("result") or {}).get("summarization")
    if not isinstance(found, dict):
        return Fetched(True, reason="No summary: Gladia returned none for this session.")
    if not found.get("success"):
        error = found.get("error") or {}
        detail = error.get("message") if isinstance(error, dict) else None
        return Fetched(True, reason=f"No summary: Gladia's summarization failed ({detail}).")
    text = str(found.get("results") or "").strip()
    if found.get("is_empty") or not text:
        return Fetched(True, reason="No summary: too little was said to summarise.")
    return Fetched(True, text=text)


def _pending(session_id: str) -> list[tuple[str, str]]:
    with core_db.session_scope() as db:
        rows = db.exec(
            select(EngineSession.id, EngineSession.external_id).where(
                EngineSession.session_id == session_id,
                EngineSession.summary_status == SummaryStatus.PENDING,
            )
        ).all()
        return [(row_id, external) for row_id, external in rows]


def _store(row_id: str, fetched: Fetched | None, reason: str | None = None) -> None:
    """Write one look's outcome: a summary, a reason, or (neither) one more attempt."""
    with core_db.session_scope() as db:
        row = db.get(EngineSession, row_id)
        if row is None or row.summary_status != SummaryStatus.PENDING:
            return
        row.attempts += 1
        row.updated_at = utcnow()
        if fetched is not None and fetched.done:
            ready = fetched.text is not None
            row.summary_status = SummaryStatus.READY if ready else SummaryStatus.UNAVAILABLE
            row.summary_text = fetched.text
            row.summary_reason = (fetched.reason or "")[:REASON_MAX] or None
        elif reason is not None:
            row.summary_status = SummaryStatus.UNAVAILABLE
            row.summary_reason = reason[:REASON_MAX]
        db.add(row)


def collect(
    session_id: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll Gladia for every pending summary of an ended session until none is pending."""
    settings = get_settings()
    if not settings.gladia_api_key:
        for row_id, _ in _pending(session_id):
            _store(row_id, None, "No summary: GLADIA_API_KEY is not set on this server.")
        return
    wait = settings.gladia_summary_wait_seconds
    deadline = clock() + wait
    delay = settings.gladia_summary_poll_seconds
    problems: dict[str, str] = {}
    headers = {"x-gladia-key": settings.gladia_api_key}
    with httpx.Client(
        base_url=settings.gladia_api_url, headers=headers, timeout=HTTP_TIMEOUT_SECONDS
    ) as client:
        while True:
            # Gladia finishes the session and then summarises it: give it a moment first.
            sleep(delay)
            pending = _pending(session_id)
            if not pending:
                return
            for row_id, external_id in pending:
                try:
                    fetched: Fetched | None = fetch_result(client, external_id)
                    problems.pop(row_id, None)
                except Transient as exc:
                    fetched, problems[row_id] = None, str(exc)
                _store(row_id, fetched)
            if clock() >= deadline:
                break
            delay = min(delay * 2, MAX_POLL_SECONDS)
    for row_id, _ in _pending(session_id):
        why = problems.get(row_id)
        reason = (
            f"No summary: {why}, and still did after {wait:g} s of retrying."
            if why
            else f"No summary: Gladia had not finished it {wait:g} s after the meeting."
        )
        _store(row_id, None, reason)


def _collect_quietly(session_id: str) -> None:
    try:
        collect(session_id)
    except Exception:  # a summary must never take anything else down with it
        log.exception("collecting the summary of session %s failed", session_id)


def _collect_ended(slug: str) -> None:
    try:
        with core_db.session_scope() as db:
            session = db.exec(select(Session).where(Session.slug == slug)).first()
            session_id = session.id if session is not None else None
    except Exception:
        log.exception("could not look up ended session %s for its summary", slug)
        return
    if session_id is not None and _pending(session_id):
        _collect_quietly(session_id)


def _session_ended(slug: str) -> None:
    # Runs in the thread that committed the end: everything, even the lookup, goes to a
    # thread of its own so that nothing here can slow that commit's caller down.
    threading.Thread(
        target=_collect_ended, args=(slug,), name=f"summary-{slug}", daemon=True
    ).start()


def _resume() -> None:
    """Sessions that ended while this server was down (or restarting) still get theirs."""
    try:
        with core_db.session_scope() as db:
            ids = db.exec(
                select(EngineSession.session_id)
                .join(Session, col(Session.id) == col(EngineSession.session_id))
                .where(
                    EngineSession.summary_status == SummaryStatus.PENDING,
                    Session.status == SessionStatus.ENDED,
                )
                .distinct()
            ).all()
    except Exception as exc:  # noqa: BLE001  (e.g. a database not migrated yet)
        log.warning("could not look for summaries to finish: %s", exc)
        return
    for session_id in ids:
        _collect_quietly(session_id)


_install_lock = threading.Lock()
_installed = False


def install() -> None:
    """Once per process: collect summaries when sessions end, and finish those left over."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
    sessions.on_session_ended(_session_ended)
    threading.Thread(target=_resume, name="summary-resume", daemon=True).start()
