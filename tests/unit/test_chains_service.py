"""Stored chains: checked saving, precedence, routing, preview, scoping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from customer_center.domain.chains import ApproverRef, Level
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.audit import AuditEntry
from customer_center.presenters.chains import preview_text
from customer_center.services.people import chains
from customer_center.state.base import field_errors
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


def save(session, actor, scope: str, subject: int, levels: list[Level]) -> None:  # type: ignore[no-untyped-def]
    chains.save_chain(
        session,
        actor,
        scope=scope,
        subject_id=subject,
        levels_payload=chains.levels_to_json(levels),
    )


def test_a_two_level_chain_is_saved_audited_and_routes(session, team) -> None:
    main, ids = team
    approvers = role_id(session, main.company_id, "approver")
    two = [level("any", ids["anna"]), level("all", role=approvers, above=1_000_000)]
    save(session, main, "user", ids["ben"], two)
    session.commit()
    assert chains.chain_of(session, main, scope="user", subject_id=ids["ben"]) == two
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "chain.saved")).one()
    route = chains.route_for_order(session, main.company_id, ids["ben"], 1_200_000, TODAY)
    assert [[a.user_id for a in s.approvers] for s in route] == [
        [ids["anna"]],
        [ids["anna"], ids["clara"]],
    ]
    text = preview_text(
        chains.preview(session, main, user_id=ids["ben"], order_value_cents=1_200_000, today=TODAY),
        main.language,
    )
    assert text.sentence == "An order of €12,000.00 by Ben would go to:"
    assert text.steps == ["1) Anna (any of)", "2) Approver (role): Anna, Clara (all of)"]


def test_problems_are_refused_in_words_per_level(session, team) -> None:
    main, ids = team
    with pytest.raises(ValidationFailed) as failure:
        save(session, main, "user", ids["anna"], [level("any"), level("any", ids["anna"])])
    assert {code for code, _params in failure.value.errors.values()} == {"chains.problem.text"}
    errors = field_errors(failure.value, main.language)
    assert errors == {
        "level-1": "This level has no approver yet.",
        "level-2": "Anna would approve their own orders here; the level would always pass on. "
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
        save(session, main, "company", 0, [level("any", stranger.id)])
    assert "not part of your company" in field_errors(failure.value, main.language)["level-1"]
    with pytest.raises(ServiceError) as not_found:
        save(session, main, "user", stranger.id, [level("any", ids["anna"])])
    assert not_found.value.code == "admin.not_found"


def test_own_chain_then_role_default_then_company_default(session, team) -> None:
    main, ids = team
    assert chains.chain_for_user(session, main.company_id, ids["ben"]) == ([], None)
    save(session, main, "company", 0, [level("any", ids["clara"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "company"
    buyer = role_id(session, main.company_id, "buyer")
    save(session, main, "role", buyer, [level("any", ids["anna"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "role"
    save(session, main, "user", ids["ben"], [level("all", ids["anna"], ids["clara"])])
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "user"
    chains.clear_chain(session, main, scope="user", subject_id=ids["ben"])
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


def test_the_preview_says_when_nobody_else_can_decide(session, team) -> None:
    main, _ids = team
    text = preview_text(
        chains.preview(session, main, user_id=main.user_id, order_value_cents=500_000, today=TODAY),
        main.language,
    )
    assert text.steps == [
        "Nobody else can decide: the main contact's own order needs no further approval."
    ]


def test_the_preview_names_substitutes_in_german(session, team) -> None:
    main, ids = team
    save(session, main, "user", ids["ben"], [level("any", ids["anna"])])
    session.add(
        Absence(
            company_id=main.company_id,
            user_id=ids["anna"],
            substitute_id=ids["clara"],
            starts_on=TODAY,
            ends_on=TODAY,
        )
    )
    session.commit()
    german = replace(main, language="de")
    text = preview_text(
        chains.preview(session, german, user_id=ids["ben"], order_value_cents=100, today=TODAY),
        german.language,
    )
    assert text.steps == ["1) Clara für Anna (einer von)"]
    assert chains.standing_in_for(session, main.company_id, ids["clara"], TODAY) == {ids["anna"]}
    assert (
        chains.deciders_today(session, main.company_id, [ids["anna"]], TODAY)[0].user_id
        == ids["clara"]
    )
    tomorrow = date(2026, 11, 25)
    assert (
        chains.deciders_today(session, main.company_id, [ids["anna"]], tomorrow)[0].user_id
        == ids["anna"]
    )


def test_saving_no_levels_removes_the_own_chain_so_the_defaults_apply(session, team) -> None:
    main, ids = team
    save(session, main, "company", 0, [level("any", ids["clara"])])
    save(session, main, "user", ids["ben"], [level("any", ids["anna"])])
    save(session, main, "user", ids["ben"], [])
    assert chains.chain_of(session, main, scope="user", subject_id=ids["ben"]) is None
    assert chains.chain_for_user(session, main.company_id, ids["ben"])[1] == "company"


def test_finding_people_matches_wildcards_typed_by_the_user_literally(session, team) -> None:
    main, _ids = team
    store = make_user(session, main.company_id, "lager_1@acme.example", ["buyer"], name="Lager_1")
    make_user(session, main.company_id, "lagerx1@acme.example", ["buyer"], name="Lagerx1")
    session.commit()
    assert chains.find_people(session, main, text="lager_1") == [(store.id, "Lager_1")]
    assert chains.find_people(session, main, text="%") == []
    assert len(chains.find_people(session, main, text="")) == 6
