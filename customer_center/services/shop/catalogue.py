"""The catalogue: the ERP's products with the prices the principal's company pays.

Who sees what:

- holders of ``documents.view`` or ``orders.create`` open the catalogue at all;
- prices are shown to those who may order (``orders.create``) or who see the company's
  orders and spend anyway (``orders.view_all``, ``reports.view``). A Technician (only
  ``documents.view``) sees products and data sheets but no prices: contract prices are
  commercial information a service technician does not need;
- data sheet links go to holders of ``documents.view`` only;
- ``can_order`` (the add-to-cart controls) follows ``orders.create``; the cart service checks
  it again on every change.

The customer number always comes from the principal's company, never from the browser. Paging and
search happen in the ERP (SQL for the embedded one); only one page leaves this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from customer_center.domain.delivery import delivery_date
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import local_today
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import (
    PRODUCT_SORTS,
    CachedOffer,
    ErpClient,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.models.company import Company

PAGE_SIZE = 20
SEARCH_MAX = 100
SKU_MAX = 64
CATALOGUE_RIGHTS = (Permission.DOCUMENTS_VIEW, Permission.ORDERS_CREATE)
PRICE_RIGHTS = (Permission.ORDERS_CREATE, Permission.ORDERS_VIEW_ALL, Permission.REPORTS_VIEW)
ERP_UNAVAILABLE = "shop.error.erp_unavailable"


@dataclass(frozen=True)
class ProductView:
    sku: str
    name: str
    description: str
    unit: str
    price: Decimal | None  # None: the viewer may not see prices
    currency: str
    is_customer_price: bool
    datasheet_url: str  # "" when there is none or the viewer may not open data sheets
    category: str = ""
    image_url: str = ""  # "" when the ERP has no picture
    stock: int | None = None  # None: the ERP does not track it
    delivery_on: date | None = None  # the earliest delivery day, from stock and lead time
    is_cached: bool = False  # the last known price: the ERP is not answering right now


@dataclass(frozen=True)
class CataloguePage:
    products: list[ProductView]
    total: int
    page: int
    page_count: int
    show_prices: bool
    can_order: bool
    can_view_documents: bool
    categories: list[str] = field(default_factory=list)  # the ERP's, for the filter
    # The ERP is not answering: the page as it last answered (prices marked as last known).
    from_cache: bool = False


def safe_datasheet_url(url: str | None) -> str:
    """The ERP's link if it is a web address or a path on this site, else ``""``.

    The link ends up in an ``href``: a ``javascript:`` or ``data:`` address from a badly
    filled ERP field must never become clickable.
    """
    value = (url or "").strip()
    if value.lower().startswith(("https://", "http://")):
        return value
    if value.startswith("/") and not value.startswith("//"):
        return value
    return ""


def company_customer_number(session: Session, principal: CustomerUser) -> str:
    """The ERP customer number of the principal's own company."""
    company = session.get(Company, principal.company_id)
    if company is None:
        raise ServiceError("error.permission_denied")
    return company.customer_number


def clean_sku(value: object) -> str:
    """A SKU as the browser sent it, trimmed; anything that cannot be one is ``""``."""
    if not isinstance(value, str):
        return ""
    sku = value.strip()
    return sku if 0 < len(sku) <= SKU_MAX else ""


def offers_for(
    erp: ErpClient,
    customer_number: str,
    skus: Iterable[str],
    *,
    quantities: Mapping[str, int] | None = None,
    day: date | None = None,
) -> dict[str, ErpProductOffer]:
    """The company's offers for ``skus`` by canonical (upper-case) SKU, in one ERP call, each
    priced for its quantity in ``quantities`` (1 if not given) on ``day`` (the ERP's today if
    not given); SKUs the ERP does not know are missing. Raises :class:`ErpUnavailable`."""
    wanted = sorted({sku.strip().upper() for sku in skus if sku.strip()})
    if not wanted:
        return {}
    amounts = {sku.strip().upper(): amount for sku, amount in (quantities or {}).items()}
    return erp.get_offers(customer_number, wanted, quantities=amounts, day=day)


def _view(offer: ErpProductOffer, show_prices: bool, documents: bool, today: date) -> ProductView:
    product = offer.product
    return ProductView(
        sku=product.sku,
        name=product.name,
        description=product.description,
        unit=product.unit,
        price=offer.price if show_prices else None,
        currency=offer.currency,
        is_customer_price=offer.is_customer_price and show_prices,
        datasheet_url=safe_datasheet_url(product.datasheet_url) if documents else "",
        category=product.category,
        image_url=safe_datasheet_url(product.image_url),
        stock=product.stock,
        delivery_on=delivery_date(product.stock, product.lead_days, today),
        is_cached=isinstance(offer, CachedOffer),
    )


def catalogue_page(
    session: Session,
    principal: CustomerUser,
    *,
    erp: ErpClient,
    search: str = "",
    page: int = 0,
    category: object = "",
    sort: object = "name",
) -> CataloguePage:
    """One page of the catalogue, filtered by ``search`` in name, SKU or description and by
    one of the ERP's categories, sorted by name, SKU or list price (:data:`PRODUCT_SORTS`).

    While the ERP is down, an HTTP ERP's client answers a page it answered before from its
    cache (``from_cache``, each price marked); one it never answered is ``ERP_UNAVAILABLE``."""
    principal.require(*CATALOGUE_RIGHTS)
    customer_number = company_customer_number(session, principal)
    term = search.strip()[:SEARCH_MAX] if isinstance(search, str) else ""
    order = sort if isinstance(sort, str) and sort in PRODUCT_SORTS else "name"
    try:
        categories = erp.list_categories(customer_number)
        chosen = category if isinstance(category, str) and category in categories else ""
        total = erp.count_products(customer_number, term, category=chosen)
        page_count = max(1, -(-total // PAGE_SIZE))
        page = min(max(page if isinstance(page, int) else 0, 0), page_count - 1)
        offers = erp.list_products(
            customer_number, term, page * PAGE_SIZE, PAGE_SIZE, category=chosen, sort=order
        )
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    today = local_today()
    show_prices = principal.may(*PRICE_RIGHTS)
    documents = principal.may(Permission.DOCUMENTS_VIEW)
    products = [_view(offer, show_prices, documents, today) for offer in offers]
    return CataloguePage(
        products=products,
        total=total,
        page=page,
        page_count=page_count,
        show_prices=show_prices,
        can_order=principal.may(Permission.ORDERS_CREATE),
        can_view_documents=documents,
        categories=categories,
        from_cache=any(p.is_cached for p in products),
    )
