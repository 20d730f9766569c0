"""Prometheus metrics of the transcription gateway (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from rooms.core.transcription.db_errors import REASONS

CONNECTIONS = Gauge("rooms_transcription_active_connections", "Open transcription WebSockets")
CONNECTIONS_TOTAL = Counter(
    "rooms_transcription_connections_accepted_total", "Transcription WebSockets accepted"
)
FRAMES_IN = Counter("rooms_transcription_audio_frames_total", "Audio frames received")
BYTES_IN = Counter("rooms_transcription_audio_bytes_total", "Audio bytes received")
TRANSCRIPTS_OUT = Counter(
    "rooms_transcription_transcripts_total", "Transcripts sent to clients", ["kind"]
)
ERRORS = Counter("rooms_transcription_errors_total", "Errors sent to clients, by code", ["code"])
ENGINE_RECONNECTS = Counter(
    "rooms_transcription_engine_reconnects_total", "Engine connections resumed after a drop"
)
ENGINE_SWITCHES = Counter(
    "rooms_transcription_engine_switches_total",
    "Streams moved to the fallback engine: at the start (the primary refused, or is taken "
    "for down) or mid-stream (the primary dropped and did not resume)",
    ["primary", "fallback", "code", "phase"],
)
PRIMARY_UP = Gauge(
    "rooms_transcription_engine_primary_up",
    "1 while new streams go to the primary engine, 0 while its health probe waits for it",
    ["engine"],
)
PROBES = Counter(
    "rooms_transcription_engine_probes_total",
    "Health probes of a primary engine taken for down, by outcome",
    ["engine", "outcome"],
)
REPLAY_DROPPED_SECONDS = Counter(
    "rooms_transcription_failover_replay_dropped_seconds_total",
    "Audio older than TRANSCRIPTION_REPLAY_SECONDS without a final, no longer kept for a "
    "fail-over replay",
)
ENGINE_ROTATIONS = Counter(
    "rooms_transcription_engine_rotations_total",
    "Long streams moved to a fresh Gladia session before its duration cap",
)
QUEUE_DEPTH = Gauge("rooms_transcription_writer_queue_depth", "Finals waiting to be written")
FLUSH_SIZE = Histogram(
    "rooms_transcription_writer_flush_size",
    "Rows per batch insert",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
)
FLUSH_SECONDS = Histogram(
    "rooms_transcription_writer_flush_seconds",
    "Duration of one batch insert",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
WRITTEN = Counter("rooms_transcription_writer_rows_total", "Final segments handed to the DB")
WRITE_ERRORS = Counter("rooms_transcription_writer_errors_total", "Failed batch inserts")
BACKPRESSURE = Counter(
    "rooms_transcription_writer_backpressure_total",
    "Times a producer waited because the writer's buffer was full",
)
HUB_DROPPED = Counter(
    "rooms_transcription_hub_dropped_total", "Live messages dropped for a slow subscriber"
)
ROWS_REJECTED = Counter(
    "rooms_transcription_writer_rows_rejected_total",
    "Finals the database refused for good (dropped, logged on the dead-letter logger)",
    ["reason"],
)
ROWS_UNWRITTEN = Counter(
    "rooms_transcription_writer_rows_unwritten_total",
    "Finals still buffered when the writer closed (database away past the shutdown timeout)",
)
for _reason in REASONS:  # every series exists from the start, so rate() sees the first one
    ROWS_REJECTED.labels(_reason)
