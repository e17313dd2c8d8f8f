"""The user administration pages: the list, the invitation form and one user's page.

The states hold one page of the list as small dicts of display strings; ids sent back by the
browser are plain numbers that the services check again against the actor's company.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id, parse_positive_int
from customer_center.domain.permissions import Permission
from customer_center.domain.user_csv import MAX_ROWS
from customer_center.i18n.catalog import LANGUAGES
from customer_center.presenters.people import moment, role_label, role_options, status_label
from customer_center.services.people import invitations, inviting, user_list, users
from customer_center.services.people.user_list import UserQuery
from customer_center.services.people.users import NewUser
from customer_center.settings import get_settings
from customer_center.state.access import public, requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners
from customer_center.state.sign_in import asking_browser, go_to_ticket

MANAGE = Permission.USERS_MANAGE


def chosen_role_ids(form: object) -> tuple[int, ...]:
    """Checked boxes arrive as ``role_<id>``; anything else in the form is ignored."""
    if not isinstance(form, dict):
        return ()
    ids = []
    for key, value in form.items():
        number = key.removeprefix("role_") if isinstance(key, str) else ""
        role_id = parse_id(number) if key != number and value else None
        if role_id is not None:
            ids.append(role_id)
    return tuple(sorted(ids))


class UsersListState(PortalState):
    search: str = ""
    role_filter: str = "all"
    status_filter: str = "all"
    sort: str = "name"
    descending: bool = False
    page: int = 0
    page_count: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    role_options: list[dict[str, str]] = []
    notice: str = ""
    _labels: list[dict[str, str]] = []

    def _query_object(self) -> UserQuery:
        role = self.role_filter
        return UserQuery(
            search=self.search,
            role_id=parse_id(role),
            status=self.status_filter if self.status_filter in users.STATUSES else "",
            sort=self.sort if self.sort in user_list.SORTS else "name",
            descending=self.descending,
            page=self.page,
        )

    async def _refresh(self) -> None:
        actor = self._actor()
        page = await in_transaction(user_list.users_page, actor, query=self._query_object())
        lang = self.lang
        labels = {o["code"]: o["label"] for o in self._labels}
        self.rows = [
            {
                "id": str(row.id),
                "name": row.name,
                "email": row.email,
                "status": row.status,
                "status_label": status_label(row.status, lang),
                "roles": ", ".join(labels.get(code, code) for code in row.role_codes),
                "main": "1" if row.is_main_contact else "",
                "last_sign_in": moment(row.last_sign_in_at, lang),
            }
            for row in page.rows
        ]
        self.total, self.page, self.page_count = page.total, page.page, page.page_count

    @requires(MANAGE)
    async def load(self) -> None:
        roles = await in_transaction(user_list.role_choices, self._actor())
        self._labels = [{"code": r.code, "label": role_label(r, self.lang)} for r in roles]
        self.role_options = role_options(roles, self.lang)
        invited = parse_positive_int(self._query("invited"), MAX_ROWS)
        self.notice = self._t("users.invited_many", count=invited) if invited else ""
        await self._refresh()

    @requires(MANAGE)
    async def set_search(self, value: str) -> None:
        self.search = value[:100] if isinstance(value, str) else ""
        self.page = 0
        await self._refresh()

    @requires(MANAGE)
    async def set_role_filter(self, value: str) -> None:
        self.role_filter = value if parse_id(value) is not None else "all"
        self.page = 0
        await self._refresh()

    @requires(MANAGE)
    async def set_status_filter(self, value: str) -> None:
        self.status_filter = value if value in users.STATUSES else "all"
        self.page = 0
        await self._refresh()

    @requires(MANAGE)
    async def sort_by(self, column: str) -> None:
        if not isinstance(column, str) or column not in user_list.SORTS:
            return
        self.descending = not self.descending if self.sort == column else False
        self.sort = column
        await self._refresh()

    next_page, previous_page = page_turners(requires(MANAGE))


class InviteUserState(PortalState):
    errors: dict[str, str] = {}
    role_options: list[dict[str, str]] = []

    @requires(MANAGE)
    async def load(self) -> None:
        self.errors = {}
        roles = await in_transaction(user_list.role_choices, self._actor())
        self.role_options = role_options(roles, self.lang)

    @requires(MANAGE)
    async def submit(self, form: dict) -> EventSpec | None:
        self.errors = {}
        language = text_field(form, "language", 5)
        new = NewUser(
            name=text_field(form, "name", 300),
            email=text_field(form, "email", 300),
            language=language if language in LANGUAGES else self.lang,
            role_ids=chosen_role_ids(form),
        )
        try:
            user_id = await in_transaction(
                inviting.invite_user, self._actor(), settings=get_settings(), new=new
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        return rx.redirect(f"{routes.user_path(user_id)}?invited=1")


class UserDetailState(PortalState):
    """One user as the administrator sees them."""

    detail_id: int = 0
    found: bool = False
    name: str = ""
    email: str = ""
    language: str = "en"
    status: str = ""
    is_main_contact: bool = False
    is_self: bool = False
    role_ids: list[str] = []
    role_options: list[dict[str, str]] = []
    created: str = ""
    last_sign_in: str = ""
    invitation_expires: str = ""
    errors: dict[str, str] = {}
    role_errors: dict[str, str] = {}
    notice: str = ""
    problem: str = ""

    async def _reload(self) -> None:
        actor = self._actor()
        try:
            detail = await in_transaction(user_list.user_detail, actor, user_id=self.detail_id)
        except ServiceError:
            self.found = False
            return
        lang = self.lang
        self.found = True
        self.name, self.email, self.language = detail.name, detail.email, detail.language
        self.status, self.is_main_contact = detail.status, detail.is_main_contact
        self.is_self = detail.id == actor.user_id
        self.role_ids = [str(r) for r in detail.role_ids]
        self.created = moment(detail.created_at, lang)
        self.last_sign_in = moment(detail.last_sign_in_at, lang)
        self.invitation_expires = moment(detail.invitation_expires_at, lang)

    @requires(MANAGE)
    async def load(self) -> None:
        self.errors, self.role_errors, self.problem = {}, {}, ""
        self.notice = self._t("users.invited_notice") if self._query("invited") else ""
        self.detail_id = self._query_id("user_id") or 0
        roles = await in_transaction(user_list.role_choices, self._actor())
        self.role_options = role_options(roles, self.lang)
        await self._reload()

    async def _run(
        self,
        service: Callable[..., object],
        done_key: str,
        errors_var: str = "problem",
        **args: object,
    ) -> bool:
        """Call a user service for this user; show its refusal or report success."""
        self.errors, self.role_errors, self.problem, self.notice = {}, {}, "", ""
        try:
            await in_transaction(service, self._actor(), user_id=self.detail_id, **args)
        except ServiceError as error:
            messages = field_errors(error, self.lang)
            if errors_var == "problem":
                self.problem = " ".join(messages.values())
            else:
                setattr(self, errors_var, messages)
            return False
        self.notice = self._t(done_key)
        await self._reload()
        return True

    @requires(MANAGE)
    async def save_profile(self, form: dict) -> None:
        language = text_field(form, "language", 5)
        await self._run(
            users.update_profile,
            name=text_field(form, "name", 300),
            language=language,
            done_key="users.saved",
            errors_var="errors",
        )

    @requires(MANAGE)
    async def save_roles(self, form: dict) -> None:
        await self._run(
            users.set_user_roles,
            role_ids=chosen_role_ids(form),
            done_key="users.roles_saved",
            errors_var="role_errors",
        )

    @requires(MANAGE)
    async def deactivate(self) -> None:
        await self._run(users.deactivate_user, done_key="users.deactivated")

    @requires(MANAGE)
    async def activate(self) -> None:
        await self._run(users.activate_user, done_key="users.activated")

    @requires(MANAGE)
    async def resend_invitation(self) -> None:
        await self._run(
            inviting.resend_invitation, settings=get_settings(), done_key="users.resent"
        )

    @requires(MANAGE)
    async def revoke_invitation(self) -> EventSpec | None:
        if await self._run(inviting.revoke_invitation, done_key="users.revoked"):
            return rx.redirect(routes.USERS)
        return None


class InvitationState(PortalState):
    """The invited user's page: choose a password, then straight into the portal."""

    errors: dict[str, str] = {}
    link_error: str = ""
    company_name: str = ""
    name: str = ""
    email: str = ""

    @public
    async def load(self) -> None:
        self.errors, self.link_error, self.email = {}, "", ""
        try:
            details = await in_transaction(invitations.invitation_details, self._query("token"))
        except ServiceError as error:
            self.link_error = self._t(error.code)
            return
        self.company_name, self.name, self.email = details.company_name, details.name, details.email
        if not self._language_chosen:
            self._use_language(details.language)

    @public
    async def submit(self, form: dict) -> EventSpec | None:
        self.errors = {}
        try:
            ticket = await in_transaction(
                invitations.accept_invitation,
                raw_token=self._query("token"),
                name=text_field(form, "name", 300),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
                ip_address=self._client_ip(),
                browser=asking_browser(self),
            )
        except ServiceError as error:
            if error.code.startswith("link."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return None
        return go_to_ticket(ticket)
