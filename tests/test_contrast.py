"""Text colours in both colour schemes meet WCAG AA (4.5:1) against the page and card."""

import re

import pytest
from helpers import REPO

CSS = (REPO / "static" / "css" / "site.css").read_text()
TEXT_VARS = ["fg", "muted", "link", "full", "partial", "none", "unknown", "warn", "bad"]


def palettes() -> dict[str, dict[str, str]]:
    light = re.search(r":root \{(.*?)font-family", CSS, re.S).group(1)
    dark = re.search(r"prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", CSS, re.S).group(1)
    parse = lambda block: dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", block))  # noqa: E731
    return {"light": parse(light), "dark": parse(dark)}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("background", ["bg", "card"])
def test_text_colours_meet_wcag_aa(scheme, background):
    palette = palettes()[scheme]
    for name in TEXT_VARS:
        ratio = contrast(palette[name], palette[background])
        assert ratio >= 4.5, f"{scheme} --{name} on --{background}: {ratio:.2f}"
