"""People: the statuses of a portal user, and whose rule a budget rule or approval chain is.

Pure: the string values are those stored in the database (no migration); the enums are
``StrEnum`` so they compare equal to the stored strings.
"""

from __future__ import annotations

from enum import StrEnum


class UserStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # deactivated: no sign-in, no approvals
    INVITED = "invited"  # the invitation is not yet accepted


class RuleScope(StrEnum):
    """Whose budget rule or approval chain: the company's default, a role's default, or one
    user's own (``subject_id`` 0, the role id, the user id)."""

    COMPANY = "company"
    ROLE = "role"
    USER = "user"
