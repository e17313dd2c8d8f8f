"""Odd values sent to every HTTP route of the portal: never a server error.

The routes are those the app mounts (every ``routes`` list of ``customer_center.http``), served
by Starlette's test client, which raises any exception a route lets escape. Each route gets
digits that are not ASCII (``²``, ``١٢``), thirty-digit numbers, NaN, broken dates, a
megabyte of text, in its query, its path and its JSON body, signed in or with a valid token.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

import customer_center.http as http_package
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain import routes
from customer_center.http import erp_contacts, erp_prices, erp_status
from customer_center.models.user import User
from customer_center.services.identity import scim_tokens
from customer_center.settings import get_settings
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie

pytestmark = pytest.mark.usefixtures("db")

MEGABYTE = "7" * 1_000_000
# A URL has room for about 64 KB (the HTTP client's limit): two such values fit.
LONG_URL_TEXT = "7" * 30_000
ODD_TEXT = [
    "²",
    "１２",
    "2147483648",
    "999999999999",
    "9" * 31,
    "-1",
    "nan",
    "2026-02-30",
    "%_\\",
    "%00",
    LONG_URL_TEXT,
]
ODD_JSON: list[object] = ["²", 10**30, float("nan"), {"value": "²"}, ["²"], None, MEGABYTE]
EXPORT_KEYS = ["requester", "who", "from", "to", "min", "max", "status", "scope", "sort", "q"]
ERP_TOKEN = "odd-input-erp-token-" + "x" * 24
SCIM = "/scim/v2"


def all_routes() -> list[Route]:
    """Every route of every module under customer_center.http, as the app mounts them."""
    found: list[Route] = []
    for module_info in pkgutil.iter_modules(http_package.__path__):
        module = importlib.import_module(f"customer_center.http.{module_info.name}")
        found += getattr(module, "routes", [])
    return found


class Portal:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session, "A-1", "Alpha GmbH")
        self.buyer = make_user(session, self.main.company_id, "ben@alpha.example", ["buyer"])
        self.buyer_role = role_id(session, self.main.company_id, "buyer")
        main_user = session.get(User, self.main.user_id)
        self.cookie = f"{SESSION_COOKIE}={signed_in_cookie(session, main_user)}"  # type: ignore[arg-type]
        self.scim = {
            "Authorization": f"Bearer {scim_tokens.create_token(session, self.main, label='IdP')}"
        }
        self.staff_cookie = staff_cookie(session, make_staff(session, "eva@seller.example"))
        session.commit()


@pytest.fixture
def portal(session: Session) -> Portal:
    return Portal(session)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    settings = dataclasses.replace(get_settings(), erp_status_token=ERP_TOKEN)
    monkeypatch.setattr(erp_status, "get_settings", lambda: settings)
    monkeypatch.setattr(erp_contacts, "get_settings", lambda: settings)
    monkeypatch.setattr(erp_prices, "get_settings", lambda: settings)
    with TestClient(Starlette(routes=all_routes()), follow_redirects=False) as test_client:
        yield test_client


def _problems(client: TestClient, method: str, url: str, **kwargs: object) -> list[str]:
    if "json" in kwargs:  # as a client would send it: NaN written as NaN, which json.loads reads
        kwargs["content"] = json.dumps(kwargs.pop("json"))
        kwargs["headers"] = {**kwargs.get("headers", {}), "content-type": "application/json"}  # type: ignore[dict-item]
    try:
        response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001 - the route let it escape: report it
        return [f"{method} {url[:80]}: {error!r}"[:300]]
    if response.status_code >= 500:
        return [f"{method} {url[:80]}: {response.status_code} {response.text[:200]}"]
    return []


def test_every_route_is_exercised() -> None:
    paths = {route.path for route in all_routes()}
    assert paths >= {
        "/export/orders.csv",
        "/export/audit.csv",
        "/export/users.csv",
        "/datasheets/{name}",
        routes.DOCUMENT_FILES + "/{number}.pdf",
        routes.CASE_FILES + "/{attachment_id}",
        routes.SELLER_CASE_FILES + "/{attachment_id}",
        routes.RETURN_SLIPS + "/{return_id}.pdf",
        routes.SELLER_RETURN_SLIPS + "/{return_id}.pdf",
        "/auth/complete",
        "/auth/signed-out",
        "/auth/sso/start",
        "/auth/sso/callback",
        "/erp/order-status",
        "/erp/contact-changes",
        "/erp/price-changes",
        SCIM,
        SCIM + "/{rest:path}",
        "/health",
        "/seller/auth/complete",
        "/seller/auth/signed-out",
        "/seller/auth/sso/start",
        "/seller/auth/sso/callback",
        *PUNCHOUT_ROUTES,
    }, "a new route: give it odd values below"
    assert len(paths) == 28


def test_exports_answer_odd_query_values(client: TestClient, portal: Portal) -> None:
    problems: list[str] = []
    for path in ("/export/orders.csv", "/export/audit.csv", "/export/users.csv"):
        for key in EXPORT_KEYS:
            for value in ODD_TEXT:
                problems += _problems(
                    client, "GET", path, params={key: value}, headers={"cookie": portal.cookie}
                )
    assert not problems, "\n".join(problems)


def test_sign_in_routes_and_data_sheets_answer_odd_values(
    client: TestClient, portal: Portal
) -> None:
    problems: list[str] = []
    for value in ODD_TEXT:
        problems += _problems(
            client, "GET", "/auth/complete", params={"ticket": value, "next": value}
        )
        problems += _problems(client, "GET", "/auth/signed-out", params={"next": value})
        problems += _problems(
            client, "GET", "/auth/sso/start", params={"email": value, "next": value}
        )
        problems += _problems(
            client,
            "GET",
            "/auth/sso/callback",
            params={"state": value, "code": value},
        )
        for seller in ("/seller/auth/complete", "/seller/auth/signed-out"):
            problems += _problems(client, "GET", seller, params={"ticket": value})
        problems += _problems(client, "GET", "/seller/auth/sso/start", params={"ticket": value})
        problems += _problems(
            client,
            "GET",
            "/seller/auth/sso/callback",
            params={"state": value, "code": value},
            headers={"cookie": f"cc_staff_sso_state={value[:100]}"} if value.isascii() else {},
        )
        problems += _problems(
            client, "GET", "/seller/auth/sso/callback", params={"error": value, "state": "x"}
        )
        problems += _problems(client, "GET", f"/datasheets/{value[:200]}.pdf")
        problems += _problems(client, "GET", routes.document_file(value[:200]))
        problems += _problems(
            client,
            "GET",
            routes.document_file(value[:200]),
            headers={"cookie": portal.cookie},
        )
        problems += _problems(client, "GET", "/health", params={"x": value})
    assert not problems, "\n".join(problems)


def test_case_files_answer_odd_ids(client: TestClient, portal: Portal) -> None:
    """Signed in as a customer, as a staff member and not at all: 401 or the one 403."""
    problems: list[str] = []
    staff = f"{STAFF_COOKIE}={portal.staff_cookie}"
    for value in [*ODD_TEXT, "0", "1", "1;x", "1.0", "1e3", "0x10"]:
        for seller, cookie in ((False, portal.cookie), (True, staff), (False, ""), (True, "")):
            path = routes.case_file(0, seller=seller).removesuffix("/0") + "/" + quote(value)
            response = client.get(path, headers={"cookie": cookie} if cookie else {})
            if response.status_code != (403 if cookie else 401):
                problems.append(f"{path[:80]}: {response.status_code}")
            elif cookie and response.headers.get("content-disposition"):
                problems.append(f"{path[:80]}: a file")
    assert not problems, "\n".join(problems)


def test_return_slips_answer_odd_ids(client: TestClient, portal: Portal) -> None:
    """Signed in as a customer, as a staff member and not at all: 401 or the one 403."""
    problems: list[str] = []
    staff = f"{STAFF_COOKIE}={portal.staff_cookie}"
    for value in [*ODD_TEXT, "0", "1", "1;x", "1.0", "1e3", "0x10"]:
        for prefix, cookie in (
            (routes.RETURN_SLIPS, portal.cookie),
            (routes.SELLER_RETURN_SLIPS, staff),
            (routes.RETURN_SLIPS, ""),
            (routes.SELLER_RETURN_SLIPS, ""),
        ):
            path = f"{prefix}/{quote(value)}.pdf"
            response = client.get(path, headers={"cookie": cookie} if cookie else {})
            if response.status_code != (403 if cookie else 401):
                problems.append(f"{path[:80]}: {response.status_code}")
            elif cookie and response.headers.get("content-disposition"):
                problems.append(f"{path[:80]}: a file")
    assert not problems, "\n".join(problems)


PUNCHOUT_ROUTES = (
    routes.PUNCHOUT_CXML,
    routes.PUNCHOUT_CXML_ORDER,
    routes.PUNCHOUT_OCI,
    routes.PUNCHOUT_START,
    routes.PUNCHOUT_TRANSFER,
)
OCI_FIELDS = ("USERNAME", "PASSWORD", "HOOK_URL", "USER_EMAIL", "FUNCTION", "PRODUCTID", "QUANTITY")


def test_punchout_routes_answer_odd_values(client: TestClient) -> None:
    problems: list[str] = []
    xml = {"content-type": "text/xml"}
    for value in ODD_TEXT:
        for path in (routes.PUNCHOUT_CXML, routes.PUNCHOUT_CXML_ORDER):
            problems += _problems(client, "POST", path, content=value.encode(), headers=xml)
            problems += _problems(
                client, "POST", path, data={"cxml-urlencoded": value, "cXML-base64": value}
            )
        fields = dict.fromkeys(OCI_FIELDS, value) | {"~OkCode": value, "~TARGET": value}
        # httpx refuses a query over 64 KiB: the long text goes in the body only
        short = {key: text[:2000] for key, text in fields.items()}
        problems += _problems(client, "GET", routes.PUNCHOUT_OCI, params=short)
        problems += _problems(client, "POST", routes.PUNCHOUT_OCI, data=fields)
        problems += _problems(client, "GET", routes.PUNCHOUT_START, params={"token": value})
        problems += _problems(
            client,
            "POST",
            routes.PUNCHOUT_TRANSFER,
            headers={"origin": value} if value.isascii() else {},
        )
    assert not problems, "\n".join(problems)


def test_erp_status_updates_answer_odd_bodies(client: TestClient) -> None:
    problems: list[str] = []
    headers = {"Authorization": f"Bearer {ERP_TOKEN}", "content-type": "application/json"}
    for value in ODD_JSON:
        update = {
            "order": value,
            "event": value,
            "key": value,
            "lines": [{"sku": value, "quantity": value}],
        }
        for body in (value, update, {"updates": [update]}):
            problems += _problems(client, "POST", "/erp/order-status", json=body, headers=headers)
    assert not problems, "\n".join(problems)


def test_erp_contact_changes_answer_odd_json(client: TestClient, portal: Portal) -> None:
    problems: list[str] = []
    headers = {"Authorization": f"Bearer {ERP_TOKEN}"}
    for value in ODD_JSON:
        contact = {"customer_number": value, "contact_id": value, "name": value, "email": value}
        for body in (value, contact, [contact], {"contacts": [contact, value]}):
            problems += _problems(
                client, "POST", "/erp/contact-changes", json=body, headers=headers
            )
    assert not problems, "\n".join(problems)


def test_erp_price_changes_answer_odd_json(client: TestClient, portal: Portal) -> None:
    problems: list[str] = []
    headers = {"Authorization": f"Bearer {ERP_TOKEN}"}
    for value in ODD_JSON:
        for body in (value, {"customers": [value]}, {"customers": value}, {"all": value}):
            problems += _problems(client, "POST", "/erp/price-changes", json=body, headers=headers)
    assert not problems, "\n".join(problems)


def test_scim_answers_odd_ids_filters_and_members(client: TestClient, portal: Portal) -> None:
    problems: list[str] = []
    headers = portal.scim
    patch = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    for value in ODD_TEXT:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        for resource in ("Users", "Groups"):
            problems += _problems(
                client, "GET", f"{SCIM}/{resource}/{value[:500]}", headers=headers
            )
            problems += _problems(
                client, "DELETE", f"{SCIM}/{resource}/{value[:500]}", headers=headers
            )
            for attribute in ("id", "userName", "displayName", "externalId", "emails.value"):
                for op in ("eq", "co", "sw", "ew"):
                    problems += _problems(
                        client,
                        "GET",
                        f"{SCIM}/{resource}",
                        params={"filter": f'{attribute} {op} "{quoted}"'},
                        headers=headers,
                    )
            problems += _problems(
                client,
                "GET",
                f"{SCIM}/{resource}",
                params={"startIndex": value, "count": value},
                headers=headers,
            )
    for value in ODD_JSON:
        member = {"op": "add", "path": "members", "value": [{"value": value}]}
        problems += _problems(
            client,
            "PATCH",
            f"{SCIM}/Groups/{portal.buyer_role}",
            json={"schemas": [patch], "Operations": [member]},
            headers=headers,
        )
        problems += _problems(
            client,
            "PATCH",
            f"{SCIM}/Users/{portal.buyer.id}",
            json={
                "schemas": [patch],
                "Operations": [{"op": "replace", "path": "active", "value": value}],
            },
            headers=headers,
        )
        problems += _problems(
            client,
            "POST",
            f"{SCIM}/Users",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": value,
                "name": value,
            },
            headers=headers,
        )
        problems += _problems(
            client,
            "POST",
            f"{SCIM}/Groups",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": value,
                "members": [{"value": value}],
            },
            headers=headers,
        )
    assert not problems, "\n".join(problems)
