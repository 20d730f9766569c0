"""Fixtures of the API tests: a local upload directory, a fake Cloudinary, and the real
oidc-provider-mock."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from oidc_provider_mock import User, run_server_in_thread

from tests.support.api_server import ServerThread
from tests.support.avatars import CLOUD, FakeCloudinary
from tests.support.oidc import Provider


@pytest.fixture
def local_uploads(settings_env, tmp_path):
    settings_env(
        UPLOAD_DIR=str(tmp_path),
        CLOUDINARY_CLOUD_NAME=None,
        CLOUDINARY_API_KEY=None,
        CLOUDINARY_API_SECRET=None,
    )
    return tmp_path


@pytest.fixture
def cloudinary_server(settings_env):
    fake = FakeCloudinary()
    with ServerThread(fake.app) as server:
        settings_env(
            CLOUDINARY_CLOUD_NAME=CLOUD["name"],
            CLOUDINARY_API_KEY=CLOUD["key"],
            CLOUDINARY_API_SECRET=CLOUD["secret"],
            CLOUDINARY_UPLOAD_PREFIX=server.url,
        )
        yield fake, server.url


@pytest.fixture(scope="module")
def provider_server() -> Iterator[tuple[str, list[User]]]:
    users: list[User] = []  # added over HTTP by add_user
    with run_server_in_thread(
        port=0, require_client_registration=True, require_nonce=True, user_claims=users
    ) as server:
        yield f"http://localhost:{server.server_port}", users


@pytest.fixture
def provider(provider_server, settings_env, api_url) -> Provider:
    url, _ = provider_server
    # A registered client: the provider then checks our secret and redirect_uri for real.
    redirect_uris = [f"{api_url}/api/auth/{p}/callback" for p in ("google", "oidc")]
    reg = httpx.post(f"{url}/oauth2/clients", json={"redirect_uris": redirect_uris})
    assert reg.status_code == 201, reg.text
    client = reg.json()
    settings_env(
        APP_URL=api_url,
        OIDC_ISSUER=url,
        OIDC_CLIENT_ID=client["client_id"],
        OIDC_CLIENT_SECRET=client["client_secret"],
        OIDC_DISPLAY_NAME="Test provider",
        GOOGLE_CLIENT_ID=None,
    )
    return Provider(url, client["client_id"], client["client_secret"])
