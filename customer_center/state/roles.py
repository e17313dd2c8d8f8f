"""The roles page: the catalogue of rights, built-in roles, and editing custom roles."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import MAIN_CONTACT_ROLE, PERMISSION_AREAS, Permission
from customer_center.i18n import translate
from customer_center.services import roles
from customer_center.services.roles import RoleView
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

MANAGE = Permission.ROLES_MANAGE
ALL_CODES = {p.value for p in Permission}


def role_label(view: RoleView, lang: str) -> str:
    return translate(lang, f"role.{view.code}") if view.is_builtin else view.name


def _area_lines(view: RoleView, lang: str) -> list[dict[str, str]]:
    return [
        {
            "role_id": str(view.id),
            "area": translate(lang, f"perm.area.{area}"),
            "rights": ", ".join(translate(lang, f"perm.{p.value}") for p in rights),
        }
        for area, all_rights in PERMISSION_AREAS.items()
        if (rights := [p for p in all_rights if p.value in view.permissions])
    ]


def _checked_rights(form: object) -> list[str]:
    """Checked boxes arrive as ``perm:<code>``; unknown codes are left for the service."""
    if not isinstance(form, dict):
        return []
    return sorted(
        key.removeprefix("perm:")
        for key, value in form.items()
        if isinstance(key, str) and key.startswith("perm:") and value
    )


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
    delete_name: str = ""
    delete_users: int = 0
    move_options: list[dict[str, str]] = []
    delete_errors: dict[str, str] = {}
    _views: dict[int, RoleView] = {}

    async def _reload(self) -> None:
        views = await in_transaction(roles.list_roles, self._actor())
        lang = self.lang
        self._views = {v.id: v for v in views}
        self.rows = [
            {
                "id": str(v.id),
                "label": role_label(v, lang),
                "builtin": "1" if v.is_builtin else "",
                "description": translate(lang, f"role.{v.code}.description")
                if v.is_builtin
                else "",
                "users": str(v.user_count),
            }
            for v in views
        ]
        self.area_lines = [line for v in views for line in _area_lines(v, lang)]

    @requires(MANAGE)
    async def load(self) -> None:
        self.notice, self.editor_open, self.delete_id = "", False, 0
        await self._reload()

    @requires(MANAGE)
    def open_new(self) -> None:
        self._open_editor(0, "", [])

    @requires(MANAGE)
    def open_edit(self, role_id: int) -> None:
        view = self._views.get(role_id) if isinstance(role_id, int) else None
        if view is not None and not view.is_builtin:
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
        name, rights = text_field(form, "name", 200), _checked_rights(form)
        actor = self._actor()
        try:
            if self.editor_id:
                await in_transaction(roles.update_role, actor, self.editor_id, name, rights)
            else:
                await in_transaction(roles.create_role, actor, name, rights)
        except ServiceError as error:
            self.editor_errors = field_errors(error, self.lang)
            return
        self.editor_open = False
        self.notice = self._t("roles.saved")
        await self._reload()

    @requires(MANAGE)
    def ask_delete(self, role_id: int) -> None:
        view = self._views.get(role_id) if isinstance(role_id, int) else None
        if view is None or view.is_builtin:
            return
        self.delete_id, self.delete_name, self.delete_users = view.id, view.name, view.user_count
        self.delete_errors = {}
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
        target = text_field(form, "move_to", 12)
        try:
            await in_transaction(
                roles.delete_role,
                self._actor(),
                self.delete_id,
                int(target) if target.isdigit() else None,
            )
        except ServiceError as error:
            self.delete_errors = field_errors(error, self.lang)
            return
        self.delete_id = 0
        self.notice = self._t("roles.deleted")
        await self._reload()
