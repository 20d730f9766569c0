"""A transcript as a file: plain text, Markdown, JSON, SubRip (SRT) and WebVTT.

With a translation language chosen (`Transcript.language`), each line reads in it where its
translation was saved and as spoken otherwise (tagged with the language it was spoken in);
JSON keeps the original `text` and adds the `translation`. The headers of the files people
read (plain text, Markdown) are in the reader's UI language; the machine-read ones are not."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rooms.core import i18n
from rooms.core.errors import InvalidInput
from rooms.core.i18n import N_
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
    lang = transcript.language
    suffix = f".{lang}" if lang and _LANG_RE.fullmatch(lang) else ""
    return f"{transcript.session.slug}-transcript{suffix}.{fmt.extension}"


def render(transcript: Transcript, fmt: ExportFormat, locale: str = i18n.DEFAULT_LOCALE) -> str:
    return _RENDERERS[fmt.extension](transcript, locale)


def _one_line(text: str) -> str:
    """Every field on one line: cue formats end a cue at a line break, so a name holding one
    (or U+2028, U+0085) could forge cues. Rows stored before names were checked, and text
    from engines, pass through here too."""
    return _WS_RE.sub(" ", UNSAFE_IN_LINE_RE.sub(" ", text)).strip()


def _who(x: Line) -> str:
    return _one_line(x.speaker.name)


def _title(t: Transcript, locale: str) -> str:
    untitled = i18n.gettext(locale, N_("Session {slug}"), slug=t.session.slug)
    return _one_line(t.session.title or "") or untitled


def _date(t: Transcript, locale: str) -> str:
    return i18n.format_stamp(t.session.created_at, locale)


def _language(x: Line) -> str | None:
    """The segment's language code; what an engine sent that is not a code is left out (it
    would land in headers and cue markup)."""
    lang = x.language or ""
    return lang if _LANG_RE.fullmatch(lang) else None


def languages(t: Transcript) -> list[str]:
    """The languages its segments were detected in, the most spoken first."""
    counts = Counter(lang for x in t.lines if (lang := _language(x)))
    return [lang for lang, _ in counts.most_common()]


def _main(t: Transcript) -> str | None:
    """The language the file reads in: the translation's, else the most spoken one."""
    return t.language or next(iter(languages(t)), None)


def _text(x: Line) -> str:
    """What the line says in the file: its translation when there is one."""
    return _one_line(x.translation or x.text)


def _other(x: Line, main: str | None) -> str | None:
    """The line's language when it is not the file's main one (code switching, or a line
    with no translation): only those lines are tagged, the main one is named once, in the
    header."""
    if x.translation:
        return None
    lang = _language(x)
    return lang if lang and main and lang != main else None


def _tag(x: Line, main: str | None) -> str:
    lang = _other(x, main)
    return f" ({lang})" if lang else ""


def _dated(t: Transcript, locale: str) -> str:
    parts = [_date(t, locale)]
    if found := languages(t):
        parts.append(i18n.gettext(locale, N_("Languages: {codes}"), codes=", ".join(found)))
    if t.language:
        parts.append(i18n.gettext(locale, N_("Translation: {code}"), code=t.language))
    return " · ".join(parts)


def _txt(t: Transcript, locale: str) -> str:
    main = _main(t)
    out = [_title(t, locale), _dated(t, locale), ""]
    out += [f"[{clock(x.start)}] {_who(x)}{_tag(x, main)}: {_text(x)}" for x in t.lines]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def _md(t: Transcript, locale: str) -> str:
    main = _main(t)
    out = [f"# {_md_escape(_title(t, locale))}", "", f"*{_md_escape(_dated(t, locale))}*", ""]
    for x in t.lines:
        who = f"**{_md_escape(_who(x))}**{_md_escape(_tag(x, main))} `{clock(x.start)}`"
        out += [f"{who}  \n{_md_escape(_text(x))}", ""]
    return "\n".join(out)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def line_json(x: Line, translated: bool = False) -> dict:
    extra = {"translation": x.translation} if translated else {}
    return {
        "id": x.segment_id,
        "utteranceId": x.utterance_id,
        "text": x.text,
        **extra,
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


def _json(t: Transcript, _locale: str) -> str:
    # Read by programs and players: the same bytes in every UI language.
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
        "translations": list(t.translations),
        **({"translationLanguage": t.language} if t.language else {}),
        "segments": [line_json(x, bool(t.language)) for x in t.lines],
    }
    return json.dumps(body, ensure_ascii=False)


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _srt(t: Transcript, _locale: str) -> str:
    # Read by programs and players: the same bytes in every UI language.
    blocks = []
    main = _main(t)
    for i, x in enumerate((x for x in t.lines if _text(x)), start=1):
        text = f"{_who(x)}{_tag(x, main)}: {_text(x)}"
        blocks.append(f"{i}\n{_stamp(x.start, ',')} --> {_stamp(x.end, ',')}\n{text}\n\n")
    return "".join(blocks)


def _vtt_escape(text: str) -> str:
    # "-->" may not appear in cue text; the entity form of ">" keeps it readable.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt(t: Transcript, _locale: str) -> str:
    # Read by programs and players: the same bytes in every UI language.
    found = [t.language] if t.language else languages(t)
    main = _main(t)
    # Header metadata as captions services write it ("Language: en"); a cue in another
    # language is marked with WebVTT's own <lang> span.
    out = ["WEBVTT", *([f"Language: {', '.join(found)}"] if found else []), ""]
    for x in t.lines:
        text = _text(x)
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


_RENDERERS: dict[str, Callable[[Transcript, str], str]] = {
    "txt": _txt,
    "md": _md,
    "json": _json,
    "srt": _srt,
    "vtt": _vtt,
}
