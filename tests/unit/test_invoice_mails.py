"""Order e-mails give the net total and the gross one with shipping and VAT, by the rule the
invoice uses, with the VAT rate the ERP named when the order was placed."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from customer_center.models.order import Order
from customer_center.models.outbox import OutboxMessage
from tests.order_factories import Shop


def _mail_texts(session: Session, to: str) -> list[str]:
    rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    return [m.payload["text"] for m in rows if m.payload["to"] == to]


def test_the_approval_mail_names_net_and_gross(session: Session) -> None:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=50_000)  # two motors (1,224.00) need approval
    shop.chain(("any", [shop.anna]))
    outcome = shop.order()
    order = session.get(Order, outcome.order_id)
    assert order is not None and order.vat_rate == Decimal("19.00")
    [text] = _mail_texts(session, "anna@acme.example")
    # 1,224.00 goods, free standard shipping from 250.00, 19 % VAT: 1,456.56 gross
    assert "€1,224.00 net (€1,456.56 gross with shipping and VAT)" in text


def test_an_order_without_a_known_rate_says_the_net_total_only(session: Session) -> None:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=50_000)
    shop.chain(("any", [shop.anna]))
    shop.erp.get_vat_rate = lambda customer_number: None  # type: ignore[method-assign]
    shop.order()
    [text] = _mail_texts(session, "anna@acme.example")
    assert "€1,224.00" in text and "gross" not in text
