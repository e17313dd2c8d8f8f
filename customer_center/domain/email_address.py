"""E-mail addresses as the portal stores and accepts them."""

from __future__ import annotations

import re

MAX_LENGTH = 254
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    """The stored form: trimmed and lower-case (sign-in names are case-insensitive)."""
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    candidate = email.strip()
    return len(candidate) <= MAX_LENGTH and bool(_EMAIL_RE.match(candidate))
