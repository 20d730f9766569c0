"""A session's agenda: its creator (or the space owner) replaces it; GET /api/sessions/{slug}
returns it with the rest of the session."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import AgendaIn, ErrorOut, SessionEnvelope, SessionOut
from rooms.core import agenda

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


@router.put(
    "/{slug}/agenda",
    response_model=SessionEnvelope,
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
        410: {"model": ErrorOut},
    },
)
def put_agenda(slug: str, body: AgendaIn, user: CurrentUser, db: Db) -> SessionEnvelope:
    session = agenda.set_agenda(db, user, slug, body.agenda)
    db.commit()
    return SessionEnvelope(session=SessionOut.of(session))
