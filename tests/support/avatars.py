"""Avatar images and uploads, and a local server speaking Cloudinary's signed upload API."""

from __future__ import annotations

import io
import time

import cloudinary.utils
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def image_bytes(fmt: str, size=(800, 400), mode="RGBA", **save) -> bytes:
    img = Image.new(mode, size, (200, 30, 60, 128) if mode == "RGBA" else (200, 30, 60))
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def upload_avatar(client, data: bytes, name="a.png", ctype="image/png"):
    return client.post("/api/identity/avatar", files={"file": (name, data, ctype)})


CLOUD = {"name": "demo-cloud", "key": "123456789012345", "secret": "cloud-secret-abcdef"}


class FakeCloudinary:
    """Cloudinary's upload endpoint: checks the signature exactly as Cloudinary does."""

    def __init__(self) -> None:
        self.uploads: list[dict] = []
        self.app = Starlette(
            routes=[Route("/v1_1/{cloud}/image/upload", self.upload, methods=["POST"])]
        )

    async def upload(self, request: Request) -> JSONResponse:
        form = await request.form()
        file = form["file"]
        params = {k: v for k, v in form.items() if k not in ("file", "api_key", "signature")}
        expected = cloudinary.utils.api_sign_request(params, CLOUD["secret"])
        if form.get("signature") != expected or form.get("api_key") != CLOUD["key"]:
            return JSONResponse({"error": {"message": "Invalid Signature"}}, 401)
        if abs(time.time() - int(params["timestamp"])) > 3600:
            return JSONResponse({"error": {"message": "Stale request"}}, 400)
        content = await file.read()
        self.uploads.append({"cloud": request.path_params["cloud"], **params, "bytes": content})
        public_id = f"{params['folder']}/{params['public_id']}"
        return JSONResponse(
            {
                "public_id": public_id,
                "version": 1700000000,
                "format": "jpg",
                "secure_url": f"https://res.cloudinary.com/{CLOUD['name']}/image/upload/"
                f"v1700000000/{public_id}.jpg",
            }
        )
