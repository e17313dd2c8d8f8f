"""Who acts: one resolved principal per event, of an explicit kind, with its rights.

A principal says which company it may touch and what it may do there. Services take it and
scope every query by ``company_id``; they check a right with ``require(right)`` (which refuses)
and branch with ``may(right)``, instead of reading roles again.
Every write records its :class:`Attribution`: who acted (kind and id) and the customer user
the act counts for. Today that is the same user, or no user at all for a SCIM token; an agent
of the seller acting for a customer user (a later kind) acts as one and counts for the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.staff import NEVER_WHILE_ACTING, StaffPermission


class PrincipalKind(StrEnum):
    CUSTOMER_USER = "customer_user"
    SCIM_TOKEN = "scim_token"  # noqa: S105 - a kind of principal, no secret
    SELLER_AGENT = "seller_agent"  # the seller's customer-care staff, also when acting for a user
    PUNCHOUT = "punchout"  # a customer's procurement system through a punchout connection
    # The portal itself: reminders, the ERP's status push, the outbox relay.
    SYSTEM = "system"


@dataclass(frozen=True)
class Attribution:
    """Who acted and for whom, as written on every row that records a change."""

    actor_kind: PrincipalKind
    actor_id: int | None  # the user, token (or, later, agent) that acted
    user_id: int | None  # the customer user the act counts for; None: no user (SCIM, system)
    session_id: int | None = None  # the sign-in session it came through


SYSTEM = Attribution(PrincipalKind.SYSTEM, None, None)


def by_user(user_id: int | None, session_id: int | None = None) -> Attribution:
    """A customer user acting for themselves without a resolved principal (signing in,
    activating, accepting a link); the portal when no user is known."""
    if user_id is None:
        return SYSTEM
    return Attribution(PrincipalKind.CUSTOMER_USER, user_id, user_id, session_id)


class _HoldsRights:
    """The one permission check of every kind of principal."""

    rights: frozenset[str]
    company_id: int

    def may(self, right: Permission, *alternatives: Permission) -> bool:
        """Whether the principal holds ``right`` (or one of the ``alternatives``): to branch."""
        return right in self.rights or any(other in self.rights for other in alternatives)

    def require(
        self, right: Permission, *alternatives: Permission, refusal: str = "error.permission_denied"
    ) -> None:
        """Refuse (``ServiceError(refusal)``) unless the principal holds ``right`` or one of the
        ``alternatives``. A service that hides what exists answers its "not found" code."""
        if not self.may(right, *alternatives):
            raise ServiceError(refusal)

    def may_touch(self, company_id: int | None) -> bool:
        return company_id == self.company_id


@dataclass(frozen=True)
class CustomerUser(_HoldsRights):
    """A signed-in user of one customer company, with the rights of their roles."""

    user_id: int
    company_id: int
    rights: frozenset[str]
    session_id: int = 0
    language: str = "en"
    kind: ClassVar[PrincipalKind] = PrincipalKind.CUSTOMER_USER

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.user_id, self.user_id, self.session_id or None)


# What a company's provisioning token may do: manage its users and their roles.
SCIM_RIGHTS: frozenset[str] = frozenset({Permission.USERS_MANAGE, Permission.ROLES_MANAGE})


@dataclass(frozen=True)
class ScimClient(_HoldsRights):
    """The company's identity provider calling the provisioning endpoint with one of the
    company's SCIM tokens: no user, no sign-in session."""

    token_id: int
    company_id: int
    label: str
    rights: frozenset[str] = field(default=SCIM_RIGHTS)
    language: ClassVar[str] = "en"
    kind: ClassVar[PrincipalKind] = PrincipalKind.SCIM_TOKEN

    @property
    def user_id(self) -> None:
        """A token acts as no user: "not yourself" rules never match it."""
        return None

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.token_id, None)


@dataclass(frozen=True)
class ActingAgent(CustomerUser):
    """An agent of the seller acting for a customer user: the user's company, prices, budget,
    approver chain and rights, minus what an agent never does (``staff.NEVER_WHILE_ACTING``).
    Services see a customer user; every write names the agent as the actor and the user as
    whom it counts for."""

    agent_id: int = 0
    acting_session_id: int = 0
    kind: ClassVar[PrincipalKind] = PrincipalKind.SELLER_AGENT

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.agent_id, self.user_id, self.session_id or None)


def acting_for(user: CustomerUser, *, agent_id: int, acting_session_id: int) -> ActingAgent:
    """The principal of an agent acting for ``user`` (resolved with the user's rights)."""
    return ActingAgent(
        user_id=user.user_id,
        company_id=user.company_id,
        rights=user.rights - NEVER_WHILE_ACTING,
        session_id=user.session_id,
        language=user.language,
        agent_id=agent_id,
        acting_session_id=acting_session_id,
    )


@dataclass(frozen=True)
class SellerAgent:
    """A signed-in member of the seller's customer-care staff with their staff rights. An
    agent may look at every customer company (each look is audited); acting for a user is
    limited by the company's policy and its account team."""

    agent_id: int
    rights: frozenset[str]
    session_id: int = 0
    language: str = "en"
    kind: ClassVar[PrincipalKind] = PrincipalKind.SELLER_AGENT

    def may(self, right: StaffPermission, *alternatives: StaffPermission) -> bool:
        return right in self.rights or any(other in self.rights for other in alternatives)

    def require(
        self,
        right: StaffPermission,
        *alternatives: StaffPermission,
        refusal: str = "error.permission_denied",
    ) -> None:
        if not self.may(right, *alternatives):
            raise ServiceError(refusal)

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.agent_id, None, self.session_id or None)


@dataclass(frozen=True)
class PunchoutClient:
    """A customer's procurement system, authenticated by one punchout connection's shared
    secret (cXML) or password (OCI): it may open punchout sessions for the company's users
    (creating them on the way in) and send the orders its own approval released."""

    connection_id: int
    company_id: int
    protocol: str
    language: ClassVar[str] = "en"
    kind: ClassVar[PrincipalKind] = PrincipalKind.PUNCHOUT

    def may_touch(self, company_id: int | None) -> bool:
        return company_id == self.company_id

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.connection_id, None)


@dataclass(frozen=True)
class PunchoutBuyer(CustomerUser):
    """A customer user whose order came from the procurement system (an OrderRequest): the
    user's company and rights; every write names the connection as the actor."""

    connection_id: int = 0
    kind: ClassVar[PrincipalKind] = PrincipalKind.PUNCHOUT

    @property
    def attribution(self) -> Attribution:
        return Attribution(self.kind, self.connection_id, self.user_id)


Principal = CustomerUser | ScimClient
