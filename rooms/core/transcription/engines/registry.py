"""Speech engines by name. The members are listed here, not imported by the interface
(`base`), so a member depends on the interface only and nothing depends on a member except
this list. TRANSCRIPTION_ENGINE (or its default, settings.effective_transcription_engine)
names the one the gateway uses."""

from __future__ import annotations

from collections.abc import Callable

from rooms.core.config import Settings
from rooms.core.transcription.engines import gladia_rotation
from rooms.core.transcription.engines.base import Engine, UnavailableEngine
from rooms.core.transcription.engines.fallback import FallbackEngine
from rooms.core.transcription.engines.local import engine as local

Factory = Callable[[Settings], Engine]

ENGINES: dict[str, Factory] = {
    "gladia": gladia_rotation.create,  # Gladia, rotating sessions before their cap
    "local": local.create,
}


def _fallback_wanted(settings: Settings) -> bool:
    if settings.transcription_fallback is not None:
        return settings.transcription_fallback == "local"
    return local.installed()


def create_speech_engine(settings: Settings) -> Engine:
    """The speech engine the settings name (not to be confused with the database engine,
    rooms.core.db.make_engine), with the local engine behind Gladia when wanted."""
    name = settings.effective_transcription_engine
    factory = ENGINES.get(name)
    if factory is None:
        return UnavailableEngine(name, f"no speech engine is called {name!r}")
    engine = factory(settings)
    if name == "gladia" and engine.status() == "ok" and _fallback_wanted(settings):
        return FallbackEngine(
            engine,
            lambda: local.create(settings),
            probe_seconds=settings.transcription_probe_seconds,
            replay_seconds=settings.transcription_replay_seconds,
        )
    return engine
