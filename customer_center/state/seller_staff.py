"""The staff page (``/seller/staff``, ``seller.manage_staff``): the list, adding a member,
changing rights, deactivating and reactivating, sending the invitation again."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.staff import StaffPermission
from customer_center.presenters.staff import staff_rows
from customer_center.services.seller import staff
from customer_center.settings import get_settings
from customer_center.state.access import staff as staff_rule
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

MANAGE = StaffPermission.MANAGE_STAFF


def chosen_rights(form: object) -> list[str]:
    """The ticked rights of a form (checkboxes named ``right:<code>``)."""
    if not isinstance(form, dict):
        return []
    return [
        key.removeprefix("right:")
        for key, value in form.items()
        if isinstance(key, str) and key.startswith("right:") and value not in ("", None, False)
    ]


class SellerStaffState(PortalState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    page_count: int = 1
    loaded: bool = False
    errors: dict[str, str] = {}
    # What was just done, worded by the page in the language on screen: the message id and
    # the name (or address) it speaks of.
    message: str = ""
    message_subject: str = ""
    adding: bool = False
    add_key: int = 0
    editing_id: str = ""
    editing_name: str = ""
    editing_rights: list[str] = []
    edit_errors: dict[str, str] = {}

    def _done(self, key: str, subject: str) -> None:
        self.message, self.message_subject = key, subject

    async def _refresh(self) -> None:
        agent = self._agent()
        found = await in_transaction(staff.staff_page, agent, page=self.page)
        self.rows = staff_rows(found.rows, self.lang, own_id=agent.agent_id)
        self.total, self.page, self.page_count = found.total, found.page, found.page_count
        self.loaded = True

    @staff_rule(MANAGE)
    async def load(self) -> None:
        self.page, self.errors, self.message, self.adding = 0, {}, "", False
        self.editing_id = ""
        await self._refresh()

    next_page, previous_page = page_turners(staff_rule(MANAGE))

    @staff_rule(MANAGE)
    def open_add(self) -> None:
        self.adding, self.errors, self.message = True, {}, ""

    @staff_rule(MANAGE)
    def close_add(self) -> None:
        self.adding, self.errors = False, {}

    @staff_rule(MANAGE)
    async def add(self, form: dict) -> None:
        self.errors, self.message = {}, ""
        language = text_field(form, "language", 5)
        try:
            await in_transaction(
                staff.add_staff,
                self._agent(),
                settings=get_settings(),
                name=text_field(form, "name", 300),
                email=text_field(form, "email", 300),
                rights=chosen_rights(form),
                language=language if language in LANGUAGES else self.lang,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self._done("seller.staff.invited", text_field(form, "email", 300).strip().lower())
        self.adding, self.add_key = False, self.add_key + 1
        await self._refresh()

    @staff_rule(MANAGE)
    def start_edit(self, staff_id: str) -> None:
        row = next((r for r in self.rows if r["id"] == staff_id and not r["own"]), None)
        if row is None:
            return
        self.editing_id, self.editing_name = row["id"], row["name"]
        self.editing_rights = [r for r in row["rights_codes"].split(",") if r]
        self.edit_errors = {}

    @staff_rule(MANAGE)
    def cancel_edit(self) -> None:
        self.editing_id, self.edit_errors = "", {}

    @staff_rule(MANAGE)
    def edit_open_changed(self, is_open: bool) -> None:
        """Escape or a click beside the dialog closes it like Cancel."""
        if is_open is not True:
            self.editing_id, self.edit_errors = "", {}

    @staff_rule(MANAGE)
    async def save_rights(self, form: dict) -> None:
        staff_id = parse_id(self.editing_id)
        if staff_id is None:
            return
        try:
            await in_transaction(
                staff.set_rights, self._agent(), staff_id=staff_id, rights=chosen_rights(form)
            )
        except ServiceError as error:
            self.edit_errors = field_errors(error, self.lang)
            return
        self._done("seller.staff.rights_saved", self.editing_name)
        self.editing_id = ""
        await self._refresh()

    async def _change(self, action: str, staff_id: object, done_key: str) -> None:
        parsed = parse_id(staff_id if isinstance(staff_id, str) else "")
        row = next((r for r in self.rows if r["id"] == str(parsed)), None)
        if parsed is None or row is None:
            return
        self.errors, self.message = {}, ""
        calls: dict[str, Callable[..., None]] = {
            "deactivate": staff.deactivate,
            "reactivate": staff.reactivate,
            "resend": partial(staff.resend_invitation, settings=get_settings()),
        }
        try:
            await in_transaction(calls[action], self._agent(), staff_id=parsed)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self._done(done_key, row["name"])
        await self._refresh()

    @staff_rule(MANAGE)
    async def deactivate(self, staff_id: str) -> None:
        await self._change("deactivate", staff_id, "seller.staff.deactivated")

    @staff_rule(MANAGE)
    async def reactivate(self, staff_id: str) -> None:
        await self._change("reactivate", staff_id, "seller.staff.reactivated")

    @staff_rule(MANAGE)
    async def resend(self, staff_id: str) -> None:
        await self._change("resend", staff_id, "seller.staff.resent")
