"""Log records of a plain HTTP request carry its method and route template, a request id and,
once a route has authenticated one, the principal: the SCIM routes behind the app's
middleware, in process."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.http.log_context import log_context_middleware
from customer_center.http.scim import routes
from customer_center.services.identity import scim_tokens
from tests.factories import make_company

ROUTE = "/scim/v2/{rest:path}"


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes, middleware=[log_context_middleware(routes)]))


def test_a_refused_request_s_record_names_the_route_and_the_request(
    session: Session, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="customer_center")
    response = client.get(
        "/scim/v2/Users?filter=userName%20eq%20%22anna@alpha.example%22",
        headers={"Authorization": "Bearer not-a-token", "X-Request-ID": "proxy-4711"},
    )
    assert response.status_code == 401
    (record,) = [r for r in caplog.records if "SCIM refused" in r.getMessage()]
    assert record.event == f"GET {ROUTE}"  # type: ignore[attr-defined]
    assert record.request_id == "proxy-4711"  # type: ignore[attr-defined]
    assert record.principal_kind == "-"  # type: ignore[attr-defined]
    assert "anna@alpha.example" not in caplog.text


def test_an_authenticated_request_s_record_names_the_scim_token_and_its_company(
    session: Session, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    main = make_company(session, "A-1", "Alpha GmbH")
    raw = scim_tokens.create_token(session, main, label="Okta")
    session.commit()
    caplog.set_level(logging.INFO, logger="customer_center")
    response = client.get(
        "/scim/v2/Users/999999",
        headers={"Authorization": f"Bearer {raw}", "X-Request-ID": "bad id with spaces"},
    )
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if "SCIM refused" in r.getMessage()]
    assert record.event == f"GET {ROUTE}"  # type: ignore[attr-defined]
    assert record.principal_kind == "scim_token"  # type: ignore[attr-defined]
    assert record.principal_id not in {"", "-"}  # type: ignore[attr-defined]
    assert record.company_id == str(main.company_id)  # type: ignore[attr-defined]
    assert len(record.request_id) == 12, "a malformed X-Request-ID is replaced"  # type: ignore[attr-defined]
