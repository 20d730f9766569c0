"""A transcript as a file: plain text, Markdown, JSON, SubRip (SRT) and WebVTT."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from rooms.core.errors import InvalidInput
from rooms.core.transcripts import Line, Transcript, clock
from rooms.core.validation import UNSAFE_IN_LINE_RE

_WS_RE = re.compile(r"\s+")
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    media_type: str


FORMATS: dict[str, ExportFormat] = {
    "txt": ExportFormat("txt", "text/plain; charset=utf-8"),
    "md": ExportFormat("md", "text/markdown; charset=utf-8"),
    "json": ExportFormat("json", "application/json"),
    "srt": ExportFormat("srt", "application/x-subrip; charset=utf-8"),
    "vtt": ExportFormat("vtt", "text/vtt; charset=utf-8"),
}


def parse_format(value: str) -> ExportFormat:
    fmt = FORMATS.get(value.strip().lower()) if len(value) <= 16 else None
    if fmt is None:
        raise InvalidInput(f"format must be one of: {', '.join(FORMATS)}.", code="INVALID_FORMAT")
    return fmt


def filename(transcript: Transcript, fmt: ExportFormat) -> str:
    return f"{transcript.session.slug}-transcript.{fmt.extension}"


def render(transcript: Transcript, fmt: ExportFormat) -> str:
    return _RENDERERS[fmt.extension](transcript)


def _one_line(text: str) -> str:
    """Every field on one line: cue formats end a cue at a line break, so a name holding one
    (or U+2028, U+0085) could forge cues. Rows stored before names were checked, and text
    from engines, pass through here too."""
    return _WS_RE.sub(" ", UNSAFE_IN_LINE_RE.sub(" ", text)).strip()


def _who(x: Line) -> str:
    return _one_line(x.speaker.name)


def _title(t: Transcript) -> str:
    return _one_line(t.session.title or "") or f"Session {t.session.slug}"


def _date(t: Transcript) -> str:
    return t.session.created_at.strftime("%Y-%m-%d %H:%M UTC")


def _txt(t: Transcript) -> str:
    out = [_title(t), _date(t), ""]
    out += [f"[{clock(x.start)}] {_who(x)}: {_one_line(x.text)}" for x in t.lines]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def _md(t: Transcript) -> str:
    out = [f"# {_md_escape(_title(t))}", "", f"*{_date(t)}*", ""]
    for x in t.lines:
        who = f"**{_md_escape(_who(x))}** `{clock(x.start)}`"
        out += [f"{who}  \n{_md_escape(_one_line(x.text))}", ""]
    return "\n".join(out)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def line_json(x: Line) -> dict:
    return {
        "id": x.segment_id,
        "utteranceId": x.utterance_id,
        "text": x.text,
        "language": x.language,
        "isFinal": x.is_final,
        "startedAt": _iso(x.started_at),
        "endedAt": _iso(x.ended_at),
        "start": round(x.start, 3),
        "end": round(x.end, 3),
        "speaker": {
            "participantId": x.speaker.participant_id,
            "name": x.speaker.name,
            "avatarUrl": x.speaker.avatar_url,
            "color": x.speaker.color,
        },
    }


def _json(t: Transcript) -> str:
    s = t.session
    body = {
        "session": {
            "slug": s.slug,
            "title": s.title,
            "status": s.status.value if hasattr(s.status, "value") else s.status,
            "createdAt": _iso(s.created_at),
            "endedAt": _iso(s.ended_at),
        },
        "segments": [line_json(x) for x in t.lines],
    }
    return json.dumps(body, ensure_ascii=False)


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _srt(t: Transcript) -> str:
    blocks = []
    for i, x in enumerate((x for x in t.lines if _one_line(x.text)), start=1):
        text = f"{_who(x)}: {_one_line(x.text)}"
        blocks.append(f"{i}\n{_stamp(x.start, ',')} --> {_stamp(x.end, ',')}\n{text}\n\n")
    return "".join(blocks)


def _vtt_escape(text: str) -> str:
    # "-->" may not appear in cue text; the entity form of ">" keeps it readable.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt(t: Transcript) -> str:
    out = ["WEBVTT", ""]
    for x in t.lines:
        text = _one_line(x.text)
        if not text:
            continue
        voice = _vtt_escape(_who(x))
        out.append(x.segment_id)
        out.append(f"{_stamp(x.start, '.')} --> {_stamp(x.end, '.')}")
        out.append(f"<v {voice}>{_vtt_escape(text)}")
        out.append("")
    return "\n".join(out)


_RENDERERS = {"txt": _txt, "md": _md, "json": _json, "srt": _srt, "vtt": _vtt}
