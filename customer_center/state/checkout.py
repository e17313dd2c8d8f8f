"""The checkout page: addresses, payment and shipping, reference and comment; placing the order.

Address choices are keys (``erp:<id>``, ``company``, ``new``) that the checkout service looks
up again among the company's own ERP addresses. Service errors keyed
``delivery_address.<field>`` are shown next to the new-address fields ``delivery_<field>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from types import SimpleNamespace

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.invoice_totals import invoice_totals
from customer_center.domain.orders import (
    ADDRESS_FIELDS,
    COMMENT_MAX,
    REFERENCE_MAX,
    SHIPPING_METHODS,
    order_number,
)
from customer_center.domain.permissions import Permission
from customer_center.i18n.wording import money
from customer_center.presenters.breaches import breach_lines, describe_breach
from customer_center.presenters.invoice_totals import totals_rows
from customer_center.services.shop import cart, checkout, invoice_preview
from customer_center.services.shop.checkout import NEW_ADDRESS, AddressChoice, CheckoutRequest
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.cart import CartBadgeState, cart_rows

ORDER = Permission.ORDERS_CREATE
DEFAULT_PAYMENT = "invoice"
DEFAULT_SHIPPING = invoice_preview.DEFAULT_SHIPPING


def one_line(address: dict[str, str]) -> str:
    place = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    parts = [address.get("street", ""), place, address.get("country", "")]
    return ", ".join(part for part in parts if part)


def choice_rows(choices: list[AddressChoice]) -> list[dict[str, str]]:
    return [
        {
            "key": c.key,
            "name": c.address.get("name", ""),
            "line": one_line(c.address),
            "default": "1" if c.is_default else "",
        }
        for c in choices
    ]


def form_errors(error: ServiceError, lang: str) -> dict[str, str]:
    """The service's field names as the form names them."""
    return {
        key.replace("delivery_address.", "delivery_"): message
        for key, message in field_errors(error, lang).items()
    }


class CheckoutState(PortalState):
    loaded: bool = False
    has_lines: bool = False
    rows: list[dict[str, str]] = []
    total: str = ""
    breach_lines: list[str] = []
    invoice_rows: list[dict[str, str]] = []  # as on the invoice, for the chosen shipping
    shipping_method: str = DEFAULT_SHIPPING
    # What the invoice rows are computed from; on the server only.
    _goods_cents: int = 0
    _vat_rate: str = ""
    _currency: str = "EUR"
    delivery_options: list[dict[str, str]] = []
    billing_options: list[dict[str, str]] = []
    delivery_choice: str = NEW_ADDRESS
    billing_choice: str = ""
    addresses_reachable: bool = True
    errors: dict[str, str] = {}
    problem: str = ""
    busy: bool = False
    # After the order is placed: what became of it.
    placed: bool = False
    placed_number: str = ""
    placed_href: str = ""
    placed_approved: bool = False
    placed_status: str = ""
    placed_reasons: list[str] = []

    async def _reload(self) -> None:
        actor = self._actor()
        erp = erp_client()
        view = await in_transaction(cart.cart_view, actor, erp=erp)
        options = await in_transaction(checkout.checkout_options, actor, erp=erp)
        lang = self.lang
        self.rows = cart_rows(view, lang, self._t)
        self.has_lines = bool(view.lines)
        self.total = money(view.total_cents, view.currency, lang) if view.prices_known else ""
        self.breach_lines = [describe_breach(b, lang, view.currency) for b in view.breaches]
        self._goods_cents, self._currency = view.total_cents, view.currency
        rate = view.totals.vat[0].rate if view.totals and view.totals.vat else None
        self._vat_rate = str(rate) if rate is not None else ""
        self.shipping_method = DEFAULT_SHIPPING
        self._show_totals()
        if not view.prices_known:
            self.problem = self._t("shop.error.erp_unavailable")
        self.delivery_options = choice_rows(options.delivery)
        self.billing_options = choice_rows(options.billing)
        self.delivery_choice = options.default_delivery
        self.billing_choice = options.default_billing
        self.addresses_reachable = options.erp_reachable

    @requires(ORDER)
    async def load(self) -> None:
        self.errors, self.problem, self.busy, self.loaded = {}, "", False, False
        self.placed, self.placed_reasons = False, []
        try:
            await self._reload()
        except ServiceError as error:
            self.problem = self._t(error.code)
        self.loaded = True

    def _show_totals(self) -> None:
        if not self._vat_rate or not self.has_lines:
            self.invoice_rows = []
            return
        totals = invoice_totals(
            self._goods_cents,
            shipping_method=self.shipping_method,
            vat_rate=Decimal(self._vat_rate),
            currency=self._currency,
        )
        self.invoice_rows = totals_rows(totals, self.shipping_method, self.lang)

    @requires(ORDER)
    def choose_shipping(self, method: str) -> None:
        """The shipping select changed: the totals follow (the order takes the form's value,
        checked again by the service)."""
        if isinstance(method, str) and method in SHIPPING_METHODS:
            self.shipping_method = method
            self._show_totals()

    @requires(ORDER)
    def choose_delivery(self, key: str) -> None:
        """Radio cards: show or hide the new-address fields (the service checks the key)."""
        if isinstance(key, str) and (
            key == NEW_ADDRESS or any(o["key"] == key for o in self.delivery_options)
        ):
            self.delivery_choice = key

    @requires(ORDER)
    def choose_billing(self, key: str) -> None:
        if isinstance(key, str) and any(o["key"] == key for o in self.billing_options):
            self.billing_choice = key

    @requires(ORDER)
    async def submit(self, form: dict) -> AsyncIterator[None]:
        if self.placed or self.busy:
            return
        self.errors, self.problem, self.busy = {}, "", True
        yield
        request = CheckoutRequest(
            delivery_choice=self.delivery_choice,
            new_delivery={
                name: text_field(form, f"delivery_{name}", 300) for name in ADDRESS_FIELDS
            },
            billing_choice=self.billing_choice,
            payment_method=text_field(form, "payment_method", 40),
            shipping_method=text_field(form, "shipping_method", 40),
            reference=text_field(form, "reference", REFERENCE_MAX + 50),
            comment=text_field(form, "comment", COMMENT_MAX + 50),
        )
        try:
            outcome = await in_transaction(
                checkout.place_order,
                self._actor(),
                settings=get_settings(),
                erp=erp_client(),
                request=request,
            )
        except ServiceError as error:
            self.errors = form_errors(error, self.lang)
            self.busy = False
            return
        self.busy, self.placed = False, True
        self.placed_number = order_number(SimpleNamespace(id=outcome.order_id))
        self.placed_href = routes.order_path(outcome.order_id)
        self.placed_approved = outcome.status == "approved"
        self.placed_status = self._t(f"orders.status.{outcome.status}")
        self.placed_reasons = breach_lines(outcome.reasons, self.lang, outcome.currency)
        self.rows, self.has_lines, self.invoice_rows = [], False, []
        badge = await self.get_state(CartBadgeState)
        badge.count = 0
