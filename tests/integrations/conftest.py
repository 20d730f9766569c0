"""Fixtures for the integration suites: settings that a test changes for itself only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def settings_env() -> Iterator:
    """Set environment variables for one test; the live API server sees them at once
    because it reads the cached settings object per request."""
    from rooms.core.config import reset_settings

    patch = pytest.MonkeyPatch()

    def apply(**values: str | None) -> None:
        for name, value in values.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        reset_settings()

    yield apply
    patch.undo()
    reset_settings()
