"""The contract cannot drift from the code: the portal's HTTP client and the reference ERP
service, talking over real HTTP, are both checked against docs/erp-openapi.yaml."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
import yaml
from openapi_spec_validator import validate
from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.protocol import (
    CREDIT_REASONS,
    DOCUMENT_KINDS,
    PRODUCT_SORTS,
    DocumentFilter,
    ErpContactChange,
    ErpCreditLine,
    ErpCreditRequest,
)
from customer_center.services.orders.handoff import order_request
from tests.erp_contract import CONTRACT, ContractTransport, load_contract
from tests.erp_service import TOKEN, http_erp, reference_erp
from tests.factories import make_company, make_user
from tests.journey_factory import make_order

MUELLER = "10001"
# openapi-core checks the bearer scheme and warns that it cannot check OAuth2 (the other one).
pytestmark = pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")


@pytest.fixture
def erp_db(db: Engine) -> Engine:
    import_erp_directory(db, demo_data_dir())
    return db


def test_the_contract_is_a_valid_openapi_3_1_document() -> None:
    document = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    validate(document)  # raises on an invalid document
    assert document["openapi"] == "3.1.0"
    assert all(path.startswith("/v1/") for path in document["paths"])
    assert load_contract() is not None
    # The enums the portal's code knows are the contract's (a new value needs both).
    schemas, parameters = document["components"]["schemas"], document["paths"]
    assert tuple(schemas["DocumentKind"]["enum"]) == DOCUMENT_KINDS
    assert tuple(schemas["CreditReason"]["enum"]) == CREDIT_REASONS
    products = parameters["/v1/customers/{customer_number}/products"]["get"]["parameters"]
    sort = next(p for p in products if p.get("name") == "sort")
    assert tuple(sort["schema"]["enum"]) == PRODUCT_SORTS


def test_every_call_of_the_client_and_every_answer_of_the_service_keep_the_contract(
    erp_db: Engine, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = make_order(session, main.company_id, ben.id)  # type: ignore[arg-type]
    session.commit()
    request = order_request(session, order.id, main.company_id)  # type: ignore[arg-type]
    assert request is not None
    checker = ContractTransport()
    with reference_erp(erp_db) as (_, url):
        client = http_erp(url, transport=checker)
        skus = [o.product.sku for o in client.list_products(MUELLER, "", 0, 25)]
        client.list_products(MUELLER, "Schraube", 0, 5, day=date(2026, 3, 1))
        client.count_products(MUELLER)
        categories = client.list_categories(MUELLER)
        client.list_products(MUELLER, "", 0, 10, category=categories[0], sort="price_desc")
        client.count_products(MUELLER, "", category=categories[0])
        client.get_vat_rate(MUELLER)
        client.get_vat_rate("NO-SUCH")
        wanted = DocumentFilter(
            kinds=("certificate", "invoice"),
            issued_from=date(2026, 1, 1),
            issued_to=date(2026, 12, 31),
            order_number="SO-100000",
        )
        documents = client.list_documents(MUELLER, DocumentFilter(), 0, 10)
        client.list_documents(MUELLER, wanted, 1, 5)
        client.count_documents(MUELLER, DocumentFilter(kinds=("certificate",)), up_to=2)
        client.count_documents(MUELLER, wanted)
        pdf = client.fetch_document(MUELLER, documents[0].document_number)
        foreign = client.fetch_document("10002", documents[0].document_number)
        client.get_offers(MUELLER, [*skus, "NO-SUCH"], quantities={skus[0]: 250})
        client.list_contract_prices(MUELLER, skus[0])
        client.get_customer(MUELLER)
        client.get_customer("NO-SUCH")
        client.get_invoice("2026-10001-001")
        client.get_invoice("NO-SUCH")
        client.list_contacts(MUELLER)
        client.find_contact(MUELLER, "anna.mueller@mueller-maschinenbau.example")
        client.list_addresses(MUELLER)
        client.notify_company_activated(MUELLER, "anna@mueller.example", "cc-outbox-1")
        client.place_order(request, "cc-outbox-2")
        change = ErpContactChange("created", MUELLER, 7, "Ben Bauer", "ben@mueller.example")
        client.apply_contact_change(change, "cc-outbox-3")
        renamed = ErpContactChange(
            "updated",
            MUELLER,
            7,
            "Ben B. Bauer",
            "ben.bauer@mueller.example",
            previous_email="ben@mueller.example",
            previous_name="Ben Bauer",
        )
        client.apply_contact_change(renamed, "cc-outbox-4")
        handed = client.place_order(request, "cc-outbox-2")
        credit = ErpCreditRequest(
            MUELLER,
            "RMA-000012",
            "PO-000001",
            handed,
            "damaged",
            "EUR",
            (ErpCreditLine(request.lines[0].sku, 1, request.lines[0].unit_price),),
        )
        credit_note = client.request_credit_note(credit, "cc-outbox-5")
        without_order = ErpCreditRequest(
            MUELLER, "CR-000003", "PO-000001", None, "price_difference", "EUR", credit.lines
        )
        client.request_credit_note(without_order, "cc-outbox-6")
        credit_pdf = client.fetch_document(MUELLER, credit_note)
        client.close()
    assert checker.problems == []
    assert categories and documents and foreign is None
    assert pdf is not None and pdf.content.startswith(b"%PDF")
    assert credit_pdf is not None and credit_pdf.document.order_number == handed
    assert ("GET", "customers", 404) in checker.seen
    assert {resource for _, resource, _ in checker.seen} == {
        "customers",
        "invoices",
        "activations",
        "orders",
        "contact-changes",
    }
    assert ("GET", "customers", 404) in checker.seen


CREDIT_BODY = {
    "customer_number": "10001",
    "request_number": "RMA-1",
    "order_number": "PO-000001",
    "erp_order_number": None,
    "reason": "damaged",
    "currency": "EUR",
    "lines": [{"sku": "BRG-6205-2RS", "quantity": 1, "unit_net": "7.45"}],
}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/v1/customers/10001", None, 401),  # no token
        ("POST", "/v1/orders", {"portal_order_id": 1}, 400),  # no Idempotency-Key, no lines
        ("POST", "/v1/customers/10001/offers", {"skus": "A-100"}, 400),
        ("GET", "/v1/customers/10001/products?limit=-1", None, 400),
        ("GET", "/v1/customers/10001/products?sort=cheapest", None, 400),
        ("GET", "/v1/customers/10001/documents?kind=receipt", None, 400),
        ("GET", "/v1/customers/10001/document-count?up_to=-1", None, 400),
        ("GET", "/v1/customers/10002/documents/CERT-10001-BRG-6205", None, 404),
        ("GET", "/v1/customers/10002/documents/CERT-10001-BRG-6205/pdf", None, 404),
        ("GET", "/v1/customers/NO-SUCH/vat-rate", None, 404),
        ("POST", "/v1/customers/10001/credit-notes", {"request_number": "RMA-1"}, 400),
        (
            "POST",
            "/v1/customers/99999/credit-notes",
            CREDIT_BODY | {"customer_number": "99999"},
            422,
        ),
        ("POST", "/v1/customers/10002/credit-notes", CREDIT_BODY, 400),  # not the path's
        ("POST", "/v1/customers/10001/credit-notes", CREDIT_BODY | {"reason": "broken"}, 400),
    ],
)
def test_refusals_of_the_service_keep_the_contract(
    erp_db: Engine, method: str, path: str, body: object, status: int
) -> None:
    checker = ContractTransport()
    headers = {} if status == 401 else {"Authorization": f"Bearer {TOKEN}"}
    if path.endswith("credit-notes"):
        headers["Idempotency-Key"] = "RMA-1"
    with (
        reference_erp(erp_db) as (_, url),
        httpx.Client(base_url=url, transport=checker, headers=headers) as raw,
    ):
        answer = raw.request(method, path, json=body)
    assert answer.status_code == status
    response_problems = [p for p in checker.problems if p.startswith("response")]
    assert response_problems == []
    assert answer.json()["error"]
