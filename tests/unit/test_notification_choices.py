"""E-mail choices: everyone wants every kind until they turn it off; the order e-mails ask."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.notifications import NotificationKind
from customer_center.models.audit import AuditEntry
from customer_center.models.order import Order
from customer_center.models.outbox import OutboxMessage
from customer_center.services.orders.decisions import approve
from customer_center.services.people import notification_choices as choices
from customer_center.settings import get_settings
from tests.order_factories import Shop

APPROVALS = NotificationKind.APPROVAL_REQUESTS
DECISIONS = NotificationKind.DECISIONS_ON_MY_ORDERS


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def _subjects_to(shop: Shop, to: str) -> list[str]:
    shop.session.expire_all()
    return [
        m.payload["subject"]
        for m in shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        if m.kind == "email" and m.payload["to"] == to
    ]


def test_everyone_wants_everything_by_default(shop):
    ids = {shop.ben.id, shop.anna.id}
    assert choices.wanted_by(shop.session, user_ids=ids, kind=APPROVALS) == ids
    assert all(choices.my_choices(shop.session, shop.actor(shop.anna)).values())


def test_unticked_kinds_are_no_longer_wanted_and_the_change_is_audited(shop):
    anna = shop.actor(shop.anna)
    kept = [k.value for k in NotificationKind if k != APPROVALS]
    after = choices.set_my_choices(shop.session, anna, wanted=kept)
    shop.session.commit()

    assert after[APPROVALS] is False
    ids = {shop.ben.id, shop.anna.id}
    assert choices.wanted_by(shop.session, user_ids=ids, kind=APPROVALS) == {shop.ben.id}
    assert choices.wanted_by(shop.session, user_ids=ids, kind=DECISIONS) == ids
    entry = shop.session.exec(
        select(AuditEntry).where(AuditEntry.action == "user.notifications_changed")
    ).one()
    assert entry.after == {"off": ["approval_requests"]}

    # and on again
    choices.set_my_choices(shop.session, anna, wanted=[k.value for k in NotificationKind])
    shop.session.commit()
    assert choices.wanted_by(shop.session, user_ids=ids, kind=APPROVALS) == ids


def test_anything_but_a_kind_is_refused(shop):
    with pytest.raises(ServiceError):
        choices.set_my_choices(shop.session, shop.actor(shop.anna), wanted=["everything", 3])


def test_an_approver_who_turned_approval_requests_off_gets_no_such_mail(shop):
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna, shop.carl]))
    choices.set_my_choices(
        shop.session,
        shop.actor(shop.anna),
        wanted=[k.value for k in NotificationKind if k != APPROVALS],
    )
    shop.session.commit()

    shop.order()

    assert not any("Approval needed" in s for s in _subjects_to(shop, "anna@acme.example"))
    assert any("Approval needed" in s for s in _subjects_to(shop, "carl@acme.example"))


def test_a_requester_who_turned_decisions_off_is_not_told_of_the_approval(shop):
    shop.limit(shop.ben, max_value=10_000)
    shop.chain(("any", [shop.anna]))
    choices.set_my_choices(
        shop.session,
        shop.actor(shop.ben),
        wanted=[k.value for k in NotificationKind if k != DECISIONS],
    )
    shop.session.commit()
    outcome = shop.order()
    before = _subjects_to(shop, "ben@acme.example")

    order = shop.session.get(Order, outcome.order_id)
    approve(
        shop.session,
        shop.actor(shop.anna),
        settings=get_settings(),
        order_id=outcome.order_id,
        seen_version=order.version,
    )
    shop.session.commit()

    assert _subjects_to(shop, "ben@acme.example") == before
