"""Speech engines: the interface and base stream (`base`), the members (`gladia`, `local`)
and the registry that picks one by name (`registry`). This package's own namespace holds
only the interface, so a member importing it never imports the others."""

from rooms.core.transcription.engines.base import (
    BYTES_PER_SECOND,
    SAMPLE_RATE,
    BaseStream,
    Capabilities,
    Engine,
    EngineError,
    EngineStream,
    Event,
    Retraction,
    StreamOptions,
    TranscriptEvent,
    UnavailableEngine,
)

__all__ = [
    "BYTES_PER_SECOND",
    "SAMPLE_RATE",
    "BaseStream",
    "Capabilities",
    "Engine",
    "EngineError",
    "EngineStream",
    "Event",
    "Retraction",
    "StreamOptions",
    "TranscriptEvent",
    "UnavailableEngine",
]
