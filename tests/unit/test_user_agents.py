"""Naming a browser from its User-Agent."""

from __future__ import annotations

import pytest

from customer_center.domain.user_agents import describe

CASES = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        ("Edge", "Windows", "computer"),
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        ("Chrome", "Linux", "computer"),
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Safari/605.1.15",
        ("Safari", "macOS", "computer"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36",
        ("Chrome", "Android", "phone"),
    ),
    ("curl/8.5.0", ("", "", "")),
    ("", ("", "", "")),
]


@pytest.mark.parametrize(("agent", "expected"), CASES)
def test_browser_and_device(agent: str, expected: tuple[str, str, str]) -> None:
    device = describe(agent)
    assert (device.browser, device.system, device.kind) == expected
