"""rooms.core.invitations: what the reader is told about an invitation's expiry."""

from __future__ import annotations

from datetime import datetime

from rooms.core.invitations import expiry_label


def test_expiry_label_in_the_readers_language():
    expires_at = datetime(2026, 12, 9, 10, 0)
    assert expiry_label(expires_at) == "Expires Dec 9, 2026"
    assert expiry_label(expires_at, "en") == "Expires Dec 9, 2026"
    assert expiry_label(expires_at, "ru") == "Действует до 9 дек. 2026\u202fг."
