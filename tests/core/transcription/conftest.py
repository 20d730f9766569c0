"""A fake Gladia and an API server whose gateway uses it (the real Gladia bridge)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.api_server import ServerThread, api_server_with
from tests.support.fake_gladia import FakeGladia
from tests.support.gateway import Host, gladia_env


@pytest.fixture(scope="module")
def fake_gladia() -> Iterator[FakeGladia]:
    fake = FakeGladia()
    with ServerThread(fake.app) as server:
        fake.base_url = server.url
        yield fake


@pytest.fixture(scope="module")
def gateway_url(fake_gladia: FakeGladia, database: str) -> Iterator[str]:

    with api_server_with(gladia_env(fake_gladia)) as url:
        yield url


@pytest.fixture
def host(gateway_url: str) -> Iterator[Host]:
    h = Host(gateway_url)
    yield h
    h.http.close()
