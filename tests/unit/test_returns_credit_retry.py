"""A credit note request the outbox gave up (its message dead) is asked again by the account
team, with a new message and dedup key, on the timeline and in the audit log; while the
request is on its way, after the credit note, or for an agent outside the team, it is not."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from customer_center.domain.errors import ServiceError
from customer_center.models.audit import AuditEntry
from customer_center.models.outbox import DEAD, PENDING, OutboxMessage
from customer_center.models.returns import ReturnEntry, ReturnLine
from customer_center.models.staff import AccountTeamMember
from customer_center.presenters.returns import head as return_head
from customer_center.services.returns import seller
from customer_center.services.returns.credit import (
    ERP_CREDIT_NOTE_REQUESTED,
    record_credit_note,
)
from customer_center.settings import get_settings
from tests.order_factories import Shop
from tests.return_factory import return_of_ben
from tests.staff_factories import agent_for, make_staff


@pytest.fixture
def shop(session) -> Shop:  # type: ignore[no-untyped-def]
    return Shop.create(session)


def _messages(shop: Shop) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.kind == ERP_CREDIT_NOTE_REQUESTED)
        .order_by(col(OutboxMessage.id))
    )
    return list(shop.session.exec(query))


def _give_up(shop: Shop) -> None:
    last = _messages(shop)[-1]
    last.status = DEAD
    shop.session.add(last)
    shop.session.commit()


def test_a_given_up_request_is_asked_again_once(shop: Shop) -> None:
    eva = make_staff(shop.session, "eva@seller.example", name="Eva Ernst")
    otto = agent_for(shop.session, make_staff(shop.session, "otto@seller.example"))
    shop.session.add(
        AccountTeamMember(company_id=shop.main.company_id, staff_id=eva.id, team_role="agent")
    )
    shop.session.commit()
    agent = agent_for(shop.session, eva)
    return_id, _ = return_of_ben(shop)
    with pytest.raises(ServiceError):  # nothing requested yet
        seller.request_credit_again(shop.session, agent, return_id=return_id)
    seller.approve(shop.session, agent, return_id=return_id)
    line = shop.session.exec(select(ReturnLine)).one()
    seller.receive(shop.session, agent, return_id=return_id, accepted={str(line.id): "2"})
    seller.request_credit(shop.session, agent, return_id=return_id)
    shop.session.commit()
    with pytest.raises(ServiceError):  # still on its way
        seller.request_credit_again(shop.session, agent, return_id=return_id)
    view = seller.read_return(shop.session, agent, return_id=return_id, settings=get_settings())
    assert return_head(view, "en", seller=True)["credit_given_up"] == ""

    _give_up(shop)
    view = seller.read_return(shop.session, agent, return_id=return_id, settings=get_settings())
    shown = return_head(view, "en", seller=True)
    assert shown["credit_given_up"] == "yes" and shown["credit_pending"] == ""
    with pytest.raises(ServiceError):  # outside the account team: not found
        seller.request_credit_again(shop.session, otto, return_id=return_id)
    seller.request_credit_again(shop.session, agent, return_id=str(return_id))
    shop.session.commit()
    with pytest.raises(ServiceError):  # the new one is on its way
        seller.request_credit_again(shop.session, agent, return_id=return_id)
    first, again = _messages(shop)
    assert (first.status, again.status) == (DEAD, PENDING)
    assert again.dedup_key == f"{first.dedup_key}:2" and again.payload == first.payload

    _give_up(shop)  # given up twice: a third, with its own key
    seller.request_credit_again(shop.session, agent, return_id=return_id)
    shop.session.commit()
    assert [m.dedup_key for m in _messages(shop)][-1] == f"{first.dedup_key}:3"
    assert record_credit_note(shop.session, return_id, shop.main.company_id, "GS-7")
    _give_up(shop)  # a late failure after the credit note changes nothing
    with pytest.raises(ServiceError):
        seller.request_credit_again(shop.session, agent, return_id=return_id)
    audit = shop.session.exec(
        select(AuditEntry.actor_kind, AuditEntry.actor_ref).where(
            AuditEntry.action == "return.credit_requested_again"
        )
    ).all()
    assert audit == [("seller_agent", eva.id)] * 2
    entries = shop.session.exec(
        select(ReturnEntry.kind).where(ReturnEntry.return_id == return_id)
    ).all()
    assert entries.count("return.credit_requested_again") == 2
