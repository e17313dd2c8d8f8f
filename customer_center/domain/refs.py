"""Things a service names in its results and refusals, as data for the reader's wording:
a role (a built-in is worded by its code, a custom role by its own name) and an approver
chain (the company's, a role's or a user's)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleRef:
    code: str
    name: str
    is_builtin: bool


@dataclass(frozen=True)
class ChainRef:
    scope: str  # "company", "role" or "user" (models.budget.SCOPE_*)
    user_name: str = ""  # the user whose chain it is
    role: RoleRef | None = None  # the role whose default chain it is
    subject_id: int = 0  # shown as "#id" when neither is known any more
