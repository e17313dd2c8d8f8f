"""Members of the seller's staff for tests, made as the services store them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from customer_center.auth.passwords import hash_password
from customer_center.auth.principals import resolve_agent
from customer_center.auth.staff_sessions import open_staff_session
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission, StaffStatus
from customer_center.models.staff import StaffMember
from tests.factories import PASSWORD

EVERY_RIGHT = tuple(StaffPermission)


def make_staff(
    session: Session,
    email: str,
    rights: Iterable[StaffPermission] = EVERY_RIGHT,
    *,
    name: str = "",
    status: StaffStatus = StaffStatus.ACTIVE,
    password: str | None = PASSWORD,
) -> StaffMember:
    member = StaffMember(
        email=email,
        name=name or email.split("@")[0].title(),
        rights=[r.value for r in rights],
        status=status,
        password_hash=hash_password(password) if password else None,
    )
    session.add(member)
    session.flush()
    return member


def staff_cookie(session: Session, member: StaffMember) -> str:
    """The raw staff cookie of a new live staff session of ``member``."""
    raw = open_staff_session(session, member, days=1)
    session.commit()
    return raw


def agent_for(session: Session, member: StaffMember) -> SellerAgent:
    """The member as the middleware resolves them from a fresh staff cookie."""
    agent = resolve_agent(session, staff_cookie(session, member))
    assert agent is not None
    return agent
