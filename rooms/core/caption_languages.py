"""Which languages a session's live captions are translated into, and the saved translations.

Each page showing the live captions is a row in `caption_viewers` with the language its
viewer reads them in (NULL: the original), refreshed while it listens: the rows are shared
by every worker, so the gateway streaming the session (whichever process runs it) asks the
engine for `needed(...)`: the distinct languages of the pages seen lately, less the one
spoken. Translations the engine sends are stored beside the finals, by utterance
(`transcript_translations`); the transcript page and the exports read them back here.

Who may watch or read is rooms.core.access's rule for the transcript: callers check it first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core.errors import InvalidInput
from rooms.core.models import (
    CaptionViewer,
    Session,
    Space,
    TranscriptSegment,
    TranscriptTranslation,
    utcnow,
)
from rooms.core.space_language import LANGUAGES
from rooms.core.transcripts import Transcript

# The languages a viewer can read captions in: Gladia translates into each of these (the
# SDK's LiveV2TranslationLanguageCode), and they are the ones a space can be spoken in.
CHOICES: tuple[str, ...] = tuple(LANGUAGES)
ORIGINAL = ""  # the choice "as spoken", on the wire and in the pickers
# A page refreshes its row every TOUCH_SECONDS; one not seen for FRESH_SECONDS is gone (a
# closed tab whose listener could not say so).
TOUCH_SECONDS = 20.0
FRESH_SECONDS = 60.0
VIEWER_MAX = 64


def parse_choice(value: object) -> str:
    """ORIGINAL ("") or a code from CHOICES; anything else is refused."""
    if value is None or value == ORIGINAL:
        return ORIGINAL
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in CHOICES:
        raise InvalidInput(
            "The caption language must be one of: {allowed}.",
            code="INVALID_LANGUAGE",
            allowed=", ".join(CHOICES),
        )
    return code


def default_choice(locale: str) -> str:
    """A viewer who has not picked reads captions in their UI language."""
    return locale if locale in CHOICES else ORIGINAL


def watch(db: DbSession, session_id: str, viewer: str, language: str) -> None:
    """This page shows the session's captions in `language` (ORIGINAL: as spoken); also
    the refresh of a page that goes on listening."""
    viewer = viewer[:VIEWER_MAX]
    row = db.exec(
        select(CaptionViewer).where(
            CaptionViewer.session_id == session_id, CaptionViewer.viewer == viewer
        )
    ).first()
    if row is None:
        row = CaptionViewer(session_id=session_id, viewer=viewer)
    row.language = language or None
    row.seen_at = utcnow()
    db.add(row)
    try:
        db.commit()
    except sa.exc.IntegrityError:  # the same page's other request inserted it first
        db.rollback()
        db.exec(
            sa.update(CaptionViewer)  # type: ignore[call-overload]
            .where(col(CaptionViewer.session_id) == session_id, col(CaptionViewer.viewer) == viewer)
            .values(language=language or None, seen_at=utcnow())
        )
        db.commit()


def leave(db: DbSession, session_id: str, viewer: str) -> None:
    db.exec(
        sa.delete(CaptionViewer).where(  # type: ignore[call-overload]
            col(CaptionViewer.session_id) == session_id,
            col(CaptionViewer.viewer) == viewer[:VIEWER_MAX],
        )
    )
    db.commit()


def spoken_language(db: DbSession, session: Session) -> str | None:
    """The space's transcription language, else the one its latest final was detected in."""
    space = db.get(Space, session.space_id)
    if space is not None and space.transcription_language:
        return space.transcription_language
    return db.exec(
        select(TranscriptSegment.language)
        .where(TranscriptSegment.session_id == session.id)
        .order_by(col(TranscriptSegment.started_at).desc())
        .limit(1)
    ).first()


def needed(db: DbSession, session_id: str) -> tuple[str, ...]:
    """The languages the session's current viewers read captions in, less the spoken one."""
    session = db.get(Session, session_id)
    if session is None:
        return ()
    since = utcnow() - timedelta(seconds=FRESH_SECONDS)
    chosen = db.exec(
        select(CaptionViewer.language)
        .where(
            CaptionViewer.session_id == session_id,
            col(CaptionViewer.language).is_not(None),
            col(CaptionViewer.seen_at) >= since,
        )
        .distinct()
    ).all()
    spoken = spoken_language(db, session)
    return tuple(sorted({code for code in chosen if code in CHOICES and code != spoken}))


def saved_languages(db: DbSession, session_id: str) -> list[str]:
    """The languages this session's transcript has translations in."""
    rows = db.exec(
        select(TranscriptTranslation.language)
        .where(TranscriptTranslation.session_id == session_id)
        .distinct()
    ).all()
    return sorted(rows)


def translations(
    db: DbSession, session_id: str, language: str, utterance_ids: list[str] | None = None
) -> dict[str, str]:
    """The saved translations into `language`, by utterance id (all, or these ones)."""
    if not language:
        return {}
    query = select(TranscriptTranslation.utterance_id, TranscriptTranslation.text).where(
        TranscriptTranslation.session_id == session_id,
        TranscriptTranslation.language == language,
    )
    if utterance_ids is not None:
        if not utterance_ids:
            return {}
        query = query.where(col(TranscriptTranslation.utterance_id).in_(utterance_ids))
    return {utt: text for utt, text in db.exec(query).all()}


def translated(db: DbSession, transcript: Transcript, language: str) -> Transcript:
    """The transcript with the languages it has translations in and, for `language` (not
    ORIGINAL), each line's translation where one was saved."""
    sid = transcript.session.id
    saved = tuple(saved_languages(db, sid))
    if not language:
        return replace(transcript, translations=saved)
    found = translations(db, sid, language)
    lines = [replace(x, translation=found.get(x.utterance_id)) for x in transcript.lines]
    return replace(transcript, lines=lines, language=language, translations=saved)
