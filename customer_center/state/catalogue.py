"""The catalogue page: one page of products as display strings, and "add to cart".

Opening the catalogue needs ``documents.view`` or ``orders.create``: one access marker names
one right, so the handlers are marked ``@signed_in`` and the service checks "any of" (and
what the viewer may see of prices and data sheets). Adding to the cart needs
``orders.create``, checked by the middleware and again by the cart service.
"""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.i18n.formatting import format_money
from customer_center.integrations.erp.protocol import PRODUCT_SORTS
from customer_center.presenters.catalogue import availability_text
from customer_center.services.shop import cart, catalogue
from customer_center.services.shop.catalogue import CataloguePage, ProductView
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.cart import CartBadgeState
from customer_center.state.paging import page_turners

ALL = "all"


class CatalogueState(PortalState):
    search: str = ""
    category: str = ALL
    categories: list[str] = []
    sort: str = "name"
    page: int = 0
    page_count: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    show_prices: bool = False
    can_order: bool = False
    loaded: bool = False
    problem: str = ""
    cached_notice: str = ""  # the ERP is not answering: the page as it last answered
    # Per product (by SKU): what adding it did, or why it was refused.
    added: dict[str, str] = {}
    add_errors: dict[str, str] = {}

    def _price_kind(self, product: ProductView) -> str:
        if product.price is None:
            return ""
        if product.is_cached:  # short: the page's notice says why
            return self._t("catalogue.price_last_known")
        return self._t("shop.customer_price" if product.is_customer_price else "shop.list_price")

    def _show(self, result: CataloguePage) -> None:
        lang = self.lang
        self.rows = [
            {
                "sku": p.sku,
                "name": p.name,
                "description": p.description,
                "sku_label": self._t("shop.sku", sku=p.sku),
                "price": format_money(p.price, p.currency, lang) if p.price is not None else "",
                "per_unit": self._t("shop.per_unit", unit=p.unit) if p.unit else "",
                "price_kind": self._price_kind(p),
                "own_price": "1" if p.is_customer_price else "",
                "datasheet": p.datasheet_url,
                "category": p.category,
                "image": p.image_url,
                "availability": availability_text(p.stock, p.delivery_on, lang),
                "in_stock": "1" if p.stock else "",
            }
            for p in result.products
        ]
        self.categories = result.categories
        self.total, self.page, self.page_count = result.total, result.page, result.page_count
        self.show_prices, self.can_order = result.show_prices, result.can_order
        self.cached_notice = self._t("catalogue.from_cache") if result.from_cache else ""

    async def _refresh(self) -> None:
        self.problem = ""
        try:
            result = await in_transaction(
                catalogue.catalogue_page,
                self._actor(),
                erp=erp_client(),
                search=self.search,
                page=self.page,
                category="" if self.category == ALL else self.category,
                sort=self.sort,
            )
        except ServiceError as error:
            self.rows, self.total, self.page, self.page_count = [], 0, 0, 1
            self.problem, self.cached_notice = self._t(error.code), ""
            return
        finally:
            self.loaded = True
        self._show(result)

    @signed_in
    async def load(self) -> None:
        self.added, self.add_errors, self.loaded = {}, {}, False
        # ?search= from the header's search (a product hit): the catalogue opens filtered.
        self.search, self.page = self._query("search")[: catalogue.SEARCH_MAX], 0
        await self._refresh()

    @signed_in
    async def set_search(self, value: str) -> None:
        self.search = value[: catalogue.SEARCH_MAX] if isinstance(value, str) else ""
        self.page = 0
        await self._refresh()

    @signed_in
    async def set_category(self, value: str) -> None:
        """One of the ERP's categories (the service checks it again), or all."""
        known = isinstance(value, str) and value in self.categories
        self.category, self.page = (value if known else ALL), 0
        await self._refresh()

    @signed_in
    async def set_sort(self, value: str) -> None:
        self.sort = value if isinstance(value, str) and value in PRODUCT_SORTS else "name"
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(signed_in)

    @requires(Permission.ORDERS_CREATE)
    async def add(self, form: dict) -> None:
        """A product's own little form: its SKU (hidden field) and the quantity typed."""
        sku = text_field(form, "sku", catalogue.SKU_MAX)
        quantity = text_field(form, "quantity", 12)
        self.added = {k: v for k, v in self.added.items() if k != sku}
        self.add_errors = {k: v for k, v in self.add_errors.items() if k != sku}
        try:
            count = await in_transaction(
                cart.add_to_cart, self._actor(), erp=erp_client(), sku=sku, quantity=quantity
            )
        except ServiceError as error:
            message = " ".join(field_errors(error, self.lang).values())
            self.add_errors = {**self.add_errors, sku: message}
            return
        self.added = {**self.added, sku: self._t("shop.added", count=count)}
        badge = await self.get_state(CartBadgeState)
        await badge._recount(self._actor())
