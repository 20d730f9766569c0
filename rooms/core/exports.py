"""A transcript as a file: plain text, Markdown, JSON, SubRip (SRT) and WebVTT."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from rooms.core.errors import InvalidInput
from rooms.core.transcripts import Line, Transcript, clock
from rooms.core.validation import UNSAFE_IN_LINE_RE

_WS_RE = re.compile(r"\s+")
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_LANG_RE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


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
        raise InvalidInput(
            "format must be one of: {choices}.", code="INVALID_FORMAT", choices=", ".join(FORMATS)
        )
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


def _language(x: Line) -> str | None:
    """The segment's language code; what an engine sent that is not a code is left out (it
    would land in headers and cue markup)."""
    lang = x.language or ""
    return lang if _LANG_RE.fullmatch(lang) else None


def languages(t: Transcript) -> list[str]:
    """The languages its segments were detected in, the most spoken first."""
    counts = Counter(lang for x in t.lines if (lang := _language(x)))
    return [lang for lang, _ in counts.most_common()]


def _other(x: Line, main: str | None) -> str | None:
    """The line's language when it is not the transcript's main one (code switching): only
    those lines are tagged, the main one is named once, in the header."""
    lang = _language(x)
    return lang if lang and main and lang != main else None


def _tag(x: Line, main: str | None) -> str:
    lang = _other(x, main)
    return f" ({lang})" if lang else ""


def _dated(t: Transcript) -> str:
    found = languages(t)
    return f"{_date(t)} · Languages: {', '.join(found)}" if found else _date(t)


def _txt(t: Transcript) -> str:
    main = next(iter(languages(t)), None)
    out = [_title(t), _dated(t), ""]
    out += [f"[{clock(x.start)}] {_who(x)}{_tag(x, main)}: {_one_line(x.text)}" for x in t.lines]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def _md(t: Transcript) -> str:
    main = next(iter(languages(t)), None)
    out = [f"# {_md_escape(_title(t))}", "", f"*{_md_escape(_dated(t))}*", ""]
    for x in t.lines:
        who = f"**{_md_escape(_who(x))}**{_md_escape(_tag(x, main))} `{clock(x.start)}`"
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
        "languages": languages(t),
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
    main = next(iter(languages(t)), None)
    for i, x in enumerate((x for x in t.lines if _one_line(x.text)), start=1):
        text = f"{_who(x)}{_tag(x, main)}: {_one_line(x.text)}"
        blocks.append(f"{i}\n{_stamp(x.start, ',')} --> {_stamp(x.end, ',')}\n{text}\n\n")
    return "".join(blocks)


def _vtt_escape(text: str) -> str:
    # "-->" may not appear in cue text; the entity form of ">" keeps it readable.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt(t: Transcript) -> str:
    found = languages(t)
    main = next(iter(found), None)
    # Header metadata as captions services write it ("Language: en"); a cue in another
    # language is marked with WebVTT's own <lang> span.
    out = ["WEBVTT", *([f"Language: {', '.join(found)}"] if found else []), ""]
    for x in t.lines:
        text = _one_line(x.text)
        if not text:
            continue
        voice = _vtt_escape(_who(x))
        cue = _vtt_escape(text)
        lang = _other(x, main)
        if lang:
            cue = f"<lang {lang}>{cue}</lang>"
        out.append(x.segment_id)
        out.append(f"{_stamp(x.start, '.')} --> {_stamp(x.end, '.')}")
        out.append(f"<v {voice}>{cue}")
        out.append("")
    return "\n".join(out)


_RENDERERS = {"txt": _txt, "md": _md, "json": _json, "srt": _srt, "vtt": _vtt}
