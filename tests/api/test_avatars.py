"""Avatars: uploads the app stores itself (checked, re-encoded, resized, served from a stable
URL), and Cloudinary's signed uploads against a local server speaking its upload API."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from tests.support.avatars import CLOUD, image_bytes, upload_avatar


def test_local_upload_is_resized_reencoded_and_served(signed_in, new_client, local_uploads):
    client, _ = signed_in()
    sign = client.get("/api/identity/avatar/sign")
    assert sign.status_code == 200
    assert sign.json() == {
        "provider": "local",
        "uploadUrl": "/api/identity/avatar",
        "fileField": "file",
        "fields": {},
    }

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make; GPS would leak the same way
    res = upload_avatar(client, image_bytes("JPEG", mode="RGB", exif=exif), "me.jpg", "image/jpeg")
    assert res.status_code == 200, res.text
    url = res.json()["user"]["avatarUrl"]
    assert url.startswith("/api/uploads/avatars/") and url.endswith(".jpg")
    assert client.get("/api/identity/profile").json()["user"]["avatarUrl"] == url

    served = new_client().get(url)  # a stable public URL, no cookie needed
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert "immutable" in served.headers["cache-control"]
    with Image.open(io.BytesIO(served.content)) as img:
        assert img.format == "JPEG" and img.size == (256, 256)
        assert not img.getexif()
    assert b"SecretCam" not in served.content

    # A new avatar (PNG with transparency) replaces the old file.
    res = upload_avatar(client, image_bytes("PNG"))
    new_url = res.json()["user"]["avatarUrl"]
    assert res.status_code == 200 and new_url != url
    assert new_client().get(new_url).status_code == 200
    assert new_client().get(url).status_code == 404
    assert len(list((local_uploads / "avatars").iterdir())) == 1


def _bomb() -> bytes:
    # 20000 x 20000 pixels of one colour compresses to a few hundred KB of PNG.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 400, "INVALID_IMAGE"),
        (b"hello, I am not a picture", 400, "INVALID_IMAGE"),
        (image_bytes("PNG")[:200], 400, "INVALID_IMAGE"),  # truncated
        (image_bytes("BMP", mode="RGB"), 400, "UNSUPPORTED_IMAGE_TYPE"),
        (image_bytes("TIFF", mode="RGB"), 400, "UNSUPPORTED_IMAGE_TYPE"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", 400, None),
        (_bomb(), 413, "IMAGE_TOO_LARGE"),
    ],
    ids=["empty", "text", "truncated", "bmp", "tiff", "svg", "bomb"],
)
def test_bad_files_get_a_clear_error(signed_in, local_uploads, data, status, code):
    client, _ = signed_in()
    res = upload_avatar(client, data)
    assert res.status_code == status, res.text
    body = res.json()
    assert body["message"] and (code is None or body["error"] == code)
    assert client.get("/api/identity/profile").json()["user"]["avatarUrl"] is None


def test_oversized_and_malformed_requests(signed_in, new_client, settings_env, local_uploads):
    client, _ = signed_in()
    settings_env(AVATAR_MAX_BYTES="20000")
    res = upload_avatar(client, image_bytes("PNG", size=(2000, 2000), mode="RGB", compress_level=0))
    assert res.status_code == 413 and res.json()["error"] == "PAYLOAD_TOO_LARGE"
    res = client.post("/api/identity/avatar", data={"nofile": "x"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_INPUT"
    res = client.post("/api/identity/avatar", json={"file": "x"})
    assert res.status_code == 400
    assert upload_avatar(new_client(), image_bytes("PNG")).status_code == 401
    assert new_client().get("/api/identity/avatar/sign").status_code == 401
    for name in ["../../etc/passwd", "x.jpg", "a" * 32 + "-" + "b" * 16 + ".png"]:
        assert new_client().get(f"/api/uploads/avatars/{name}").status_code == 404


# --- Cloudinary --------------------------------------------------------------------


def test_cloudinary_signed_upload_params(signed_in, new_client, cloudinary_server):
    fake, url = cloudinary_server
    client, user = signed_in()
    res = client.get("/api/identity/avatar/sign")
    assert res.status_code == 200
    body = res.json()
    assert body["provider"] == "cloudinary"
    assert body["uploadUrl"] == f"{url}/v1_1/{CLOUD['name']}/image/upload"
    fields = body["fields"]
    assert fields["api_key"] == CLOUD["key"] and fields["public_id"] == user["id"]
    assert abs(int(fields["timestamp"]) - time.time()) < 60
    assert CLOUD["secret"] not in res.text

    # The browser's direct upload with exactly those fields is accepted by Cloudinary...
    png = image_bytes("PNG")
    direct = new_client().post(body["uploadUrl"], data=fields, files={"file": ("a.png", png)})
    assert direct.status_code == 200, direct.text
    assert fake.uploads[-1]["bytes"] == png
    # ...and a tampered one (someone else's public id) is not.
    forged = {**fields, "public_id": "someone-else"}
    res = new_client().post(body["uploadUrl"], data=forged, files={"file": ("a.png", png)})
    assert res.status_code == 401

    # The client then stores the secure_url in its profile.
    secure_url = direct.json()["secure_url"]
    res = client.patch("/api/identity/profile", json={"avatarUrl": secure_url})
    assert res.status_code == 200 and res.json()["user"]["avatarUrl"] == secure_url


def test_server_side_upload_goes_to_cloudinary(signed_in, cloudinary_server):
    fake, _ = cloudinary_server
    client, user = signed_in()
    res = upload_avatar(client, image_bytes("WEBP", mode="RGB"), "a.webp", "image/webp")
    assert res.status_code == 200, res.text
    avatar = res.json()["user"]["avatarUrl"]
    assert avatar.startswith(f"https://res.cloudinary.com/{CLOUD['name']}/")
    sent = fake.uploads[-1]
    assert sent["public_id"] == user["id"] and sent["folder"] == "rooms/avatars"
    with Image.open(io.BytesIO(sent["bytes"])) as img:  # processed before it left us
        assert img.format == "JPEG" and img.size == (256, 256)


def test_cloudinary_refusal_is_reported(signed_in, settings_env, cloudinary_server):
    settings_env(CLOUDINARY_API_SECRET="not-the-right-secret")
    client, _ = signed_in()
    res = upload_avatar(client, image_bytes("PNG"))
    assert res.status_code == 502 and res.json()["error"] == "STORAGE_UNAVAILABLE"
