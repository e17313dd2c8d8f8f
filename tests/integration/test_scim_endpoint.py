"""The SCIM endpoint over HTTP: the portal's routes on a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import Session, col, select

from customer_center.auth.principals import resolve_principal
from customer_center.domain.people import RuleScope
from customer_center.models.audit import AuditEntry
from customer_center.models.budget import BudgetRule
from customer_center.models.identity import ScimToken
from customer_center.models.user import User
from customer_center.services.identity import scim_tokens
from customer_center.services.people import budgets, users
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.scim_server import live_scim_server

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_scim_server() as url:
        yield url


class Portal:
    def __init__(self, session: Session, base_url: str) -> None:
        self.session = session
        self.main_a = make_company(session, "A-1", "Alpha GmbH")
        self.main_b = make_company(session, "B-1", "Beta AG")
        self.raw_a = scim_tokens.create_token(session, self.main_a, label="Okta")
        self.raw_b = scim_tokens.create_token(session, self.main_b, label="Entra")
        session.commit()
        self.a = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {self.raw_a}"})
        self.b = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {self.raw_b}"})

    def create_user(self, email: str, **extra: object) -> dict:
        response = self.a.post("/Users", json={"schemas": [USER], "userName": email, **extra})
        assert response.status_code == 201, response.text
        assert response.headers["content-type"] == "application/scim+json"
        return response.json()


@pytest.fixture
def portal(session: Session, base_url: str) -> Iterator[Portal]:
    portal = Portal(session, base_url)
    yield portal
    portal.a.close()
    portal.b.close()


def _patch(*operations: dict) -> dict:
    return {"schemas": [PATCH], "Operations": list(operations)}


def test_create_get_replace_and_patch_a_user(portal: Portal) -> None:
    created = portal.create_user(
        "Dora@alpha.example",
        name={"givenName": "Dora", "familyName": "Diaz"},
        externalId="00u-dora",
        nickName="ignored",
    )
    assert created["userName"] == "dora@alpha.example" and created["displayName"] == "Dora Diaz"
    assert created["active"] is True and "nickName" not in created
    location = created["meta"]["location"]
    assert location.endswith(f"/scim/v2/Users/{created['id']}")
    path = f"/Users/{created['id']}"
    fetched = portal.a.get(path)
    assert fetched.json()["externalId"] == "00u-dora"
    assert fetched.headers["etag"] == created["meta"]["version"]
    replaced = portal.a.put(
        path,
        json={
            "schemas": [USER],
            "userName": "dora@alpha.example",
            "displayName": "Dora D.",
            "preferredLanguage": "de",
            "externalId": "00u-dora",
        },
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["displayName"], replaced.json()["preferredLanguage"]) == (
        "Dora D.",
        "de",
    )
    stale = portal.a.put(
        path,
        json={"schemas": [USER], "userName": "dora@alpha.example"},
        headers={"If-Match": created["meta"]["version"]},
    )
    assert stale.status_code == 412
    patched = portal.a.patch(
        path + "?attributes=displayName,externalId",
        json=_patch(
            {"op": "replace", "path": "displayName", "value": "Dora Diaz"},
            {"op": "remove", "path": "externalId"},
        ),
    )
    assert patched.status_code == 200, patched.text
    assert patched.json() == {"schemas": [USER], "id": created["id"], "displayName": "Dora Diaz"}


def test_a_new_user_gets_the_company_default_budget(portal: Portal) -> None:
    session = portal.session
    session.add(
        BudgetRule(
            company_id=portal.main_a.company_id,
            scope=RuleScope.COMPANY,
            subject_id=portal.main_a.company_id,
            max_order_value_cents=50_000,
        )
    )
    session.commit()
    created = portal.create_user("eve@alpha.example")
    limits, _ = budgets.effective_limits_for(session, portal.main_a.company_id, int(created["id"]))
    assert limits.max_order_value_cents == 50_000


def test_user_name_clash_and_bad_input_are_scim_errors(portal: Portal) -> None:
    make_user(portal.session, portal.main_b.company_id, "taken@beta.example", ["buyer"])
    portal.session.commit()
    clash = portal.a.post("/Users", json={"schemas": [USER], "userName": "Taken@beta.example"})
    assert clash.status_code == 409
    assert clash.json()["schemas"] == [ERROR] and clash.json()["scimType"] == "uniqueness"
    invalid = portal.a.post("/Users", json={"schemas": [USER], "userName": "not-an-address"})
    assert invalid.status_code == 400 and invalid.json()["scimType"] == "invalidValue"
    broken = portal.a.post(
        "/Users", content=b"{", headers={"content-type": "application/scim+json"}
    )
    assert broken.status_code == 400 and broken.json()["schemas"] == [ERROR]
    bad_filter = portal.a.get("/Users", params={"filter": 'title eq "x"'})
    assert bad_filter.status_code == 400 and bad_filter.json()["scimType"] == "invalidFilter"


def test_list_filter_and_paging(portal: Portal) -> None:
    for n in range(5):
        portal.create_user(f"user{n}@alpha.example", externalId=f"ext-{n}")
    everyone = portal.a.get("/Users").json()
    assert everyone["totalResults"] == 6  # and the main contact
    page = portal.a.get("/Users", params={"startIndex": 2, "count": 2}).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (6, 2, 2)
    assert [u["userName"] for u in page["Resources"]] == [
        "user0@alpha.example",
        "user1@alpha.example",
    ]
    found = portal.a.get("/Users", params={"filter": 'userName eq "USER3@alpha.example"'}).json()
    assert [u["userName"] for u in found["Resources"]] == ["user3@alpha.example"]
    either = portal.a.get(
        "/Users", params={"filter": 'externalId eq "ext-1" or externalId eq "ext-4"'}
    ).json()
    assert either["totalResults"] == 2


def test_deactivation_ends_sessions_and_delete_never_deletes(portal: Portal) -> None:
    session = portal.session
    ben = make_user(session, portal.main_a.company_id, "ben@alpha.example", ["buyer"])
    cookie = signed_in_cookie(session, ben)
    assert resolve_principal(session, cookie) is not None
    off = portal.a.patch(
        f"/Users/{ben.id}", json=_patch({"op": "replace", "value": {"active": False}})
    )
    assert off.status_code == 204, off.text
    session.expire_all()
    assert resolve_principal(session, cookie) is None  # signed out at once
    assert portal.a.get(f"/Users/{ben.id}").json()["active"] is False
    on = portal.a.patch(
        f"/Users/{ben.id}", json=_patch({"op": "replace", "path": "active", "value": True})
    )
    assert on.status_code == 204 and portal.a.get(f"/Users/{ben.id}").json()["active"] is True
    cookie = signed_in_cookie(session, ben)
    assert portal.a.delete(f"/Users/{ben.id}").status_code == 204
    session.expire_all()
    assert resolve_principal(session, cookie) is None
    assert session.get(User, ben.id) is not None  # kept, deactivated
    assert portal.a.get(f"/Users/{ben.id}").json()["active"] is False
    main = portal.a.delete(f"/Users/{portal.main_a.user_id}")
    assert main.status_code == 400  # the main contact stays


def test_groups_are_roles_and_members_are_holders(portal: Portal) -> None:
    dora = portal.create_user("dora@alpha.example")
    groups = portal.a.get("/Groups", params={"excludedAttributes": "members"}).json()
    names = [g["displayName"] for g in groups["Resources"]]
    assert names[:2] == ["Main contact", "Buyer"] and "members" not in groups["Resources"][0]
    buyer = role_id(portal.session, portal.main_a.company_id, "buyer")
    added = portal.a.patch(
        f"/Groups/{buyer}",
        json=_patch({"op": "add", "path": "members", "value": [{"value": dora["id"]}]}),
    )
    assert added.status_code == 204, added.text
    assert portal.a.get(f"/Users/{dora['id']}").json()["groups"][0]["display"] == "Buyer"
    removed = portal.a.patch(
        f"/Groups/{buyer}",
        json=_patch({"op": "remove", "path": f'members[value eq "{dora["id"]}"]'}),
    )
    assert (
        removed.status_code == 204 and "groups" not in portal.a.get(f"/Users/{dora['id']}").json()
    )
    new = portal.a.post(
        "/Groups",
        json={"schemas": [GROUP], "displayName": "Engineering", "members": [{"value": dora["id"]}]},
    )
    assert new.status_code == 201, new.text
    assert [m["value"] for m in new.json()["members"]] == [dora["id"]]
    by_name = portal.a.get("/Groups", params={"filter": 'displayName eq "Engineering"'}).json()
    assert [g["id"] for g in by_name["Resources"]] == [new.json()["id"]]
    rename_builtin = portal.a.patch(
        f"/Groups/{buyer}",
        json=_patch({"op": "replace", "path": "displayName", "value": "Purchasers"}),
    )
    assert rename_builtin.status_code == 400
    assert portal.a.delete(f"/Groups/{new.json()['id']}").status_code == 204
    assert portal.a.get(f"/Groups/{new.json()['id']}").status_code == 404


def test_company_b_cannot_see_or_touch_company_a(portal: Portal) -> None:
    dora = portal.create_user("dora@alpha.example")
    buyer_a = role_id(portal.session, portal.main_a.company_id, "buyer")
    assert portal.b.get(f"/Users/{dora['id']}").status_code == 404
    assert (
        portal.b.put(
            f"/Users/{dora['id']}", json={"schemas": [USER], "userName": "x@beta.example"}
        ).status_code
        == 404
    )
    assert (
        portal.b.patch(
            f"/Users/{dora['id']}", json=_patch({"op": "replace", "path": "active", "value": False})
        ).status_code
        == 404
    )
    assert portal.b.delete(f"/Users/{dora['id']}").status_code == 404
    assert portal.b.get(f"/Groups/{buyer_a}").status_code == 404
    listed = portal.b.get("/Users", params={"filter": 'userName eq "dora@alpha.example"'}).json()
    assert listed["totalResults"] == 0
    own_group = role_id(portal.session, portal.main_b.company_id, "buyer")
    foreign_member = portal.b.patch(
        f"/Groups/{own_group}",
        json=_patch({"op": "add", "path": "members", "value": [{"value": dora["id"]}]}),
    )
    assert foreign_member.status_code == 400
    assert portal.a.get(f"/Users/{dora['id']}").json()["active"] is True


def test_missing_or_revoked_token_is_refused(portal: Portal, base_url: str) -> None:
    anonymous = httpx.get(base_url + "/Users")
    assert anonymous.status_code == 401 and anonymous.json()["schemas"] == [ERROR]
    assert "Bearer" in anonymous.headers.get("www-authenticate", "")
    assert httpx.get(base_url + "/ServiceProviderConfig").status_code == 200  # RFC 7644: open
    token_id = portal.session.exec(
        select(ScimToken.id).where(ScimToken.company_id == portal.main_a.company_id)
    ).one()
    scim_tokens.revoke_token(portal.session, portal.main_a, token_id=token_id)  # type: ignore[arg-type]
    portal.session.commit()
    assert portal.a.get("/Users").status_code == 401


def test_everything_through_scim_is_audited_with_the_token(portal: Portal) -> None:
    dora = portal.create_user("dora@alpha.example")
    portal.a.patch(
        f"/Users/{dora['id']}", json=_patch({"op": "replace", "path": "active", "value": False})
    )
    entries = portal.session.exec(
        select(AuditEntry)
        .where(
            AuditEntry.company_id == portal.main_a.company_id,
            col(AuditEntry.action).startswith("user."),
        )
        .order_by(col(AuditEntry.id))
    ).all()
    assert [e.action for e in entries] == ["user.created", "user.deactivated"]
    assert all(
        e.actor_user_id is None and (e.after or {}).get("scim_token") == "Okta" for e in entries
    )
    failed = portal.a.post("/Users", json={"schemas": [USER], "userName": "dora@alpha.example"})
    assert failed.status_code == 409
    count = len(
        portal.session.exec(
            select(AuditEntry.id).where(AuditEntry.company_id == portal.main_a.company_id)
        ).all()
    )
    assert count == 3  # token created, user created, deactivated: nothing of the refused one


def test_the_same_user_name_at_the_same_moment_is_created_once(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four requests all find the userName free before any of them inserts it (a barrier
    after the check forces that order): the database's unique index lets one through."""
    found_taken: list[bool] = []
    all_checked = threading.Barrier(4, timeout=20)
    check = users.email_in_use

    def check_then_wait_for_the_others(session: Session, email: str) -> bool:
        taken = check(session, email)
        found_taken.append(taken)
        all_checked.wait()
        return taken

    monkeypatch.setattr(users, "email_in_use", check_then_wait_for_the_others)
    body = {"schemas": [USER], "userName": "twice@alpha.example"}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: portal.a.post("/Users", json=body), range(4)))
    assert found_taken == [False] * 4
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    assert all(
        a.json()["schemas"] != [ERROR] or a.json()["scimType"] == "uniqueness" for a in answers
    )
