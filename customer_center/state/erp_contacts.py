"""The page for taking over ERP contacts as users."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.permissions import Permission
from customer_center.i18n.catalog import LANGUAGES
from customer_center.presenters.people import role_options
from customer_center.services.people import erp_contacts, user_list
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners
from customer_center.state.users import chosen_role_ids

MANAGE = Permission.USERS_MANAGE


def _chosen_contacts(form: object) -> list[str]:
    if not isinstance(form, dict):
        return []
    return [
        key.removeprefix("contact:")[:64]
        for key, value in form.items()
        if isinstance(key, str) and key.startswith("contact:") and value
    ]


def _roles_per_contact(form: object) -> dict[str, tuple[int, ...]]:
    """Boxes ticked in a person's row arrive as ``roles:<contact id>:<role id>``."""
    if not isinstance(form, dict):
        return {}
    chosen: dict[str, set[int]] = {}
    for key, value in form.items():
        if not (isinstance(key, str) and key.startswith("roles:") and value):
            continue
        contact_id, _, number = key.removeprefix("roles:").rpartition(":")
        role_id = parse_id(number)
        if contact_id and role_id is not None:
            chosen.setdefault(contact_id[:64], set()).add(role_id)
    return {contact_id: tuple(sorted(ids)) for contact_id, ids in chosen.items()}


class ErpContactsState(PortalState):
    contacts: list[dict[str, str]] = []
    role_options: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    search: str = ""
    page: int = 0
    page_count: int = 1
    total: int = 0
    # Ids ticked on the shown page (the checkboxes are the browser's; this mirrors them for
    # the count on the button). The invitation reads the ticked boxes from the form.
    selected: list[str] = []

    async def _reload(self) -> None:
        found = await in_transaction(
            erp_contacts.erp_contacts_not_yet_users,
            self._actor(),
            erp=erp_client(),
            search=self.search,
            page=self.page,
        )
        self.contacts = [
            {"id": c.contact_id, "name": c.name, "email": c.email, "role": c.role}
            for c in found.contacts
        ]
        self.total, self.page, self.page_count = found.total, found.page, found.page_count
        self.selected = []

    @requires(MANAGE)
    async def load(self) -> None:
        self.errors, self.search, self.page = {}, "", 0
        roles = await in_transaction(user_list.role_choices, self._actor())
        self.role_options = role_options(roles, self.lang)
        await self._reload()

    @requires(MANAGE)
    async def set_search(self, text: str) -> None:
        self.search = text[:100] if isinstance(text, str) else ""
        self.page = 0
        await self._reload()

    next_page, previous_page = page_turners(requires(MANAGE), show="_reload")

    @requires(MANAGE)
    def mark(self, contact_id: str, checked: bool) -> None:
        shown = {contact["id"] for contact in self.contacts}
        if not isinstance(contact_id, str) or contact_id not in shown:
            return
        rest = [c for c in self.selected if c != contact_id]
        self.selected = [*rest, contact_id] if checked is True else rest

    @requires(MANAGE)
    async def invite(self, form: dict) -> EventSpec | None:
        self.errors = {}
        language = text_field(form, "language", 5)
        try:
            invited = await in_transaction(
                erp_contacts.invite_erp_contacts,
                self._actor(),
                settings=get_settings(),
                erp=erp_client(),
                contact_ids=_chosen_contacts(form),
                role_ids=chosen_role_ids(form),
                roles_by_contact=_roles_per_contact(form),
                language=language if language in LANGUAGES else self.lang,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        return rx.redirect(f"{routes.USERS}?invited={len(invited)}")
