"""Where a sign-in may send the browser afterwards: a path on this site and nothing else.

Browsers remove tab, CR and LF anywhere in a URL and read `\\` as `/`, so `/\\t/evil` and
`/\\evil` both become `//evil`, another host. Rather than list tricks, accept only what
cannot be read as anything but a local path.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

NEXT_MAX = 512


def _plain(value: str) -> bool:
    # Cc (controls), Cf (bidi and zero-width), Z* (any space, line or paragraph separator).
    return not any(
        unicodedata.category(ch)[0] == "Z" or unicodedata.category(ch) in ("Cc", "Cf")
        for ch in value
    )


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` if it is a path on this site, else `default`."""
    if not value or len(value) > NEXT_MAX or not value.startswith("/"):
        return default
    if value[1:2] in ("/", "\\") or "\\" in value or not _plain(value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    return value
