"""Avatar storage behind one small interface: files kept by the app, or Cloudinary.

Every upload is decoded, checked and re-encoded here with Pillow whatever the backend, so
what gets stored is always a small square JPEG without the sender's metadata.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import cloudinary.exceptions
import cloudinary.uploader
import cloudinary.utils
from PIL import Image, ImageOps, UnidentifiedImageError

from rooms.core.config import Settings
from rooms.core.errors import DomainError, InvalidInput

AVATAR_SIZE = 256
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # decoding more is a decompression bomb, not a photo
LOCAL_URL_PREFIX = "/api/uploads/avatars/"
LOCAL_NAME_RE = re.compile(r"^[0-9a-f]{32}-[0-9a-f]{16}\.jpg$")
CLOUDINARY_HOST = "res.cloudinary.com"  # where Cloudinary serves every upload (secure_url)


def _local_name_of(user_id: str, url: str) -> str | None:
    """The file name behind a local avatar URL, if that file is `user_id`'s upload."""
    if not url.startswith(LOCAL_URL_PREFIX):
        return None
    name = url[len(LOCAL_URL_PREFIX) :]
    return name if LOCAL_NAME_RE.match(name) and name.startswith(f"{user_id}-") else None


def is_own_avatar_url(settings: Settings, user_id: str, url: str) -> bool:
    """What a profile's avatarUrl may be set to: this user's own upload here, or their own
    image (public id = their user id, in our folder) on the configured Cloudinary cloud.
    Anything else would let a profile point viewers' browsers at any URL of this site (a
    GET with side effects, another user's file that clean-up would then delete) or at a
    tracker elsewhere."""
    if _local_name_of(user_id, url) is not None:
        return True
    cloud = settings.cloudinary_cloud_name
    parts = urlsplit(url)
    if not cloud or parts.scheme != "https" or parts.netloc != CLOUDINARY_HOST:
        return False
    if parts.query or parts.fragment:
        return False
    own = re.compile(
        rf"^/{re.escape(cloud)}/image/upload/(?:[A-Za-z0-9_,.:-]+/)*"
        rf"{re.escape(settings.cloudinary_folder.strip('/'))}/{re.escape(user_id)}"
        r"\.(?:jpg|jpeg|png|webp|gif)$"
    )
    return own.match(parts.path) is not None


class ImageTooLarge(DomainError):
    status = 413
    code = "IMAGE_TOO_LARGE"


class StorageUnavailable(DomainError):
    status = 502
    code = "STORAGE_UNAVAILABLE"


def process_avatar(data: bytes, max_bytes: int) -> bytes:
    """A readable JPEG, PNG, WebP or GIF in; a 256x256 JPEG out. Anything else: a 4xx."""
    if len(data) > max_bytes:
        raise ImageTooLarge("The image must be at most {mb} MB.", mb=max_bytes // (1024 * 1024))
    if not data:
        raise InvalidInput("The file is empty.", code="INVALID_IMAGE")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()  # structure and checksums, before decoding any pixels
            if fmt not in ALLOWED_FORMATS:
                raise InvalidInput(
                    "Use a JPEG, PNG, WebP or GIF image.", code="UNSUPPORTED_IMAGE_TYPE"
                )
            if width * height > MAX_PIXELS:
                raise ImageTooLarge("The image has too many pixels.")
            with Image.open(io.BytesIO(data)) as img:
                img.seek(0)  # the first frame of an animation
                img = ImageOps.exif_transpose(img)
                if img.mode in ("RGBA", "LA", "P"):
                    img = img.convert("RGBA")
                    background = Image.new("RGBA", img.size, (255, 255, 255, 255))
                    img = Image.alpha_composite(background, img)
                img = ImageOps.fit(img.convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE))
                out = io.BytesIO()
                img.save(out, "JPEG", quality=85, optimize=True)
                return out.getvalue()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge("The image has too many pixels.") from None
    except UnidentifiedImageError:
        raise InvalidInput(
            "The file is not an image we can read (JPEG, PNG, WebP or GIF).", code="INVALID_IMAGE"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Truncated or corrupt data surfaces as any of these from Pillow's decoders.
        raise InvalidInput("The image file is damaged.", code="INVALID_IMAGE") from None


@dataclass(frozen=True)
class UploadTarget:
    """Where a browser sends the file: to us, or straight to Cloudinary with signed fields."""

    provider: str
    upload_url: str
    fields: dict[str, str] = field(default_factory=dict)
    file_field: str = "file"


class AvatarStore(Protocol):
    provider: str

    def upload_target(self, user_id: str) -> UploadTarget: ...

    def save(self, user_id: str, jpeg: bytes) -> str:
        """Store a processed avatar and return the URL to put in the profile."""
        ...


class LocalStore:
    provider = "local"

    def __init__(self, root: str) -> None:
        self.dir = Path(root) / "avatars"

    def upload_target(self, user_id: str) -> UploadTarget:
        return UploadTarget(provider=self.provider, upload_url="/api/identity/avatar")

    def save(self, user_id: str, jpeg: bytes) -> str:
        # Named by content: the URL never changes meaning, so it can be cached for ever.
        name = f"{user_id}-{hashlib.sha256(jpeg).hexdigest()[:16]}.jpg"
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{name}.tmp"
        tmp.write_bytes(jpeg)
        tmp.replace(self.dir / name)
        return LOCAL_URL_PREFIX + name

    def path_for(self, name: str) -> Path | None:
        if not LOCAL_NAME_RE.match(name):
            return None
        path = self.dir / name
        return path if path.is_file() else None

    def forget(self, url: str | None, keep: str, owner: str) -> None:
        """Remove the file a previous avatar URL pointed at, if it is `owner`'s upload (a
        profile written before avatarUrl was checked may point at someone else's)."""
        name = _local_name_of(owner, url) if url and url != keep else None
        path = self.path_for(name) if name else None
        if path is not None:
            path.unlink(missing_ok=True)


class CloudinaryStore:
    provider = "cloudinary"

    def __init__(self, settings: Settings) -> None:
        self.options = {
            "cloud_name": settings.cloudinary_cloud_name,
            "api_key": settings.cloudinary_api_key,
            "api_secret": settings.cloudinary_api_secret,
        }
        if settings.cloudinary_upload_prefix:
            self.options["upload_prefix"] = settings.cloudinary_upload_prefix
        self.folder = settings.cloudinary_folder

    def _params(self, user_id: str) -> dict[str, str]:
        # One public id per user: a new upload replaces the old image instead of piling up.
        return {
            "timestamp": str(int(time.time())),
            "folder": self.folder,
            "public_id": user_id,
            "overwrite": "true",
            "allowed_formats": "jpg,png,webp,gif",
        }

    def upload_target(self, user_id: str) -> UploadTarget:
        params = self._params(user_id)
        signature = cloudinary.utils.api_sign_request(params, self.options["api_secret"])
        return UploadTarget(
            provider=self.provider,
            upload_url=cloudinary.utils.cloudinary_api_url("upload", **self.options),
            fields={**params, "signature": signature, "api_key": str(self.options["api_key"])},
        )

    def save(self, user_id: str, jpeg: bytes) -> str:
        params = self._params(user_id)
        try:
            result = cloudinary.uploader.upload(
                io.BytesIO(jpeg), filename="avatar.jpg", **params, **self.options
            )
        except cloudinary.exceptions.Error as exc:
            raise StorageUnavailable(
                "The image store refused the upload: {reason}", reason=str(exc)
            ) from None
        return str(result["secure_url"])


def avatar_store(settings: Settings) -> AvatarStore:
    if (
        settings.cloudinary_cloud_name
        and settings.cloudinary_api_key
        and settings.cloudinary_api_secret
    ):
        return CloudinaryStore(settings)
    return LocalStore(settings.upload_dir)
