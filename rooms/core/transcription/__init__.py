"""Live transcription: engines, audio validation, the batch writer, fan-out, usage, metrics."""
