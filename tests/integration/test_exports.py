"""Authenticated CSV downloads over HTTP: who may download, what the file holds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.sessions import SESSION_COOKIE, revoke_session
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.http import exports
from customer_center.http.exports import csv_download_route, download_name
from customer_center.models.user import User
from customer_center.services import audit
from tests.factories import make_company, make_user, signed_in_cookie

pytestmark = pytest.mark.usefixtures("db")


class World:
    """Acme (main contact, controller, buyer) and Other AG, each with audit entries."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.main = make_company(session)
        company = self.main.company_id
        self.controller = make_user(session, company, "carla@acme.example", ["controller"])
        self.buyer = make_user(session, company, "ben@acme.example", ["buyer"])
        self.other = make_company(session, "C-2", "Other AG")
        audit.record_admin(
            session,
            self.main,
            action="budget.saved",
            target_type="budget_company",
            target_id=0,
            after={"max_order_value_cents": 100000},
        )
        audit.record_admin(
            session,
            self.main,
            action="user.invited",
            target_type="user",
            target_id=self.buyer.id,
            after={"name": "=cmd|' /C calc'!A0"},
        )
        audit.record_admin(
            session,
            self.other,
            action="role.created",
            target_type="role",
            target_id=1,
            after={"name": "Secret of Other AG"},
        )
        session.commit()

    def cookie(self, user_id: int) -> str:
        return signed_in_cookie(self.session, self.session.get(User, user_id))  # type: ignore[arg-type]


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(Starlette(routes=exports.routes)) as test_client:
        yield test_client


def _get(client: TestClient, path: str, cookie: str | None = None, **headers: str):  # type: ignore[no-untyped-def]
    if cookie is not None:
        headers["cookie"] = f"{SESSION_COOKIE}={cookie}"
    return client.get(path, headers=headers)


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_without_a_session_the_download_is_refused(world, client) -> None:
    response = _get(client, "/export/audit.csv", **{"accept-language": "de-DE"})
    assert response.status_code == 401
    assert response.text.startswith("Bitte melden Sie sich an")
    assert _get(client, "/export/audit.csv", "not-a-session").status_code == 401


def test_a_revoked_session_is_refused(world, client) -> None:
    cookie = world.cookie(world.main.user_id)
    revoke_session(world.session, cookie)
    world.session.commit()
    assert _get(client, "/export/audit.csv", cookie).status_code == 401


def test_without_the_right_the_download_is_refused(world, client) -> None:
    response = _get(client, "/export/audit.csv", world.cookie(world.buyer.id))
    assert response.status_code == 403
    assert "text/csv" not in response.headers["content-type"]
    assert "budget.saved" not in response.text


def test_the_main_contact_gets_the_companys_log_as_csv(world, client) -> None:
    response = _get(client, "/export/audit.csv", world.cookie(world.main.user_id))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{download_name("audit")}"'
    )
    assert response.headers["cache-control"] == "no-store"
    header, *rows = _rows(response)
    assert header[0] == "Time (UTC)"
    assert [row[3] for row in rows] == ["user.invited", "budget.saved"]
    assert "Secret of Other AG" not in response.text and "role.created" not in response.text
    assert rows[0][8] == '{"name": "=cmd|\' /C calc\'!A0"}'  # raw JSON, never a formula


def test_a_controller_may_download_and_filters_apply(world, client) -> None:
    cookie = world.cookie(world.controller.id)
    response = _get(client, "/export/audit.csv?area=budget&who=abc&from=2026-13-45", cookie)
    assert response.status_code == 200
    assert [row[3] for row in _rows(response)[1:]] == ["budget.saved"]
    # Naming a user of another company filters to nothing, it never reaches their log.
    other = _get(client, f"/export/audit.csv?who={world.other.user_id}", cookie)
    assert _rows(other)[1:] == []


def test_the_header_follows_the_users_language(world, client, session) -> None:
    user = session.get(User, world.main.user_id)
    user.language = "de"
    session.add(user)
    session.commit()
    response = _get(client, "/export/audit.csv", world.cookie(world.main.user_id))
    assert _rows(response)[0][:2] == ["Zeit (UTC)", "Benutzer-ID"]


def test_the_helper_hands_the_producer_the_actor_and_short_plain_params(world) -> None:
    seen: list[tuple[CustomerUser, dict[str, str]]] = []

    def producer(session: Session, actor: CustomerUser, params: Mapping[str, str]) -> Iterator[str]:
        seen.append((actor, dict(params)))
        yield "a,b\r\n"
        yield from (f"{n},x\r\n" for n in range(3000))

    route = csv_download_route("/export/things.csv", Permission.USERS_MANAGE, producer)
    with TestClient(Starlette(routes=[route])) as client:
        long = "y" * 500
        response = _get(
            client, f"/export/things.csv?q=one&q=two&long={long}", world.cookie(world.main.user_id)
        )
        refused = _get(client, "/export/things.csv", world.cookie(world.controller.id))
    assert response.status_code == 200
    assert 'filename="things-' in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "a,b" and lines[-1] == "2999,x" and len(lines) == 3001
    actor, params = seen[0]
    assert actor.user_id == world.main.user_id and actor.company_id == world.main.company_id
    assert params == {"q": "one", "long": "y" * 200}
    assert refused.status_code == 403 and len(seen) == 1


def test_the_portal_mounts_the_audit_export() -> None:
    import customer_center.customer_center as portal

    paths = {route.path for route in portal.app.api_transformer.routes}  # type: ignore[union-attr]
    assert {"/export/audit.csv", "/auth/complete"} <= paths
