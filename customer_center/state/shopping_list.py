"""One shopping list: its lines with today's prices, into the cart (all or the chosen lines),
and for its owner: add, change, remove lines, share, delete.

The list id comes from the route and is looked up by the services among the lists the actor
sees (changes: own lists only). Chosen lines are SKUs of this list; the service ignores any
other SKU the browser sends.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.shopping_lists import SharingChoice
from customer_center.presenters.quick_order import line_row as checked_row
from customer_center.presenters.shopping_lists import line_row, sharing_label, sharing_options
from customer_center.services.shop import shopping_list_lines as lines
from customer_center.services.shop import shopping_lists as lists
from customer_center.services.shop.catalogue import SKU_MAX
from customer_center.services.shop.shopping_list_lines import ListDetail
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.cart import CartBadgeState

ORDER = Permission.ORDERS_CREATE


class ShoppingListState(PortalState):
    found: bool = False
    loaded: bool = False
    name: str = ""
    owner: str = ""
    sharing: str = ""
    sharing_value: str = "private"
    is_own: bool = False
    can_share: bool = False
    sharing_choices: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []
    chosen: list[str] = []
    problems: list[dict[str, str]] = []  # lines the cart did not take, after "into the cart"
    notice: str = ""
    problem: str = ""
    errors: dict[str, str] = {}
    round: int = 0

    def _list_id(self) -> str:
        return self._param("list_id")

    def _show(self, detail: ListDetail) -> None:
        self.found, self.name, self.owner = True, detail.name, detail.owner
        self.is_own = detail.is_own
        self.sharing = sharing_label(detail.sharing, detail.role_name, self.lang)
        self.rows = [line_row(line, self.lang) for line in detail.lines]
        skus = {row["sku"] for row in self.rows}
        self.chosen = [sku for sku in self.chosen if sku in skus]
        self.round += 1

    async def _reload(self) -> None:
        actor = self._actor()
        try:
            detail = await in_transaction(
                lines.list_detail, actor, list_id=self._list_id(), erp=erp_client()
            )
        except ServiceError as error:
            self.found, self.problem = False, self._t(error.code)
            return
        finally:
            self.loaded = True
        self._show(detail)
        self.can_share = detail.is_own and actor.may(Permission.LISTS_SHARE)
        if self.can_share:
            roles = await in_transaction(lists.company_roles, actor)
            self.sharing_choices = sharing_options(roles, self.lang)
        self.sharing_value = SharingChoice(detail.sharing, detail.role_id).value

    @requires(ORDER)
    async def load(self) -> None:
        self.found, self.loaded, self.notice, self.problem = False, False, "", ""
        self.errors, self.chosen, self.problems = {}, [], []
        await self._reload()

    async def _change(self, service: Callable[..., object], done: str, **kwargs: object) -> bool:
        self.notice, self.problem, self.errors, self.problems = "", "", {}, []
        try:
            await in_transaction(service, self._actor(), list_id=self._list_id(), **kwargs)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return False
        self.notice = done
        await self._reload()
        return True

    @requires(ORDER)
    def choose(self, sku: str) -> None:
        """Tick or untick a line (only SKUs of the list shown count)."""
        if not isinstance(sku, str) or sku not in {row["sku"] for row in self.rows}:
            return
        if sku in self.chosen:
            self.chosen = [s for s in self.chosen if s != sku]
        else:
            self.chosen = [*self.chosen, sku]

    async def _to_cart(self, skus: list[str] | None) -> None:
        self.notice, self.problem, self.errors, self.problems = "", "", {}, []
        actor = self._actor()
        try:
            check = await in_transaction(
                lines.to_cart, actor, list_id=self._list_id(), erp=erp_client(), skus=skus
            )
        except ServiceError as error:
            self.problem = " ".join(field_errors(error, self.lang).values())
            return
        self.notice = self._t("quick_order.added", count=check.added)
        self.problems = [checked_row(line, self.lang) for line in check.lines if not line.ok]
        badge = await self.get_state(CartBadgeState)
        await badge._recount(actor)

    @requires(ORDER)
    async def all_to_cart(self) -> None:
        await self._to_cart(None)

    @requires(ORDER)
    async def chosen_to_cart(self) -> None:
        await self._to_cart(list(self.chosen))

    @requires(ORDER)
    async def add(self, form: dict) -> None:
        sku = text_field(form, "sku", SKU_MAX)
        if await self._change(
            lines.add_product,
            self._t("lists.line_added", sku=sku.strip().upper()),
            erp=erp_client(),
            sku=sku,
            quantity=text_field(form, "quantity", 12),
        ):
            self.round += 1

    @requires(ORDER)
    async def update(self, form: dict) -> None:
        await self._change(
            lines.set_quantity,
            self._t("shop.cart.updated"),
            sku=text_field(form, "sku", SKU_MAX),
            quantity=text_field(form, "quantity", 12),
        )

    @requires(ORDER)
    async def remove(self, sku: str) -> None:
        sku = sku[:SKU_MAX] if isinstance(sku, str) else ""
        await self._change(lines.remove_line, self._t("lists.line_removed", sku=sku), sku=sku)

    @requires(ORDER)
    async def share(self, value: str) -> None:
        value = value[:32] if isinstance(value, str) else ""
        await self._change(lists.change_sharing, self._t("lists.sharing_changed"), sharing=value)

    @requires(ORDER)
    async def delete_list(self) -> object:
        self.notice, self.problem, self.errors = "", "", {}
        try:
            await in_transaction(lists.delete_list, self._actor(), list_id=self._list_id())
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        return rx.redirect(routes.LISTS)
