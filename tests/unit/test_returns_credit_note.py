"""The credit note of a return through the outbox: the relay's handler asks the ERP once per
return (also when the ERP was down or the message is delivered twice), records the number,
and the embedded ERP's credit note is listed with the customer's documents."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.domain.returns import ReturnState
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import ErpCreditRequest, ErpUnavailable
from customer_center.models.base import utcnow
from customer_center.models.outbox import PENDING, SENT, OutboxMessage
from customer_center.models.returns import ReturnLine, ReturnRequest
from customer_center.models.staff import AccountTeamMember
from customer_center.outbox.relay import OutboxRelay
from customer_center.services.documents.documents import DocumentQuery, list_documents
from customer_center.services.returns import customer, seller
from customer_center.services.returns.credit import ERP_CREDIT_NOTE_REQUESTED
from customer_center.services.returns.credit_note import credit_note_handler
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user
from tests.journey_factory import seed_delivered_order
from tests.staff_factories import agent_for, make_staff

LINES = (("BRG-6205-2RS", "Bearing 6205", 5, 745),)


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

    def request_credit_note(self, request: ErpCreditRequest, message_id: str) -> str:
        self.calls.append(message_id)
        if self.down:
            raise ErpUnavailable("connection refused")
        return self.real.request_credit_note(request, message_id)


@pytest.fixture
def credited_return(session: Session):  # type: ignore[no-untyped-def]
    """Ben of Müller (a customer of the demo ERP) returned 2 of 5 bearings; Eva approved,
    received both and asked for the credit note."""
    import_erp_directory(session.get_bind(), demo_data_dir())  # type: ignore[arg-type]
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = seed_delivered_order(session, main.company_id, ben.id, lines=LINES)  # type: ignore[arg-type]
    eva = make_staff(session, "eva@seller.example", name="Eva Ernst")
    session.add(AccountTeamMember(company_id=main.company_id, staff_id=eva.id, team_role="agent"))
    session.commit()
    agent = agent_for(session, eva)
    found = customer.returnable(
        session, actor_for(session, ben), order_id=order.id, settings=get_settings()
    )
    return_id = customer.request_return(
        session,
        actor_for(session, ben),
        order_id=order.id,
        kind="goods",
        reason="damaged",
        condition="unopened",
        outcome="credit",
        quantities={str(found.lines[0].id): "2"},
        settings=get_settings(),
    )
    seller.approve(session, agent, return_id=return_id)
    line = session.exec(select(ReturnLine)).one()
    seller.receive(session, agent, return_id=return_id, accepted={str(line.id): "2"})
    seller.request_credit(session, agent, return_id=return_id)
    session.commit()
    return return_id, main, ben


def _relay(engine: Engine, erp: FlakyErp, clock: Clock) -> OutboxRelay:
    return OutboxRelay(
        engine, {ERP_CREDIT_NOTE_REQUESTED: credit_note_handler(erp, engine)}, clock=clock
    )


def test_the_credit_note_is_asked_once_and_lands_in_the_documents(
    session: Session, credited_return
) -> None:  # type: ignore[no-untyped-def]
    return_id, main, ben = credited_return
    engine = session.get_bind()
    erp, clock = FlakyErp(engine), Clock()  # type: ignore[arg-type]
    erp.down = True
    relay = _relay(engine, erp, clock)  # type: ignore[arg-type]
    assert relay.run_once() == 0
    message = session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == ERP_CREDIT_NOTE_REQUESTED)
    ).one()
    session.refresh(message)
    assert message.status == PENDING
    erp.down = False
    clock.now += timedelta(hours=1)
    assert relay.run_once() == 1
    assert relay.run_once() == 0
    assert len(set(erp.calls)) == 1 and len(erp.calls) == 2  # the same message id retried
    session.expire_all()
    request = session.get(ReturnRequest, return_id)
    assert request is not None and request.state == ReturnState.CREDITED
    assert request.credit_note_number
    assert session.get(OutboxMessage, message.id).status == SENT  # type: ignore[union-attr]
    documents = list_documents(
        session,
        actor_for(session, _main_user(session, main)),
        erp=EmbeddedErpClient(engine),  # type: ignore[arg-type]
        query=DocumentQuery(),
    )
    assert request.credit_note_number in [row.number for row in documents.rows]


def test_a_second_delivery_of_the_same_message_books_nothing_new(
    session: Session, credited_return
) -> None:  # type: ignore[no-untyped-def]
    return_id, _main, _ben = credited_return
    engine = session.get_bind()
    erp = FlakyErp(engine)  # type: ignore[arg-type]
    handler = credit_note_handler(erp, engine)  # type: ignore[arg-type]
    payload = {"return_id": return_id, "company_id": _main.company_id}
    handler(payload, "cc-outbox-1")
    handler(payload, "cc-outbox-1")
    assert erp.calls == ["cc-outbox-1"]  # credited: the second delivery asks nothing
    with pytest.raises(ValueError):
        handler({"return_id": "x"}, "cc-outbox-2")


def _main_user(session: Session, main):  # type: ignore[no-untyped-def]
    from customer_center.models.user import User

    return session.get(User, main.user_id)
