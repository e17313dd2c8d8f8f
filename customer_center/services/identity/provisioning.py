"""Provisioning from the company's identity provider (SCIM): users and their roles.

Every function takes the :class:`~customer_center.domain.principals.ScimClient` of the token the
request came with and works inside its company only. Changes go through the users service
(profile, deactivation with its sessions ended, activation) and are audited with the token as
the actor. Users are never deleted: "delete" deactivates, history stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from customer_center.domain.email_address import normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.domain.principals import ScimClient
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit
from customer_center.services.people import role_rules, roles, users
from customer_center.services.people.role_rules import BuiltinNames

# A built-in role's name towards the identity provider: the same in every company and in
# every language, and fixed (a provider matches groups by their names).
BUILTIN_GROUP_NAMES = {
    MAIN_CONTACT_ROLE: "Main contact",
    "buyer": "Buyer",
    "approver": "Approver",
    "controller": "Controller",
    "technician": "Technician",
}


@dataclass(frozen=True)
class UserFields:
    """What the identity provider says about a user, in portal terms."""

    email: str
    name: str
    language: str
    external_id: str | None
    active: bool


def is_active(user: User) -> bool:
    """SCIM ``active``: the account is not switched off (an invited user is active)."""
    return user.status != UserStatus.INACTIVE


def create_user(session: Session, principal: ScimClient, *, fields: UserFields) -> int:
    """A user without roles; they sign in through the company's single sign-on."""
    errors = users.identity_errors(session, fields.name, fields.email, fields.language)
    if errors:
        raise ValidationFailed(errors)
    user = User(
        company_id=principal.company_id,
        email=normalize_email(fields.email),
        name=fields.name.strip(),
        language=fields.language,
        status=UserStatus.ACTIVE if fields.active else UserStatus.INACTIVE,
        external_id=fields.external_id,
    )
    session.add(user)
    session.flush()
    audit.record_admin(
        session,
        principal,
        action="user.created",
        target_type="user",
        target_id=user.id,
        after={**users.user_snapshot(session, user), "external_id": user.external_id},
    )
    return user.id  # type: ignore[return-value]


def replace_user(
    session: Session, principal: ScimClient, *, user_id: int, fields: UserFields
) -> None:
    """Bring a user in line with ``fields``; only what differs changes (and is audited)."""
    user = users.company_user(session, principal, user_id=user_id)
    email = normalize_email(fields.email)
    if email != user.email:
        _change_email(session, principal, user, email)
    if (fields.name.strip(), fields.language) != (user.name, user.language):
        users.update_profile(
            session,
            principal,
            user_id=user.id,  # type: ignore[arg-type]
            name=fields.name,
            language=fields.language,
        )
    if fields.external_id != user.external_id:
        before = {"external_id": user.external_id}
        user.external_id = fields.external_id
        session.add(user)
        audit.record_admin(
            session,
            principal,
            action="user.external_id_changed",
            target_type="user",
            target_id=user.id,
            before=before,
            after={"external_id": user.external_id},
        )
    if fields.active != is_active(user):
        change = users.activate_user if fields.active else users.deactivate_user
        change(session, principal, user_id=user.id)  # type: ignore[arg-type]


def _change_email(session: Session, principal: ScimClient, user: User, email: str) -> None:
    """The identity provider owns the address: it changes at once (no confirmation link)."""
    errors = users.identity_errors(session, user.name, email, user.language)
    if "email" in errors:
        raise ValidationFailed({"email": errors["email"]})
    before = {"email": user.email}
    user.email = email
    session.add(user)
    session.flush()
    audit.record_admin(
        session,
        principal,
        action="user.email_changed",
        target_type="user",
        target_id=user.id,
        before=before,
        after={"email": email},
    )


def deactivate(session: Session, principal: ScimClient, *, user_id: int) -> None:
    """SCIM DELETE: the user is deactivated (sessions end at once), never deleted."""
    user = users.company_user(session, principal, user_id=user_id)
    if is_active(user):
        users.deactivate_user(session, principal, user_id=user_id)


# --- groups = roles ---------------------------------------------------------------------------


def create_group(
    session: Session,
    principal: ScimClient,
    *,
    name: str,
    external_id: str | None,
    member_ids: set[int],
    builtin_names: BuiltinNames,
) -> int:
    """A custom role without rights: its holders gain nothing until the main contact gives
    the role rights on the roles page."""
    errors: role_rules.ErrorMap = {}
    clean = role_rules.checked_name(
        session, principal, name=name, role_id=None, builtin_names=builtin_names, errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    role_id = roles.insert_custom_role(session, principal, name=clean)
    role = session.get(Role, role_id)
    assert role is not None
    role.external_id = external_id
    session.add(role)
    audit.record_admin(
        session,
        principal,
        action="role.created",
        target_type="role",
        target_id=role_id,
        after={"name": clean, "permissions": [], "external_id": external_id},
    )
    set_members(session, principal, role_id=role_id, member_ids=member_ids)
    return role_id


def replace_group(
    session: Session,
    principal: ScimClient,
    *,
    role_id: int,
    name: str,
    external_id: str | None,
    member_ids: set[int],
    builtin_names: BuiltinNames,
) -> None:
    role = role_rules.company_role(session, principal, role_id=role_id, lock=True)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    if name != group_name(role):
        if role.is_builtin:
            raise ServiceError("roles.error.builtin", field="name")
        errors: role_rules.ErrorMap = {}
        new_name = role_rules.checked_name(
            session,
            principal,
            name=name,
            role_id=role.id,
            builtin_names=builtin_names,
            errors=errors,
        )
        if errors:
            raise ValidationFailed(errors)
        before["name"], after["name"] = role.name, new_name
        role.name = new_name
    if external_id != role.external_id:
        before["external_id"], after["external_id"] = role.external_id, external_id
        role.external_id = external_id
    session.add(role)
    roles.record_role_change(session, principal, role=role, before=before, after=after)
    set_members(session, principal, role_id=role_id, member_ids=member_ids)


def delete_group(session: Session, principal: ScimClient, *, role_id: int) -> None:
    """The provider deleted the group: its holders lose the role, then the role goes (built-in
    roles and roles that approve in a chain stay, with a reason)."""
    role = role_rules.custom_role(session, principal, role_id=role_id)
    role_rules.check_not_in_chains(session, principal, role_id=role_id)
    set_members(session, principal, role_id=role_id, member_ids=set())
    roles.drop_role(session, principal, role=role, moved_to=None)


def group_name(role: Role) -> str:
    """A built-in role's fixed English name (the same in every company), a custom role's own."""
    return BUILTIN_GROUP_NAMES.get(role.code, role.code) if role.is_builtin else role.name


def holders(session: Session, role_id: int) -> set[int]:
    return set(session.exec(select(UserRole.user_id).where(UserRole.role_id == role_id)).all())


def set_members(
    session: Session, principal: ScimClient, *, role_id: int, member_ids: set[int]
) -> None:
    """Give the role to exactly ``member_ids`` (users of the company); each user whose roles
    change gets an audit entry. The main contact's role changes only by handover."""
    role = role_rules.company_role(session, principal, role_id=role_id, lock=True)
    current = holders(session, role_id)
    if member_ids == current:
        return
    if role.is_builtin and role.code == MAIN_CONTACT_ROLE:
        raise ServiceError("scim.error.main_contact_group", field="members")
    wanted = _company_user_ids(session, principal, member_ids)
    if wanted != member_ids:
        raise ServiceError("scim.error.unknown_member", field="members")
    changed = sorted(wanted ^ current)
    snapshots = {
        u: users.user_snapshot(session, users.company_user(session, principal, user_id=u))
        for u in changed
    }
    session.execute(
        delete(UserRole).where(
            col(UserRole.role_id) == role_id, col(UserRole.user_id).in_(current - wanted)
        )
    )
    session.add_all(UserRole(user_id=u, role_id=role_id) for u in sorted(wanted - current))
    session.flush()
    for user_id, before in snapshots.items():
        audit.record_admin(
            session,
            principal,
            action="user.roles_changed",
            target_type="user",
            target_id=user_id,
            before=before,
            after=users.user_snapshot(
                session, users.company_user(session, principal, user_id=user_id)
            ),
        )


def _company_user_ids(session: Session, principal: ScimClient, ids: Iterable[int]) -> set[int]:
    wanted = list(ids)
    if not wanted:
        return set()
    return set(
        session.exec(
            select(User.id).where(User.company_id == principal.company_id, col(User.id).in_(wanted))
        ).all()  # type: ignore[arg-type]
    )
