"""A session's transcript in every export format, for whoever rooms.core.access lets read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from rooms.api.deps import CurrentUser, Db, ReaderLocale
from rooms.api.schemas import ErrorOut
from rooms.core import access, caption_languages, exports, transcripts

router = APIRouter(
    prefix="/api/sessions",
    tags=["transcripts"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


@router.get(
    "/{slug}/transcript",
    response_class=Response,
    responses={
        200: {
            "description": "The transcript as a download",
            "content": {fmt.media_type.split(";")[0]: {} for fmt in exports.FORMATS.values()},
        }
    },
)
def get_transcript(
    slug: str,
    user: CurrentUser,
    db: Db,
    locale: ReaderLocale,
    format: Annotated[str, Query(max_length=16)] = "json",
    language: Annotated[
        str, Query(max_length=16, description="Lines in this translation (empty: as spoken)")
    ] = "",
) -> Response:
    fmt = exports.parse_format(format)
    chosen = caption_languages.parse_choice(language)
    transcript = transcripts.load(db, access.Reader(user=user), slug)
    transcript = caption_languages.translated(db, transcript, chosen)
    body = exports.render(transcript, fmt, locale)
    name = exports.filename(transcript, fmt)
    return Response(
        body.encode("utf-8"),
        media_type=fmt.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
