"""Finding a company's users by name: one place for the name lookups every list needs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, true
from sqlmodel import Session, col, select

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern
from customer_center.models.user import User

SEARCH_MAX = 100  # characters of a typed search that count


def name_or_email_matches(search: str) -> ColumnElement[bool]:
    """A condition on ``User``: the name or address contains ``search`` (any case, LIKE's
    wildcards taken literally); always true for an empty search."""
    term = search.strip().lower()[:SEARCH_MAX]
    if not term:
        return true()
    pattern = like_pattern(term)
    return or_(
        func.lower(User.name).like(pattern, escape=LIKE_ESCAPE),
        col(User.email).like(pattern, escape=LIKE_ESCAPE),
    )


def names_of(session: Session, company_id: int, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the given users of the company, in one query (others are left out)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.exec(
        select(User.id, User.name).where(User.company_id == company_id, col(User.id).in_(wanted))
    ).all()
    return {user_id: name for user_id, name in rows if user_id is not None}


def users_to_pick(
    session: Session, company_id: int, *, search: str = "", limit: int = 50
) -> list[tuple[int, str]]:
    """Users of the company (any status) for a "who" picker, by name, narrowed by a search."""
    statement = select(User.id, User.name).where(
        User.company_id == company_id, name_or_email_matches(search)
    )
    rows = session.exec(statement.order_by(col(User.name), col(User.id)).limit(limit)).all()
    return [(user_id, name) for user_id, name in rows if user_id is not None]
