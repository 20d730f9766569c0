import colorsys

from rooms.core.identity import no_avatar_color


def test_no_avatar_color_is_deterministic_and_case_insensitive() -> None:
    assert no_avatar_color("Ada@Example.com") == no_avatar_color(" ada@example.com")
    assert no_avatar_color("a@example.com") != no_avatar_color("b@example.com")


def test_no_avatar_color_is_pastel() -> None:
    for i in range(200):
        color = no_avatar_color(f"person{i}@example.com")
        r, g, b = (int(color[j : j + 2], 16) / 255 for j in (1, 3, 5))
        _, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        assert 0.75 <= lightness <= 0.9, color
        assert 0.4 <= saturation <= 0.8, color
