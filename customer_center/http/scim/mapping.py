"""Portal users and roles as SCIM resources, and SCIM resources as portal fields.

- User: ``id`` = user id, ``userName`` = the sign-in e-mail (also the one ``emails`` entry),
  ``displayName`` = the name (``name`` builds it when no displayName is sent),
  ``externalId``, ``active`` = not deactivated, ``preferredLanguage`` = the portal language
  (en or de), ``groups`` = roles.
- Group: ``id`` = role id, ``displayName`` = the role's name (built-ins by their English name),
  ``externalId``, ``members`` = the holders of the role.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from scim2_models import Email, GroupMembership, Meta, Resource

from customer_center.domain.inputs import parse_id
from customer_center.http.scim.schema import Group, GroupMember
from customer_center.http.scim.schema import User as ScimUser
from customer_center.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES
from customer_center.models.user import Role, User
from customer_center.services.identity.provisioning import UserFields, group_name, is_active


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _with_meta(
    resource: Resource[Any], kind: str, created: datetime, updated: datetime
) -> Resource[Any]:
    """Meta with a version that is a digest of the content: it changes whenever the
    resource does (the ETag). lastModified is the row's change time; a change of group
    membership alone changes the version, not that time."""
    content = json.dumps(resource.model_dump(), sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode()).hexdigest()[:20]
    resource.meta = Meta(
        resource_type=kind,
        created=_aware(created),
        last_modified=max(_aware(created), _aware(updated)),
        version=f'W/"{digest}"',
    )
    return resource


def user_resource(user: User, groups: list[Role]) -> ScimUser:
    resource = ScimUser(
        id=str(user.id),
        external_id=user.external_id,
        user_name=user.email,
        display_name=user.name,
        emails=[Email(value=user.email, primary=True, type=Email.Type.work)],
        preferred_language=user.language,
        active=is_active(user),
        groups=[
            GroupMembership(
                value=str(role.id),
                display=group_name(role),
                ref=f"Groups/{role.id}",  # type: ignore[arg-type]  # the server makes it a URL
                type="direct",
            )
            for role in groups
        ]
        or None,
    )
    return _with_meta(resource, "User", user.created_at, user.updated_at)  # type: ignore[return-value]


def group_resource(role: Role, members: list[User] | None) -> Group:
    resource = Group(
        id=str(role.id),
        external_id=role.external_id,
        display_name=group_name(role),
        members=None
        if members is None
        else [
            GroupMember(value=str(u.id), ref=f"Users/{u.id}", type="User")  # type: ignore[arg-type]
            for u in members
        ]
        or None,
    )
    return _with_meta(resource, "Group", role.created_at, role.updated_at)  # type: ignore[return-value]


def _language(value: str | None, current: str | None) -> str:
    code = (value or "").replace("_", "-").split("-")[0].strip().lower()
    if code in LANGUAGES:
        return code
    return current or DEFAULT_LANGUAGE


def _name(resource: ScimUser) -> str:
    if resource.display_name and resource.display_name.strip():
        return resource.display_name
    name = resource.name
    if name is not None and name.formatted and name.formatted.strip():
        return name.formatted
    parts = [name.given_name, name.family_name] if name is not None else []
    joined = " ".join(p.strip() for p in parts if p and p.strip())
    return joined or (resource.user_name or "").split("@")[0]


def user_fields(resource: ScimUser, current: User | None = None) -> UserFields:
    """What a User resource asks the portal to store. ``userName`` is the sign-in e-mail."""
    return UserFields(
        email=resource.user_name or "",
        name=_name(resource),
        language=_language(resource.preferred_language, current.language if current else None),
        external_id=resource.external_id or None,
        active=resource.active is not False,
    )


def member_ids(resource: Group) -> set[int]:
    """The members' user ids; an id that is no number names no user of the portal."""
    ids = set()
    for member in resource.members or []:
        number = parse_id(member.value)
        ids.add(number if number is not None else -1)
    return ids
