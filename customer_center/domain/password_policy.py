"""The password policy: long enough, not the e-mail, not a commonly used password."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
_COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, email: str) -> str | None:
    """The message id of the first rule ``password`` breaks, or None when it is acceptable."""
    if not password or not password.strip():
        return "password.blank"
    if len(password) < MIN_LENGTH:
        return "password.too_short"
    if len(password) > MAX_LENGTH:
        return "password.too_long"
    lowered = password.strip().lower()
    local_part = email.strip().lower().split("@", 1)[0]
    if lowered == email.strip().lower() or (len(local_part) >= 4 and local_part in lowered):
        return "password.contains_email"
    if lowered in _common_passwords() or _is_repetition(lowered):
        return "password.common"
    return None


def new_password_errors(
    password: str, repeat: str, email: str
) -> dict[str, tuple[str, dict[str, object]]]:
    """Form errors for a chosen password and its repetition: field -> (message id, params)."""
    problem = password_problem(password, email)
    if problem:
        return {"password": (problem, {"min": MIN_LENGTH})}
    if password != repeat:
        return {"password_repeat": ("password.mismatch", {})}
    return {}


def _is_repetition(password: str) -> bool:
    """One character or one short block repeated (``aaaaaaaaaaaa``, ``abcabcabcabc``)."""
    for size in range(1, 5):
        block = password[:size]
        if block * (len(password) // size) + block[: len(password) % size] == password:
            return True
    return False
