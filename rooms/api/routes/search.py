"""Full-text search over the transcripts of every space the signed-in user belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, Out
from rooms.core import search
from rooms.core.transcripts import Speaker


class SpeakerOut(Out):
    participant_id: str | None
    name: str
    avatar_url: str | None
    color: str
    initials: str

    @classmethod
    def of(cls, s: Speaker) -> SpeakerOut:
        return cls(
            participant_id=s.participant_id,
            name=s.name,
            avatar_url=s.avatar_url,
            color=s.color,
            initials=s.initials,
        )


class SnippetPartOut(Out):
    text: str
    match: bool


class HitSessionOut(Out):
    slug: str
    title: str | None
    space_id: str
    space_name: str


class HitOut(Out):
    segment_id: str
    session: HitSessionOut
    speaker: SpeakerOut
    started_at: datetime
    start: float
    time_label: str
    text: str
    snippet: str  # HTML: escaped text with <mark> around the matches
    snippet_parts: list[SnippetPartOut]
    score: float
    link: str

    @classmethod
    def of(cls, h: search.Hit) -> HitOut:
        return cls(
            segment_id=h.segment_id,
            session=HitSessionOut(
                slug=h.session_slug,
                title=h.session_title,
                space_id=h.space_id,
                space_name=h.space_name,
            ),
            speaker=SpeakerOut.of(h.speaker),
            started_at=h.started_at,
            start=round(h.start, 3),
            time_label=h.time_label,
            text=h.text,
            snippet=h.snippet_html,
            snippet_parts=[SnippetPartOut(text=t, match=m) for t, m in h.parts],
            score=h.score,
            link=h.link,
        )


class SearchOut(Out):
    query: str
    results: list[HitOut]
    next_cursor: str | None


router = APIRouter(
    prefix="/api/search",
    tags=["search"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}},
)


@router.get("", response_model=SearchOut)
def search_transcripts(
    user: CurrentUser,
    db: Db,
    q: Annotated[str, Query(max_length=search.QUERY_MAX)],
    limit: Annotated[int, Query(ge=1, le=search.LIMIT_MAX)] = 20,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> SearchOut:
    page = search.search(db, user, q, limit=limit, cursor=cursor)
    return SearchOut(
        query=q, results=[HitOut.of(h) for h in page.hits], next_cursor=page.next_cursor
    )
