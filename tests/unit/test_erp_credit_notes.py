"""The embedded ERP's credit notes for portal returns and credit requests: one per request
number however often it is asked, with its own lines, negative, VAT at the customer's rate,
listed with the customer's documents and the order's."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.embedded_credit_notes import UnknownCreditCustomer
from customer_center.integrations.erp.protocol import (
    CreditReason,
    DocumentFilter,
    ErpCreditLine,
    ErpCreditRequest,
)
from customer_center.integrations.erp.tables import ErpCreditNoteRow, ErpDocumentRow
from customer_center.services.documents.documents import (
    DocumentQuery,
    list_documents,
    order_documents,
)
from tests.document_factories import order_in_erp
from tests.factories import actor_for, make_company, make_user
from tests.pdf_check import page_text, pdf_objects

MUELLER, ACME = "10001", "10002"


def credit_request(erp_order_number: str | None, **changes: object) -> ErpCreditRequest:
    """2 bearings at 7.45 and 1 pair of gloves at 5.60 returned as damaged."""
    request = ErpCreditRequest(
        customer_number=MUELLER,
        request_number="RMA-000012",
        order_number="PO-000001",
        erp_order_number=erp_order_number,
        reason=CreditReason.DAMAGED.value,
        currency="EUR",
        lines=(
            ErpCreditLine("BRG-6205-2RS", 2, Decimal("7.45")),
            ErpCreditLine("GLV-CUT5-9", 1, Decimal("5.60")),
        ),
    )
    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


@pytest.fixture
def erp(session: Session) -> EmbeddedErpClient:
    engine = session.get_bind()
    import_erp_directory(engine, demo_data_dir())  # type: ignore[arg-type]
    return EmbeddedErpClient(engine)  # type: ignore[arg-type]


def _count(session: Session, table: type) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(table)).one())


def test_a_request_number_gets_one_credit_note_however_often_it_is_sent(
    erp: EmbeddedErpClient, session: Session
) -> None:
    before = _count(session, ErpDocumentRow)
    first = erp.request_credit_note(credit_request("SO-100001"), "cc-outbox-1")
    again = erp.request_credit_note(credit_request("SO-100001"), "cc-outbox-1")
    other_message = erp.request_credit_note(credit_request("SO-100001"), "cc-outbox-9")
    assert first == again == other_message == "CN-R000001"
    assert _count(session, ErpCreditNoteRow) == 1
    assert _count(session, ErpDocumentRow) == before + 1
    second = erp.request_credit_note(
        credit_request(None, request_number="CR-000003", reason="price_difference"), "cc-2"
    )
    assert second == "CN-R000002"
    row = session.exec(select(ErpCreditNoteRow).where(ErpCreditNoteRow.id == 1)).one()
    assert row.message_id == "cc-outbox-1" and row.portal_order_number == "PO-000001"


def test_the_pdf_credits_the_lines_with_vat_at_the_customers_rate(
    erp: EmbeddedErpClient, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    session.commit()
    _, number = order_in_erp(session, erp._engine, main, {"BRG-6205-2RS": 3, "GLV-CUT5-9": 2})
    credit = erp.request_credit_note(credit_request(number), "cc-outbox-1")
    found = erp.fetch_document(MUELLER, credit.lower())
    assert found is not None and found.document.kind == "credit_note"
    assert found.document.order_number == number and found.filename == f"{credit}.pdf"
    text = page_text(pdf_objects(found.content))
    # 2 x 7.45 + 1 x 5.60 = 20.50 credited; 19 % of it 3.895 -> 3.90 (half up); no shipping.
    shown = [
        "Credit note",
        credit,
        number,
        "RMA-000012",
        "reason: damaged",
        "PO-000001",
        "Deep groove ball bearing 6205-2RS",
        "7.45 EUR",
        "-14.90 EUR",
        "-5.60 EUR",
        "-20.50 EUR",
        "VAT 19 %",
        "-3.90 EUR",
        "-24.40 EUR",
    ]
    for part in shown:
        assert part in text, part
    assert "9.90 EUR" not in text  # no shipping credited
    assert erp.fetch_document(ACME, credit) is None  # only its own customer's


def test_a_customer_without_vat_is_credited_net(erp: EmbeddedErpClient) -> None:
    acme = credit_request(None, customer_number=" 10002 ", request_number="CR-000004")
    credit = erp.request_credit_note(acme, "cc-outbox-1")
    found = erp.fetch_document(ACME, credit)
    assert found is not None and found.document.order_number is None
    text = page_text(pdf_objects(found.content))
    assert "VAT 0 %" in text and text.count("-20.50 EUR") == 3  # goods, net and gross
    assert "Your order PO-000001" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": "broken"},
        {"lines": ()},
        {"lines": (ErpCreditLine("BRG-6205-2RS", 0, Decimal("7.45")),)},
        {"lines": (ErpCreditLine("BRG-6205-2RS", 1, Decimal("-1")),)},
        {"lines": (ErpCreditLine(" ", 1, Decimal("1")),)},
        {"request_number": " "},
        {"request_number": "R" * 41},
    ],
)
def test_a_request_no_erp_could_book_is_refused_and_nothing_is_saved(
    erp: EmbeddedErpClient, session: Session, changes: dict
) -> None:
    with pytest.raises(ValueError):
        erp.request_credit_note(credit_request(None, **changes), "cc-outbox-1")
    assert _count(session, ErpCreditNoteRow) == 0


def test_an_unknown_customer_is_refused(erp: EmbeddedErpClient, session: Session) -> None:
    with pytest.raises(UnknownCreditCustomer):
        erp.request_credit_note(credit_request(None, customer_number="99999"), "cc-outbox-1")
    assert _count(session, ErpCreditNoteRow) == 0


def test_the_credit_note_shows_with_the_documents_and_on_the_order_page(
    erp: EmbeddedErpClient, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    controller = make_user(session, main.company_id, "clara@mueller.example", ["controller"])
    session.commit()
    order_id, number = order_in_erp(
        session, erp._engine, main, {"BRG-6205-2RS": 3}, kinds=("invoice",)
    )
    credit = erp.request_credit_note(credit_request(number), "cc-outbox-1")
    clara = actor_for(session, controller)
    on_order = order_documents(session, clara, erp=erp, order_id=order_id)
    assert {(r.number, r.kind) for r in on_order} == {
        (number.replace("SO-", "INV-"), "invoice"),
        (credit, "credit_note"),
    }
    page = list_documents(session, clara, erp=erp, query=DocumentQuery())
    mine = [row for row in page.rows if row.number == credit]
    assert len(mine) == 1 and mine[0].order_id == order_id
    credit_notes = DocumentFilter(kinds=("credit_note",), order_number=number)
    assert [d.document_number for d in erp.list_documents(MUELLER, credit_notes)] == [credit]
