"""The company's users as the users page lists them (filtered, sorted and cut in SQL), the
roles its filters offer, and one user's details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.people import UserStatus
from customer_center.domain.principals import Principal
from customer_center.models.auth import OneTimeToken
from customer_center.models.user import Role, User, UserRole
from customer_center.services.people.inviting import INVITATION
from customer_center.services.people.names import name_or_email_matches
from customer_center.services.people.users import STATUSES, company_user

SORTS = {
    "name": User.name,
    "email": User.email,
    "status": User.status,
    "created": User.created_at,
    "last_sign_in": User.last_sign_in_at,
}
PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class UserQuery:
    search: str = ""
    role_id: int | None = None
    status: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 0
    page_size: int = 25


@dataclass(frozen=True)
class UserListRow:
    id: int
    name: str
    email: str
    status: str
    is_main_contact: bool
    role_codes: tuple[str, ...]
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class UserPage:
    rows: list[UserListRow]
    total: int
    page: int
    page_count: int


def _filtered(statement, company_id: int, query: UserQuery):
    statement = statement.where(User.company_id == company_id)
    statement = statement.where(name_or_email_matches(query.search))
    if query.status in STATUSES:
        statement = statement.where(User.status == query.status)
    if query.role_id is not None:
        statement = statement.where(
            col(User.id).in_(select(UserRole.user_id).where(UserRole.role_id == query.role_id))
        )
    return statement


def users_page(session: Session, principal: Principal, *, query: UserQuery) -> UserPage:
    """One page of the company's users, filtered, sorted and cut in SQL."""
    return company_users_page(session, principal.company_id, query=query)


def company_users_page(session: Session, company_id: int, *, query: UserQuery) -> UserPage:
    """The page of :func:`users_page` for any company: also read by the seller's console."""
    size = query.page_size if query.page_size in PAGE_SIZES else PAGE_SIZES[0]
    total = session.exec(_filtered(select(func.count()).select_from(User), company_id, query)).one()
    page_count = max(1, -(-total // size))
    page = min(max(query.page, 0), page_count - 1)
    sort_column = SORTS.get(query.sort, User.name)
    order = col(sort_column).desc() if query.descending else col(sort_column).asc()
    users = session.exec(
        _filtered(select(User), company_id, query)
        .order_by(order, col(User.id))
        .offset(page * size)
        .limit(size)
    ).all()
    roles = _role_codes_by_user(session, [u.id for u in users])
    rows = [
        UserListRow(
            id=u.id,
            name=u.name,
            email=u.email,
            status=u.status,
            is_main_contact=u.is_main_contact,
            role_codes=tuple(roles.get(u.id, ())),
            last_sign_in_at=u.last_sign_in_at,
        )
        for u in users
    ]
    return UserPage(rows=rows, total=total, page=page, page_count=page_count)


def _role_codes_by_user(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not user_ids:
        return found
    pairs = session.exec(
        select(UserRole.user_id, Role.code)
        .join(Role, col(Role.id) == UserRole.role_id)
        .where(col(UserRole.user_id).in_(user_ids))
        .order_by(col(Role.id))
    ).all()
    for user_id, code in pairs:
        found.setdefault(user_id, []).append(code)
    return found


@dataclass(frozen=True)
class RoleChoice:
    id: int
    code: str
    name: str
    is_builtin: bool


def role_choices(session: Session, principal: Principal) -> list[RoleChoice]:
    """The company's roles as filters and checkboxes offer them."""
    return company_role_choices(session, principal.company_id)


def company_role_choices(session: Session, company_id: int) -> list[RoleChoice]:
    """:func:`role_choices` of any company: also read by the seller's console."""
    roles = session.exec(
        select(Role).where(Role.company_id == company_id).order_by(col(Role.id))
    ).all()
    return [RoleChoice(r.id, r.code, r.name, r.is_builtin) for r in roles]  # type: ignore[arg-type]


@dataclass(frozen=True)
class UserDetail:
    id: int
    name: str
    email: str
    language: str
    status: str
    is_main_contact: bool
    role_ids: tuple[int, ...]
    created_at: datetime
    last_sign_in_at: datetime | None
    invitation_expires_at: datetime | None


def user_detail(session: Session, principal: Principal, *, user_id: int) -> UserDetail:
    user = company_user(session, principal, user_id=user_id)
    role_ids = session.exec(select(UserRole.role_id).where(UserRole.user_id == user.id)).all()
    expires = None
    if user.status == UserStatus.INVITED:
        expires = session.exec(
            select(func.max(OneTimeToken.expires_at)).where(
                OneTimeToken.user_id == user.id,
                OneTimeToken.purpose == INVITATION,
                col(OneTimeToken.used_at).is_(None),
            )
        ).one()
    return UserDetail(
        id=user.id,  # type: ignore[arg-type]
        name=user.name,
        email=user.email,
        language=user.language,
        status=user.status,
        is_main_contact=user.is_main_contact,
        role_ids=tuple(sorted(role_ids)),
        created_at=user.created_at,
        last_sign_in_at=user.last_sign_in_at,
        invitation_expires_at=expires,
    )
