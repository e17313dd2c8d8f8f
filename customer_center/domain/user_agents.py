"""Naming a signed-in browser from its User-Agent header: browser and device, no library.

The result names the browser family and the operating system a person recognises ("Firefox",
"Windows"); anything unknown stays empty and the reader's words say "Unknown browser".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS: tuple[tuple[str, str], ...] = (
    (r"Edg(?:e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
)
_SYSTEMS: tuple[tuple[str, str, str], ...] = (
    (r"iPhone", "iPhone", "phone"),
    (r"iPad", "iPad", "tablet"),
    (r"Android.*Mobile", "Android", "phone"),
    (r"Android", "Android", "tablet"),
    (r"Windows", "Windows", "computer"),
    (r"Mac OS X|Macintosh", "macOS", "computer"),
    (r"CrOS", "ChromeOS", "computer"),
    (r"Linux", "Linux", "computer"),
)


@dataclass(frozen=True)
class Device:
    browser: str  # "" when unknown
    system: str  # "" when unknown
    kind: str  # computer | phone | tablet | "" (unknown)


def describe(user_agent: str) -> Device:
    """The browser and device behind ``user_agent`` (at most the first 300 characters)."""
    text = (user_agent or "")[:300]
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, text)), "")
    system, kind = next(
        ((name, kind) for pattern, name, kind in _SYSTEMS if re.search(pattern, text)), ("", "")
    )
    return Device(browser, system, kind)
