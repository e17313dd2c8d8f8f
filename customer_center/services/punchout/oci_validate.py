"""OCI background validation (``FUNCTION=VALIDATE``): the procurement system asks for one
product's current price and data without a user in the catalogue; the answer is the same
NEW_ITEM form a transfer sends, for that one line."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain import inputs, punchout
from customer_center.domain.principals import PunchoutClient
from customer_center.domain.punchout import TransferLine
from customer_center.integrations.erp.protocol import ErpClient, ErpUnavailable
from customer_center.models.company import Company
from customer_center.models.punchout import PunchoutConnection
from customer_center.services.punchout.arrival import PunchoutRefused
from customer_center.services.shop.catalogue import clean_sku, offers_for


def validate_item(
    session: Session,
    principal: PunchoutClient,
    *,
    product_id: str,
    quantity: str,
    return_url: str,
    dev_mode: bool,
    erp: ErpClient,
) -> TransferLine:
    """The product as the company would transfer it today, priced for ``quantity``."""
    connection = session.get(PunchoutConnection, principal.connection_id)
    company = session.get(Company, principal.company_id)
    assert connection is not None and company is not None
    problem = punchout.return_url_problem(return_url, connection.allowed_origins, dev_mode)
    if problem:
        raise PunchoutRefused(400, problem, principal.company_id, principal.connection_id)
    amount = inputs.parse_quantity(quantity.strip() or "1")
    sku = clean_sku(product_id).upper()
    if amount is None or not sku:
        raise PunchoutRefused(400, "unknown_item", principal.company_id, principal.connection_id)
    try:
        offer = offers_for(erp, company.customer_number, [sku], quantities={sku: amount}).get(sku)
    except ErpUnavailable as error:
        raise PunchoutRefused(503, "erp", principal.company_id, principal.connection_id) from error
    if offer is None:
        raise PunchoutRefused(400, "unknown_item", principal.company_id, principal.connection_id)
    product = offer.product
    return TransferLine(
        sku=product.sku,
        name=product.name,
        description=product.description,
        quantity=amount,
        unit=product.unit,
        unit_price=offer.price,
        currency=offer.currency,
    )
