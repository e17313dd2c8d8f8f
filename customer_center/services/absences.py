"""Absences: a period and a substitute who decides the absent approver's approvals meanwhile.

Everyone may set their own absence; holders of ``chains.manage`` or ``users.manage`` may set
anyone's in their company. Routing reads absences on the day (``domain.chains``), so pending
approvals follow the substitute during the period and return afterwards without any move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from customer_center.auth.sessions import Actor
from customer_center.domain.chains import absence_problems
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import Permission
from customer_center.models.approval import Absence
from customer_center.models.base import utcnow
from customer_center.models.budget import SCOPE_USER
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.budgets import check_subject
from customer_center.services.chains import load_directory
from customer_center.services.permissions import permissions_of

ADMIN_RIGHTS = frozenset({Permission.CHAINS_MANAGE.value, Permission.USERS_MANAGE.value})
MAX_DAYS = 366


@dataclass(frozen=True)
class AbsenceView:
    starts_on: date
    ends_on: date
    substitute_id: int
    substitute_name: str


def may_manage_absence(session: Session, actor: Actor, user_id: int) -> bool:
    """One's own absence, or anyone's in the company for holders of an administrative right."""
    if user_id == actor.user_id:
        return True
    return bool(ADMIN_RIGHTS & permissions_of(session, actor.user_id, actor.company_id))


def _check_access(session: Session, actor: Actor, user_id: int) -> None:
    check_subject(session, actor, SCOPE_USER, user_id)
    if not may_manage_absence(session, actor, user_id):
        raise ServiceError("admin.not_found")


def _row(session: Session, actor: Actor, user_id: int) -> Absence | None:
    return session.exec(
        select(Absence).where(Absence.company_id == actor.company_id, Absence.user_id == user_id)
    ).first()


def absence_of(session: Session, actor: Actor, user_id: int) -> AbsenceView | None:
    _check_access(session, actor, user_id)
    row = _row(session, actor, user_id)
    if row is None:
        return None
    substitute = session.get(User, row.substitute_id)
    return AbsenceView(
        row.starts_on, row.ends_on, row.substitute_id, substitute.name if substitute else ""
    )


def set_absence(
    session: Session, actor: Actor, user_id: int, starts_on: date, ends_on: date, substitute_id: int
) -> None:
    """Approvals due to ``user_id`` in the period go to the substitute, and come back after."""
    _check_access(session, actor, user_id)
    directory = load_directory(session, actor.company_id, actor.language)
    problems = absence_problems(user_id, substitute_id, starts_on, ends_on, directory)
    if problems:
        field = "ends_on" if problems[0].code == "chains.absence.dates" else "substitute"
        raise ValidationFailed({field: (problems[0].code, problems[0].params)})
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValidationFailed({"ends_on": ("absence.too_long", {"days": MAX_DAYS})})
    row = _row(session, actor, user_id)
    before = _absence_dict(row)
    row = row or Absence(
        company_id=actor.company_id,
        user_id=user_id,
        substitute_id=substitute_id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    row.starts_on, row.ends_on, row.substitute_id = starts_on, ends_on, substitute_id
    row.updated_at = utcnow()
    session.add(row)
    audit.record_admin(
        session,
        actor,
        "absence.set",
        target_type="user",
        target_id=user_id,
        before=before,
        after=_absence_dict(row),
    )


def clear_absence(session: Session, actor: Actor, user_id: int) -> None:
    _check_access(session, actor, user_id)
    row = _row(session, actor, user_id)
    if row is None:
        return
    before = _absence_dict(row)
    session.delete(row)
    audit.record_admin(
        session, actor, "absence.cleared", target_type="user", target_id=user_id, before=before
    )


def _absence_dict(row: Absence | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {
        "from": row.starts_on.isoformat(),
        "until": row.ends_on.isoformat(),
        "substitute_id": row.substitute_id,
    }
