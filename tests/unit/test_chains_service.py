"""Stored chains and absences: checked saving, precedence, routing, preview, scoping."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from customer_center.domain.chains import ApproverRef, Level
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.audit import AuditEntry
from customer_center.services import chains
from tests.factories import make_company, make_user, role_id

TODAY = date(2026, 11, 24)


@pytest.fixture
def team(session):
    main = make_company(session)
    people = {
        name: make_user(session, main.company_id, f"{name}@acme.example", [role], name=name.title())
        for name, role in (("anna", "approver"), ("ben", "buyer"), ("clara", "approver"))
    }
    session.commit()
    return main, {name: user.id for name, user in people.items()}


def level(rule="any", *users, role=None, above=None) -> Level:  # type: ignore[no-untyped-def]
    refs = tuple(ApproverRef(user_id=u) for u in users)
    refs += (ApproverRef(role_id=role),) if role else ()
    return Level(rule, refs, above)


def test_a_two_level_chain_is_saved_audited_and_routes(session, team) -> None:
    main, ids = team
    approvers = role_id(session, main.company_id, "approver")
    two = [level("any", ids["anna"]), level("all", role=approvers, above=1_000_000)]
    chains.save_chain(session, main, "user", ids["ben"], two)
    session.commit()
    assert chains.chain_of(session, main, "user", ids["ben"]) == two
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "chain.saved")).one()
    route = chains.route_for_order(session, main.company_id, ids["ben"], 1_200_000, TODAY)
    assert [[a.user_id for a in s.approvers] for s in route] == [
        [ids["anna"]],
        [ids["anna"], ids["clara"]],
    ]
    text = chains.preview(session, main, ids["ben"], 1_200_000, TODAY)
    assert text.sentence == "An order of €12,000.00 by Ben would go to:"
    assert text.steps == ["1) Anna (any of)", "2) Anna, Clara (all of)"]


def test_problems_are_refused_in_words_per_level(session, team) -> None:
    main, ids = team
    with pytest.raises(ValidationFailed) as failure:
        chains.save_chain(
            session, main, "user", ids["ben"], [level("any"), level("any", ids["ben"])]
        )
    errors = {key: params["text"] for key, (_code, params) in failure.value.errors.items()}
    assert errors == {
        "level-1": "This level has no approver yet.",
        "level-2": "Ben would approve their own orders here; the level would always pass on. "
        "Add someone else.",
    }
    session.rollback()
    assert session.exec(select(ApprovalChain)).first() is None


def test_people_of_another_company_are_unknown(session, team) -> None:
    main, ids = team
    other = make_company(session, "C-2", "Other AG")
    stranger = make_user(session, other.company_id, "s@other.example", ["approver"])
    session.commit()
    with pytest.raises(ValidationFailed) as failure:
        chains.save_chain(session, main, "company", 0, [level("any", stranger.id)])
    assert "not part of your company" in failure.value.errors["level-1"][1]["text"]
    with pytest.raises(ServiceError) as not_found:
        chains.save_chain(session, main, "user", stranger.id, [level("any", ids["anna"])])
    assert not_found.value.code == "admin.not_found"


def test_own_chain_then_role_default_then_company_default(session, team) -> None:
    main, ids = team
    assert chains.chain_for_user(session, main.company_id, ids["ben"]) == ([], None)
    chains.save_chain(session, main, "company", 0, [level("any", ids["clara"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "company"
    buyer = role_id(session, main.company_id, "buyer")
    chains.save_chain(session, main, "role", buyer, [level("any", ids["anna"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "role"
    chains.save_chain(session, main, "user", ids["ben"], [level("all", ids["anna"], ids["clara"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "user"
    chains.clear_chain(session, main, "user", ids["ben"])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "role"


def test_without_a_chain_the_main_contact_approves(session, team) -> None:
    main, ids = team
    route = chains.route_for_order(session, main.company_id, ids["ben"], 100, TODAY)
    assert [a.user_id for a in route[0].approvers] == [main.user_id]


@pytest.mark.parametrize(
    "payload",
    [
        "levels",
        [{"rule": "most", "approvers": []}],
        [{"rule": "any", "approvers": [{"user_id": "1"}]}],
        [{"rule": "any", "approvers": [{"user_id": 1, "role_id": 2}]}],
        [{"rule": "any", "approvers": [], "min_order_value_cents": 1.5}],
    ],
)
def test_malformed_payloads_are_refused(payload) -> None:
    with pytest.raises(ServiceError):
        chains.parse_levels(payload)


def test_absences_route_to_the_substitute_and_are_checked(session, team) -> None:
    main, ids = team
    chains.save_chain(session, main, "user", ids["ben"], [level("any", ids["anna"])])
    chains.set_absence(
        session, main, ids["anna"], date(2026, 11, 20), date(2026, 11, 30), ids["clara"]
    )
    session.commit()
    route = chains.route_for_order(session, main.company_id, ids["ben"], 100, TODAY)
    assert route[0].approvers[0].user_id == ids["clara"]
    assert route[0].approvers[0].on_behalf_of == ids["anna"]
    later = chains.route_for_order(session, main.company_id, ids["ben"], 100, date(2026, 12, 1))
    assert later[0].approvers[0].user_id == ids["anna"]
    with pytest.raises(ValidationFailed) as loop:
        chains.set_absence(
            session, main, ids["clara"], date(2026, 11, 25), date(2026, 11, 26), ids["anna"]
        )
    assert loop.value.errors["substitute"][0] == "chains.absence.loop"
    view = chains.absence_of(session, main, ids["anna"])
    assert (view.substitute_name, view.ends_on) == ("Clara", date(2026, 11, 30))
    chains.clear_absence(session, main, ids["anna"])
    assert session.exec(select(Absence)).first() is None


def test_absences_of_another_company_cannot_be_set(session, team) -> None:
    main, ids = team
    other = make_company(session, "C-2", "Other AG")
    with pytest.raises(ServiceError):
        chains.set_absence(session, other, ids["anna"], TODAY, TODAY, ids["clara"])
    with pytest.raises(ValidationFailed):
        chains.set_absence(session, main, ids["anna"], TODAY, TODAY, other.user_id)
