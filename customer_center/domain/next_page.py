"""Where to go after signing in: back to the page that asked for it, never off the portal."""

from __future__ import annotations

from urllib.parse import quote

DEFAULT_PAGE = "/dashboard"
MAX_LENGTH = 300
# Pages that make no sense to return to, or that would loop.
_NOT_AGAIN = ("/sign-in", "/auth/", "/activate", "/invitation", "/reset-password")


def safe_next(value: str | None) -> str:
    """``value`` if it is a path inside the portal, else the dashboard.

    Refuses absolute and protocol-relative addresses (``https://…``, ``//evil``, ``/\\evil``),
    control characters and overlong values, so a crafted link cannot send anyone elsewhere.
    """
    if (
        not value
        or len(value) > MAX_LENGTH
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(c in value for c in "\\\r\n\t\x00")
        or value.startswith(_NOT_AGAIN)
    ):
        return DEFAULT_PAGE
    return value


def sign_in_address(current_path: str) -> str:
    """The sign-in page that brings the visitor back to ``current_path`` afterwards."""
    target = safe_next(current_path)
    if target == DEFAULT_PAGE:
        return "/sign-in"
    return "/sign-in?next=" + quote(target, safe="")
