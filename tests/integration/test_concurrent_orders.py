"""Real concurrent transactions on PostgreSQL: two approvers deciding at once, one requester
submitting several orders at once. Each thread has its own connection and transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from customer_center.domain.errors import ServiceError
from customer_center.models.order import Order, OrderEvent
from customer_center.models.outbox import OutboxMessage
from customer_center.services.orders.decisions import approve, reject
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.settings import get_settings
from tests.conftest import IS_POSTGRES
from tests.order_factories import CHECKOUT, Shop

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (CC_TEST_DATABASE_URL)")


def _race(engine, jobs: list[Callable[[Session], object]]) -> list[object]:  # type: ignore[no-untyped-def]
    """Run each job in its own thread and transaction, all released at the same moment;
    returns each job's result or the ServiceError it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[Session], object]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                results[index] = job(session)
                session.commit()
            except ServiceError as error:
                session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_deciding_at_once_exactly_one_counts(session, engine, round_) -> None:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=0)
    shop.chain(("any", [shop.anna, shop.carl]))
    order_id = shop.order().order_id
    version = session.get(Order, order_id).version
    anna, carl, settings = shop.actor(shop.anna), shop.actor(shop.carl), get_settings()
    results = _race(
        engine,
        [
            lambda s: approve(s, anna, settings=settings, order_id=order_id, seen_version=version),
            lambda s: reject(
                s, carl, settings=settings, order_id=order_id, seen_version=version, comment="No"
            ),
        ],
    )
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and refused[0].code == "orders.error.stale"
    session.expire_all()
    decisions = session.exec(
        select(OrderEvent.kind).where(
            OrderEvent.order_id == order_id,
            OrderEvent.kind.in_(("approved", "rejected")),  # type: ignore[attr-defined]
        )
    ).all()
    assert len(decisions) == 1
    order = session.get(Order, order_id)
    assert order.status == {"approved": "approved", "rejected": "rejected"}[decisions[0]]
    assert order.version == version + 1
    handoffs = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "erp.order_placed"))
    assert len(handoffs.all()) == (1 if order.status == "approved" else 0)


def test_concurrent_orders_of_one_user_never_overspend_the_period_budget(session, engine) -> None:
    shop = Shop.create(session)
    shop.limit(shop.ben, monthly=150_000)  # room for one order of 1,224.00, not two
    ben, settings, erp = shop.actor(shop.ben), get_settings(), shop.erp
    results = _race(
        engine,
        [
            lambda s: submit_order(
                s,
                ben,
                settings=settings,
                lines=[LineRequest("MOTOR-4KW", 2)],
                checkout=CHECKOUT,
                erp=erp,
            )
            for _ in range(4)
        ],
    )
    statuses = sorted(r.status for r in results)  # type: ignore[union-attr]
    assert statuses == ["approved", "pending_approval", "pending_approval", "pending_approval"]
    session.expire_all()
    approved = session.exec(select(Order).where(Order.status == "approved")).all()
    assert sum(o.total_cents for o in approved) <= 150_000
