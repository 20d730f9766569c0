"""Finding 3 of issue 13: `?next=` after sign-in never leaves the site, whatever the
browser strips or rewrites on the way (tab, CR, LF, backslashes, bidi marks)."""

from __future__ import annotations

import pytest

from rooms.core.redirects import safe_next
from rooms.state.auth import safe_next as page_safe_next

# Each, as the query parameter's decoded value, would take a browser to evil.example.
OFF_SITE = [
    "//evil.example",
    "//evil.example/x",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/ /evil.example",
    "/\x00/evil.example",
    "/\u2028/evil.example",
    "/\u202e/evil.example",
    "/\u00a0/evil.example",
    "/\x0b/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "\t//evil.example",
    " /\t/evil.example",
    "evil.example",
]
ON_SITE = ["/sessions", "/session/abc-defg-hij", "/search?q=a%2Fb", "/%5Cevil", "/tasks#x"]


@pytest.mark.parametrize("value", OFF_SITE, ids=repr)
def test_off_site_next_falls_back_everywhere(value: str) -> None:
    assert safe_next(value, "/home") == "/home"
    assert page_safe_next(value) == "/sessions"


@pytest.mark.parametrize("value", ON_SITE)
def test_paths_on_this_site_are_kept(value: str) -> None:
    assert safe_next(value) == value
    assert page_safe_next(value) == value


def test_the_login_page_has_no_copy_of_the_rule_in_javascript() -> None:
    from rooms.components import layout

    assert not hasattr(layout, "NEXT_FROM_QUERY_JS")
