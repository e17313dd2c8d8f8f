"""The seller's side: what the seller's customer-care staff may do, and the rules of acting
for a customer user.

Staff are not customer users: their rights are their own catalogue, never mixed with the
customer's (a customer role can never hold them, a staff member never holds a customer right
except while acting for a user, and then only the user's rights an agent may use).
"""

from __future__ import annotations

from enum import StrEnum

from customer_center.domain.permissions import Permission


class StaffPermission(StrEnum):
    VIEW = "seller.view"  # agent: find companies, see everything of a company (audited)
    ACT_ON_BEHALF = "seller.act_on_behalf"  # act as a customer user, per company policy
    MANAGE_STAFF = "seller.manage_staff"  # supervisor: add staff, set rights, account teams
    SETTINGS = "seller.settings"  # the seller's settings (single sign-on of the staff)


ALL_STAFF_RIGHTS: frozenset[str] = frozenset(StaffPermission)

# What an agent never does while acting for a customer user, whatever the user may: approve
# or reject the customer's spending, grant rights, change the customer's budgets, chains,
# company settings (SSO, SCIM) or users. Their own account (password, e-mail, sessions,
# handing over the main contact) is refused by the access rule ``own_account``.
NEVER_WHILE_ACTING: frozenset[str] = frozenset(
    {
        Permission.APPROVALS_DECIDE,
        Permission.USERS_MANAGE,
        Permission.ROLES_MANAGE,
        Permission.BUDGETS_MANAGE,
        Permission.CHAINS_MANAGE,
        Permission.COMPANY_MANAGE,
    }
)


class StaffStatus(StrEnum):
    INVITED = "invited"  # added, has not chosen a password yet
    ACTIVE = "active"
    INACTIVE = "inactive"  # deactivated: cannot sign in, sessions ended


class TeamRole(StrEnum):
    """A staff member's part in a customer company's account team."""

    KEY_ACCOUNT_MANAGER = "key_account_manager"
    AGENT = "agent"


class ActingPolicy(StrEnum):
    """Whether the seller's agents may act for a company's users (set by its main contact)."""

    NEVER = "never"
    CONSENT = "consent"  # the user approves each time, for a limited time
    ALWAYS = "always"


# An acting session ends after this long without an event; the banner offers to extend it.
ACTING_IDLE_MINUTES = 10
