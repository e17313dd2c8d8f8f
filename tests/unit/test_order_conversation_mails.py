"""The order's conversation e-mails the others involved, once each; a resubmission e-mail says
the order was changed and sent again, with the requester's comment; writing goes on after
the hand-off to the seller."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from customer_center.domain.notifications import NotificationKind
from customer_center.domain.order_states import OrderStatus
from customer_center.models.order import Order
from customer_center.models.outbox import OutboxMessage
from customer_center.services.orders import conversation, decisions, revisions
from customer_center.services.orders.detail import order_detail
from customer_center.services.orders.revisions import OrderChange
from customer_center.services.people import notification_choices
from customer_center.settings import get_settings
from tests.order_factories import Shop

SETTINGS = get_settings()


@pytest.fixture
def shop(session) -> Shop:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=100_000)  # two motors (1,224.00) need an approval
    return shop


def _mails(shop: Shop) -> list[tuple[str, str, str]]:
    rows = shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    return [
        (m.payload["to"], m.payload["subject"], m.payload["text"])
        for m in rows
        if m.kind == "email"
    ]


def _write(shop: Shop, user, order_id: int, text: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    before = len(_mails(shop))
    conversation.add_comment(
        shop.session, shop.actor(user), settings=SETTINGS, order_id=order_id, text=text
    )
    shop.session.commit()
    return _mails(shop)[before:]


def _version(shop: Shop, order_id: int) -> int:
    shop.session.expire_all()
    return shop.session.get(Order, order_id).version  # type: ignore[union-attr]


def test_a_message_reaches_each_other_person_involved_once_with_its_text_and_a_link(
    shop,
) -> None:
    shop.chain(("any", [shop.anna]), ("all", [shop.carl, shop.anna]))
    order_id = shop.order().order_id
    sent = _write(shop, shop.ben, order_id, "Needed for line 3 by Friday.")
    # Anna waits (level 1, and again on level 2: still one e-mail); Carl is only queued.
    assert [to for to, _s, _t in sent] == ["anna@acme.example"]
    to, subject, text = sent[0]
    number = f"PO-{order_id:06d}"
    assert subject == f"New message on order {number}"
    assert "Hello Anna," in text
    assert "Ben wrote on order" in text and "“Needed for line 3 by Friday.”" in text
    assert f"/orders/{order_id}" in text

    reply = _write(shop, shop.anna, order_id, "Why two?")
    assert [to for to, _s, _t in reply] == ["ben@acme.example"]  # never the author


def test_approvers_who_decided_and_earlier_writers_hear_of_later_messages(shop) -> None:
    shop.chain(("any", [shop.anna]), ("any", [shop.carl]))
    order_id = shop.order().order_id
    decisions.approve(
        shop.session,
        shop.actor(shop.anna),
        settings=SETTINGS,
        order_id=order_id,
        seen_version=_version(shop, order_id),
    )
    shop.session.commit()
    main = shop.main_user()
    _write(shop, main, order_id, "Please use the framework contract.")  # a colleague writes
    sent = _write(shop, shop.ben, order_id, "Noted.")
    assert sorted(to for to, _s, _t in sent) == sorted(
        ["anna@acme.example", "carl@acme.example", main.email]
    )


def test_the_conversation_stays_open_after_the_hand_off(shop) -> None:
    order_id = shop.order(lines={"MOTOR-4KW": 1}).order_id  # within budget: approved at once
    order = shop.session.get(Order, order_id)
    assert order is not None
    order.status = OrderStatus.SENT_TO_ERP
    shop.session.add(order)
    shop.session.commit()
    detail = order_detail(shop.session, shop.actor(shop.ben), order_id=order_id)
    assert detail.can_comment
    main = shop.main_user()
    sent = _write(shop, main, order_id, "Delivery to gate 2, please tell the driver.")
    assert [to for to, _s, _t in sent] == ["ben@acme.example"]


def test_the_recipients_are_chosen_in_one_function(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    order = shop.session.get(Order, order_id)
    assert order is not None
    ids = conversation.message_recipients(shop.session, order, author_id=shop.ben.id)
    assert ids == [shop.anna.id]
    assert conversation.message_recipients(shop.session, order, author_id=shop.anna.id) == [
        shop.ben.id
    ]


def test_whoever_turned_conversation_mails_off_is_not_written_to(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    notification_choices.set_my_choices(
        shop.session,
        shop.actor(shop.anna),
        wanted=[
            kind for kind in NotificationKind if kind != NotificationKind.CONVERSATION_MESSAGES
        ],
    )
    shop.session.commit()
    assert _write(shop, shop.ben, order_id, "Anyone there?") == []
    assert [to for to, _s, _t in _write(shop, shop.anna, order_id, "Yes.")] == ["ben@acme.example"]


def test_a_resubmission_mail_says_changed_and_sent_again_with_the_comment(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    decisions.reject(
        shop.session,
        shop.actor(shop.anna),
        settings=SETTINGS,
        order_id=order_id,
        seen_version=_version(shop, order_id),
        comment="Too many.",
    )
    shop.session.commit()
    before = len(_mails(shop))
    revisions.resubmit(
        shop.session,
        shop.actor(shop.ben),
        settings=SETTINGS,
        order_id=order_id,
        seen_version=_version(shop, order_id),
        change=OrderChange(quantities={"MOTOR-4KW": 2}, comment="The line stops without them."),
    )
    shop.session.commit()
    [(to, subject, text)] = _mails(shop)[before:]
    number = f"PO-{order_id:06d}"
    assert to == "anna@acme.example"
    assert subject == f"Changed and sent again: order {number} by Ben"
    assert "changed order" in text and "sent it again for approval" in text
    assert "“The line stops without them.”" in text
    assert "/approve?token=" in text
