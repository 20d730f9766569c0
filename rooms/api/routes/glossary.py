"""A space's glossary: members read it, the owner replaces it (rooms/core/glossary.py)."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, GlossaryIn, GlossaryOut
from rooms.core import glossary

router = APIRouter(
    prefix="/api/spaces",
    tags=["spaces"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


def _out(view: glossary.GlossaryView) -> GlossaryOut:
    return GlossaryOut(
        terms=view.terms,
        can_edit=view.can_edit,
        max_terms=glossary.MAX_TERMS,
        max_term_length=glossary.TERM_MAX,
    )


@router.get("/{space_id}/glossary", response_model=GlossaryOut)
def get_glossary(space_id: str, user: CurrentUser, db: Db) -> GlossaryOut:
    return _out(glossary.view(db, user, space_id))


@router.put(
    "/{space_id}/glossary", response_model=GlossaryOut, responses={403: {"model": ErrorOut}}
)
def put_glossary(space_id: str, body: GlossaryIn, user: CurrentUser, db: Db) -> GlossaryOut:
    view = glossary.set_terms(db, user, space_id, body.terms)
    db.commit()
    return _out(view)
