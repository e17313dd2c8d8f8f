"""One order's full journey for the seller: every ERP status with the time the ERP gave,
what shipped of each line with tracking, the timeline, and the e-mails the portal sent
about the order (tied to it in the outbox); another company's order is "not found"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_journey import parse_update
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.orders import mail_ref
from customer_center.domain.principals import SYSTEM, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.models.outbox import DEAD, SENT, OutboxMessage
from customer_center.presenters import seller as words
from customer_center.services.orders import mails
from customer_center.services.orders.erp_status import apply_update
from customer_center.services.orders.events import add_event
from customer_center.services.seller.order_journey import MailState, order_journey
from customer_center.settings import get_settings
from tests.factories import make_company, make_user
from tests.journey_factory import make_order

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}))
SO = "SO-4711"


def _update(update_id: str, status: str, when: str, **more: object) -> None:
    return parse_update(
        {
            "update_id": update_id,
            "erp_order_number": SO,
            "status": status,
            "occurred_at": when,
            **more,
        }
    )


def _delivered_order(session: Session) -> tuple[int, int]:
    """Müller's order: sent to the ERP, confirmed, half shipped, all shipped, delivered."""
    main = make_company(session, "C-10001", "Müller Maschinenbau")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = make_order(
        session, main.company_id, ben.id, status=OrderStatus.SENT_TO_ERP, erp_order_number=SO
    )
    add_event(session, order, EventKind.ERP_SENT, SYSTEM, data={"erp_order_number": SO})
    settings = get_settings()
    for update in (
        _update("u1", "confirmed", "2026-11-02T08:00:00Z"),
        _update(
            "u2",
            "shipped",
            "2026-11-03T09:30:00+01:00",
            carrier="DHL",
            tracking_number="00340434",
            lines=[{"sku": "A-100", "quantity": 4}],
        ),
        _update(
            "u3",
            "shipped",
            "2026-11-04T10:00:00Z",
            carrier="UPS",
            tracking_number="1Z999",
            lines=[{"sku": "A-100", "quantity": 6}, {"sku": "B-200", "quantity": 4}],
        ),
        _update("u4", "delivered", "2026-11-06T12:00:00Z"),
    ):
        apply_update(session, settings, update)
    session.commit()
    return main.company_id, order.id or 0


def test_every_erp_status_with_the_time_the_erp_reported(db: Engine) -> None:
    with Session(db) as session:
        company_id, order_id = _delivered_order(session)
        journey = order_journey(session, AGENT, company_id=company_id, order_id=order_id)
        assert journey.detail.status == OrderStatus.DELIVERED
        assert [(r.kind, r.reported, r.occurred_at) for r in journey.erp_reports] == [
            ("erp.sent", "", None),
            ("erp.confirmed", "confirmed", datetime(2026, 11, 2, 8, 0, tzinfo=UTC)),
            ("erp.partially_shipped", "shipped", datetime(2026, 11, 3, 8, 30, tzinfo=UTC)),
            ("erp.shipped", "shipped", datetime(2026, 11, 4, 10, 0, tzinfo=UTC)),
            ("erp.delivered", "delivered", datetime(2026, 11, 6, 12, 0, tzinfo=UTC)),
        ]
        assert [kind for kind in (e.kind for e in journey.detail.timeline)][-1] == "erp.delivered"


def test_shipments_per_line_with_tracking(db: Engine) -> None:
    with Session(db) as session:
        company_id, order_id = _delivered_order(session)
        journey = order_journey(session, AGENT, company_id=company_id, order_id=order_id)
        bolts, washers = journey.lines
        assert (bolts.sku, bolts.ordered, bolts.shipped) == ("A-100", 10, 10)
        assert [(s.quantity, s.carrier, s.tracking_number) for s in bolts.shipments] == [
            (4, "DHL", "00340434"),
            (6, "UPS", "1Z999"),
        ]
        assert (washers.shipped, [s.tracking_number for s in washers.shipments]) == (4, ["1Z999"])
        row = words.line_journey_row(bolts, "en")
        assert row["shipped"] == "10 of 10 shipped"
        assert "DHL, tracking 00340434" in row["shipments"]


def test_the_e_mails_the_portal_sent_about_the_order(db: Engine) -> None:
    with Session(db) as session:
        company_id, order_id = _delivered_order(session)
        messages = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.refers_to == mail_ref(order_id))
            .order_by(col(OutboxMessage.id))
        ).all()
        # shipped (a part), shipped (the rest), delivered
        assert len(messages) == 3
        first, second, _third = messages
        first.status, first.attempts, first.sent_at = SENT, 1, first.created_at
        second.status, second.attempts, second.last_error = DEAD, 8, "550 mailbox unavailable"
        session.add(first)
        session.add(second)
        session.commit()
        journey = order_journey(session, AGENT, company_id=company_id, order_id=order_id)
        assert [(m.to, m.state, m.attempts) for m in journey.mails] == [
            ("ben@mueller.example", MailState.DELIVERED, 1),
            ("ben@mueller.example", MailState.FAILED, 8),
            ("ben@mueller.example", MailState.QUEUED, 0),
        ]
        assert journey.mails[1].last_error == "550 mailbox unavailable"
        assert all(m.subject for m in journey.mails)
        rows = [words.mail_row(m, "de") for m in journey.mails]
        assert rows[0]["state"] == "An den Mailserver übergeben"
        assert rows[1]["state"] == "Fehlgeschlagen, nach 8 Versuchen aufgegeben"


def test_order_mails_name_their_order_in_the_outbox(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben")
        order = make_order(session, main.company_id, ben.id)
        mails.order_approved(session, get_settings(), order, "Anna")
        mails.approvals_requested(session, get_settings(), order, [main.user_id])
        session.commit()
        refs = session.exec(select(OutboxMessage.refers_to, OutboxMessage.payload)).all()
        assert [ref for ref, _payload in refs] == [mail_ref(order.id or 0)] * 2
        assert all("refers_to" not in payload for _ref, payload in refs)  # the relay's as ever
        journey = order_journey(session, AGENT, company_id=main.company_id, order_id=order.id)
        assert [(m.to, m.state) for m in journey.mails] == [
            ("ben@acme.example", MailState.QUEUED),
            ("main@c-1.example", MailState.QUEUED),
        ]


def test_a_retried_mail_says_when_it_is_tried_again(db: Engine) -> None:
    with Session(db) as session:
        main = make_company(session)
        order = make_order(session, main.company_id, main.user_id)
        mails.order_approved(session, get_settings(), order, "Anna")
        message = session.exec(select(OutboxMessage)).one()
        message.attempts, message.last_error = 2, "timeout"
        session.add(message)
        session.commit()
        [mail] = order_journey(session, AGENT, company_id=main.company_id, order_id=order.id).mails
        assert (mail.state, mail.next_attempt_at is not None) == (MailState.RETRYING, True)
        assert words.mail_row(mail, "en")["state"] == (
            "Not delivered yet, will be retried (attempts: 2)"
        )


def test_an_order_of_another_company_is_not_found_and_leaks_nothing(db: Engine) -> None:
    with Session(db) as session:
        mueller_id, order_id = _delivered_order(session)
        other = make_company(session, "C-2", "Other")
        for company_id, wanted in ((other.company_id, order_id), (mueller_id, 999_999)):
            with pytest.raises(ServiceError) as refused:
                order_journey(session, AGENT, company_id=company_id, order_id=wanted)
            assert refused.value.code == "orders.error.not_found"
        for odd in (str(order_id), 2**40, -1, None):
            with pytest.raises(ServiceError):
                order_journey(session, AGENT, company_id=mueller_id, order_id=odd)
        # no look was recorded in either company for what was not shown
        assert (
            session.exec(select(AuditEntry).where(AuditEntry.actor_kind == "seller_agent")).all()
            == []
        )


def test_the_journey_in_words(db: Engine) -> None:
    with Session(db) as session:
        company_id, order_id = _delivered_order(session)
        view = words.journey(
            order_journey(session, AGENT, company_id=company_id, order_id=order_id), "de"
        )
        assert view["status"] == "Zugestellt"
        assert view["erp_order_number"] == SO
        reports = view["erp_reports"]
        assert isinstance(reports, list)
        assert reports[0]["status"] == "An das ERP übergeben"
        assert reports[-1]["moved"] == "Status jetzt: Zugestellt"
        assert len(view["timeline"]) == 5  # type: ignore[arg-type]
