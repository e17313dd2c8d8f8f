"""The seller's company search: one box for customer number, name, a user's e-mail and an
order number (PO or SO), paginated in SQL, literal about LIKE's wildcards, never leaking."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.presenters.seller import search_rows, search_summary
from customer_center.services.seller.companies import (
    MatchedBy,
    find_companies,
    po_number_id,
)
from tests.factories import make_company, make_user
from tests.journey_factory import make_order

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}))


def _companies(session: Session) -> dict[str, int]:
    """Müller (C-10001), Miller_Co (C-10002) and 100% Tools (C-20003), each with a main
    contact; Müller's buyer ben@mueller.example; an order of Müller with SO-555."""
    ids = {}
    for number, name in (
        ("C-10001", "Müller Maschinenbau"),
        ("C-10002", "Miller_Co"),
        ("C-20003", "100% Tools"),
    ):
        main = make_company(session, number, name)
        ids[name] = main.company_id
    mueller = ids["Müller Maschinenbau"]
    ben = make_user(session, mueller, "ben@mueller.example", ["buyer"], name="Ben Schmidt")
    order = make_order(
        session, mueller, ben.id, status=OrderStatus.SENT_TO_ERP, erp_order_number="SO-555"
    )
    ids["order"] = order.id or 0
    session.commit()
    return ids


def _names(session: Session, query: str, **kwargs: int) -> list[str]:
    return [hit.name for hit in find_companies(session, AGENT, query=query, **kwargs).hits]


def test_finds_a_company_by_each_key(db: Engine) -> None:
    with Session(db) as session:
        ids = _companies(session)
        by_number = find_companies(session, AGENT, query="c-10001")
        assert [(h.name, h.matched_by) for h in by_number.hits] == [
            ("Müller Maschinenbau", MatchedBy.CUSTOMER_NUMBER)
        ]
        assert by_number.hits[0].main_contact_email == "main@c-10001.example"
        assert _names(session, "maschinen") == ["Müller Maschinenbau"]
        by_mail = find_companies(session, AGENT, query="BEN@mueller")
        assert [(h.name, h.matched_by) for h in by_mail.hits] == [
            ("Müller Maschinenbau", MatchedBy.EMAIL)
        ]
        by_so = find_companies(session, AGENT, query=" so-555 ")
        assert [(h.name, h.matched_by, h.matched_order_id) for h in by_so.hits] == [
            ("Müller Maschinenbau", MatchedBy.SO_NUMBER, ids["order"])
        ]
        po = f"PO-{ids['order']:06d}"
        by_po = find_companies(session, AGENT, query=po)
        assert [(h.name, h.matched_by) for h in by_po.hits] == [
            ("Müller Maschinenbau", MatchedBy.PO_NUMBER)
        ]


def test_a_whole_customer_number_comes_before_a_part_of_one(db: Engine) -> None:
    with Session(db) as session:
        make_company(session, "C-11", "Aaron AG")
        make_company(session, "C-1", "Zeta GmbH")
        assert _names(session, "C-1") == ["Zeta GmbH", "Aaron AG"]
        assert _names(session, "11") == ["Aaron AG"]  # part of a number, without its prefix
        zeta = find_companies(session, AGENT, query="C-1").hits[0].company_id
        make_user(session, zeta, "c-11@zeta.example", [])
        found = find_companies(session, AGENT, query="C-11@zeta.example").hits
        assert [(h.name, h.matched_by) for h in found] == [("Zeta GmbH", MatchedBy.EMAIL)]
        # the whole customer number before part of an address
        found = find_companies(session, AGENT, query="c-11").hits
        assert [(h.name, h.matched_by) for h in found] == [
            ("Aaron AG", MatchedBy.CUSTOMER_NUMBER),
            ("Zeta GmbH", MatchedBy.EMAIL),
        ]


def test_the_best_match_comes_first_and_each_company_once(db: Engine) -> None:
    with Session(db) as session:
        _companies(session)
        # "c-1000" starts two customer numbers and is in every main contact's address
        page = find_companies(session, AGENT, query="c-1000")
        assert [(h.name, h.matched_by) for h in page.hits] == [
            ("Miller_Co", MatchedBy.CUSTOMER_NUMBER),
            ("Müller Maschinenbau", MatchedBy.CUSTOMER_NUMBER),
        ]
        assert page.total == 2


def test_like_wildcards_match_themselves(db: Engine) -> None:
    with Session(db) as session:
        _companies(session)
        assert _names(session, "%") == ["100% Tools"]
        assert _names(session, "_") == ["Miller_Co"]
        assert _names(session, "r_c") == ["Miller_Co"]
        assert _names(session, "m%r") == []
        assert _names(session, "\\") == []


def test_odd_input_finds_nothing_and_never_fails(db: Engine) -> None:
    with Session(db) as session:
        _companies(session)
        for query in ("", "   ", "x" * 10_000, "PO-" + "9" * 40, "'; DROP TABLE company; --"):
            page = find_companies(session, AGENT, query=query)
            assert page.hits == [] and page.total == 0
        assert find_companies(session, AGENT, query=["c-1"]).hits == []  # not a string
        odd_paging = find_companies(session, AGENT, query="müller", page="1", page_size=None)  # type: ignore[arg-type]
        assert (odd_paging.page, odd_paging.page_size, odd_paging.total) == (0, 20, 1)
        # a very long search is cut, not refused: its start still counts
        assert _names(session, "Müller Maschinenbau" + " " * 200 + "x") == ["Müller Maschinenbau"]


def test_an_order_number_of_another_company_shows_only_that_company(db: Engine) -> None:
    with Session(db) as session:
        ids = _companies(session)
        page = find_companies(session, AGENT, query="SO-555")
        assert {hit.company_id for hit in page.hits} == {ids["Müller Maschinenbau"]}
        # a draft is no order anyone quotes yet
        draft = make_order(session, ids["Miller_Co"], 1, status=OrderStatus.DRAFT)
        draft.submitted_at = None
        session.add(draft)
        session.commit()
        assert find_companies(session, AGENT, query=f"PO-{draft.id:06d}").hits == []


def test_pages_are_cut_in_sql(db: Engine) -> None:
    with Session(db) as session:
        for n in range(5):
            make_company(session, f"K-{n}", f"Kunde {n}")
        first = find_companies(session, AGENT, query="kunde", page_size=2)
        assert [h.name for h in first.hits] == ["Kunde 0", "Kunde 1"]
        assert first.total == 5 and first.has_next
        last = find_companies(session, AGENT, query="kunde", page=2, page_size=2)
        assert [h.name for h in last.hits] == ["Kunde 4"] and not last.has_next


def test_a_search_is_no_look_into_a_company(db: Engine) -> None:
    with Session(db) as session:
        _companies(session)
        find_companies(session, AGENT, query="müller")
        assert (
            session.exec(select(AuditEntry).where(AuditEntry.action.startswith("seller."))).all()
            == []
        )  # type: ignore[attr-defined]


def test_an_agent_without_seller_view_is_refused(db: Engine) -> None:
    with Session(db) as session:
        _companies(session)
        stranger = SellerAgent(agent_id=8, rights=frozenset({StaffPermission.SETTINGS}))
        with pytest.raises(ServiceError) as refused:
            find_companies(session, stranger, query="müller")
        assert refused.value.code == "error.permission_denied"


def test_po_numbers_as_people_quote_them() -> None:
    assert po_number_id("PO-000123") == 123
    assert po_number_id("po 123") == 123
    assert po_number_id("#42") == 42
    assert po_number_id("PO-0") is None
    assert po_number_id("PO-99999999999") is None
    assert po_number_id("SO-123") is None


def test_hits_in_words(db: Engine) -> None:
    with Session(db) as session:
        ids = _companies(session)
        page = find_companies(session, AGENT, query="SO-555")
        [row] = search_rows(page, "de")
        assert row["matched_by"] == f"Auftragsnummer im ERP (PO-{ids['order']:06d})"
        assert row["main_contact"] == "Main"
        assert search_summary(page, "en") == "Companies matching “SO-555”: 1"
        empty = find_companies(session, AGENT, query="nothing-like-this")
        assert search_summary(empty, "de") == "Keine Firma passt zu „nothing-like-this“."
