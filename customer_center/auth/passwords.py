"""Password hashing with argon2 (passlib, maintained fork libpass).

Production hashes with :data:`STANDARD` (passlib's argon2id defaults, written out so a library
update cannot lower them unnoticed). The test suite and the servers it starts set
``CC_PASSWORD_HASHING=fast``: the same algorithm with :data:`FAST`, thousands of times cheaper;
production refuses that setting (``settings.check_production``). A hash carries its own
parameters, so either kind is verified whatever the current setting is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from passlib.context import CryptContext

from customer_center.settings import HASHING_FAST, get_settings


@dataclass(frozen=True)
class Argon2Parameters:
    memory_cost: int  # KiB
    time_cost: int  # passes
    parallelism: int


STANDARD = Argon2Parameters(memory_cost=65536, time_cost=3, parallelism=4)
FAST = Argon2Parameters(memory_cost=8, time_cost=1, parallelism=1)


def parameters() -> Argon2Parameters:
    """The parameters new hashes are made with, as the settings choose them."""
    return FAST if get_settings().password_hashing == HASHING_FAST else STANDARD


@cache
def _context(chosen: Argon2Parameters) -> CryptContext:
    return CryptContext(
        schemes=["argon2"],
        deprecated="auto",
        argon2__memory_cost=chosen.memory_cost,
        argon2__rounds=chosen.time_cost,
        argon2__parallelism=chosen.parallelism,
    )


@cache
def _dummy_hash(chosen: Argon2Parameters) -> str:
    """Verified against when the e-mail is unknown, so both paths cost the same time."""
    return _context(chosen).hash("customer-center-timing-equaliser")


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("blank passwords are never hashed")
    return _context(parameters()).hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; spends the same time when there is no hash."""
    context = _context(parameters())
    if not password_hash:
        context.verify(password or "-", _dummy_hash(parameters()))
        return False
    return bool(context.verify(password, password_hash))
