"""The shopping lists page (one page of the lists one sees, a new list) and the picker that
adds the cart, an order or a product to one of the user's own lists.

List ids the browser sends are text, parsed and looked up by the services in the actor's
company (own lists for changes, visible ones for reading); a forged id is "not found".
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.presenters.shopping_lists import list_row, sharing_options
from customer_center.services.shop import shopping_list_lines as lines
from customer_center.services.shop import shopping_lists as lists
from customer_center.services.shop.catalogue import SKU_MAX
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

ORDER = Permission.ORDERS_CREATE


class ShoppingListsState(PortalState):
    rows: list[dict[str, str]] = []
    page: int = 0
    page_count: int = 1
    total: int = 0
    can_share: bool = False
    sharing_choices: list[dict[str, str]] = []
    loaded: bool = False
    notice: str = ""
    errors: dict[str, str] = {}
    form_round: int = 0  # a new key after a list is made: the form empties

    async def _refresh(self) -> None:
        try:
            result = await in_transaction(lists.lists_page, self._actor(), page=self.page)
        except ServiceError as error:
            self.rows, self.errors = [], field_errors(error, self.lang)
            return
        finally:
            self.loaded = True
        self.rows = [list_row(summary, self.lang) for summary in result.lists]
        self.page, self.page_count, self.total = result.page, result.page_count, result.total
        self.can_share = result.can_share
        self.sharing_choices = sharing_options(result.roles, self.lang)

    @requires(ORDER)
    async def load(self) -> None:
        self.page, self.notice, self.errors, self.loaded = 0, "", {}, False
        await self._refresh()

    next_page, previous_page = page_turners(requires(ORDER))

    @requires(ORDER)
    async def create(self, form: dict) -> None:
        self.notice, self.errors = "", {}
        name = text_field(form, "name", 400)
        sharing = text_field(form, "sharing", 32) or "private"
        try:
            await in_transaction(lists.create_list, self._actor(), name=name, sharing=sharing)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.notice = self._t("lists.created", name=" ".join(name.split()))
        self.page, self.form_round = 0, self.form_round + 1
        await self._refresh()


class ListPickerState(PortalState):
    """ "Add to a list" under the cart and on an order's page: the user's own lists."""

    choices: list[dict[str, str]] = []
    done: str = ""
    problem: str = ""

    @requires(ORDER)
    async def load_own(self) -> None:
        self.done, self.problem = "", ""
        own = await in_transaction(lists.own_lists, self._actor())
        self.choices = [{"value": str(list_id), "label": name} for list_id, name in own]

    async def _add(self, service: Callable[..., int], form: object, **kwargs: object) -> None:
        self.done, self.problem = "", ""
        list_id = text_field(form, "list_id", 12)
        try:
            count = await in_transaction(service, self._actor(), list_id=list_id, **kwargs)
        except ServiceError as error:
            self.problem = " ".join(field_errors(error, self.lang).values())
            return
        name = next((c["label"] for c in self.choices if c["value"] == list_id), "")
        self.done = self._t("lists.added_to", name=name, count=count)

    @requires(ORDER)
    async def add_cart(self, form: dict) -> None:
        await self._add(lines.add_cart, form)

    @requires(ORDER)
    async def add_order(self, form: dict) -> None:
        await self._add(lines.add_order, form, order_id=self._query_id("order_id"))

    @requires(ORDER)
    async def add_one(self, list_id: str, sku: str) -> object:
        """One piece of a catalogue product onto one of the user's lists (the product card's
        menu); said in a toast, as the card has no room for it."""
        form = {"list_id": list_id if isinstance(list_id, str) else ""}
        await self._add(
            lines.add_product,
            form,
            erp=erp_client(),
            sku=sku[:SKU_MAX] if isinstance(sku, str) else "",
            quantity=1,
        )
        return rx.toast.error(self.problem) if self.problem else rx.toast.success(self.done)

    @requires(ORDER)
    async def add_product(self, form: dict) -> None:
        await self._add(
            lines.add_product,
            form,
            erp=erp_client(),
            sku=text_field(form, "sku", SKU_MAX),
            quantity=text_field(form, "quantity", 12),
        )
