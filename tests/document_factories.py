"""Orders that reached the embedded ERP and got their documents, for the documents tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.services.orders.handoff import deliver_order
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.settings import get_settings
from tests.order_factories import CHECKOUT

ALL_ORDER_DOCUMENTS = ("order_confirmation", "delivery_note", "invoice", "credit_note")


def order_in_erp(
    session: Session,
    engine: Engine,
    principal: CustomerUser,
    lines: Mapping[str, int],
    *,
    shipping_method: str = "standard",
    kinds: tuple[str, ...] = ALL_ORDER_DOCUMENTS,
) -> tuple[int, str]:
    """An order of ``principal`` (who orders without approval), handed to the embedded ERP,
    which issued ``kinds`` for it; the portal's order id and the ERP's order number."""
    erp = EmbeddedErpClient(engine)
    outcome = submit_order(
        session,
        principal,
        settings=get_settings(),
        lines=[LineRequest(sku, quantity) for sku, quantity in lines.items()],
        checkout=dataclasses.replace(CHECKOUT, shipping_method=shipping_method),
        erp=erp,
    )
    session.commit()
    payload = {"order_id": outcome.order_id, "company_id": principal.company_id}
    number = deliver_order(engine, erp, payload, f"test-order-{outcome.order_id}")
    assert number is not None, outcome
    erp.issue_order_documents(number, kinds)
    session.expire_all()
    return outcome.order_id, number
