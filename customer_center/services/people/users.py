"""The company's users: the list, invitations, profile, roles, activation and deactivation.

Every function takes the acting user and works inside their company only: the id of a user
of another company behaves exactly like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from customer_center.auth.sessions import revoke_all_sessions
from customer_center.domain import routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.domain.principals import Principal
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.auth import OneTimeToken
from customer_center.models.budget import SCOPE_USER, BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep
from customer_center.models.user import (
    STATUS_ACTIVE,
    STATUS_INACTIVE,
    STATUS_INVITED,
    Role,
    User,
    UserRole,
)
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.people.names import name_or_email_matches
from customer_center.services.people.permissions import role_permissions
from customer_center.settings import Settings

INVITATION = "invitation"
INVITATION_TTL = timedelta(days=7)
STATUSES = (STATUS_ACTIVE, STATUS_INVITED, STATUS_INACTIVE)
NAME_MAX = 200

Errors = dict[str, tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class NewUser:
    name: str
    email: str
    language: str
    role_ids: tuple[int, ...]


def company_user(session: Session, actor: Principal, user_id: object) -> User:
    """A user of the actor's company; anything else is "not found"."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.company_id != actor.company_id:
        raise ServiceError("admin.not_found")
    return user


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


# --- invitations -------------------------------------------------------------------------


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
    errors: Errors = {}
    name = name.strip()
    if not name:
        errors["name"] = ("form.required", {})
    elif len(name) > NAME_MAX:
        errors["name"] = ("form.too_long", {"max": NAME_MAX})
    email = normalize_email(email)
    if not email:
        errors["email"] = ("form.required", {})
    elif not is_valid_email(email):
        errors["email"] = ("form.email_invalid", {})
    elif email in (taken_emails or set()) or email_in_use(session, email):
        errors["email"] = ("users.error.email_taken", {})
    if language not in LANGUAGES:
        errors["language"] = ("users.error.language_unknown", {})
    return errors


def email_in_use(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def invite_users(
    session: Session, actor: Principal, settings: Settings, users: Sequence[NewUser]
) -> list[int]:
    """Create invited users with their roles and e-mail each an invitation; all or nothing.

    Errors are keyed ``"<index>.<field>"`` by the position of the user in ``users``.
    """
    errors: Errors = {}
    taken: set[str] = set()
    for index, new in enumerate(users):
        for field, problem in validate_new_user(session, actor.company_id, new, taken).items():
            errors[f"{index}.{field}"] = problem
        taken.add(normalize_email(new.email))
    if errors:
        raise ValidationFailed(errors)
    _check_grantable(session, actor, {r for new in users for r in new.role_ids})
    company = session.get(Company, actor.company_id)
    assert company is not None
    return [_create_invited_user(session, actor, settings, company, new) for new in users]


def invite_user(session: Session, actor: Principal, settings: Settings, new: NewUser) -> int:
    """One invitation, with errors keyed by field for the invitation form."""
    try:
        return invite_users(session, actor, settings, [new])[0]
    except ValidationFailed as failure:
        raise ValidationFailed(
            {key.split(".", 1)[-1]: value for key, value in failure.errors.items()}
        ) from failure


def _create_invited_user(
    session: Session, actor: Principal, settings: Settings, company: Company, new: NewUser
) -> int:
    user = User(
        company_id=actor.company_id,
        email=normalize_email(new.email),
        name=new.name.strip(),
        language=new.language,
        status=STATUS_INVITED,
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role_id=r) for r in sorted(set(new.role_ids)))  # type: ignore[arg-type]
    session.flush()
    _send_invitation(session, actor, settings, company, user)
    audit.record_admin(
        session,
        actor,
        "user.invited",
        target_type="user",
        target_id=user.id,
        after=user_snapshot(session, user),
    )
    return user.id  # type: ignore[return-value]


def _send_invitation(
    session: Session, actor: Principal, settings: Settings, company: Company, user: User
) -> None:
    inviter = session.get(User, actor.user_id) if actor.user_id is not None else None
    one_time_tokens.send_link(
        session,
        purpose=INVITATION,
        ttl=INVITATION_TTL,
        base_url=settings.base_url,
        path=routes.INVITATION,
        user_id=user.id,
        to=user.email,
        lang=user.language,
        template="invitation",
        name=user.name,
        company=company.name,
        inviter=inviter.name if inviter else "",
        days=INVITATION_TTL.days,
    )


def _named_in_approvals(session: Session, user_id: int) -> bool:
    """Invited people may be named in chains, so an order may already wait for them (decided
    by the main contact until they sign up)."""
    step = select(ApprovalStep.id).where(ApprovalStep.approver_id == user_id).limit(1)
    return session.exec(step).first() is not None


def _invited_user(session: Session, actor: Principal, user_id: int) -> User:
    user = company_user(session, actor, user_id)
    if user.status != STATUS_INVITED:
        raise ServiceError("users.error.not_invited")
    return user


def _retire_invitations(session: Session, user_id: int) -> None:
    session.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.user_id) == user_id,
            col(OneTimeToken.purpose) == INVITATION,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=func.now())
    )


def resend_invitation(session: Session, actor: Principal, settings: Settings, user_id: int) -> None:
    """A fresh link; the earlier ones stop working."""
    user = _invited_user(session, actor, user_id)
    _retire_invitations(session, user_id)
    company = session.get(Company, actor.company_id)
    assert company is not None
    _send_invitation(session, actor, settings, company, user)
    audit.record_admin(
        session, actor, "user.invitation_resent", target_type="user", target_id=user_id
    )


def revoke_invitation(session: Session, actor: Principal, user_id: int) -> None:
    """An invited user never signed in and has no history: the invitation goes entirely."""
    user = _invited_user(session, actor, user_id)
    before = user_snapshot(session, user)
    session.execute(delete(OneTimeToken).where(col(OneTimeToken.user_id) == user_id))
    session.execute(delete(UserRole).where(col(UserRole.user_id) == user_id))
    session.execute(delete(Absence).where(col(Absence.user_id) == user_id))
    for scoped in (BudgetRule, ApprovalChain):
        session.execute(
            delete(scoped).where(
                col(scoped.company_id) == actor.company_id,
                col(scoped.scope) == SCOPE_USER,
                col(scoped.subject_id) == user_id,
            )
        )
    if _named_in_approvals(session, user_id):
        user.status = STATUS_INACTIVE  # orders name them as approver: the row stays for them
        session.add(user)
    else:
        session.delete(user)
    audit.record_admin(
        session,
        actor,
        "user.invitation_revoked",
        target_type="user",
        target_id=user_id,
        before=before,
    )


# --- roles, profile, status ----------------------------------------------------------------


def _check_grantable(session: Session, actor: Principal, role_ids: set[int]) -> None:
    """Nobody hands out rights they do not hold themselves (the main contact holds all)."""
    own = actor.rights
    for role_id in role_ids:
        if not permissions_of_role(session, role_id) <= own:
            raise ValidationFailed({"roles": ("users.error.role_beyond_own_rights", {})})


def permissions_of_role(session: Session, role_id: int) -> frozenset[str]:
    role = session.get(Role, role_id)
    return role_permissions(session, role) if role is not None else frozenset()


def set_user_roles(
    session: Session, actor: Principal, user_id: int, role_ids: Sequence[int]
) -> None:
    """Replace the roles of a user; the main contact's role stays with the main contact."""
    user = company_user(session, actor, user_id)
    if user.id == actor.user_id:
        raise ValidationFailed({"roles": ("users.error.own_roles", {})})
    wanted = set(role_ids)
    errors = _role_errors(sorted(wanted), _assignable_roles(session, actor.company_id))
    if errors:
        raise ValidationFailed(errors)
    _check_grantable(session, actor, wanted)
    before = user_snapshot(session, user)
    main_role = session.exec(
        select(Role.id).where(Role.company_id == actor.company_id, Role.code == MAIN_CONTACT_ROLE)
    ).first()
    session.execute(
        delete(UserRole).where(col(UserRole.user_id) == user_id, col(UserRole.role_id) != main_role)
    )
    session.add_all(UserRole(user_id=user_id, role_id=role_id) for role_id in sorted(wanted))
    session.flush()
    _audit_change(session, actor, "user.roles_changed", user, before)


def update_profile(
    session: Session, actor: Principal, user_id: int, name: str, language: str
) -> None:
    """Name and language; the e-mail address changes only through its verification link."""
    user = company_user(session, actor, user_id)
    errors: Errors = {}
    name = name.strip()
    if not name:
        errors["name"] = ("form.required", {})
    elif len(name) > NAME_MAX:
        errors["name"] = ("form.too_long", {"max": NAME_MAX})
    if language not in LANGUAGES:
        errors["language"] = ("users.error.language_unknown", {})
    if errors:
        raise ValidationFailed(errors)
    before = user_snapshot(session, user)
    user.name, user.language = name, language
    session.add(user)
    _audit_change(session, actor, "user.profile_changed", user, before)


def deactivate_user(session: Session, actor: Principal, user_id: int) -> None:
    """Signs the user out everywhere at once; their orders, comments and decisions stay."""
    user = company_user(session, actor, user_id)
    if user.id == actor.user_id:
        raise ServiceError("users.error.deactivate_self")
    if user.is_main_contact:
        raise ServiceError("users.error.deactivate_main_contact")
    if user.status != STATUS_ACTIVE:
        raise ServiceError("users.error.not_active")
    before = user_snapshot(session, user)
    user.status = STATUS_INACTIVE
    session.add(user)
    revoke_all_sessions(session, user.id)  # type: ignore[arg-type]
    _audit_change(session, actor, "user.deactivated", user, before)


def activate_user(session: Session, actor: Principal, user_id: int) -> None:
    user = company_user(session, actor, user_id)
    if user.status != STATUS_INACTIVE:
        raise ServiceError("users.error.not_inactive")
    before = user_snapshot(session, user)
    user.status = STATUS_ACTIVE
    session.add(user)
    _audit_change(session, actor, "user.activated", user, before)


def _audit_change(
    session: Session, actor: Principal, action: str, user: User, before: dict[str, object]
) -> None:
    session.flush()
    audit.record_admin(
        session,
        actor,
        action,
        target_type="user",
        target_id=user.id,
        before=before,
        after=user_snapshot(session, user),
    )


# --- the list --------------------------------------------------------------------------------

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
    last_sign_in_at: object


@dataclass(frozen=True)
class UserPage:
    rows: list[UserListRow]
    total: int
    page: int
    page_count: int


def _filtered(statement, actor: Principal, query: UserQuery):  # type: ignore[no-untyped-def]
    statement = statement.where(User.company_id == actor.company_id)
    statement = statement.where(name_or_email_matches(query.search))
    if query.status in STATUSES:
        statement = statement.where(User.status == query.status)
    if query.role_id is not None:
        statement = statement.where(
            col(User.id).in_(select(UserRole.user_id).where(UserRole.role_id == query.role_id))
        )
    return statement


def users_page(session: Session, actor: Principal, query: UserQuery) -> UserPage:
    """One page of the company's users, filtered, sorted and cut in SQL."""
    size = query.page_size if query.page_size in PAGE_SIZES else PAGE_SIZES[0]
    total = session.exec(_filtered(select(func.count()).select_from(User), actor, query)).one()
    page_count = max(1, -(-total // size))
    page = min(max(query.page, 0), page_count - 1)
    sort_column = SORTS.get(query.sort, User.name)
    order = col(sort_column).desc() if query.descending else col(sort_column).asc()
    users = session.exec(
        _filtered(select(User), actor, query)
        .order_by(order, col(User.id))
        .offset(page * size)
        .limit(size)
    ).all()
    roles = _role_codes_by_user(session, [u.id for u in users])  # type: ignore[misc]
    rows = [
        UserListRow(
            id=u.id,  # type: ignore[arg-type]
            name=u.name,
            email=u.email,
            status=u.status,
            is_main_contact=u.is_main_contact,
            role_codes=tuple(roles.get(u.id, ())),  # type: ignore[arg-type]
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


def role_choices(session: Session, actor: Principal) -> list[RoleChoice]:
    """The company's roles as filters and checkboxes offer them."""
    roles = session.exec(
        select(Role).where(Role.company_id == actor.company_id).order_by(col(Role.id))
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
    created_at: object
    last_sign_in_at: object
    invitation_expires_at: object


def user_detail(session: Session, actor: Principal, user_id: int) -> UserDetail:
    user = company_user(session, actor, user_id)
    role_ids = session.exec(select(UserRole.role_id).where(UserRole.user_id == user.id)).all()
    expires = None
    if user.status == STATUS_INVITED:
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
