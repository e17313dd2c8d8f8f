"""The roles page: every role with its rights by area, and editing the company's own roles."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.permissions import (
    MAIN_CONTACT_ROLE,
    Permission,
)
from customer_center.presenters.people import (
    builtin_role_names,
    rights_lines,
    role_card,
    role_label,
)
from customer_center.services.people import roles
from customer_center.services.people.roles import RoleView
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

MANAGE = Permission.ROLES_MANAGE
CHECKBOX_PREFIX = "perm:"


def checked_rights(form: object) -> list[str]:
    """Checked boxes arrive as ``perm:<code>``; the service refuses codes it does not know."""
    if not isinstance(form, dict):
        return []
    return sorted(
        key.removeprefix(CHECKBOX_PREFIX)[:64]
        for key, value in form.items()
        if isinstance(key, str) and key.startswith(CHECKBOX_PREFIX) and value
    )[: len(Permission) + 1]


def move_target(form: object) -> int | None:
    return parse_id(text_field(form, "move_to", 12))


class RolesState(PortalState):
    rows: list[dict[str, str]] = []
    area_lines: list[dict[str, str]] = []
    notice: str = ""
    editor_open: bool = False
    editor_id: int = 0
    editor_name: str = ""
    editor_rights: list[str] = []
    editor_errors: dict[str, str] = {}
    editor_round: int = 0
    delete_id: int = 0
    delete_title: str = ""
    delete_users: int = 0
    move_options: list[dict[str, str]] = []
    delete_errors: dict[str, str] = {}
    _views: dict[int, RoleView] = {}

    async def _reload(self) -> None:
        views = await in_transaction(roles.list_roles, self._actor())
        lang = self.lang
        self._views = {v.id: v for v in views}
        self.rows = [role_card(v, lang) for v in views]
        self.area_lines = [line for v in views for line in rights_lines(v, lang)]

    def _custom_view(self, role_id: object) -> RoleView | None:
        """A custom role this page listed; anything else the client sends is ignored."""
        view = self._views.get(role_id) if isinstance(role_id, int) else None
        return view if view is not None and not view.is_builtin else None

    @requires(MANAGE)
    async def load(self) -> None:
        self.notice, self.editor_open, self.delete_id = "", False, 0
        await self._reload()

    @requires(MANAGE)
    def open_new(self) -> None:
        self._open_editor(0, "", [])

    @requires(MANAGE)
    def open_edit(self, role_id: int) -> None:
        view = self._custom_view(role_id)
        if view is not None:
            self._open_editor(view.id, view.name, sorted(view.permissions))

    def _open_editor(self, role_id: int, name: str, rights: list[str]) -> None:
        self.editor_id, self.editor_name, self.editor_rights = role_id, name, rights
        self.editor_errors, self.notice = {}, ""
        self.editor_round += 1
        self.editor_open = True

    @requires(MANAGE)
    def close_editor(self) -> None:
        self.editor_open = False

    @requires(MANAGE)
    async def save(self, form: dict) -> None:
        name, rights = text_field(form, "name", 200), checked_rights(form)
        actor = self._actor()
        try:
            if self.editor_id:
                await in_transaction(
                    roles.update_role,
                    actor,
                    role_id=self.editor_id,
                    name=name,
                    permissions=rights,
                    builtin_names=builtin_role_names,
                )
            else:
                await in_transaction(
                    roles.create_role,
                    actor,
                    name=name,
                    permissions=rights,
                    builtin_names=builtin_role_names,
                )
        except ServiceError as error:
            self.editor_errors = field_errors(error, self.lang)
            self.editor_name, self.editor_rights = name, rights
            return
        self.editor_open = False
        self.notice = self._t("roles.saved")
        await self._reload()

    @requires(MANAGE)
    def ask_delete(self, role_id: int) -> None:
        view = self._custom_view(role_id)
        if view is None:
            return
        self.delete_id, self.delete_users = view.id, view.user_count
        self.delete_title = self._t("roles.delete_title", name=view.name)
        self.delete_errors, self.notice = {}, ""
        self.move_options = [
            {"id": str(v.id), "label": role_label(v, self.lang)}
            for v in self._views.values()
            if v.id != view.id and v.code != MAIN_CONTACT_ROLE
        ]

    @requires(MANAGE)
    def cancel_delete(self) -> None:
        self.delete_id = 0

    @requires(MANAGE)
    async def delete(self, form: dict) -> None:
        try:
            await in_transaction(
                roles.delete_role,
                self._actor(),
                role_id=self.delete_id,
                move_users_to=move_target(form),
            )
        except ServiceError as error:
            self.delete_errors = field_errors(error, self.lang)
            return
        self.delete_id, self.delete_errors = 0, {}
        self.notice = self._t("roles.deleted")
        await self._reload()
