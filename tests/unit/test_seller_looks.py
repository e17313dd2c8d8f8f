"""Every look of an agent is audited in the company it looked into; the same look within a
minute is recorded once; the customer's audit log shows the looks to the main contact as
"<seller>'s customer care looked at ..."."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.domain.principals import PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.models.base import utcnow
from customer_center.presenters.audit import csv_lines, page_rows, who
from customer_center.services.audit_log import AREAS, AuditFilter, audit_page, iter_audit_batches
from customer_center.services.seller.company_audit import company_audit_log
from customer_center.services.seller.company_view import company_overview
from customer_center.services.seller.looks import LOOK_WINDOW, VIEWED_COMPANY, record_look
from customer_center.services.seller.order_journey import order_journey
from customer_center.settings import load_settings
from tests.factories import make_company
from tests.journey_factory import make_order

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}))
OTHER_AGENT = SellerAgent(agent_id=8, rights=frozenset({StaffPermission.VIEW}))


def _looks(session: Session) -> list[tuple[int | None, int | None, str, str]]:
    rows = session.exec(
        select(AuditEntry)
        .where(AuditEntry.actor_kind == PrincipalKind.SELLER_AGENT)
        .order_by(col(AuditEntry.id))
    ).all()
    return [(r.company_id, r.actor_ref, r.action, r.target_id) for r in rows]


def test_a_look_is_recorded_in_the_company_looked_at(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        other = make_company(session, "C-2", "Other")
        company_overview(session, AGENT, company_id=acme.company_id)
        session.commit()
        assert _looks(session) == [(acme.company_id, 7, VIEWED_COMPANY, str(acme.company_id))]
        entry = session.exec(select(AuditEntry).where(AuditEntry.actor_ref == 7)).one()
        assert entry.actor_user_id is None
        assert other.company_id not in {c for c, *_ in _looks(session)}


def test_the_same_look_within_a_minute_is_recorded_once(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        order = make_order(session, acme.company_id, acme.user_id)
        for _ in range(3):  # paging, reloading
            company_overview(session, AGENT, company_id=acme.company_id)
        order_journey(session, AGENT, company_id=acme.company_id, order_id=order.id)
        order_journey(session, AGENT, company_id=acme.company_id, order_id=order.id)
        company_overview(session, OTHER_AGENT, company_id=acme.company_id)  # another agent
        session.commit()
        assert _looks(session) == [
            (acme.company_id, 7, VIEWED_COMPANY, str(acme.company_id)),
            (acme.company_id, 7, "seller.viewed_order", str(order.id)),
            (acme.company_id, 8, VIEWED_COMPANY, str(acme.company_id)),
        ]


def test_a_look_after_the_minute_is_recorded_again(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        # a look recorded earlier than the window
        session.add(
            AuditEntry(
                company_id=acme.company_id,
                actor_kind=PrincipalKind.SELLER_AGENT,
                actor_ref=7,
                action=VIEWED_COMPANY,
                target_type="company",
                target_id=str(acme.company_id),
                created_at=utcnow() - LOOK_WINDOW - timedelta(seconds=1),
            )
        )
        session.commit()
        assert record_look(session, AGENT, company_id=acme.company_id, action=VIEWED_COMPANY)
        assert not record_look(session, AGENT, company_id=acme.company_id, action=VIEWED_COMPANY)
        assert len(_looks(session)) == 2


def test_the_agent_reads_the_company_log_with_its_own_look(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        company_overview(session, AGENT, company_id=acme.company_id)
        page = company_audit_log(session, AGENT, company_id=acme.company_id)
        assert [r.action for r in page.records][:2] == [
            "seller.viewed_audit_log",
            "seller.viewed_company",
        ]


def test_the_main_contact_sees_the_looks_worded(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        order = make_order(session, acme.company_id, acme.user_id)
        company_overview(session, AGENT, company_id=acme.company_id)
        order_journey(session, AGENT, company_id=acme.company_id, order_id=order.id)
        session.commit()
        page = audit_page(session, acme, audit_filter=AuditFilter(area="seller"))
        assert [r.actor_kind for r in page.records] == [PrincipalKind.SELLER_AGENT] * 2
        en = page_rows(page, "en")
        assert en[0]["who"] == "Seller's customer care"
        assert en[0]["action"] == "Looked at an order"
        assert en[0]["target"] == f"Order: PO-{order.id:06d}"
        assert en[0]["changes"] == (f"Seller's customer care looked at order PO-{order.id:06d}.")
        assert en[1]["changes"] == "Seller's customer care looked at your company's overview."
        de = page_rows(page, "de")
        assert de[0]["who"] == "Kundenservice von Seller"
        assert de[0]["changes"] == (
            f"Der Kundenservice von Seller hat sich die Bestellung PO-{order.id:06d} angesehen."
        )
        # the area filter offers the seller's looks, and other areas leave them out
        assert "seller" in AREAS
        other_area = audit_page(session, acme, audit_filter=AuditFilter(area="user")).records
        assert all(r.actor_kind != PrincipalKind.SELLER_AGENT for r in other_area)


def test_the_seller_name_comes_from_the_setting(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(db) as session:
        acme = make_company(session)
        company_overview(session, AGENT, company_id=acme.company_id)
        session.commit()
        monkeypatch.setenv("CC_SELLER_NAME", "Hoffmann Industriebedarf")
        monkeypatch.setattr("customer_center.services.audit_log.get_settings", load_settings)
        [record] = audit_page(session, acme, audit_filter=AuditFilter(area="seller")).records
        assert record.actor_name == "Hoffmann Industriebedarf"
        assert who(record, "en") == "Hoffmann Industriebedarf's customer care"


def test_seller_name_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CC_SELLER_NAME", raising=False)
    assert load_settings().seller_name == "Seller"
    monkeypatch.setenv("CC_SELLER_NAME", "  Hoffmann GmbH ")
    assert load_settings().seller_name == "Hoffmann GmbH"
    monkeypatch.setenv("CC_SELLER_NAME", "x" * 500)
    assert load_settings().seller_name == "x" * 100


def test_the_csv_export_names_the_seller_s_customer_care(db: Engine) -> None:
    with Session(db) as session:
        acme = make_company(session)
        company_overview(session, AGENT, company_id=acme.company_id)
        session.commit()
        batches = iter_audit_batches(session, acme, audit_filter=AuditFilter(area="seller"))
        header, line = list(csv_lines(batches, "en"))
        assert "Seller's customer care,seller.viewed_company,company" in line
        assert header
