"""rooms.core.invitations: what the reader is told about an invitation's expiry."""

from __future__ import annotations

from datetime import datetime

from rooms.core.invitations import expiry_label
from rooms.core.models import Invitation


def test_expiry_label_in_the_readers_language():
    invitation = Invitation(expires_at=datetime(2026, 12, 9, 10, 0))
    assert expiry_label(invitation) == "Expires Dec 9, 2026"
    assert expiry_label(invitation, "en") == "Expires Dec 9, 2026"
    assert expiry_label(invitation, "ru") == "Действует до 9 дек. 2026\u202fг."
