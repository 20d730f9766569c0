"""Finding 8 of issue 13: one body limit per route class (JSON, upload, webhook), enforced
while the body is read: Content-Length or not, the route never reads past it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from rooms.core import limits

MB = 1024 * 1024


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        sent += n
        yield b" " * n


def _assert_413(res: httpx.Response, route_class: str) -> None:
    assert res.status_code == 413, res.text[:200]
    body = res.json()
    assert body["error"] == "PAYLOAD_TOO_LARGE" and body["message"], body


def test_fifty_megabytes_of_json_are_refused(signed_in) -> None:
    client, _ = signed_in()
    before = len(client.get("/api/spaces").json()["spaces"])
    big = b'{"name": "' + b"x" * (50 * MB) + b'"}'
    _assert_413(
        client.post("/api/spaces", content=big, headers={"Content-Type": "application/json"}),
        "json",
    )
    # Chunked (no Content-Length): cut while reading, same answer.
    res = client.post(
        "/api/spaces",
        content=(b'{"name": "' + c for c in _chunks(50 * MB)),
        headers={"Content-Type": "application/json"},
    )
    _assert_413(res, "json")
    assert len(client.get("/api/spaces").json()["spaces"]) == before
    # A normal body still works.
    assert client.post("/api/spaces", json={"name": "Small"}).status_code == 201


def test_chunked_avatar_upload_is_cut(signed_in, local_uploads, settings_env) -> None:
    client, _ = signed_in()
    settings_env(AVATAR_MAX_BYTES="20000")
    boundary = "rooms-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from _chunks(8 * MB)
        yield f"\r\n--{boundary}--\r\n".encode()

    res = client.post(
        "/api/identity/avatar",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    _assert_413(res, "upload")
    assert client.get("/api/identity/profile").json()["user"]["avatarUrl"] is None


def test_unauthenticated_webhook_is_refused_before_it_is_all_read(api_url: str) -> None:
    """A chunked body that never ends: sent past the limit, then the socket stays open
    and silent. A server that reads the whole body first would never answer."""
    limit = limits.WEBHOOK_MAX_BYTES
    host, port = api_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as sock:
        sock.sendall(
            b"POST /api/livekit/webhook HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 16384
        for _ in range(limit // len(chunk) + 2):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        reply = b""
        while b"\r\n\r\n" not in reply or b"}" not in reply:
            data = sock.recv(65536)  # socket.timeout fails the test
            if not data:
                break
            reply += data
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"PAYLOAD_TOO_LARGE" in reply
    # With a Content-Length over the limit: refused at once.
    res = httpx.post(f"{api_url}/api/livekit/webhook", content=b"x" * (limit + 1))
    _assert_413(res, "webhook")


@pytest.mark.parametrize(
    ("path", "route_class"),
    [
        ("/api/spaces", "json"),
        ("/api/identity/avatar", "upload"),
        ("/api/livekit/webhook", "webhook"),
    ],
)
def test_each_route_class_has_its_limit(path: str, route_class: str) -> None:
    from rooms.core.config import get_settings

    limit = limits.body_limit(get_settings(), path)
    assert limit is not None and limit.route_class == route_class
    assert limits.body_limit(get_settings(), "/upload_avatar") is None  # Reflex's own routes
