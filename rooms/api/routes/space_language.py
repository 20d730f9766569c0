"""A space's transcription language: members read it, the owner sets it
(rooms/core/space_language.py)."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import (
    ErrorOut,
    LanguageOut,
    TranscriptionLanguageIn,
    TranscriptionLanguageOut,
)
from rooms.core import space_language

router = APIRouter(
    prefix="/api/spaces",
    tags=["spaces"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


def _out(view: space_language.LanguageView) -> TranscriptionLanguageOut:
    return TranscriptionLanguageOut(
        language=view.language,
        code_switching=view.code_switching,
        can_edit=view.can_edit,
        languages=[LanguageOut(code=c, name=n) for c, n in space_language.LANGUAGES.items()],
        local_model_english_only=space_language.local_model_english_only(),
    )


@router.get("/{space_id}/transcription", response_model=TranscriptionLanguageOut)
def get_transcription(space_id: str, user: CurrentUser, db: Db) -> TranscriptionLanguageOut:
    return _out(space_language.view(db, user, space_id))


@router.patch(
    "/{space_id}/transcription",
    response_model=TranscriptionLanguageOut,
    responses={403: {"model": ErrorOut}},
)
def patch_transcription(
    space_id: str, body: TranscriptionLanguageIn, user: CurrentUser, db: Db
) -> TranscriptionLanguageOut:
    view = space_language.update(db, user, space_id, body.language, body.code_switching)
    db.commit()
    return _out(view)
