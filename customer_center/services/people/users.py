"""The company's users: who they are, and changing their roles, profile and status.

Every function takes the principal and works inside its company only: the id of a user of
another company behaves exactly like an id that does not exist. A SCIM client acts as no
user, so the "not yourself" rules never match it. Inviting is in :mod:`inviting`, the list
and a user's details in :mod:`user_list`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from customer_center.auth.sessions import revoke_all_sessions
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.domain.principals import Principal
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit
from customer_center.services.people.permissions import role_permissions

STATUSES = (UserStatus.ACTIVE, UserStatus.INVITED, UserStatus.INACTIVE)
NAME_MAX = 200

Errors = dict[str, tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class NewUser:
    name: str
    email: str
    language: str
    role_ids: tuple[int, ...]


def company_user(session: Session, principal: Principal, *, user_id: object) -> User:
    """A user of the principal's company; anything else is "not found"."""
    valid = isinstance(user_id, int) and not isinstance(user_id, bool)
    user = session.get(User, user_id) if valid else None
    if user is None or not principal.may_touch(user.company_id):
        raise ServiceError("admin.not_found")
    return user


def is_self(principal: Principal, user: User) -> bool:
    """Whether ``user`` is the principal itself (never for a SCIM client: it is no user)."""
    return principal.user_id is not None and principal.user_id == user.id


def user_snapshot(session: Session, user: User) -> dict[str, object]:
    """What the audit log records of a user before and after a change."""
    return {
        "name": user.name,
        "email": user.email,
        "language": user.language,
        "status": user.status,
        "roles": sorted(role_codes_of(session, user.id)),  # type: ignore[arg-type]
    }


def role_codes_of(session: Session, user_id: int) -> list[str]:
    return list(
        session.exec(
            select(Role.code)
            .join(UserRole, col(UserRole.role_id) == Role.id)
            .where(UserRole.user_id == user_id)
        ).all()
    )


# --- checking a new user ------------------------------------------------------------------


def _assignable_roles(session: Session, company_id: int) -> dict[int, Role]:
    """The roles an administrator may give: all of the company's but the main contact's."""
    roles = session.exec(
        select(Role).where(Role.company_id == company_id, Role.code != MAIN_CONTACT_ROLE)
    ).all()
    return {role.id: role for role in roles}  # type: ignore[misc]


def _role_errors(role_ids: Sequence[int], assignable: dict[int, Role]) -> Errors:
    if not role_ids:
        return {"roles": ("users.error.role_required", {})}
    if any(role_id not in assignable for role_id in role_ids):
        return {"roles": ("users.error.role_unknown", {})}
    return {}


def validate_new_user(
    session: Session, company_id: int, new: NewUser, taken_emails: set[str]
) -> Errors:
    """Everything wrong with ``new``, by field; ``taken_emails`` are addresses already claimed
    by other rows of the same request. Writes nothing."""
    errors = identity_errors(session, new.name, new.email, new.language, taken_emails)
    errors.update(_role_errors(new.role_ids, _assignable_roles(session, company_id)))
    return errors


def identity_errors(
    session: Session, name: str, email: str, language: str, taken_emails: set[str] | None = None
) -> Errors:
    """What is wrong with a new user's name, sign-in address and language, by field."""
    errors = profile_errors(name, language)
    email = normalize_email(email)
    if not email:
        errors["email"] = ("form.required", {})
    elif not is_valid_email(email):
        errors["email"] = ("form.email_invalid", {})
    elif email in (taken_emails or set()) or email_in_use(session, email):
        errors["email"] = ("users.error.email_taken", {})
    return errors


def profile_errors(name: str, language: str) -> Errors:
    """What is wrong with a name and a language, by field."""
    errors = name_errors(name)
    if language not in LANGUAGES:
        errors["language"] = ("users.error.language_unknown", {})
    return errors


def name_errors(name: str) -> Errors:
    """What is wrong with a person's name (spaces around it do not count)."""
    name = name.strip()
    if not name:
        return {"name": ("form.required", {})}
    if len(name) > NAME_MAX:
        return {"name": ("form.too_long", {"max": NAME_MAX})}
    return {}


def email_in_use(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


# --- roles, profile, status ----------------------------------------------------------------


def check_grantable(session: Session, principal: Principal, *, role_ids: set[int]) -> None:
    """Nobody hands out rights they do not hold themselves (the main contact holds all)."""
    own = principal.rights
    for role_id in role_ids:
        if not permissions_of_role(session, role_id) <= own:
            raise ValidationFailed({"roles": ("users.error.role_beyond_own_rights", {})})


def permissions_of_role(session: Session, role_id: int) -> frozenset[str]:
    role = session.get(Role, role_id)
    return role_permissions(session, role) if role is not None else frozenset()


def set_user_roles(
    session: Session, principal: Principal, *, user_id: int, role_ids: Sequence[int]
) -> None:
    """Replace the roles of a user; the main contact's role stays with the main contact."""
    user = company_user(session, principal, user_id=user_id)
    if is_self(principal, user):
        raise ValidationFailed({"roles": ("users.error.own_roles", {})})
    wanted = set(role_ids)
    errors = _role_errors(sorted(wanted), _assignable_roles(session, principal.company_id))
    if errors:
        raise ValidationFailed(errors)
    check_grantable(session, principal, role_ids=wanted)
    before = user_snapshot(session, user)
    main_role = session.exec(
        select(Role.id).where(
            Role.company_id == principal.company_id, Role.code == MAIN_CONTACT_ROLE
        )
    ).first()
    session.execute(
        delete(UserRole).where(col(UserRole.user_id) == user_id, col(UserRole.role_id) != main_role)
    )
    session.add_all(UserRole(user_id=user_id, role_id=role_id) for role_id in sorted(wanted))
    session.flush()
    _audit_change(session, principal, "user.roles_changed", user, before)


def update_profile(
    session: Session, principal: Principal, *, user_id: int, name: str, language: str
) -> None:
    """Name and language; the e-mail address changes only through its verification link."""
    user = company_user(session, principal, user_id=user_id)
    errors = profile_errors(name, language)
    if errors:
        raise ValidationFailed(errors)
    before = user_snapshot(session, user)
    user.name, user.language = name.strip(), language
    session.add(user)
    _audit_change(session, principal, "user.profile_changed", user, before)


def deactivate_user(session: Session, principal: Principal, *, user_id: int) -> None:
    """Signs the user out everywhere at once; their orders, comments and decisions stay."""
    user = company_user(session, principal, user_id=user_id)
    if is_self(principal, user):
        raise ServiceError("users.error.deactivate_self")
    if user.is_main_contact:
        raise ServiceError("users.error.deactivate_main_contact")
    if user.status != UserStatus.ACTIVE:
        raise ServiceError("users.error.not_active")
    before = user_snapshot(session, user)
    user.status = UserStatus.INACTIVE
    session.add(user)
    revoke_all_sessions(session, user.id)  # type: ignore[arg-type]
    _audit_change(session, principal, "user.deactivated", user, before)


def activate_user(session: Session, principal: Principal, *, user_id: int) -> None:
    user = company_user(session, principal, user_id=user_id)
    if user.status != UserStatus.INACTIVE:
        raise ServiceError("users.error.not_inactive")
    before = user_snapshot(session, user)
    user.status = UserStatus.ACTIVE
    session.add(user)
    _audit_change(session, principal, "user.activated", user, before)


def _audit_change(
    session: Session, principal: Principal, action: str, user: User, before: dict[str, object]
) -> None:
    session.flush()
    audit.record_admin(
        session,
        principal,
        action=action,
        target_type="user",
        target_id=user.id,
        before=before,
        after=user_snapshot(session, user),
    )
