"""Deciding from the approval e-mail: the approver's own link, signed in, used once."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import OrderStatus
from customer_center.models.order import Order
from customer_center.models.outbox import OutboxMessage
from customer_center.presenters.breaches import breach_lines
from customer_center.services.orders import approval_links
from customer_center.settings import get_settings
from tests.order_factories import Shop

SETTINGS = get_settings()


@pytest.fixture
def shop(session) -> Shop:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=100_000)  # two motors (1,224.00) need approval
    shop.chain(("any", [shop.anna]))
    return shop


def _link_token(shop: Shop, to: str) -> str:
    shop.session.expire_all()
    mails = [
        m.payload
        for m in shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        if m.kind == "email" and m.payload["to"] == to
    ]
    found = re.search(r"/approve\?token=([\w-]+)", mails[-1]["text"])
    assert found, mails[-1]["text"]
    return found.group(1)


def _status(shop: Shop, order_id: int) -> str:
    shop.session.expire_all()
    return shop.session.get(Order, order_id).status  # type: ignore[union-attr]


def test_the_approver_approves_with_one_click_and_the_link_is_used_up(shop) -> None:
    order_id = shop.order().order_id
    token = _link_token(shop, "anna@acme.example")
    anna = shop.actor(shop.anna)
    linked = approval_links.open_link(shop.session, anna, raw=token)
    assert (linked.detail.id, linked.detail.requester) == (order_id, "Ben")
    assert breach_lines(linked.detail.reasons, "en", linked.detail.currency) == [
        "order value €1,224.00 exceeds the per-order limit of €1,000.00"
    ]
    status = approval_links.decide_by_link(
        shop.session,
        anna,
        settings=SETTINGS,
        raw=token,
        decision="approve",
        seen_version=linked.detail.version,
    )
    shop.session.commit()
    assert status == OrderStatus.APPROVED == _status(shop, order_id)
    with pytest.raises(ServiceError) as used:
        approval_links.open_link(shop.session, anna, raw=token)
    assert used.value.code == "link.used"


def test_the_link_belongs_to_the_approver_it_was_sent_to(shop) -> None:
    order_id = shop.order().order_id
    token = _link_token(shop, "anna@acme.example")
    for user in (shop.main_user(), shop.ben, shop.carl):
        with pytest.raises(ServiceError) as refused:
            approval_links.decide_by_link(
                shop.session,
                shop.actor(user),
                settings=SETTINGS,
                raw=token,
                decision="approve",
                seen_version=1,
            )
        shop.session.rollback()
        assert refused.value.code == "approval_link.other_user"
    assert _status(shop, order_id) == "pending_approval"


def test_rejecting_needs_a_comment_and_keeps_the_link_until_it_works(shop) -> None:
    order_id = shop.order().order_id
    token = _link_token(shop, "anna@acme.example")
    anna = shop.actor(shop.anna)
    version = approval_links.open_link(shop.session, anna, raw=token).detail.version
    with pytest.raises(ValidationFailed) as missing:
        approval_links.decide_by_link(
            shop.session,
            anna,
            settings=SETTINGS,
            raw=token,
            decision="reject",
            seen_version=version,
        )
    shop.session.rollback()  # what the event's transaction does
    assert set(missing.value.errors) == {"comment"}
    status = approval_links.decide_by_link(
        shop.session,
        anna,
        settings=SETTINGS,
        raw=token,
        decision="reject",
        seen_version=version,
        comment="Too many motors.",
    )
    shop.session.commit()
    assert status == OrderStatus.REJECTED == _status(shop, order_id)


def test_a_link_to_an_order_decided_meanwhile_decides_nothing(shop) -> None:
    order_id = shop.order().order_id
    token = _link_token(shop, "anna@acme.example")
    anna = shop.actor(shop.anna)
    stale_version = approval_links.open_link(shop.session, anna, raw=token).detail.version
    order = shop.session.get(Order, order_id)
    order.version += 1  # someone changed the order after the page was shown
    shop.session.add(order)
    shop.session.commit()
    with pytest.raises(ServiceError):
        approval_links.decide_by_link(
            shop.session,
            anna,
            settings=SETTINGS,
            raw=token,
            decision="approve",
            seen_version=stale_version,
        )
    shop.session.rollback()
    assert _status(shop, order_id) == "pending_approval"
    with pytest.raises(ServiceError) as unknown:
        approval_links.open_link(shop.session, anna, raw="not-a-token")
    assert unknown.value.code == "link.invalid"
