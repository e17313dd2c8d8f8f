"""CC_ERP=http, credit notes (issue 18): the portal's client asks the reference ERP service
over real HTTP for the credit note of a return or credit request; one per request number
however often it is sent, and a down ERP raises what makes the outbox try again."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.http.client import HttpErpClient
from customer_center.integrations.erp.http.transport import CircuitBreaker, ErpContractError
from customer_center.integrations.erp.protocol import (
    DocumentFilter,
    ErpCreditLine,
    ErpCreditRequest,
    ErpUnavailable,
)
from customer_center.integrations.erp.tables import ErpCreditNoteRow
from tests.document_factories import order_in_erp
from tests.erp_service import http_erp, reference_erp
from tests.factories import make_company
from tests.live_server import free_port
from tests.pdf_check import page_text, pdf_objects

MUELLER = "10001"


def credit(erp_order_number: str | None, request_number: str = "RMA-000012") -> ErpCreditRequest:
    return ErpCreditRequest(
        customer_number=MUELLER,
        request_number=request_number,
        order_number="PO-000001",
        erp_order_number=erp_order_number,
        reason="defective",
        currency="EUR",
        lines=(ErpCreditLine("BRG-6205-2RS", 2, Decimal("7.45")),),
    )


@pytest.fixture
def erp_db(db: Engine) -> Engine:
    import_erp_directory(db, demo_data_dir())
    return db


@pytest.fixture
def client(erp_db: Engine) -> Iterator[HttpErpClient]:
    with reference_erp(erp_db) as (_, url):
        client = http_erp(url)
        yield client
        client.close()


def _notes(engine: Engine) -> list[ErpCreditNoteRow]:
    with Session(engine) as check:
        return list(check.exec(select(ErpCreditNoteRow)))


def test_a_credit_note_over_http_is_issued_once_and_listed_with_its_order(
    erp_db: Engine, client: HttpErpClient, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    session.commit()
    _, number = order_in_erp(session, erp_db, main, {"BRG-6205-2RS": 3}, kinds=())
    first = client.request_credit_note(credit(number.lower()), "cc-outbox-1")
    repeated = client.request_credit_note(credit(number), "cc-outbox-1")
    redelivered = client.request_credit_note(credit(number), "cc-outbox-2")
    assert first == repeated == redelivered and first.startswith("CN-")
    [note] = _notes(erp_db)
    assert note.request_number == "RMA-000012" and note.reason == "defective"
    listed = client.list_documents(MUELLER, DocumentFilter(order_number=number))
    assert [(d.document_number, d.kind) for d in listed] == [(first, "credit_note")]
    over_http = client.fetch_document(MUELLER, first)
    embedded = EmbeddedErpClient(erp_db).fetch_document(MUELLER, first)
    assert over_http is not None and embedded is not None
    assert over_http.content == embedded.content
    text = page_text(pdf_objects(over_http.content))
    assert "-14.90 EUR" in text and "reason: defective" in text
    assert client.fetch_document("10002", first) is None


def test_a_credit_note_for_an_unknown_customer_is_refused_not_retried(
    erp_db: Engine, client: HttpErpClient
) -> None:
    unknown = ErpCreditRequest("99999", "CR-000001", "PO-000001", None, "other", "EUR", ())
    with pytest.raises(ErpContractError):  # no lines: 400
        client.request_credit_note(unknown, "cc-outbox-1")
    lines = credit(None).lines
    with pytest.raises(ErpContractError, match="422"):
        client.request_credit_note(
            ErpCreditRequest("99999", "CR-000001", "PO-1", None, "other", "EUR", lines), "m"
        )
    assert _notes(erp_db) == []


def test_a_down_erp_raises_unavailable_and_the_retry_issues_the_note_once(
    erp_db: Engine,
) -> None:
    port = free_port()
    client = http_erp(f"http://127.0.0.1:{port}", breaker=CircuitBreaker(cooldown=0))
    with pytest.raises(ErpUnavailable):
        client.request_credit_note(credit(None), "cc-outbox-1")
    assert _notes(erp_db) == []
    with reference_erp(erp_db, port=port):
        first = client.request_credit_note(credit(None), "cc-outbox-1")
        assert client.request_credit_note(credit(None), "cc-outbox-1") == first
    assert len(_notes(erp_db)) == 1
    client.close()
