"""Password hashing with argon2 (passlib, maintained fork libpass)."""

from __future__ import annotations

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _context.hash("customer-center-timing-equaliser")


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("blank passwords are never hashed")
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; spends the same time when there is no hash."""
    if not password_hash:
        _context.verify(password or "-", _DUMMY_HASH)
        return False
    return bool(_context.verify(password, password_hash))
