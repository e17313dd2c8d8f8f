"""Users created on the way in ("just in time") and their roles synced at every arrival:
what single sign-on and punchout share. The caller has found the company and the person
(a verified ID token, an authenticated punchout request); this creates the user if needed and
gives the roles a mapping of the request's values (groups, a cost centre, a role name) names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from customer_center.domain import sso
from customer_center.domain.people import UserStatus
from customer_center.models.company import Company
from customer_center.models.user import Role, User, UserRole

NAME_MAX = 200


def display_name(name: object, email: str) -> str:
    """The name given, or one made from the address's local part."""
    if isinstance(name, str) and name.strip():
        return name.strip()[:NAME_MAX]
    return email.split("@")[0].replace(".", " ").title()[:NAME_MAX]


def create_user(session: Session, company: Company, email: str, name: str) -> User:
    """An active user with no password; budgets come from the company's and the roles'
    defaults like for every other user."""
    user = User(
        company_id=company.id,  # type: ignore[arg-type]
        email=email,
        name=name[:NAME_MAX],
        language=company.language,
        status=UserStatus.ACTIVE,
    )
    session.add(user)
    session.flush()
    return user


def sync_roles(
    session: Session,
    *,
    company_id: int,
    user: User,
    values: Iterable[str],
    role_mapping: Mapping[str, Any],
    default_role_id: int | None,
) -> tuple[list[str], list[str]]:
    """Give the roles ``values`` map to, take away managed roles they no longer map to; roles
    given by hand in the portal and the main contact's role stay. Returns (before, after)."""
    roles = {r.code: r for r in session.exec(select(Role).where(Role.company_id == company_id))}
    mapping = {k: v for k, v in role_mapping.items() if isinstance(v, str) and v in roles}
    default = next((r.code for r in roles.values() if r.id == default_role_id), None)
    current = list(
        session.exec(
            select(Role.code)
            .join(UserRole, col(UserRole.role_id) == Role.id)
            .where(UserRole.user_id == user.id)
        ).all()
    )
    wanted = sso.wanted_roles(values, mapping, default)
    plan = sso.plan_roles(current, wanted, sso.managed_roles(mapping, default))
    if plan.remove:
        removed = [roles[c].id for c in plan.remove]
        session.execute(
            delete(UserRole).where(
                col(UserRole.user_id) == user.id, col(UserRole.role_id).in_(removed)
            )
        )
    session.add_all(UserRole(user_id=user.id, role_id=roles[c].id) for c in sorted(plan.add))  # type: ignore[arg-type]
    session.flush()
    after = sorted((set(current) - plan.remove) | plan.add)
    return sorted(current), after
