"""The embedded offline engine: Whisper through CTranslate2 (`model`), a process-wide pool of
decoder threads (`pool`), Silero voice-activity detection per stream (`vad`) and the engine
and stream on top (`engine`)."""
