"""An approved order reaches the ERP exactly once through the outbox, whatever fails on the way."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.background import build_relay
from customer_center.domain.order_states import OrderStatus
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import ErpOrderRequest, ErpUnavailable
from customer_center.integrations.erp.tables import ErpOrderLineRow, ErpOrderRow
from customer_center.models.base import utcnow
from customer_center.models.order import Order, OrderEvent
from customer_center.models.outbox import PENDING, SENT, OutboxMessage
from customer_center.outbox.relay import OutboxRelay, message_id_of
from customer_center.services.orders import handoff
from customer_center.services.orders.handoff import (
    ERP_ORDER_PLACED,
    deliver_order,
    enqueue_handoff,
    handoff_handler,
)
from tests.factories import make_company, make_user
from tests.journey_factory import make_order


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


class FlakyErp:
    """The embedded ERP behind a switch: down while ``down`` is set; counts the calls."""

    def __init__(self, engine: Engine) -> None:
        self.real = EmbeddedErpClient(engine)
        self.down = False
        self.calls: list[str] = []

    def place_order(self, order: ErpOrderRequest, message_id: str) -> str:
        self.calls.append(message_id)
        if self.down:
            raise ErpUnavailable("connection refused")
        return self.real.place_order(order, message_id)


@pytest.fixture
def approved(session: Session) -> Order:
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben Bauer")
    order = make_order(session, main.company_id, ben.id)  # type: ignore[arg-type]
    enqueue_handoff(session, order)
    session.commit()
    return order


def _erp_orders(engine: Engine) -> list[ErpOrderRow]:
    with Session(engine) as session:
        return list(session.exec(select(ErpOrderRow)))


def _reload(engine: Engine, order: Order) -> Order:
    with Session(engine) as session:
        found = session.get(Order, order.id)
        assert found is not None
        return found


def _events(engine: Engine, order: Order) -> list[OrderEvent]:
    with Session(engine) as session:
        return list(session.exec(select(OrderEvent).where(OrderEvent.order_id == order.id)))


def _message(engine: Engine) -> OutboxMessage:
    with Session(engine) as session:
        return session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == ERP_ORDER_PLACED)
        ).one()


def test_the_relay_hands_the_approved_revision_to_the_erp(db: Engine, approved: Order) -> None:
    relay = build_relay()  # the registration the web process and the standalone relay use
    assert relay.run_once() == 1
    [erp_order] = _erp_orders(db)
    assert erp_order.erp_order_number == f"SO-{100000 + erp_order.id}"  # type: ignore[operator]
    assert (erp_order.customer_number, erp_order.portal_order_id) == ("10001", approved.id)
    assert (erp_order.reference, erp_order.total) == ("PO-4711", Decimal("14.50"))
    assert erp_order.requester_email == "ben@mueller.example"
    assert erp_order.header["delivery_address"]["city"] == "Hamburg"
    assert erp_order.header["comment"] == "Please deliver to gate 2."
    with Session(db) as session:
        lines = session.exec(select(ErpOrderLineRow).order_by(ErpOrderLineRow.position)).all()
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == [
        ("A-100", 10, Decimal("1.25")),
        ("B-200", 4, Decimal("0.50")),
    ]
    order = _reload(db, approved)
    assert (order.status, order.erp_order_number) == (
        OrderStatus.SENT_TO_ERP,
        erp_order.erp_order_number,
    )
    assert order.version == approved.version + 1
    [event] = _events(db, approved)
    assert (event.kind, event.data) == ("erp.sent", {"erp_order_number": order.erp_order_number})
    assert _message(db).status == SENT


def test_a_duplicate_delivery_makes_one_erp_order(db: Engine, approved: Order) -> None:
    erp = FlakyErp(db)
    payload = {"order_id": approved.id, "company_id": approved.company_id}
    first = deliver_order(db, erp, payload, "cc-outbox-1")
    # The relay lost its lease and the message went out again, maybe under a new claim.
    second = deliver_order(db, erp, payload, "cc-outbox-1")
    assert first is not None and second is None
    assert len(_erp_orders(db)) == 1 and len(_events(db, approved)) == 1
    assert erp.calls == ["cc-outbox-1"]  # the second time the order was already recorded


def test_a_crash_after_the_erp_answered_is_healed_by_the_retry(
    db: Engine, approved: Order, monkeypatch: pytest.MonkeyPatch
) -> None:
    erp = FlakyErp(db)
    clock = Clock()
    relay = OutboxRelay(db, {ERP_ORDER_PLACED: handoff_handler(erp, db)}, clock=clock)
    real_record = handoff.record_handoff

    def crash(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("portal database went away")

    monkeypatch.setattr(handoff, "record_handoff", crash)
    assert relay.run_once() == 0
    assert _reload(db, approved).status == OrderStatus.APPROVED
    assert len(_erp_orders(db)) == 1  # the ERP has it, the portal does not know yet
    monkeypatch.setattr(handoff, "record_handoff", real_record)
    clock.now += timedelta(minutes=2)
    assert relay.run_once() == 1
    [erp_order] = _erp_orders(db)
    assert _reload(db, approved).erp_order_number == erp_order.erp_order_number
    assert len(set(erp.calls)) == 1 and len(erp.calls) == 2  # same message id both times


def test_an_erp_that_is_down_loses_nothing(db: Engine, approved: Order) -> None:
    erp = FlakyErp(db)
    erp.down = True
    clock = Clock()
    relay = OutboxRelay(db, {ERP_ORDER_PLACED: handoff_handler(erp, db)}, clock=clock)
    assert relay.run_once() == 0
    message = _message(db)
    assert message.status == PENDING and message.attempts == 1
    assert "connection refused" in message.last_error
    assert _reload(db, approved).status == OrderStatus.APPROVED and _erp_orders(db) == []
    assert relay.run_once() == 0 and len(erp.calls) == 1  # not due before the backoff
    clock.now += timedelta(minutes=1)
    assert relay.run_once() == 0 and len(erp.calls) == 2  # still down: retried, still kept
    erp.down = False
    clock.now += timedelta(minutes=5)
    assert relay.run_once() == 1
    assert _reload(db, approved).status == OrderStatus.SENT_TO_ERP
    assert erp.calls == [message_id_of(message.id)] * 3  # type: ignore[arg-type]
    assert len(_erp_orders(db)) == 1


def test_an_order_cancelled_before_the_hand_off_is_not_sent(
    db: Engine, session: Session, approved: Order
) -> None:
    approved.status = OrderStatus.CANCELLED
    session.add(approved)
    session.commit()
    erp = FlakyErp(db)
    relay = OutboxRelay(db, {ERP_ORDER_PLACED: handoff_handler(erp, db)}, clock=Clock())
    assert relay.run_once() == 1
    assert erp.calls == [] and _erp_orders(db) == []
    assert _reload(db, approved).status == OrderStatus.CANCELLED


def test_a_payload_naming_another_company_finds_no_order(db: Engine, approved: Order) -> None:
    erp = FlakyErp(db)
    forged = {"order_id": approved.id, "company_id": approved.company_id + 1}
    with pytest.raises(LookupError):
        deliver_order(db, erp, forged, "cc-outbox-9")
    with pytest.raises(ValueError):
        deliver_order(db, erp, {"order_id": str(approved.id)}, "cc-outbox-9")
    assert erp.calls == [] and _reload(db, approved).status == OrderStatus.APPROVED


def test_the_embedded_erp_answers_the_same_number_for_the_same_message(
    db: Engine, session: Session, approved: Order
) -> None:
    erp = EmbeddedErpClient(db)
    request = handoff.order_request(session, approved.id, approved.company_id)  # type: ignore[arg-type]
    assert request is not None
    first = erp.place_order(request, "m-1")
    assert erp.place_order(request, "m-1") == first
    other = erp.place_order(request, "m-2")
    assert other != first and other.startswith("SO-")
    assert len(_erp_orders(db)) == 2
