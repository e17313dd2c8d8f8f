"""Placing an order: ERP prices, the budget decides, the chain routes, mails are queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.approval import Absence
from customer_center.models.order import (
    ApprovalStep,
    Order,
    OrderEvent,
    OrderLine,
    OrderRevision,
)
from customer_center.models.outbox import OutboxMessage
from customer_center.presenters.breaches import breach_lines
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.settings import get_settings
from tests.order_factories import CHECKOUT, Shop


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def _outbox(shop: Shop, kind: str | None = None) -> list[OutboxMessage]:
    shop.session.expire_all()
    rows = shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    return [r for r in rows if kind is None or r.kind == kind]


def _mails_to(shop: Shop, address: str) -> list[str]:
    return [m.payload["subject"] for m in _outbox(shop, "email") if m.payload["to"] == address]


def _steps(shop: Shop, order_id: int) -> list[tuple[int, int, str, str]]:
    rows = shop.session.exec(
        select(ApprovalStep)
        .where(ApprovalStep.order_id == order_id)
        .order_by(col(ApprovalStep.level), col(ApprovalStep.approver_id))
    ).all()
    return [(s.level, s.approver_id, s.rule, s.status) for s in rows]


def test_within_budget_the_order_is_approved_at_once_and_queued_for_the_erp(shop) -> None:
    shop.limit(shop.ben, max_value=200_000)
    outcome = shop.order(lines={"MOTOR-4KW": 2, "bolt-m8 ": 10})

    assert (outcome.status, outcome.reasons) == ("approved", [])
    order = shop.session.get(Order, outcome.order_id)
    assert (order.total_cents, order.total_quantity, order.currency) == (122_900, 12, "EUR")
    assert (order.reference, order.payment_method, order.revision) == ("PO-4711", "invoice", 1)
    lines = shop.session.exec(select(OrderLine).order_by(col(OrderLine.position))).all()
    assert [(x.sku, x.quantity, x.unit_price_cents, x.line_total_cents) for x in lines] == [
        ("MOTOR-4KW", 2, 61_200, 122_400),
        ("BOLT-M8", 10, 50, 500),
    ]
    kinds = shop.session.exec(select(OrderEvent.kind, OrderEvent.actor_id)).all()
    assert sorted(kinds, key=str) == sorted(
        [("submitted", shop.ben.id), ("approved", None)], key=str
    )
    [handoff] = _outbox(shop, "erp.order_placed")
    assert handoff.payload == {"order_id": order.id, "company_id": order.company_id}
    assert _steps(shop, order.id) == []
    revision = shop.session.exec(select(OrderRevision)).one()
    assert revision.header["delivery_address"]["city"] == "Hamburg"
    assert revision.comment == "Please deliver before Friday."


def test_over_budget_it_waits_for_the_first_level_with_the_reasons(shop) -> None:
    shop.limit(shop.ben, max_value=100_000, max_quantity=1)
    shop.chain(("any", [shop.anna]), ("all", [shop.carl, shop.anna]))
    outcome = shop.order()

    assert outcome.status == "pending_approval"
    assert breach_lines(outcome.reasons, "en", outcome.currency) == [
        "quantity 2 exceeds the per-order maximum of 1",
        "order value €1,224.00 exceeds the per-order limit of €1,000.00",
    ]
    assert _steps(shop, outcome.order_id) == [
        (0, shop.anna.id, "any", "waiting"),
        (1, shop.anna.id, "all", "queued"),
        (1, shop.carl.id, "all", "queued"),
    ]
    event = shop.session.exec(select(OrderEvent).where(OrderEvent.kind == "submitted")).one()
    assert [r["kind"] for r in event.data["reasons"]] == ["quantity", "order_value"]
    assert event.body == "Please deliver before Friday."
    assert _mails_to(shop, "anna@acme.example") == [
        f"Approval needed: order PO-{outcome.order_id:06d} by Ben"
    ]
    assert _mails_to(shop, "carl@acme.example") == []
    assert _outbox(shop, "erp.order_placed") == []


def test_reasons_come_in_the_requesters_language(shop) -> None:
    shop.limit(shop.ben, max_value=100_000)
    shop.ben.language = "de"
    shop.session.add(shop.ben)
    shop.session.commit()
    outcome = shop.order()
    assert breach_lines(outcome.reasons, shop.actor(shop.ben).language, outcome.currency) == [
        "Bestellwert 1.224,00\xa0€ überschreitet das Limit je Bestellung von 1.000,00\xa0€"
    ]


def test_the_period_budget_counts_waiting_orders_as_reserved(shop) -> None:
    shop.limit(shop.ben, monthly=150_000)
    first = shop.order()  # 1,224.00 of 1,500.00
    assert first.status == "approved"
    second = shop.order(lines={"GLOVES-9": 50})  # 320.00 on top of 1,224.00
    assert second.status == "pending_approval"  # the main contact decides: no chain
    assert _steps(shop, second.order_id) == [(0, shop.main.user_id, "any", "waiting")]
    third = shop.order(lines={"BOLT-M8": 10})  # 5.00: the second one is reserved
    assert third.status == "pending_approval"


def test_an_absent_approver_is_stored_as_designated_and_their_substitute_is_mailed(shop) -> None:
    shop.limit(shop.ben, max_value=0)
    shop.chain(("any", [shop.anna]))
    today = date.today()
    shop.session.add(
        Absence(
            company_id=shop.main.company_id,
            user_id=shop.anna.id,
            substitute_id=shop.carl.id,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=5),
        )
    )
    shop.session.commit()
    outcome = shop.order()
    assert _steps(shop, outcome.order_id) == [(0, shop.anna.id, "any", "waiting")]
    assert len(_mails_to(shop, "carl@acme.example")) == 1
    assert _mails_to(shop, "anna@acme.example") == []


def test_the_main_contacts_own_order_that_nobody_else_can_decide_is_approved(shop) -> None:
    shop.limit(max_value=0)
    main_user = shop.session.get(type(shop.ben), shop.main.user_id)
    outcome = shop.order(main_user)
    assert (outcome.status, len(outcome.reasons)) == ("approved", 1)
    event = shop.session.exec(select(OrderEvent).where(OrderEvent.kind == "approved")).one()
    assert event.data == {"final": True, "automatic": True, "self": True}


def test_checkout_problems_are_named_by_field_and_nothing_is_written(shop) -> None:
    bad = replace(
        CHECKOUT,
        delivery_address={**CHECKOUT.delivery_address, "street": " ", "country": "Germany"},
        billing_address={},
        payment_method="barter",
        shipping_method="",
        reference="x" * 101,
    )
    with pytest.raises(ValidationFailed) as failure:
        shop.order(lines={"MOTOR-4KW": 0}, checkout=bad)
    errors = failure.value.errors
    assert errors["lines.0"][0] == "orders.error.quantity"
    assert errors["delivery_address.street"][0] == "form.required"
    assert errors["delivery_address.country"][0] == "orders.error.country"
    assert errors["billing_address.city"][0] == "form.required"
    assert {"payment_method", "shipping_method", "reference"} <= set(errors)
    assert shop.erp.calls == 0
    assert shop.session.exec(select(Order)).all() == []


def test_unknown_articles_are_named(shop) -> None:
    with pytest.raises(ValidationFailed) as failure:
        shop.order(lines={"MOTOR-4KW": 1, "nope-1": 2})
    assert failure.value.errors == {"lines": ("orders.error.unknown_sku", {"sku": "NOPE-1"})}
    assert shop.session.exec(select(Order)).all() == []


def test_an_erp_that_cannot_be_reached_refuses_with_a_clear_message(shop) -> None:
    shop.erp.down = True
    with pytest.raises(ServiceError) as failure:
        shop.order()
    assert failure.value.code == "orders.error.erp_unavailable"


def test_without_the_right_to_order_nothing_is_placed(shop) -> None:
    with pytest.raises(ServiceError) as failure:
        submit_order(
            shop.session,
            shop.actor(shop.tina),
            settings=get_settings(),
            lines=[LineRequest("MOTOR-4KW", 1)],
            checkout=CHECKOUT,
            erp=shop.erp,
        )
    assert failure.value.code == "error.permission_denied"
    assert shop.session.exec(select(Order)).all() == []
