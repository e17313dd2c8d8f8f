"""Account teams: which members of the seller's staff look after a customer company (a key
account manager, agents). Supervisors set them; the company's users see their team."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission, StaffStatus, TeamRole
from customer_center.models.company import Company
from customer_center.models.staff import AccountTeamMember, StaffMember
from customer_center.services import audit


@dataclass(frozen=True)
class TeamMember:
    staff_id: int
    name: str
    email: str
    team_role: str


def team_of(session: Session, company_id: int) -> list[TeamMember]:
    """The company's account team: active members, key account managers first."""
    rows = session.exec(
        select(StaffMember.id, StaffMember.name, StaffMember.email, AccountTeamMember.team_role)
        .join(StaffMember, col(StaffMember.id) == AccountTeamMember.staff_id)
        .where(
            AccountTeamMember.company_id == company_id,
            StaffMember.status == StaffStatus.ACTIVE,
        )
        .order_by(col(AccountTeamMember.team_role).desc(), col(StaffMember.name))
    ).all()
    return [TeamMember(staff_id or 0, name, email, role) for staff_id, name, email, role in rows]


def set_account_team(
    session: Session, principal: SellerAgent, *, company_id: int, members: dict[int, str]
) -> None:
    """Replace the company's team by ``members`` (staff id -> team role)."""
    principal.require(StaffPermission.MANAGE_STAFF)
    if session.get(Company, company_id) is None:
        raise ServiceError("seller.team.company_not_found")
    if not all(role in set(TeamRole) for role in members.values()):
        raise ValidationFailed({"members": ("error.invalid_input", {})})
    found = session.exec(
        select(StaffMember.id).where(
            col(StaffMember.id).in_(list(members)), StaffMember.status != StaffStatus.INACTIVE
        )
    ).all()
    if set(found) != set(members):
        raise ValidationFailed({"members": ("seller.team.unknown_member", {})})
    before = {m.staff_id: m.team_role for m in _rows(session, company_id)}
    after = {staff_id: str(TeamRole(role)) for staff_id, role in members.items()}
    if before == after:
        return
    session.exec(delete(AccountTeamMember).where(col(AccountTeamMember.company_id) == company_id))
    for staff_id, role in sorted(after.items()):
        session.add(AccountTeamMember(company_id=company_id, staff_id=staff_id, team_role=role))
    audit.record(
        session,
        "staff.account_team_changed",
        company_id=None,
        by=principal.attribution,
        target_type="company",
        target_id=company_id,
        before={"members": _listed(before)},
        after={"members": _listed(after)},
    )


def _rows(session: Session, company_id: int) -> list[AccountTeamMember]:
    return list(
        session.exec(
            select(AccountTeamMember).where(AccountTeamMember.company_id == company_id)
        ).all()
    )


def _listed(members: dict[int, str]) -> list[dict[str, object]]:
    return [{"staff_id": k, "team_role": v} for k, v in sorted(members.items())]


def company_team(session: Session, principal: SellerAgent, *, company_id: int) -> list[TeamMember]:
    """The company's account team as the console shows it (any agent may see it)."""
    principal.require(StaffPermission.VIEW)
    return team_of(session, company_id)


def team_candidates(session: Session, principal: SellerAgent) -> list[TeamMember]:
    """Who a supervisor can put into an account team: staff not deactivated, by name
    (``team_role`` empty)."""
    principal.require(StaffPermission.MANAGE_STAFF)
    rows = session.exec(
        select(StaffMember.id, StaffMember.name, StaffMember.email)
        .where(StaffMember.status != StaffStatus.INACTIVE)
        .order_by(col(StaffMember.name), col(StaffMember.id))
        .limit(500)
    ).all()
    return [TeamMember(staff_id or 0, name, email, "") for staff_id, name, email in rows]
