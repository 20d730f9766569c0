// Generated from rooms/core/transcription/protocol.py when the app starts; do not edit
// (tests/core/transcription/test_protocol.py fails if this file and the table differ).
window.RoomsProtocol = Object.freeze({
  "closeCodes": {
    "AUDIO_FRAME_TOO_LARGE": 4413,
    "AUDIO_MAX_DURATION": 4408,
    "AUDIO_NOT_BINARY": 4400,
    "AUDIO_ODD_LENGTH": 4400,
    "AUDIO_RATE_LIMITED": 4429,
    "ENGINE_AUTH_FAILED": 4502,
    "ENGINE_BACKLOG": 4504,
    "ENGINE_DISCONNECTED": 4504,
    "ENGINE_FAILED": 4500,
    "ENGINE_RATE_LIMITED": 4429,
    "ENGINE_UNAVAILABLE": 4503,
    "INTERNAL_ERROR": 1011,
    "NOT_A_PARTICIPANT": 4403,
    "NOT_TRANSCRIPTION_HOST": 4403,
    "ORIGIN_NOT_ALLOWED": 4403,
    "SERVER_SHUTTING_DOWN": 1001,
    "SESSION_ENDED": 4410,
    "STREAMS_ELSEWHERE": 4421,
    "STREAM_REPLACED": 4409,
    "TOKEN_EXPIRED": 4401,
    "TOKEN_INVALID": 4401,
    "TOKEN_MISSING": 4401,
    "TOKEN_USED": 4401,
    "TRANSCRIPTION_BUSY": 1013,
    "TRANSCRIPTION_DISABLED": 4403,
    "TRANSCRIPTION_LIMIT_REACHED": 4429
  },
  "noticeCodes": [
    "INVALID_SPEAKER_MESSAGE",
    "SERVER_SHUTTING_DOWN",
    "SPEAKER_MESSAGES_RATE_LIMITED"
  ],
  "retryCloseCodes": [
    1001,
    1006,
    1011,
    1012,
    1013,
    4421,
    4504
  ]
});
