"""Absences: periods, each with a substitute who decides the absent approver's approvals
meanwhile. A person may plan several (a holiday in December and one in March); they must not
overlap, and a substitute must hold approvals.decide.

Everyone may set their own absence; holders of ``chains.manage`` or ``users.manage`` may set
anyone's in their company. Routing reads absences on the day (``domain.chains``), so pending
approvals follow the substitute during the period and return afterwards without any move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from customer_center.domain.chains import absence_problems
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.approval import Absence
from customer_center.models.base import utcnow
from customer_center.services import audit
from customer_center.services.people.budgets import check_subject
from customer_center.services.people.chains import load_directory
from customer_center.services.people.names import names_of

ADMIN_RIGHTS = (Permission.CHAINS_MANAGE, Permission.USERS_MANAGE)
MAX_DAYS = 366


@dataclass(frozen=True)
class AbsenceView:
    id: int
    starts_on: date
    ends_on: date
    substitute_id: int
    substitute_name: str


def may_manage_absence(session: Session, principal: CustomerUser, *, user_id: int) -> bool:
    """One's own absence, or anyone's in the company for holders of an administrative right."""
    if user_id == principal.user_id:
        return True
    return principal.may(*ADMIN_RIGHTS)


def _check_access(session: Session, principal: CustomerUser, user_id: int) -> None:
    check_subject(session, principal, scope=RuleScope.USER, subject_id=user_id)
    if not may_manage_absence(session, principal, user_id=user_id):
        raise ServiceError("admin.not_found")


def _rows(session: Session, principal: CustomerUser, user_id: int) -> list[Absence]:
    return list(
        session.exec(
            select(Absence)
            .where(Absence.company_id == principal.company_id, Absence.user_id == user_id)
            .order_by(col(Absence.starts_on))
        ).all()
    )


def absences_of(session: Session, principal: CustomerUser, *, user_id: int) -> list[AbsenceView]:
    """The person's planned absences, earliest first (past ones too until removed)."""
    _check_access(session, principal, user_id)
    rows = _rows(session, principal, user_id)
    names = names_of(session, principal.company_id, (r.substitute_id for r in rows))
    return [
        AbsenceView(r.id, r.starts_on, r.ends_on, r.substitute_id, names.get(r.substitute_id, ""))  # type: ignore[arg-type]
        for r in rows
    ]


PROBLEM_FIELDS = {
    "chains.absence.dates": "ends_on",
    "chains.absence.overlap": "starts_on",
}


def add_absence(
    session: Session,
    principal: CustomerUser,
    *,
    user_id: int,
    starts_on: date,
    ends_on: date,
    substitute_id: int,
) -> int:
    """Plan one more absence: approvals due to ``user_id`` in the period go to the
    substitute, and come back after. Other planned absences stay; overlapping ones, and a
    substitute who cannot decide approvals, are refused next to their field."""
    _check_access(session, principal, user_id)
    directory = load_directory(session, principal.company_id)
    problems = absence_problems(user_id, substitute_id, starts_on, ends_on, directory)
    if problems:
        raise ValidationFailed(
            {
                PROBLEM_FIELDS.get(p.code, "substitute"): (p.code, p.params)
                for p in reversed(problems)
            }
        )
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValidationFailed({"ends_on": ("absence.too_long", {"days": MAX_DAYS})})
    row = Absence(
        company_id=principal.company_id,
        user_id=user_id,
        substitute_id=substitute_id,
        starts_on=starts_on,
        ends_on=ends_on,
        updated_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record_admin(
        session,
        principal,
        action="absence.set",
        target_type="user",
        target_id=user_id,
        after=_absence_dict(row),
    )
    return row.id  # type: ignore[return-value]


def remove_absence(
    session: Session, principal: CustomerUser, *, user_id: int, absence_id: int | None
) -> None:
    """Remove one planned absence of ``user_id``, loaded by (id, company, person)."""
    _check_access(session, principal, user_id)
    row = session.exec(
        select(Absence).where(
            Absence.id == absence_id,
            Absence.company_id == principal.company_id,
            Absence.user_id == user_id,
        )
    ).first()
    if row is None:
        return
    before = _absence_dict(row)
    session.delete(row)
    audit.record_admin(
        session,
        principal,
        action="absence.cleared",
        target_type="user",
        target_id=user_id,
        before=before,
    )


def _absence_dict(row: Absence) -> dict[str, object]:
    return {
        "from": row.starts_on.isoformat(),
        "until": row.ends_on.isoformat(),
        "substitute_id": row.substitute_id,
    }
