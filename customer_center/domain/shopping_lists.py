"""Shopping lists: with whom a list is shared, and how a client names that.

Pure. The browser sends the sharing as ``private``, ``company`` or ``role:<id>``; the role id
is only a candidate, looked up in the principal's company by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from customer_center.domain import inputs

NAME_MAX = 100
MAX_LIST_LINES = 100  # as many as a cart holds: a whole list fits into an empty cart


class Sharing(StrEnum):
    PRIVATE = ""
    COMPANY = "company"
    ROLE = "role"


@dataclass(frozen=True)
class SharingChoice:
    sharing: Sharing
    role_id: int | None = None

    @property
    def value(self) -> str:
        """How the browser names it (the options of the sharing select)."""
        if self.sharing is Sharing.ROLE:
            return f"role:{self.role_id}"
        return self.sharing.value or "private"


def parse_sharing(value: object) -> SharingChoice | None:
    """``private``, ``company`` or ``role:<id>``; ``None`` for anything else."""
    if not isinstance(value, str) or len(value) > 32:
        return None
    if value in ("", "private"):
        return SharingChoice(Sharing.PRIVATE)
    if value == "company":
        return SharingChoice(Sharing.COMPANY)
    kind, _, ident = value.partition(":")
    role_id = inputs.parse_id(ident) if kind == "role" else None
    return SharingChoice(Sharing.ROLE, role_id) if role_id is not None else None


def clean_name(value: object) -> str:
    """A list's name: text, spaces collapsed, at most :data:`NAME_MAX` characters."""
    return " ".join(inputs.bounded_text(value, NAME_MAX * 4).split())[:NAME_MAX]
