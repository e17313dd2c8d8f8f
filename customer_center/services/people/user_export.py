"""The company's users as CSV, in the columns the import reads first (an export re-imports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from customer_center.domain.csv_cells import csv_line
from customer_center.domain.principals import CustomerUser
from customer_center.domain.user_csv import EXPORT_COLUMNS, ROLE_SEPARATOR
from customer_center.models.user import Role, User, UserRole

CSV_BATCH = 500


def iter_users_csv(session: Session, principal: CustomerUser) -> Iterator[str]:
    """The header, then every user of the principal's company by name, read in keyset batches."""
    yield csv_line(EXPORT_COLUMNS)
    base = (
        select(User)
        .where(User.company_id == principal.company_id)
        .order_by(col(User.name), col(User.id))
        .limit(CSV_BATCH)
    )
    last: User | None = None
    while True:
        statement = base if last is None else base.where(_after(last))
        batch = list(session.exec(statement).all())
        roles = _role_codes(session, [user.id for user in batch])  # type: ignore[misc]
        for user in batch:
            yield csv_line(_cells(user, roles[user.id]))  # type: ignore[index]
        if len(batch) < CSV_BATCH:
            return
        last = batch[-1]


def _after(user: User):
    return or_(
        col(User.name) > user.name,
        and_(col(User.name) == user.name, col(User.id) > user.id),
    )


def _role_codes(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = defaultdict(list)
    if not user_ids:
        return codes
    pairs = session.exec(
        select(UserRole.user_id, Role.code)
        .join(Role, col(Role.id) == UserRole.role_id)
        .where(col(UserRole.user_id).in_(user_ids))
        .order_by(col(Role.code))
    ).all()
    for user_id, code in pairs:
        codes[user_id].append(code)
    return codes


def _cells(user: User, role_codes: list[str]) -> list[object]:
    return [
        user.name,
        user.email,
        user.language,
        ROLE_SEPARATOR.join(role_codes),
        user.status,
        "yes" if user.is_main_contact else "no",
        _iso_utc(user.created_at),
    ]


def _iso_utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")
