"""The wire contract has one table: the browser's constants are rendered from it, every error
code the vertical sends is in it, and one close code means one retry decision."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from rooms.core.transcription import protocol
from tests.support.helpers import ROOT

ASSETS = ROOT / "assets" / "audio"
BUN = ROOT / "node_modules" / ".bin" / "bun"
# Everything that names an error code of the transcription socket.
VERTICAL = [
    *sorted((ROOT / "rooms" / "core" / "transcription").rglob("*.py")),
    ROOT / "rooms" / "api" / "realtime.py",
]
RAISED = re.compile(
    r"(?:EngineError|TokenRefused|AudioViolation|ProtocolError|error_message|fail|_refuse|"
    r"close_streams|_end|refuse)\(\s*(?:[a-z_.]+,\s*)?\"([A-Z][A-Z_]+)\""
)


def test_the_browser_reads_the_table_as_rendered() -> None:
    assert (ASSETS / "protocol.js").read_text() == protocol.render_js()


def test_the_rendered_constants_are_javascript_that_holds_the_table() -> None:
    # Evaluated by a real JavaScript engine, not parsed as text: a syntax slip fails too.
    script = (
        "globalThis.window = globalThis;"
        f"{(ASSETS / 'protocol.js').read_text()}"
        "console.log(JSON.stringify(window.RoomsProtocol));"
    )
    out = subprocess.run(
        [str(BUN), "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    seen = json.loads(out.stdout)
    assert seen == json.loads(json.dumps(protocol.client_constants()))
    for entry in protocol.ERRORS.values():
        if entry.close is not None:
            assert seen["closeCodes"][entry.code] == entry.close
        assert (entry.close in seen["retryCloseCodes"]) == (
            entry.retryable or entry.close in protocol.TRANSPORT_RETRY_CLOSES
        ), entry


def test_the_transcriber_copies_no_close_code() -> None:
    source = (ASSETS / "transcriber.js").read_text()
    numbers = {int(n) for n in re.findall(r"\b\d{4}\b", source)}
    closes = {e.close for e in protocol.ERRORS.values()} | set(protocol.TRANSPORT_RETRY_CLOSES)
    assert not numbers & closes, numbers & closes
    codes = {c for c in re.findall(r"\"([A-Z][A-Z_]{3,})\"", source)}
    assert not codes & set(protocol.ERRORS), codes & set(protocol.ERRORS)


def test_one_close_code_means_one_retry_decision() -> None:
    by_close: dict[int, set[bool]] = {}
    for entry in protocol.ERRORS.values():
        if entry.close is not None:
            by_close.setdefault(entry.close, set()).add(entry.retryable)
    assert all(len(v) == 1 for v in by_close.values()), by_close


def test_every_error_code_the_vertical_sends_is_in_the_table() -> None:
    sent = set()
    for path in VERTICAL:
        sent |= set(RAISED.findall(Path(path).read_text()))
    assert len(sent) >= 15, sent  # the pattern still finds them
    assert sent <= set(protocol.ERRORS), sent - set(protocol.ERRORS)


def test_no_bare_close_number_in_the_vertical() -> None:
    # 1000 is left out (milliseconds, sizes); the Gladia engine speaks Gladia's close codes.
    closes = {e.close for e in protocol.ERRORS.values() if e.close}
    closes |= set(protocol.TRANSPORT_RETRY_CLOSES)
    for path in VERTICAL:
        if path.name == "protocol.py" or "gladia" in path.name:
            continue
        text = Path(path).read_text()
        found = {int(n) for n in re.findall(r"(?<![\w.])(\d{4})(?![\w.])", text)}
        assert not found & closes, (path, found & closes)
