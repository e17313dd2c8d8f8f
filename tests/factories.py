"""Companies and users for tests, built the way activation and invitations build them."""

from __future__ import annotations

from sqlmodel import Session, select

from customer_center.auth.passwords import hash_password
from customer_center.auth.principals import resolve_principal
from customer_center.auth.sessions import open_session
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import CustomerUser
from customer_center.models.company import Company
from customer_center.models.user import Role, User, UserRole
from customer_center.services.identity.activation import create_builtin_roles

PASSWORD = "Correct-Horse-Battery-9"  # noqa: S105 - the test users' password


def make_company(session: Session, number: str = "C-1", name: str = "Acme GmbH") -> CustomerUser:
    """A company with its built-in roles and main contact; returns the main contact as actor."""
    company = Company(customer_number=number, name=name)
    session.add(company)
    session.flush()
    create_builtin_roles(session, company.id)  # type: ignore[arg-type]
    main = make_user(session, company.id, f"main@{number.lower()}.example", ["main_contact"])  # type: ignore[arg-type]
    main.is_main_contact = True
    session.add(main)
    session.commit()
    return actor_for(session, main)


def make_user(
    session: Session,
    company_id: int,
    email: str,
    role_codes: list[str],
    *,
    name: str | None = None,
    status: str = UserStatus.ACTIVE,
) -> User:
    user = User(
        company_id=company_id,
        email=email,
        name=name or email.split("@")[0].title(),
        status=status,
        password_hash=hash_password(PASSWORD),
    )
    session.add(user)
    session.flush()
    for code in role_codes:
        role = session.exec(
            select(Role).where(Role.company_id == company_id, Role.code == code)
        ).one()
        session.add(UserRole(user_id=user.id, role_id=role.id))  # type: ignore[arg-type]
    session.flush()
    return user


def actor_for(session: Session, user: User) -> CustomerUser:
    """A live sign-in session of ``user``, as the middleware resolves it from the cookie."""
    actor = resolve_principal(session, signed_in_cookie(session, user))
    assert actor is not None
    return actor


def signed_in_cookie(session: Session, user: User) -> str:
    """The raw cookie value of a new live session of ``user``."""
    raw = open_session(session, user, days=1)
    session.commit()
    return raw


def role_id(session: Session, company_id: int, code: str) -> int:
    return session.exec(
        select(Role.id).where(Role.company_id == company_id, Role.code == code)
    ).one()  # type: ignore[return-value]
