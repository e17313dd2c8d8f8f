"""The scim2-server storage of one company: users and roles read in SQL, written through the
provisioning service inside the request's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from scim2_models import (
    InvalidValueException,
    NotFoundException,
    NotImplementedException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimFilter,
    SearchRequest,
    UniquenessException,
)
from scim2_server.storage import ScimStorage, SearchPage
from scim2_server.utils import parametrize
from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import MAX_ID, parse_id
from customer_center.domain.principals import ScimClient
from customer_center.http.scim.filters import user_condition
from customer_center.http.scim.mapping import (
    group_resource,
    member_ids,
    user_fields,
    user_resource,
)
from customer_center.http.scim.provider import DEFAULT_PAGE_SIZE
from customer_center.http.scim.schema import Group
from customer_center.http.scim.schema import User as ScimUser
from customer_center.i18n import translate
from customer_center.models.user import Role, User, UserRole
from customer_center.presenters.people import builtin_role_names
from customer_center.services.identity import provisioning

T = TypeVar("T")
UNIQUE_CODES = {"users.error.email_taken", "roles.error.name_taken"}


def scim_errors(call: Callable[[], T]) -> T:
    """Run a service call; its refusals become SCIM errors with the message in English."""
    try:
        return call()
    except ValidationFailed as failure:
        field, (code, params) = next(iter(failure.errors.items()))
        detail = f"{field}: {translate('en', code, **params)}"
        if code in UNIQUE_CODES:
            raise UniquenessException(detail=detail) from failure
        raise InvalidValueException(detail=detail) from failure
    except ServiceError as refusal:
        detail = translate("en", refusal.code, **refusal.params)
        if refusal.code == "admin.not_found":
            raise NotFoundException(detail=detail) from refusal
        if refusal.code in UNIQUE_CODES:
            raise UniquenessException(detail=detail) from refusal
        raise InvalidValueException(detail=detail) from refusal


def _id(resource_id: str | None) -> int:
    number = parse_id(resource_id)
    if number is not None:
        return number
    raise NotFoundException(detail=f"No resource {resource_id!r}")


def _check_version(current: Resource[Any], expected: str | None) -> None:
    if expected is not None and current.meta is not None and current.meta.version != expected:
        raise PreconditionFailedException(detail="The resource changed meanwhile")


class PortalStorage(ScimStorage):
    """Users and Groups (= roles) of the token's company; other ids are "not found"."""

    def __init__(self, session: Session, actor: ScimClient) -> None:
        self.session = session
        self.actor = actor

    # --- reading -------------------------------------------------------------------------

    def _user(self, user_id: int) -> User:
        user = self.session.get(User, user_id)
        if user is None or user.company_id != self.actor.company_id:
            raise NotFoundException(detail=f"No user {user_id}")
        return user

    def _role(self, role_id: int) -> Role:
        role = self.session.get(Role, role_id)
        if role is None or role.company_id != self.actor.company_id:
            raise NotFoundException(detail=f"No group {role_id}")
        return role

    def _grouped(self, statement: Any, keys: list[int]) -> dict[int, list[Any]]:
        """Rows of (key, item) collected per key; every key present, empty when it has none."""
        found: dict[int, list[Any]] = {key: [] for key in keys}
        if keys:
            for key, item in self.session.exec(statement):
                found[key].append(item)
        return found

    def _roles_of(self, user_ids: list[int]) -> dict[int, list[Role]]:
        return self._grouped(
            select(UserRole.user_id, Role)
            .join(Role, col(Role.id) == UserRole.role_id)
            .where(col(UserRole.user_id).in_(user_ids))
            .order_by(col(Role.id)),
            user_ids,
        )

    def _members_of(self, role_ids: list[int]) -> dict[int, list[User]]:
        return self._grouped(
            select(UserRole.role_id, User)
            .join(User, col(User.id) == UserRole.user_id)
            .where(col(UserRole.role_id).in_(role_ids))
            .order_by(col(User.id)),
            role_ids,
        )

    def _user_resource(self, user_id: int) -> ScimUser:
        user = self._user(user_id)
        return user_resource(user, self._roles_of([user_id])[user_id])

    def _group_resource(self, role_id: int, with_members: bool = True) -> Group:
        role = self._role(role_id)
        members = self._members_of([role_id])[role_id] if with_members else None
        return group_resource(role, members)

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        if resource_type.name == "User":
            return self._user_resource(_id(resource_id))
        return self._group_resource(_id(resource_id), _wants_members(response_parameters))

    def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        if len(resource_types) != 1:
            raise NotImplementedException(detail="Search /Users or /Groups, not the root")
        # Past the last id there is nothing to find: a larger offset would not fit a column.
        start = min(search_request.start_index_0 or 0, MAX_ID)
        count = DEFAULT_PAGE_SIZE if search_request.count is None else search_request.count
        if resource_types[0].name == "User":
            return self._search_users(search_request, start, count)
        return self._search_groups(search_request, start, count)

    def _search_users(self, request: SearchRequest[Any], start: int, count: int) -> SearchPage:
        """Filtered, counted and cut in SQL."""
        condition = user_condition(request.filter.ast) if request.filter else None
        scoped = [User.company_id == self.actor.company_id]
        if condition is not None:
            scoped.append(condition)  # type: ignore[arg-type]
        total = self.session.exec(select(func.count()).select_from(User).where(*scoped)).one()
        rows = list(
            self.session.exec(
                select(User).where(*scoped).order_by(col(User.id)).offset(start).limit(count)
            )
        )
        roles = self._roles_of([u.id for u in rows])  # type: ignore[misc]
        return SearchPage(total, [user_resource(u, roles[u.id]) for u in rows])  # type: ignore[index]

    def _search_groups(self, request: SearchRequest[Any], start: int, count: int) -> SearchPage:
        """A company has a few dozen roles: they are filtered here, with the members loaded
        only when the filter or the answer needs them."""
        roles = list(
            self.session.exec(
                select(Role).where(Role.company_id == self.actor.company_id).order_by(col(Role.id))
            )
        )
        scim_filter = (
            parametrize(ScimFilter, Group)(str(request.filter)) if request.filter else None
        )
        by_members = scim_filter is not None and "members" in str(scim_filter).lower()
        members = self._members_of([r.id for r in roles]) if by_members else {}  # type: ignore[misc]
        if scim_filter is not None:
            roles = [r for r in roles if scim_filter.match(group_resource(r, members.get(r.id)))]  # type: ignore[arg-type]
        page = roles[start : start + count]
        if not _wants_members(request):
            return SearchPage(len(roles), [group_resource(r, None) for r in page])
        if not by_members:
            members = self._members_of([r.id for r in page])  # type: ignore[misc]
        return SearchPage(len(roles), [group_resource(r, members[r.id]) for r in page])  # type: ignore[index]

    # --- writing -------------------------------------------------------------------------

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        if isinstance(resource, ScimUser):
            fields = user_fields(resource)
            user_id = scim_errors(
                lambda: provisioning.create_user(self.session, self.actor, fields=fields)
            )
            return self._user_resource(user_id)
        assert isinstance(resource, Group)
        role_id = scim_errors(
            lambda: provisioning.create_group(
                self.session,
                self.actor,
                name=resource.display_name or "",
                external_id=resource.external_id or None,
                member_ids=member_ids(resource),
                builtin_names=builtin_role_names,
            )
        )
        return self._group_resource(role_id)

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        resource_id = _id(resource.id)
        if isinstance(resource, ScimUser):
            _check_version(self._user_resource(resource_id), expected_version)
            fields = user_fields(resource, self._user(resource_id))
            scim_errors(
                lambda: provisioning.replace_user(
                    self.session, self.actor, user_id=resource_id, fields=fields
                )
            )
            self.session.flush()
            return self._user_resource(resource_id)
        assert isinstance(resource, Group)
        _check_version(self._group_resource(resource_id), expected_version)
        scim_errors(
            lambda: provisioning.replace_group(
                self.session,
                self.actor,
                role_id=resource_id,
                name=resource.display_name or "",
                external_id=resource.external_id or None,
                member_ids=member_ids(resource),
                builtin_names=builtin_role_names,
            )
        )
        self.session.flush()
        return self._group_resource(resource_id)

    def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        """Users are deactivated, never deleted (their orders and decisions stay theirs);
        a deleted group is a deleted custom role."""
        resource_id_int = _id(resource_id)
        if resource_type.name == "User":
            _check_version(self._user_resource(resource_id_int), expected_version)
            scim_errors(
                lambda: provisioning.deactivate(self.session, self.actor, user_id=resource_id_int)
            )
            return
        _check_version(self._group_resource(resource_id_int), expected_version)
        scim_errors(
            lambda: provisioning.delete_group(self.session, self.actor, role_id=resource_id_int)
        )


def _wants_members(parameters: ResponseParameters[Any] | None) -> bool:
    if parameters is None:
        return True
    excluded = [str(a).lower() for a in parameters.excluded_attributes or []]
    included = [str(a).lower() for a in parameters.attributes or []]
    if any(a.endswith("members") for a in excluded):
        return False
    return not included or any("members" in a for a in included)
