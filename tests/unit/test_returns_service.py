"""Returns and credit requests: asking within the window and the quantities, who sees what,
the seller's decisions, acting agents recorded with both identities, the credit note through
the outbox once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.principals import PrincipalKind, acting_for
from customer_center.domain.returns import ReturnState
from customer_center.models.audit import AuditEntry
from customer_center.models.order import OrderEvent
from customer_center.models.outbox import OutboxMessage
from customer_center.models.returns import ReturnEntry, ReturnLine, ReturnRequest
from customer_center.models.staff import AccountTeamMember
from customer_center.services.people.budgets import local_today
from customer_center.services.returns import customer, seller
from customer_center.services.returns.credit import (
    ERP_CREDIT_NOTE_REQUESTED,
    record_credit_note,
)
from customer_center.settings import get_settings
from tests.journey_factory import seed_delivered_order
from tests.order_factories import Shop
from tests.staff_factories import agent_for, make_staff

SETTINGS = get_settings()
LINES = (("MOTOR-4KW", "Motor 4 kW", 5, 10000), ("BELT-1", "Belt", 3, 500))


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


@pytest.fixture
def order(shop: Shop):  # type: ignore[no-untyped-def]
    return seed_delivered_order(shop.session, shop.main.company_id, shop.ben.id, lines=LINES)


@pytest.fixture
def team(shop: Shop):  # type: ignore[no-untyped-def]
    """Eva in Acme's account team; Otto in nobody's."""
    eva = make_staff(shop.session, "eva@seller.example", name="Eva Ernst")
    otto = make_staff(shop.session, "otto@seller.example", name="Otto Other")
    shop.session.add(
        AccountTeamMember(company_id=shop.main.company_id, staff_id=eva.id, team_role="agent")
    )
    shop.session.commit()
    return agent_for(shop.session, eva), agent_for(shop.session, otto)


def _line_ids(shop: Shop, order) -> list[int]:  # type: ignore[no-untyped-def]
    found = customer.returnable(
        shop.session, shop.actor(shop.ben), order_id=order.id, settings=SETTINGS
    )
    return [line.id for line in found.lines]


def _request(shop: Shop, order, principal=None, quantity: int = 2, **extra) -> int:  # type: ignore[no-untyped-def]
    first = _line_ids(shop, order)[0]
    values = {"kind": "goods", "reason": "damaged", "condition": "unopened", "outcome": "credit"}
    values.update(extra)
    return_id = customer.request_return(
        shop.session,
        principal or shop.actor(shop.ben),
        order_id=order.id,
        quantities={str(first): str(quantity)},
        settings=SETTINGS,
        **values,
    )
    shop.session.commit()
    return return_id


def test_ben_returns_two_of_five_and_the_rest_stays_available(shop: Shop, order) -> None:  # type: ignore[no-untyped-def]
    return_id = _request(shop, order)
    request = shop.session.get(ReturnRequest, return_id)
    assert request is not None and request.state == ReturnState.REQUESTED
    assert request.credit_cents == 20000
    found = customer.returnable(
        shop.session, shop.actor(shop.ben), order_id=order.id, settings=SETTINGS
    )
    assert [(line.delivered, line.available) for line in found.lines] == [(5, 3), (3, 3)]
    with pytest.raises(ValidationFailed) as refused:
        _request(shop, order, quantity=4)
    assert list(refused.value.errors) == [f"qty_{found.lines[0].id}"]
    assert shop.session.exec(select(ReturnRequest)).all() == [request]
    kinds = shop.session.exec(select(OrderEvent.kind).where(OrderEvent.order_id == order.id)).all()
    assert "return.requested" in kinds


def test_bad_choices_name_every_field_and_save_nothing(shop: Shop, order) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        customer.request_return(
            shop.session,
            shop.actor(shop.ben),
            order_id=order.id,
            kind="goods",
            reason="short_delivery",
            condition="nonsense",
            outcome=7,
            quantities={},
            settings=SETTINGS,
        )
    assert set(refused.value.errors) == {"reason", "condition", "outcome", "lines"}
    assert shop.session.exec(select(ReturnRequest)).all() == []


def test_outside_the_window_or_before_delivery_nothing_is_asked(shop: Shop, order) -> None:  # type: ignore[no-untyped-def]
    late = local_today() + timedelta(days=31)
    with pytest.raises(ServiceError) as refused:
        _request(shop, order, today=late)
    assert refused.value.code == "returns.error.window_closed"
    undelivered = shop.order()
    with pytest.raises(ServiceError):
        _request(shop, type("O", (), {"id": undelivered.order_id})())


def test_the_seller_sets_a_company_window(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, _otto = team
    from customer_center.domain.staff import StaffPermission

    plain = type(eva)(agent_id=eva.agent_id, rights=frozenset({StaffPermission.VIEW}))
    with pytest.raises(ServiceError):
        seller.set_window(
            shop.session, plain, company_id=shop.main.company_id, days="60", default=30
        )
    boss = eva
    seller.set_window(shop.session, boss, company_id=shop.main.company_id, days="60", default=30)
    shop.session.commit()
    _request(shop, order, today=local_today() + timedelta(days=45))
    with pytest.raises(ValidationFailed):
        seller.set_window(shop.session, boss, company_id=shop.main.company_id, days="x", default=30)


def test_a_credit_request_for_a_price_difference(shop: Shop, order) -> None:  # type: ignore[no-untyped-def]
    first = _line_ids(shop, order)[0]
    with pytest.raises(ValidationFailed) as refused:
        customer.request_return(
            shop.session,
            shop.actor(shop.ben),
            order_id=order.id,
            kind="credit",
            reason="price_difference",
            quantities={str(first): "5"},
            amounts={str(first): "150.00"},
            settings=SETTINGS,
        )
    assert list(refused.value.errors) == [f"amount_{first}"]
    return_id = customer.request_return(
        shop.session,
        shop.actor(shop.ben),
        order_id=order.id,
        kind="credit",
        reason="price_difference",
        quantities={str(first): "5"},
        amounts={str(first): "2.50"},
        settings=SETTINGS,
    )
    request = shop.session.get(ReturnRequest, return_id)
    assert request is not None and request.credit_cents == 1250 and request.condition == ""


def test_rights_and_company_scope(shop: Shop, order) -> None:  # type: ignore[no-untyped-def]
    return_id = _request(shop, order)
    with pytest.raises(ServiceError):  # a technician may not ask
        _request(shop, order, principal=shop.actor(shop.tina))
    anna = shop.actor(shop.anna)  # an approver sees all of the company's returns
    assert [r.id for r in customer.list_returns(shop.session, anna).rows] == [return_id]
    assert customer.list_returns(shop.session, shop.actor(shop.tina)).rows == []
    assert [r.id for r in customer.list_returns(shop.session, shop.main).rows] == [return_id]
    for outsider in (shop.other_main, shop.actor(shop.tina)):
        with pytest.raises(ServiceError) as refused:
            customer.read_return(
                shop.session, outsider, return_id=str(return_id), settings=SETTINGS
            )
        assert refused.value.code == "returns.error.not_found"
    with pytest.raises(ServiceError):
        customer.withdraw(shop.session, shop.other_main, return_id=return_id)


def test_withdraw_only_while_requested(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, _otto = team
    first = _request(shop, order)
    customer.withdraw(shop.session, shop.actor(shop.ben), return_id=str(first))
    shop.session.commit()
    assert shop.session.get(ReturnRequest, first).state == ReturnState.WITHDRAWN  # type: ignore[union-attr]
    second = _request(shop, order, quantity=5)  # the withdrawn pieces count no more
    seller.approve(shop.session, eva, return_id=second)
    with pytest.raises(ServiceError):
        customer.withdraw(shop.session, shop.actor(shop.ben), return_id=second)


def test_the_whole_way_to_the_credit_note_once(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, otto = team
    return_id = _request(shop, order)
    with pytest.raises(ServiceError):
        seller.approve(shop.session, otto, return_id=return_id)
    assert [r.id for r in seller.queue(shop.session, otto).rows] == []
    rma = seller.approve(shop.session, eva, return_id=str(return_id))
    assert rma.startswith("RMA-")
    line = shop.session.exec(select(ReturnLine)).one()
    with pytest.raises(ValidationFailed):
        seller.receive(shop.session, eva, return_id=return_id, accepted={str(line.id): "3"})
    seller.receive(shop.session, eva, return_id=return_id, accepted={str(line.id): "1"})
    with pytest.raises(ServiceError):  # a piece was accepted: it is credited, not closed
        seller.close(shop.session, eva, return_id=return_id)
    seller.request_credit(shop.session, eva, return_id=return_id)
    seller.request_credit(shop.session, eva, return_id=return_id)
    shop.session.commit()
    request = shop.session.get(ReturnRequest, return_id)
    assert request is not None and request.credit_cents == 10000
    messages = shop.session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == ERP_CREDIT_NOTE_REQUESTED)
    ).all()
    assert len(messages) == 1
    assert messages[0].payload == {"return_id": return_id, "company_id": shop.main.company_id}
    assert record_credit_note(shop.session, return_id, shop.main.company_id, "GS-1")
    assert not record_credit_note(shop.session, return_id, shop.main.company_id, "GS-2")
    shop.session.commit()
    assert request.state == ReturnState.CREDITED and request.credit_note_number == "GS-1"
    seller.close(shop.session, eva, return_id=return_id)
    assert request.state == ReturnState.CLOSED
    actions = shop.session.exec(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "return")
        .order_by(col(AuditEntry.id))
    ).all()
    assert actions == [
        "return.request",
        "return.approve",
        "return.receive",
        "return.credit_requested",
        "return.credit",
        "return.close",
    ]


def test_reject_needs_a_reason_and_replacement_needs_that_outcome(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, _otto = team
    return_id = _request(shop, order)
    with pytest.raises(ValidationFailed):
        seller.reject(shop.session, eva, return_id=return_id, reason=" ")
    seller.reject(shop.session, eva, return_id=return_id, reason="Not ours")
    assert shop.session.get(ReturnRequest, return_id).rejection_reason == "Not ours"  # type: ignore[union-attr]
    other = _request(shop, order, outcome="replacement")
    seller.approve(shop.session, eva, return_id=other)
    line = shop.session.exec(select(ReturnLine).where(ReturnLine.return_id == other)).one()
    seller.receive(shop.session, eva, return_id=other, accepted={str(line.id): "2"})
    with pytest.raises(ServiceError):
        seller.request_credit(shop.session, eva, return_id=other)
    seller.replace(shop.session, eva, return_id=other)
    assert shop.session.get(ReturnRequest, other).state == ReturnState.REPLACED  # type: ignore[union-attr]


def test_an_acting_agent_files_a_return_with_both_identities(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, _otto = team
    acting = acting_for(shop.actor(shop.ben), agent_id=eva.agent_id, acting_session_id=1)
    return_id = _request(shop, order, principal=acting)
    request = shop.session.get(ReturnRequest, return_id)
    assert request is not None and request.requested_by_id == shop.ben.id
    entry = shop.session.exec(select(ReturnEntry).where(ReturnEntry.return_id == return_id)).one()
    assert (entry.actor_kind, entry.actor_ref, entry.actor_id) == (
        PrincipalKind.SELLER_AGENT,
        eva.agent_id,
        shop.ben.id,
    )
    audit = shop.session.exec(select(AuditEntry).where(AuditEntry.action == "return.request")).one()
    assert (audit.actor_kind, audit.actor_ref, audit.actor_user_id) == (
        PrincipalKind.SELLER_AGENT,
        eva.agent_id,
        shop.ben.id,
    )
    view = customer.read_return(
        shop.session, shop.actor(shop.ben), return_id=return_id, settings=SETTINGS
    )
    assert view.entries[0].agent == "Eva Ernst" and view.entries[0].actor == "Ben"


def test_controlling_shows_the_value_credited_this_month(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    from customer_center.services.returns.report import returned_per_month

    eva, _otto = team
    return_id = _request(shop, order)
    seller.approve(shop.session, eva, return_id=return_id)
    line = shop.session.exec(select(ReturnLine)).one()
    seller.receive(shop.session, eva, return_id=return_id, accepted={str(line.id): "2"})
    seller.request_credit(shop.session, eva, return_id=return_id)
    record_credit_note(shop.session, return_id, shop.main.company_id, "GS-9")
    shop.session.commit()
    months = returned_per_month(shop.session, shop.main)
    assert len(months) == 12 and months[-1].cents == 20000
    assert sum(m.cents for m in months) == 20000
    assert sum(m.cents for m in returned_per_month(shop.session, shop.other_main)) == 0
    with pytest.raises(ServiceError):
        returned_per_month(shop.session, shop.actor(shop.ben))


def test_nothing_accepted_nothing_credited_the_return_is_closed(shop: Shop, order, team) -> None:  # type: ignore[no-untyped-def]
    eva, _otto = team
    return_id = _request(shop, order)
    seller.approve(shop.session, eva, return_id=return_id)
    line = shop.session.exec(select(ReturnLine)).one()
    seller.receive(shop.session, eva, return_id=return_id, accepted={str(line.id): "0"})
    with pytest.raises(ServiceError) as refused:
        seller.request_credit(shop.session, eva, return_id=return_id)
    assert refused.value.code == "returns.error.nothing_to_credit"
    seller.close(shop.session, eva, return_id=return_id)
    assert shop.session.get(ReturnRequest, return_id).state == ReturnState.CLOSED  # type: ignore[union-attr]
