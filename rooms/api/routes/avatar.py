"""Avatar uploads: signed parameters for Cloudinary, or a file the app stores itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, Out, UserEnvelope, UserOut
from rooms.core import identity, storage
from rooms.core.config import get_settings
from rooms.core.errors import NotFound

router = APIRouter(tags=["identity"])
_errors: dict[int | str, dict] = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}}


class AvatarUploadOut(Out):
    provider: str
    upload_url: str
    file_field: str
    fields: dict[str, str]


@router.get("/api/identity/avatar/sign", response_model=AvatarUploadOut, responses=_errors)
def sign_upload(user: CurrentUser) -> AvatarUploadOut:
    """Where and how to upload: Cloudinary's signed fields when configured, else our own
    upload route. Either way, PATCH nothing afterwards for local uploads (the POST sets
    avatarUrl); after a Cloudinary upload, PATCH the profile with its `secure_url`."""
    target = storage.avatar_store(get_settings()).upload_target(user.id)
    return AvatarUploadOut(
        provider=target.provider,
        upload_url=target.upload_url,
        file_field=target.file_field,
        fields=target.fields,
    )


@router.post(
    "/api/identity/avatar",
    response_model=UserEnvelope,
    responses={**_errors, 413: {"model": ErrorOut}, 502: {"model": ErrorOut}},
)
async def upload_avatar(
    user: CurrentUser, db: Db, file: Annotated[UploadFile, File()]
) -> UserEnvelope:
    """A JPEG, PNG, WebP or GIF; stored as a 256x256 JPEG and set as the avatar."""
    settings = get_settings()
    data = await file.read(settings.avatar_max_bytes + 1)
    store = storage.avatar_store(settings)
    jpeg = await run_in_threadpool(storage.process_avatar, data, settings.avatar_max_bytes)
    url = await run_in_threadpool(store.save, user.id, jpeg)
    previous = user.avatar_url
    update = identity.ProfileUpdate(avatar_url=url, fields=frozenset({"avatar_url"}))
    identity.update_profile(db, user, update)
    db.commit()
    if isinstance(store, storage.LocalStore):
        store.forget(previous, keep=url, owner=user.id)
    return UserEnvelope(user=UserOut.of(user))


@router.get(
    "/api/uploads/avatars/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}}}, 404: {"model": ErrorOut}},
)
def serve_avatar(name: str) -> FileResponse:
    store = storage.LocalStore(get_settings().upload_dir)
    path = store.path_for(name)
    if path is None:
        raise NotFound("No such image.", code="IMAGE_NOT_FOUND")
    # The name is derived from the content, so the bytes behind it never change.
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
