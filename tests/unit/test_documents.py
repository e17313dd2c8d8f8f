"""Documents from the ERP: the embedded ERP lists, filters and writes them; the service
shows each principal only what it may see, and another company's document never."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.invoice_totals import invoice_totals
from customer_center.integrations.erp.csv_import import ErpImportError, import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import DocumentFilter
from customer_center.integrations.erp.tables import ErpDocumentRow
from customer_center.models.order import Order
from customer_center.services.documents.documents import (
    FINANCIAL,
    REFUSED,
    DocumentQuery,
    fetch_document,
    list_documents,
    order_documents,
)
from tests.document_factories import order_in_erp
from tests.factories import actor_for, make_company, make_user
from tests.pdf_check import page_text, pdf_objects


class Demo:
    """Müller (10001): main contact, a controller, a technician and a buyer; Acme (10002)."""

    def __init__(self, session: Session) -> None:
        self.engine = session.get_bind()
        import_erp_directory(self.engine, demo_data_dir())  # type: ignore[arg-type]
        self.main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        company = self.main.company_id
        self.controller = make_user(session, company, "clara@mueller.example", ["controller"])
        self.technician = make_user(session, company, "teo@mueller.example", ["technician"])
        self.buyer = make_user(session, company, "ben@mueller.example", ["buyer"])
        self.other = make_company(session, "10002", "Acme Industrial Supply Ltd")
        session.commit()
        self.session = session
        self.erp = EmbeddedErpClient(self.engine)  # type: ignore[arg-type]


@pytest.fixture
def demo(session: Session) -> Demo:
    return Demo(session)


def _text(pdf: bytes) -> str:
    return page_text(pdf_objects(pdf))


def test_an_invoice_shows_lines_shipping_vat_and_gross_by_the_one_rule(demo: Demo) -> None:
    # Müller's prices: bearing 7.45 (contract), gloves 5.60 (contract); 19 % VAT.
    order_id, number = order_in_erp(
        demo.session, demo.engine, demo.main, {"BRG-6205-2RS": 3, "GLV-CUT5-9": 2}
    )
    invoice = demo.erp.fetch_document("10001", number.replace("SO-", "INV-"))
    assert invoice is not None and invoice.document.kind == "invoice"
    assert invoice.filename == number.replace("SO-", "INV-") + ".pdf"
    text = _text(invoice.content)
    totals = invoice_totals(
        2235 + 1120, shipping_method="standard", vat_rate=Decimal("19.00"), currency="EUR"
    )
    assert totals.shipping_cents == 990 and totals.gross_cents == 5171  # 4345 + 826
    for shown in ("Invoice", number, "33.55 EUR", "9.90 EUR", "43.45 EUR", "VAT 19 %"):
        assert shown in text, shown
    assert "8.26 EUR" in text  # 43.45 * 19 % = 8.2555, half up
    assert "51.71 EUR" in text
    order = demo.session.get(Order, order_id)
    assert order is not None and order.erp_order_number == number


def test_a_delivery_note_has_no_prices_and_a_certificate_names_the_product(demo: Demo) -> None:
    _, number = order_in_erp(demo.session, demo.engine, demo.main, {"MTR-IE3-4KW": 1})
    note = demo.erp.fetch_document("10001", number.replace("SO-", "DN-"))
    assert note is not None
    text = _text(note.content)
    assert "Delivery note" in text and "MTR-IE3-4KW" in text and "EUR" not in text
    certificate = demo.erp.fetch_document("10001", "cert-10001-brg-6205")
    assert certificate is not None
    assert "Deep groove ball bearing 6205-2RS" in _text(certificate.content)


def test_the_erp_gives_a_document_only_to_its_customer(demo: Demo) -> None:
    assert demo.erp.fetch_document("10002", "CERT-10001-BRG-6205") is None
    assert demo.erp.fetch_document("10001", "NO-SUCH-DOC") is None
    assert demo.erp.get_vat_rate("10001") == Decimal("19.00")
    assert demo.erp.get_vat_rate("10002") == Decimal("0.00")
    assert demo.erp.get_vat_rate("99999") is None


def test_the_erp_filters_by_kind_day_and_order_newest_first(demo: Demo) -> None:
    _, number = order_in_erp(demo.session, demo.engine, demo.main, {"GLV-CUT5-9": 1})
    everything = demo.erp.list_documents("10001", DocumentFilter())
    assert demo.erp.count_documents("10001", DocumentFilter()) == len(everything) == 7
    days = [d.issued_on for d in everything]
    assert days == sorted(days, reverse=True)
    certificates = DocumentFilter(kinds=("certificate",))
    assert demo.erp.count_documents("10001", certificates) == 3
    spring = DocumentFilter(issued_from=date(2026, 4, 1), issued_to=date(2026, 4, 30))
    assert [d.document_number for d in demo.erp.list_documents("10001", spring)] == [
        "CERT-10001-GLV-CUT5"
    ]
    of_order = demo.erp.list_documents("10001", DocumentFilter(order_number=number.lower()))
    assert {d.kind for d in of_order} == {
        "order_confirmation",
        "delivery_note",
        "invoice",
        "credit_note",
    }
    page = demo.erp.list_documents("10001", DocumentFilter(), offset=5, limit=5)
    assert [d.document_number for d in page] == [d.document_number for d in everything[5:]]


def test_a_controller_lists_invoices_a_technician_does_not(demo: Demo) -> None:
    order_id, number = order_in_erp(demo.session, demo.engine, demo.main, {"GLV-CUT5-9": 1})
    controller = actor_for(demo.session, demo.controller)
    technician = actor_for(demo.session, demo.technician)
    seen = list_documents(demo.session, controller, erp=demo.erp, query=DocumentQuery())
    assert seen.total == 7 and "invoice" in seen.kinds
    [invoice] = [r for r in seen.rows if r.kind == "invoice"]
    assert (invoice.order_id, invoice.order_number) == (order_id, f"PO-{order_id:06d}")
    limited = list_documents(demo.session, technician, erp=demo.erp, query=DocumentQuery())
    assert limited.total == 5
    assert {r.kind for r in limited.rows} == {"certificate", "order_confirmation", "delivery_note"}
    asked = list_documents(
        demo.session, technician, erp=demo.erp, query=DocumentQuery(kind="invoice")
    )
    assert asked.total == 0 and asked.rows == []
    by_po = list_documents(
        demo.session, controller, erp=demo.erp, query=DocumentQuery(order=f"PO-{order_id:06d}")
    )
    assert by_po.total == 4
    with pytest.raises(ServiceError):  # a technician does not see the company's orders
        order_documents(demo.session, technician, erp=demo.erp, order_id=order_id)
    assert number in {r.erp_order_number for r in seen.rows}


def test_downloads_are_refused_without_the_right_and_for_another_company(demo: Demo) -> None:
    _, number = order_in_erp(demo.session, demo.engine, demo.main, {"GLV-CUT5-9": 1})
    invoice = number.replace("SO-", "INV-")
    controller = actor_for(demo.session, demo.controller)
    found = fetch_document(demo.session, controller, erp=demo.erp, number=invoice)
    assert found.content.startswith(b"%PDF-1.4")
    for user in (demo.technician, demo.buyer):
        with pytest.raises(ServiceError) as refused:
            fetch_document(
                demo.session, actor_for(demo.session, user), erp=demo.erp, number=invoice
            )
        assert refused.value.code == REFUSED
    technician = actor_for(demo.session, demo.technician)
    note = fetch_document(
        demo.session, technician, erp=demo.erp, number=number.replace("SO-", "DN-")
    )
    assert note.document.kind == "delivery_note"
    for forged in (invoice, "CERT-10001-BRG-6205", "", "x" * 500, None, 42):
        with pytest.raises(ServiceError) as refused:
            fetch_document(demo.session, demo.other, erp=demo.erp, number=forged)
        assert refused.value.code == REFUSED


def test_the_order_page_lists_the_documents_of_a_visible_order_only(demo: Demo) -> None:
    order_id, _ = order_in_erp(demo.session, demo.engine, demo.main, {"GLV-CUT5-9": 1})
    controller = actor_for(demo.session, demo.controller)
    kinds = [
        r.kind for r in order_documents(demo.session, controller, erp=demo.erp, order_id=order_id)
    ]
    assert sorted(kinds) == ["credit_note", "delivery_note", "invoice", "order_confirmation"]
    buyer = actor_for(demo.session, demo.buyer)  # not the requester, no orders.view_all
    with pytest.raises(ServiceError):
        order_documents(demo.session, buyer, erp=demo.erp, order_id=order_id)
    with pytest.raises(ServiceError):
        order_documents(demo.session, demo.other, erp=demo.erp, order_id=order_id)


def test_the_csv_import_checks_the_documents_columns(demo: Demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "documents.csv").write_text(
        "document_number,customer_number,kind,issued_on,currency\nD-1,10001,bill,2026-01-01,EUR\n"
    )
    with pytest.raises(ErpImportError, match="kind 'bill' is not one of invoice"):
        import_erp_directory(demo.engine, tmp_path)  # type: ignore[arg-type]
    (tmp_path / "documents.csv").write_text(
        "document_number,customer_number,kind,issued_on,currency,order_number\n"
        "d-1,10001,Invoice,2026-01-01,EUR,so-1\n"
    )
    import_erp_directory(demo.engine, tmp_path)  # type: ignore[arg-type]
    row = demo.session.get(ErpDocumentRow, "D-1")
    assert row is not None and (row.kind, row.order_number) == ("invoice", "SO-1")


def test_counting_stops_at_the_limit_and_the_pages_go_on(demo: Demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from customer_center.services.documents import documents as service

    monkeypatch.setattr(service, "COUNT_LIMIT", 2)
    main = demo.main
    first = list_documents(demo.session, main, erp=demo.erp, query=DocumentQuery(), limit=1)
    assert (first.total, first.more, len(first.rows)) == (2, True, 1)
    last = list_documents(
        demo.session, main, erp=demo.erp, query=DocumentQuery(), offset=2, limit=1
    )
    assert (last.total, last.more, len(last.rows)) == (3, False, 1)  # Müller's 3 certificates
    assert demo.erp.count_documents("10001", DocumentFilter(), up_to=2) == 2


def test_a_buyer_sees_the_invoices_and_credit_notes_of_their_own_orders_only(
    demo: Demo,
) -> None:
    buyer = actor_for(demo.session, demo.buyer)
    colleague_user = make_user(demo.session, demo.main.company_id, "bea@mueller.example", ["buyer"])
    colleague = actor_for(demo.session, colleague_user)
    own_id, own = order_in_erp(demo.session, demo.engine, buyer, {"GLV-CUT5-9": 1})
    _, theirs = order_in_erp(demo.session, demo.engine, colleague, {"GLV-CUT5-9": 2})
    seen = list_documents(demo.session, buyer, erp=demo.erp, query=DocumentQuery())
    financial = {(r.kind, r.erp_order_number) for r in seen.rows if r.kind in FINANCIAL}
    assert financial == {("invoice", own), ("credit_note", own)}
    assert {"invoice", "credit_note"} <= set(seen.kinds)
    # The colleague's delivery note is listed (not financial), their invoice is not.
    assert ("delivery_note", theirs) in {(r.kind, r.erp_order_number) for r in seen.rows}
    invoices = list_documents(
        demo.session, buyer, erp=demo.erp, query=DocumentQuery(kind="invoice")
    )
    assert [(r.kind, r.erp_order_number) for r in invoices.rows] == [("invoice", own)]
    assert invoices.total == 1
    kinds = {r.kind for r in order_documents(demo.session, buyer, erp=demo.erp, order_id=own_id)}
    assert {"invoice", "credit_note"} <= kinds
    mine = fetch_document(demo.session, buyer, erp=demo.erp, number=own.replace("SO-", "INV-"))
    assert mine.document.kind == "invoice"
    for forged in (theirs.replace("SO-", "INV-"), theirs.replace("SO-", "CN-")):
        with pytest.raises(ServiceError) as refused:
            fetch_document(demo.session, buyer, erp=demo.erp, number=forged)
        assert refused.value.code == REFUSED
    # The technician (no orders of their own) still sees no financial document.
    technician = actor_for(demo.session, demo.technician)
    assert (
        list_documents(
            demo.session, technician, erp=demo.erp, query=DocumentQuery(kind="credit_note")
        ).rows
        == []
    )
