"""Approvals: the inbox, decisions level by level, changes and revisions, resubmission, the
conversation, who may see an order, stale versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import col, delete, select

from customer_center.auth import principals as principals_module
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.notifications import NotificationKind
from customer_center.domain.permissions import Permission
from customer_center.i18n.wording import difference_words
from customer_center.models.account import NotificationChoice
from customer_center.models.approval import Absence
from customer_center.models.auth import OneTimeToken
from customer_center.models.order import ApprovalStep, Order, OrderEvent
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User, UserRole
from customer_center.presenters.breaches import breach_lines
from customer_center.presenters.timeline import event_words, who
from customer_center.services.orders import conversation, decisions, revisions
from customer_center.services.orders import mails as decisions_mails
from customer_center.services.orders.access import seen_order
from customer_center.services.orders.detail import order_detail
from customer_center.services.orders.inbox import inbox, waiting_count
from customer_center.services.orders.revisions import OrderChange
from customer_center.services.people import inviting
from customer_center.settings import get_settings
from tests.factories import make_user
from tests.order_factories import Shop

SETTINGS = get_settings()
SERVICES = {
    "approve": decisions.approve,
    "reject": decisions.reject,
    "cancel": decisions.cancel,
    "change_order": revisions.change_order,
    "resubmit": revisions.resubmit,
    "add_comment": conversation.add_comment,
}


@pytest.fixture
def shop(session) -> Shop:
    shop = Shop.create(session)
    shop.limit(shop.ben, max_value=100_000)  # 1,000.00; two motors are 1,224.00
    return shop


def _order(shop: Shop, order_id: int) -> Order:
    shop.session.expire_all()
    return shop.session.get(Order, order_id)


def _steps(shop: Shop, order_id: int) -> list[tuple[int, int, str, str]]:
    shop.session.expire_all()
    rows = shop.session.exec(
        select(ApprovalStep)
        .where(ApprovalStep.order_id == order_id)
        .order_by(
            col(ApprovalStep.revision), col(ApprovalStep.level), col(ApprovalStep.approver_id)
        )
    ).all()
    return [(s.revision, s.level, s.approver_id, s.status) for s in rows]


def _subjects(shop: Shop, to: str) -> list[str]:
    shop.session.expire_all()
    return [
        m.payload["subject"]
        for m in shop.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        if m.kind == "email" and m.payload["to"] == to
    ]


def _handoffs(shop: Shop) -> int:
    shop.session.expire_all()
    return len(
        shop.session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "erp.order_placed")
        ).all()
    )


def _decide(shop: Shop, user: User, how: str, order_id: int, *args, **kwargs):  # type: ignore[no-untyped-def]
    version = _order(shop, order_id).version
    function = SERVICES[how]
    actor = shop.actor(user)
    names = ("comment",) if how in ("approve", "reject", "cancel") else ("change", "today")
    kwargs.update(zip(names, args, strict=False))
    if how in ("approve", "reject", "change_order", "resubmit"):
        kwargs["settings"] = SETTINGS
    result = function(shop.session, actor, order_id=order_id, seen_version=version, **kwargs)
    shop.session.commit()
    return result


def test_the_inbox_lists_what_waits_for_the_approver_with_reasons(shop) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    page = inbox(shop.session, shop.actor(shop.anna))
    assert page.total == 1 and page.page_count == 1
    [row] = page.rows
    assert (row.order_id, row.requester, row.total_cents) == (placed.order_id, "Ben", 122_400)
    assert row.number == f"PO-{placed.order_id:06d}"
    assert breach_lines(row.reasons, "en", row.currency) == [
        "order value €1,224.00 exceeds the per-order limit of €1,000.00"
    ]
    assert row.on_behalf_of == [] and not row.escalated
    assert waiting_count(shop.session, shop.actor(shop.anna)) == 1
    assert waiting_count(shop.session, shop.actor(shop.carl)) == 0
    assert inbox(shop.session, shop.actor(shop.carl)).rows == []
    with pytest.raises(ServiceError):
        inbox(shop.session, shop.actor(shop.ben))  # no approvals.decide


def test_a_decision_records_who_acted_and_the_automatic_approval_the_portal(shop) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    _decide(shop, shop.anna, "approve", placed.order_id, "Fine.")
    shop.session.expire_all()
    events = {
        e.kind: e
        for e in shop.session.exec(select(OrderEvent).where(OrderEvent.order_id == placed.order_id))
    }
    approved, submitted = events["approved"], events["submitted"]
    assert (approved.actor_kind, approved.actor_ref, approved.actor_id) == (
        "customer_user",
        shop.anna.id,
        shop.anna.id,
    )
    assert (submitted.actor_kind, submitted.actor_ref) == ("customer_user", shop.ben.id)
    within = shop.order(lines={"BOLT-M8": 1})
    automatic = shop.session.exec(
        select(OrderEvent).where(
            OrderEvent.order_id == within.order_id, OrderEvent.kind == "approved"
        )
    ).one()
    assert (automatic.actor_kind, automatic.actor_ref, automatic.actor_id) == ("system", None, None)


def test_a_decision_takes_the_rights_of_the_principal_not_the_database(shop, monkeypatch) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    anna = shop.actor(shop.anna)

    def read_again(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a decision must not read the principal's rights again")

    monkeypatch.setattr(principals_module, "rights_of", read_again)
    without = replace(anna, rights=anna.rights - {Permission.APPROVALS_DECIDE})
    version = _order(shop, placed.order_id).version
    with pytest.raises(ServiceError) as refused:
        decisions.approve(
            shop.session, without, settings=SETTINGS, order_id=placed.order_id, seen_version=version
        )
    assert refused.value.code == "approvals.error.not_yours"
    shop.session.rollback()
    approved = decisions.approve(
        shop.session, anna, settings=SETTINGS, order_id=placed.order_id, seen_version=version
    )
    assert approved == "approved"


def test_the_inbox_is_paginated_oldest_first(shop) -> None:
    shop.chain(("any", [shop.anna]))
    placed = [shop.order().order_id for _ in range(5)]
    first = inbox(shop.session, shop.actor(shop.anna), page=0, page_size=2)
    last = inbox(shop.session, shop.actor(shop.anna), page=2, page_size=2)
    assert (first.total, first.page_count) == (5, 3)
    assert [r.order_id for r in first.rows] == placed[:2]
    assert [r.order_id for r in last.rows] == placed[4:]
    assert inbox(shop.session, shop.actor(shop.anna), page=99, page_size=2).page == 2


def _away(shop: Shop, user: User, substitute: User, back_in: int = 3) -> None:
    today = date.today()
    shop.session.add(
        Absence(
            company_id=shop.main.company_id,
            user_id=user.id,
            substitute_id=substitute.id,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=back_in),
        )
    )
    shop.session.commit()


def test_a_substitute_without_the_right_to_approve_leaves_it_to_the_main_contact(shop) -> None:
    """The review's stuck order: Tina, a Technician, stood in for Anna (accepted before the
    check existed). The order goes to the main contact, not to Tina."""
    shop.chain(("any", [shop.anna]))
    _away(shop, shop.anna, shop.tina)
    placed = shop.order()
    assert _subjects(shop, "tina@acme.example") == []
    [request] = _subjects(shop, shop.main_user().email)
    assert f"PO-{placed.order_id:06d}" in request
    assert waiting_count(shop.session, shop.actor(shop.tina)) == 0
    [row] = inbox(shop.session, shop.main).rows
    assert row.on_behalf_of == ["Anna"]
    assert _decide(shop, shop.main_user(), "approve", placed.order_id) == "approved"


def test_an_approver_who_lost_the_right_hands_waiting_orders_to_the_main_contact(shop) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    shop.session.execute(delete(UserRole).where(col(UserRole.user_id) == shop.anna.id))
    shop.session.commit()
    assert waiting_count(shop.session, shop.main) == 1
    detail = order_detail(shop.session, shop.main, order_id=placed.order_id)
    assert detail.can_decide and detail.chain[0].members[0].decider == "Main"
    assert _decide(shop, shop.main_user(), "approve", placed.order_id) == "approved"


def test_an_invited_approver_decides_once_signed_up_the_main_contact_until_then(shop) -> None:
    ivy = make_user(
        shop.session, shop.main.company_id, "ivy@acme.example", ["approver"], status="invited"
    )
    shop.chain(("any", [ivy]))
    first, second = shop.order().order_id, shop.order().order_id
    assert waiting_count(shop.session, shop.main) == 2
    assert _decide(shop, shop.main_user(), "approve", first) == "approved"
    ivy.status = "active"
    shop.session.add(ivy)
    shop.session.commit()
    assert waiting_count(shop.session, shop.main) == 0
    assert _decide(shop, ivy, "approve", second) == "approved"


def test_revoking_an_invitation_named_in_an_order_keeps_the_user_deactivated(shop) -> None:
    ivy = make_user(
        shop.session, shop.main.company_id, "ivy@acme.example", ["approver"], status="invited"
    )
    shop.chain(("any", [ivy]))
    order_id = shop.order().order_id
    inviting.revoke_invitation(shop.session, shop.main, user_id=ivy.id)  # type: ignore[arg-type]
    shop.session.commit()
    assert _user(shop, ivy.id).status == "inactive"
    assert _decide(shop, shop.main_user(), "approve", order_id) == "approved"


def _user(shop: Shop, user_id: int | None) -> User:
    shop.session.expire_all()
    return shop.session.get(User, user_id)  # type: ignore[return-value]


def test_a_substitute_sees_and_decides_while_the_approver_is_away(shop) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    _away(shop, shop.anna, shop.carl)  # after the order was placed: it moves along
    [row] = inbox(shop.session, shop.actor(shop.carl)).rows
    assert row.on_behalf_of == ["Anna"]
    assert _decide(shop, shop.carl, "approve", placed.order_id) == "approved"
    event = shop.session.exec(
        select(OrderEvent).where(OrderEvent.kind == "approved", OrderEvent.actor_id == shop.carl.id)
    ).one()
    assert event.data["on_behalf_of"] == [shop.anna.id]
    detail = order_detail(shop.session, shop.actor(shop.ben), order_id=placed.order_id)
    assert "(for Anna)" in event_words(detail.timeline[-1], "en", detail.currency)


def test_nobody_decides_their_own_order_even_as_a_substitute(shop) -> None:
    shop.limit(shop.carl, max_value=0)
    shop.chain(("any", [shop.anna]))
    placed = shop.order(shop.carl)
    _away(shop, shop.anna, shop.carl)
    assert inbox(shop.session, shop.actor(shop.carl)).rows == []
    with pytest.raises(ServiceError) as refused:
        _decide(shop, shop.carl, "approve", placed.order_id)
    assert refused.value.code == "approvals.error.own_order"
    assert _order(shop, placed.order_id).status == "pending_approval"


def test_levels_proceed_in_turn_and_all_of_waits_for_everyone(shop) -> None:
    shop.chain(("any", [shop.anna, shop.carl]), ("all", [shop.anna, shop.carl]))
    placed = shop.order()
    order_id = placed.order_id
    assert _decide(shop, shop.anna, "approve", order_id, "Fine by me") == "pending_approval"
    assert _steps(shop, order_id) == [
        (1, 0, shop.anna.id, "approved"),
        (1, 0, shop.carl.id, "skipped"),
        (1, 1, shop.anna.id, "waiting"),
        (1, 1, shop.carl.id, "waiting"),
    ]
    assert len(_subjects(shop, "carl@acme.example")) == 2  # level 1, then level 2
    assert _decide(shop, shop.carl, "approve", order_id) == "pending_approval"
    assert _handoffs(shop) == 0 and _subjects(shop, "ben@acme.example") == []
    with pytest.raises(ServiceError) as twice:
        _decide(shop, shop.carl, "approve", order_id)
    assert twice.value.code == "approvals.error.not_yours"
    assert _decide(shop, shop.anna, "approve", order_id) == "approved"
    assert _handoffs(shop) == 1
    assert _subjects(shop, "ben@acme.example") == [f"Your order PO-{order_id:06d} is approved"]
    assert _order(shop, order_id).decided_at is not None


def test_a_stale_version_is_refused_and_changes_nothing(shop) -> None:
    shop.chain(("any", [shop.anna, shop.carl]))
    order_id = shop.order().order_id
    seen = _order(shop, order_id).version
    decisions.approve(
        shop.session, shop.actor(shop.anna), settings=SETTINGS, order_id=order_id, seen_version=seen
    )
    shop.session.commit()
    with pytest.raises(ServiceError) as stale:
        decisions.reject(
            shop.session,
            shop.actor(shop.carl),
            settings=SETTINGS,
            order_id=order_id,
            seen_version=seen,
            comment="No",
        )
    shop.session.rollback()
    assert stale.value.code == "orders.error.stale"
    assert _order(shop, order_id).status == "approved"
    for forged in ("1", None, 1.0, True):
        with pytest.raises(ServiceError):
            decisions.approve(
                shop.session,
                shop.actor(shop.anna),
                settings=SETTINGS,
                order_id=order_id,
                seen_version=forged,
            )
        shop.session.rollback()


def test_a_rejection_needs_a_comment_and_tells_the_requester(shop) -> None:
    shop.chain(("any", [shop.anna]), ("any", [shop.carl]))
    order_id = shop.order().order_id
    with pytest.raises(ValidationFailed) as missing:
        _decide(shop, shop.anna, "reject", order_id, "  ")
    shop.session.rollback()
    assert missing.value.errors["comment"][0] == "orders.error.comment_required"
    _decide(shop, shop.anna, "reject", order_id, "Two motors are too many.")
    assert _order(shop, order_id).status == "rejected"
    assert _steps(shop, order_id) == [
        (1, 0, shop.anna.id, "rejected"),
        (1, 1, shop.carl.id, "skipped"),
    ]
    [subject] = _subjects(shop, "ben@acme.example")
    assert subject == f"Your order PO-{order_id:06d} was rejected"
    assert inbox(shop.session, shop.actor(shop.anna)).rows == []


def test_an_approver_changes_the_order_then_approves_the_new_revision(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order(lines={"MOTOR-4KW": 2, "BOLT-M8": 10}).order_id
    change = OrderChange(
        quantities={"MOTOR-4KW": 1},
        removed=frozenset({"BOLT-M8"}),
        shipping_method="express",
        comment="One motor is enough for now.",
    )
    _decide(shop, shop.anna, "change_order", order_id, change)
    order = _order(shop, order_id)
    assert (order.revision, order.total_cents, order.status) == (2, 61_200, "pending_approval")
    assert order.shipping_method == "express"
    assert _steps(shop, order_id) == [(2, 0, shop.anna.id, "waiting")]
    [mail] = _subjects(shop, "ben@acme.example")
    assert mail == f"Your order PO-{order_id:06d} was changed"
    detail = order_detail(shop.session, shop.actor(shop.ben), order_id=order_id)
    assert [r.number for r in detail.revisions] == [1, 2]
    assert [
        difference_words(d, "en", detail.currency) for d in detail.revisions[1].differences
    ] == [
        "Product MOTOR-4KW: quantity 2 → 1",
        "Product BOLT-M8 removed (was 10)",
        "shipping Standard delivery → Express delivery",
        "total €1,229.00 → €612.00",
    ]
    assert detail.revisions[1].author == "Anna"
    assert detail.revisions[1].comment == "One motor is enough for now."
    assert [(x.sku, x.quantity) for x in detail.lines] == [("MOTOR-4KW", 1)]
    assert _decide(shop, shop.anna, "approve", order_id) == "approved"


def test_the_reasons_are_those_of_the_current_revision_and_only_while_it_waits(shop) -> None:
    """The review saw "needs approval because" with the first revision's amounts on changed,
    rejected and approved orders."""
    shop.chain(("any", [shop.anna]))
    order_id = shop.order(lines={"MOTOR-4KW": 3}).order_id
    limit = "exceeds the per-order limit of €1,000.00"
    assert _reasons(shop, shop.ben, order_id) == [f"order value €1,836.00 {limit}"]
    _decide(shop, shop.anna, "change_order", order_id, OrderChange(quantities={"MOTOR-4KW": 2}))
    assert _reasons(shop, shop.ben, order_id) == [f"order value €1,224.00 {limit}"]
    [row] = inbox(shop.session, shop.actor(shop.anna)).rows
    assert breach_lines(row.reasons, "en", row.currency) == [f"order value €1,224.00 {limit}"]
    _decide(shop, shop.anna, "change_order", order_id, OrderChange(quantities={"MOTOR-4KW": 1}))
    assert _reasons(shop, shop.ben, order_id) == []  # within the limit now; still decided
    _decide(shop, shop.anna, "reject", order_id, "Not this month.")
    assert _reasons(shop, shop.ben, order_id) == []
    approved = shop.order().order_id
    _decide(shop, shop.anna, "approve", approved)
    assert _reasons(shop, shop.ben, approved) == []


def _reasons(shop: Shop, user: User, order_id: int) -> list[str]:
    detail = order_detail(shop.session, shop.actor(user), order_id=order_id)
    return breach_lines(detail.reasons, "en", detail.currency)


def test_a_change_is_checked(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    for change, key in [
        (OrderChange(quantities={"MOTOR-4KW": 0}), "quantity.MOTOR-4KW"),
        (OrderChange(quantities={"OTHER": 1}), "lines"),
        (OrderChange(removed=frozenset({"MOTOR-4KW"})), "lines"),
        (OrderChange(shipping_method="teleport"), "shipping_method"),
        (OrderChange(delivery_address={"name": "X"}), "delivery_address.street"),
    ]:
        with pytest.raises(ValidationFailed) as failure:
            _decide(shop, shop.anna, "change_order", order_id, change)
        shop.session.rollback()
        assert key in failure.value.errors
    with pytest.raises(ServiceError) as nothing:
        _decide(shop, shop.anna, "change_order", order_id, OrderChange(quantities={"MOTOR-4KW": 2}))
    shop.session.rollback()
    assert nothing.value.code == "orders.error.no_change"
    assert _order(shop, order_id).revision == 1
    with pytest.raises(ServiceError):  # the requester is not an approver
        _decide(shop, shop.ben, "change_order", order_id, OrderChange(quantities={"MOTOR-4KW": 1}))


def test_after_a_rejection_the_requester_resubmits_and_approval_starts_again(shop) -> None:
    shop.chain(("any", [shop.anna]), ("any", [shop.carl]))
    order_id = shop.order().order_id
    _decide(shop, shop.anna, "approve", order_id)
    _decide(shop, shop.carl, "reject", order_id, "Too expensive this month.")
    with pytest.raises(ValidationFailed):
        _decide(shop, shop.ben, "resubmit", order_id, OrderChange(quantities={"MOTOR-4KW": 1}))
    shop.session.rollback()
    status = _decide(
        shop,
        shop.ben,
        "resubmit",
        order_id,
        OrderChange(quantities={"MOTOR-4KW": 2}, comment="The line stops without them."),
    )
    assert status == "pending_approval"
    assert _steps(shop, order_id) == [
        (1, 0, shop.anna.id, "approved"),
        (1, 1, shop.carl.id, "rejected"),
        (2, 0, shop.anna.id, "waiting"),
        (2, 1, shop.carl.id, "queued"),
    ]
    detail = order_detail(shop.session, shop.actor(shop.anna), order_id=order_id)
    assert detail.revisions[1].reason == "resubmitted"
    assert breach_lines(detail.reasons, "en", detail.currency) == [
        "order value €1,224.00 exceeds the per-order limit of €1,000.00"
    ]
    assert detail.timeline[-1].body == "The line stops without them."
    assert detail.can_decide


def test_a_resubmission_within_budget_is_approved_at_once(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    _decide(shop, shop.anna, "reject", order_id, "One is enough.")
    status = _decide(
        shop,
        shop.ben,
        "resubmit",
        order_id,
        OrderChange(quantities={"MOTOR-4KW": 1}, comment="Only one, then."),
    )
    assert status == "approved"
    assert _handoffs(shop) == 1


def test_only_the_requester_resubmits_or_cancels(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    with pytest.raises(ServiceError) as not_rejected:
        _decide(shop, shop.ben, "resubmit", order_id, OrderChange(comment="again"))
    shop.session.rollback()
    assert not_rejected.value.code == "orders.error.not_open"
    with pytest.raises(ServiceError) as not_theirs:
        _decide(shop, shop.anna, "cancel", order_id)
    shop.session.rollback()
    assert not_theirs.value.code == "orders.error.not_requester"
    _decide(shop, shop.ben, "cancel", order_id, "Bought elsewhere.")
    assert _order(shop, order_id).status == "cancelled"
    assert _steps(shop, order_id) == [(1, 0, shop.anna.id, "superseded")]
    assert waiting_count(shop.session, shop.actor(shop.anna)) == 0
    with pytest.raises(ServiceError):
        _decide(shop, shop.ben, "cancel", order_id)


def test_one_conversation_seen_by_requester_approvers_and_view_all_only(shop) -> None:
    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    conversation.add_comment(
        shop.session, shop.actor(shop.anna), settings=SETTINGS, order_id=order_id, text="Why two?"
    )
    conversation.add_comment(
        shop.session,
        shop.actor(shop.ben),
        settings=SETTINGS,
        order_id=order_id,
        text="One is a spare.",
    )
    shop.session.commit()
    with pytest.raises(ValidationFailed):
        conversation.add_comment(
            shop.session, shop.actor(shop.ben), settings=SETTINGS, order_id=order_id, text=" "
        )
    detail = order_detail(shop.session, shop.actor(shop.ben), order_id=order_id)
    comments = [(who(e, "en"), e.body) for e in detail.timeline if e.kind == "comment"]
    assert comments == [("Anna", "Why two?"), ("Ben", "One is a spare.")]
    assert event_words(detail.timeline[0], "en", detail.currency) == "placed the order"
    assert detail.can_cancel and not detail.can_decide and detail.is_requester
    # Carl holds orders.view_all (approver role); Tina and another company do not.
    assert order_detail(shop.session, shop.actor(shop.carl), order_id=order_id).number
    other_buyer = make_user(shop.session, shop.main.company_id, "eve@acme.example", ["buyer"])
    # The readers that need no more than the order (documents, totals, reorder) see the same.
    for reader in (shop.ben, shop.carl, shop.anna):
        assert seen_order(shop.session, shop.actor(reader), order_id=order_id).id == order_id
    for outsider in (shop.actor(shop.tina), shop.actor(other_buyer), shop.other_main):
        with pytest.raises(ServiceError) as hidden:
            order_detail(shop.session, outsider, order_id=order_id)
        assert hidden.value.code == "orders.error.not_found"
        with pytest.raises(ServiceError) as hidden:
            seen_order(shop.session, outsider, order_id=order_id)
        assert hidden.value.code == "orders.error.not_found"
        with pytest.raises(ServiceError):
            conversation.add_comment(
                shop.session, outsider, settings=SETTINGS, order_id=order_id, text="Hello"
            )
    with pytest.raises(ServiceError):
        order_detail(shop.session, shop.actor(shop.ben), order_id=str(order_id))


def test_the_detail_shows_the_chain_budget_and_reasons(shop) -> None:
    shop.chain(("any", [shop.anna]), ("all", [shop.carl, shop.anna]))
    order_id = shop.order().order_id
    detail = order_detail(shop.session, shop.actor(shop.anna), order_id=order_id)
    assert [(lv.number, lv.rule, lv.current) for lv in detail.chain] == [
        (1, "any", True),
        (2, "all", False),
    ]
    assert [m.approver for m in detail.chain[1].members] == ["Carl", "Anna"]
    assert detail.budget is not None and detail.budget.limits.max_order_value_cents == 100_000
    assert detail.reasons and detail.can_decide and not detail.can_cancel
    assert (detail.delivery_address["city"], detail.payment_method) == ("Hamburg", "invoice")


def test_reminders_go_to_who_decides_today_then_escalate_to_the_main_contact(shop) -> None:
    from dataclasses import replace as with_

    from customer_center.models.base import utcnow
    from customer_center.services.orders.approval_reminders import send_reminders

    shop.chain(("all", [shop.anna, shop.carl]))
    order_id = shop.order().order_id
    _away(shop, shop.carl, shop.main_user())
    settings = with_(SETTINGS, approval_remind_hours=24, approval_escalate_hours=48)
    start = utcnow()
    before = len(_subjects(shop, "anna@acme.example"))
    assert send_reminders(shop.session, settings, start + timedelta(hours=23)).reminded == 0
    report = send_reminders(shop.session, settings, start + timedelta(hours=25))
    shop.session.commit()
    assert (report.reminded, report.escalated) == (2, 0)
    number = f"PO-{order_id:06d}"
    reminder = f"Reminder: order {number} has been waiting for your approval"
    assert _subjects(shop, "anna@acme.example")[before:] == [reminder]
    assert reminder in _subjects(shop, "main@c-1.example")  # standing in for Carl
    again = send_reminders(shop.session, settings, start + timedelta(hours=30))
    assert (again.reminded, again.escalated) == (0, 0)
    # The main contact cannot decide Anna's step until it is escalated to them.
    main = shop.actor(shop.main_user())
    assert [r.on_behalf_of for r in inbox(shop.session, main).rows] == [["Carl"]]
    report = send_reminders(shop.session, settings, start + timedelta(hours=25 + 49))
    shop.session.commit()
    assert (report.reminded, report.escalated) == (0, 2)
    escalations = [s for s in _subjects(shop, "main@c-1.example") if "stuck" in s]
    assert escalations == [f"Order {number} is stuck waiting for approval"]
    [row] = inbox(shop.session, main).rows
    assert row.escalated
    assert _decide(shop, shop.main_user(), "approve", order_id) == "approved"
    kinds = [e.kind for e in order_detail(shop.session, main, order_id=order_id).timeline]
    assert kinds == ["submitted", "reminded", "escalated", "approved"]


def test_the_background_round_reminds_once_and_survives_failures(shop, monkeypatch, caplog) -> None:
    from customer_center import background
    from customer_center.models.order import ApprovalStep

    shop.chain(("any", [shop.anna]))
    order_id = shop.order().order_id
    for step in shop.session.exec(select(ApprovalStep).where(ApprovalStep.order_id == order_id)):
        step.due_since = step.due_since - timedelta(days=3)
        shop.session.add(step)
    shop.session.commit()
    before = len(_subjects(shop, "anna@acme.example"))
    background.remind_once()
    background.remind_once()
    reminders = [s for s in _subjects(shop, "anna@acme.example")[before:] if "Reminder" in s]
    assert len(reminders) == 1

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database gone")

    monkeypatch.setattr(background, "send_reminders", broken)
    background.remind_once()
    assert "approval reminders failed" in caplog.text


def test_whom_an_approver_decides_for_is_worked_out_once_per_transaction(shop, db) -> None:
    shop.chain(("any", [shop.anna]))
    placed = shop.order()
    anna = shop.actor(shop.anna)
    absence_reads: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if "FROM absence" in statement:
            absence_reads.append(statement)

    event.listen(db, "before_cursor_execute", record)
    try:
        # A decision: the order found, decided, shown again, the badge counted.
        assert _decide(shop, shop.anna, "approve", placed.order_id) == "approved"
        decided = len(absence_reads)
        assert waiting_count(shop.session, anna) == 0
        assert inbox(shop.session, anna).rows == []
        assert len(absence_reads) == decided + 1  # a new transaction: read once, not twice
    finally:
        event.remove(db, "before_cursor_execute", record)
    assert decided == 1


def test_the_inbox_reads_only_the_steps_the_approver_decides(shop) -> None:
    """A level of "any" among many (a role's members): each waits as a step of its own. The
    inbox of one of them loads their steps, not everyone's (a thousand in a large company)."""
    others = [
        make_user(shop.session, shop.main.company_id, f"a{n}@acme.example", ["approver"])
        for n in range(4)
    ]
    shop.chain(("any", [shop.anna, *others]))
    first, second = shop.order().order_id, shop.order().order_id
    loaded: list[int] = []

    def count(target: ApprovalStep, _context: object) -> None:
        loaded.append(target.order_id)

    event.listen(ApprovalStep, "load", count)
    try:
        rows = inbox(shop.session, shop.actor(shop.anna)).rows
    finally:
        event.remove(ApprovalStep, "load", count)
    assert sorted(row.order_id for row in rows) == [first, second]
    assert [row.on_behalf_of for row in rows] == [[], []]
    assert sorted(loaded) == [first, second]


def test_a_request_to_many_approvers_mails_each_once_in_a_few_statements(shop, db) -> None:
    """A level among a role's members mails each of them (a thousand in a large company):
    the same handful of statements for six as for two, one e-mail and one link each, none
    to who turned these e-mails off."""
    many = [
        make_user(shop.session, shop.main.company_id, f"m{n}@acme.example", ["approver"])
        for n in range(6)
    ]
    quiet = many[0]
    shop.session.add(
        NotificationChoice(
            user_id=quiet.id, kind=NotificationKind.APPROVAL_REQUESTS.value, wanted=False
        )
    )
    shop.chain(("any", [shop.anna]))
    order = _order(shop, shop.order().order_id)

    def statements_for(approver_ids: list[int]) -> int:
        seen: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:
            seen.append(statement)

        event.listen(db, "before_cursor_execute", record)
        try:
            decisions_mails.approvals_requested(shop.session, SETTINGS, order, approver_ids)
        finally:
            event.remove(db, "before_cursor_execute", record)
        return len(seen)

    statements_for([many[1].id])  # the order's requester, read for the first e-mail
    two = statements_for([many[1].id, many[2].id])
    six = statements_for([u.id for u in many] + [many[3].id])  # one of them twice
    shop.session.commit()
    assert six == two
    assert [len(_subjects(shop, u.email)) for u in many] == [0, 1, 1, 1, 1, 1]
    links = shop.session.exec(
        select(OneTimeToken.user_id).where(OneTimeToken.purpose == "approval_link")
    ).all()
    assert quiet.id not in links and links.count(many[3].id) == 1
