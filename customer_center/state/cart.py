"""The cart page and the cart's count in the navigation.

Rows are display strings keyed by SKU; a SKU sent back by the browser only ever names a line
of the actor's own cart (the service looks it up by user), so a forged one changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.punchout import Operation
from customer_center.i18n.wording import money
from customer_center.presenters.breaches import describe_breach
from customer_center.presenters.invoice_totals import totals_rows
from customer_center.presenters.prices import price_origin
from customer_center.services.punchout.start import punchout_mode
from customer_center.services.shop import cart
from customer_center.services.shop.cart import CartLine, CartView
from customer_center.services.shop.catalogue import SKU_MAX
from customer_center.services.shop.invoice_preview import DEFAULT_SHIPPING
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.budgets import SituationView

ORDER = Permission.ORDERS_CREATE


class CartBadgeState(PortalState):
    """The number of products in the cart, next to the navigation entry."""

    count: int = 0

    async def _recount(self, actor: CustomerUser) -> None:
        self.count = await in_transaction(cart.cart_count, actor)

    @requires(ORDER)
    async def refresh(self) -> None:
        await self._recount(self._actor())


def _price_kind(line: CartLine, t: Callable[..., str]) -> str:
    if line.unit_price_cents is None:
        return ""
    if line.is_cached:
        return t("shop.price_cached")
    return t("shop.customer_price" if line.is_customer_price else "shop.list_price")


def cart_rows(view: CartView, lang: str, t: Callable[..., str]) -> list[dict[str, str]]:
    def amount(cents: int | None, currency: str) -> str:
        return money(cents, currency, lang) if cents is not None else ""

    return [
        {
            "sku": line.sku,
            "name": line.name,
            "sku_label": t("shop.sku", sku=line.sku),
            "quantity": str(line.quantity),
            "unit_price": amount(line.unit_price_cents, line.currency),
            "per_unit": t("shop.per_unit", unit=line.unit) if line.unit else "",
            "price_kind": _price_kind(line, t),
            "line_total": amount(line.line_total_cents, line.currency),
            "unavailable": "" if line.available else "1",
            # Where a contract price comes from (a list price says so in price_kind already).
            "price_origin": price_origin(line.quote, lang, line.list_price)
            if line.quote and line.quote.is_contract
            else "",
        }
        for line in view.lines
    ]


class CartState(SituationView):
    rows: list[dict[str, str]] = []
    total: str = ""
    total_quantity: str = ""
    prices_known: bool = True
    has_unavailable: bool = False
    breach_lines: list[str] = []
    invoice_rows: list[dict[str, str]] = []  # goods, shipping, VAT, gross as on the invoice
    unlimited: bool = False  # no limits at all: nothing to warn about, nothing to reassure
    loaded: bool = False
    notice: str = ""
    problem: str = ""
    errors: dict[str, str] = {}  # by SKU
    round: int = 0  # bumped on every reload: quantity fields show the stored value again
    # In a punchout the cart goes back to the customer's procurement system (no checkout).
    punchout: bool = False
    punchout_inspect: bool = False

    async def _reload(self) -> None:
        actor = self._actor()
        try:
            view = await in_transaction(cart.cart_view, actor, erp=erp_client())
        except ServiceError as error:
            self.rows, self.problem, self.invoice_rows = [], self._t(error.code), []
            self._show(None)
            return
        finally:
            self.loaded = True
            self.round += 1
        lang = self.lang
        self.rows = cart_rows(view, lang, self._t)
        self.total = money(view.total_cents, view.currency, lang)
        self.total_quantity = self._t("shop.total_quantity", count=view.total_quantity)
        self.prices_known = view.prices_known
        self.invoice_rows = (
            totals_rows(view.totals, DEFAULT_SHIPPING, lang) if view.totals is not None else []
        )
        self.has_unavailable = view.has_unavailable
        self.breach_lines = [describe_breach(b, lang, view.currency) for b in view.breaches]
        self.unlimited = view.situation.limits.is_unlimited
        self._show(view.situation)
        badge = await self.get_state(CartBadgeState)
        badge.count = len(view.lines)

    @requires(ORDER)
    async def load(self) -> None:
        self.notice, self.problem, self.errors = "", "", {}
        mode = await in_transaction(punchout_mode, self._actor())
        self.punchout = mode is not None
        self.punchout_inspect = mode is not None and mode.operation == Operation.INSPECT
        await self._reload()

    async def _change(self, service: Callable[..., object], done: str = "", **kwargs: str) -> bool:
        self.notice, self.problem, self.errors = "", "", {}
        try:
            await in_transaction(service, self._actor(), **kwargs)
        except ServiceError as error:
            sku = kwargs.get("sku", "")
            message = " ".join(field_errors(error, self.lang).values())
            if sku:
                self.errors = {sku: message}
            else:
                self.problem = message
            return False
        self.notice = done
        await self._reload()
        return True

    @requires(ORDER)
    async def update(self, form: dict) -> None:
        """One line's little form: its SKU (hidden field) and the new quantity."""
        sku = text_field(form, "sku", SKU_MAX)
        await self._change(
            cart.set_quantity,
            sku=sku,
            quantity=text_field(form, "quantity", 12),
            done=self._t("shop.cart.updated"),
        )

    @requires(ORDER)
    async def remove(self, sku: str) -> None:
        sku = sku[:SKU_MAX] if isinstance(sku, str) else ""
        name = next((r["name"] for r in self.rows if r["sku"] == sku), sku)
        await self._change(cart.remove_item, sku=sku, done=self._t("shop.cart.removed", name=name))

    @requires(ORDER)
    async def clear(self) -> None:
        await self._change(cart.clear_cart, done=self._t("shop.cart.cleared"))
