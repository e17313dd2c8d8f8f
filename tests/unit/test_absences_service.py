"""Absences: who may set them, the checks, the audit, and routing while away and after."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, delete, select

from customer_center.domain import chains as domain_chains
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.models.approval import Absence
from customer_center.models.audit import AuditEntry
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.services.orders.access import viewer_of
from customer_center.services.people import absences, chains
from tests.factories import actor_for, make_company, make_user

TODAY = date(2026, 11, 24)
FIRST, LAST = date(2026, 11, 20), date(2026, 11, 30)


@pytest.fixture
def team(session):
    main = make_company(session)
    people = {
        name: make_user(session, main.company_id, f"{name}@acme.example", [role], name=name.title())
        for name, role in (("anna", "approver"), ("ben", "buyer"), ("clara", "approver"))
    }
    session.commit()
    return main, {"main": main.user_id} | {name: user.id for name, user in people.items()}


def actor_of(session, user_id: int):  # type: ignore[no-untyped-def]
    return actor_for(session, session.get(User, user_id))


def grant(session, user_id: int, company_id: int, permission: str) -> None:
    role = Role(company_id=company_id, code=f"r-{permission}", name=permission)
    session.add(role)
    session.flush()
    session.add(RolePermission(role_id=role.id, permission=permission))  # type: ignore[arg-type]
    session.add(UserRole(user_id=user_id, role_id=role.id))  # type: ignore[arg-type]
    session.commit()


def anna_approves(session, main, ids) -> None:  # type: ignore[no-untyped-def]
    """Ben's orders go to Anna."""
    level = {"rule": "any", "approvers": [{"user_id": ids["anna"]}]}
    chains.save_chain(session, main, scope="user", subject_id=ids["ben"], levels_payload=[level])


def rows(session) -> list[Absence]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.exec(select(Absence)).all())


def test_own_absence_routes_to_the_substitute_and_returns_afterwards(session, team) -> None:
    main, ids = team
    chains.save_chain(
        session,
        main,
        scope="user",
        subject_id=ids["ben"],
        levels_payload=[{"rule": "any", "approvers": [{"user_id": ids["anna"]}]}],
    )
    anna = actor_of(session, ids["anna"])
    absences.add_absence(
        session,
        anna,
        user_id=ids["anna"],
        starts_on=FIRST,
        ends_on=LAST,
        substitute_id=ids["clara"],
    )
    session.commit()
    during = chains.route_for_order(session, main.company_id, ids["ben"], 100, TODAY)
    assert (during[0].approvers[0].user_id, during[0].approvers[0].on_behalf_of) == (
        ids["clara"],
        ids["anna"],
    )
    after = chains.route_for_order(session, main.company_id, ids["ben"], 100, date(2026, 12, 1))
    assert after[0].approvers[0].user_id == ids["anna"]
    [view] = absences.absences_of(session, anna, user_id=ids["anna"])
    assert view == absences.AbsenceView(view.id, FIRST, LAST, ids["clara"], "Clara")
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "absence.set")).one()
    assert (entry.target_id, entry.after["substitute_id"]) == (str(ids["anna"]), ids["clara"])


def test_several_absences_are_kept_and_removed_one_by_one_with_an_audit(session, team) -> None:
    """A holiday in December and one in March: adding the second keeps the first."""
    main, ids = team
    anna_approves(session, main, ids)
    december = absences.add_absence(
        session,
        main,
        user_id=ids["anna"],
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 10),
        substitute_id=ids["clara"],
    )
    absences.add_absence(
        session,
        main,
        user_id=ids["anna"],
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 10),
        substitute_id=ids["main"],
    )
    session.commit()
    assert [(r.starts_on, r.substitute_id) for r in rows(session)] == [
        (date(2026, 12, 1), ids["clara"]),
        (date(2027, 3, 1), ids["main"]),
    ]
    listed = absences.absences_of(session, main, user_id=ids["anna"])
    assert [(v.starts_on, v.substitute_name) for v in listed] == [
        (date(2026, 12, 1), "Clara"),
        (date(2027, 3, 1), "Main"),
    ]
    routes = {
        day: chains.route_for_order(session, main.company_id, ids["ben"], 100, day)
        for day in (date(2026, 12, 5), date(2027, 3, 5))
    }
    assert {day: r[0].approvers[0].user_id for day, r in routes.items()} == {
        date(2026, 12, 5): ids["clara"],
        date(2027, 3, 5): ids["main"],
    }
    absences.remove_absence(session, main, user_id=ids["anna"], absence_id=december)
    session.commit()
    assert [r.starts_on for r in rows(session)] == [date(2027, 3, 1)]
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [a for a in actions if a.startswith("absence")] == [
        "absence.set",
        "absence.set",
        "absence.cleared",
    ]
    absences.remove_absence(
        session, main, user_id=ids["anna"], absence_id=december
    )  # already gone: no error
    absences.remove_absence(
        session, main, user_id=ids["anna"], absence_id=999_999
    )  # not an id the service knows
    absences.remove_absence(
        session, main, user_id=ids["anna"], absence_id=None
    )  # what an odd id parses to
    assert len(rows(session)) == 1


def test_overlapping_absences_of_one_person_are_refused(session, team) -> None:
    main, ids = team
    absences.add_absence(
        session,
        main,
        user_id=ids["anna"],
        starts_on=FIRST,
        ends_on=LAST,
        substitute_id=ids["clara"],
    )
    session.commit()
    with pytest.raises(ValidationFailed) as overlap:
        absences.add_absence(
            session,
            main,
            user_id=ids["anna"],
            starts_on=LAST,
            ends_on=date(2026, 12, 3),
            substitute_id=ids["clara"],
        )
    code, params = overlap.value.errors["starts_on"]
    # Data, not words: the page words the days in the reader's language (test_chain_state).
    assert (code, params) == ("chains.absence.overlap", {"start": FIRST, "end": LAST})
    assert len(rows(session)) == 1


def test_a_substitute_who_cannot_approve_is_refused_with_the_reason(session, team) -> None:
    """The Technician of the review: accepted before, then the order was stuck with him."""
    main, ids = team
    tom = make_user(session, main.company_id, "tom@acme.example", ["technician"], name="Tom")
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        absences.add_absence(
            session, main, user_id=ids["anna"], starts_on=FIRST, ends_on=LAST, substitute_id=tom.id
        )  # type: ignore[arg-type]
    assert refused.value.errors["substitute"] == ("chains.absence.cannot_decide", {"name": "Tom"})
    assert rows(session) == []


def test_a_substitute_who_lost_the_right_later_hands_over_to_the_main_contact(
    session, team
) -> None:
    main, ids = team
    anna_approves(session, main, ids)
    absences.add_absence(
        session,
        main,
        user_id=ids["anna"],
        starts_on=FIRST,
        ends_on=LAST,
        substitute_id=ids["clara"],
    )
    session.execute(delete(UserRole).where(col(UserRole.user_id) == ids["clara"]))
    session.commit()
    route = chains.route_for_order(session, main.company_id, ids["ben"], 100, TODAY)
    assert route[0].approvers[0] == domain_chains.Approver(main.user_id, on_behalf_of=ids["anna"])
    assert (
        chains.deciders_today(session, main.company_id, [ids["anna"]], TODAY)[0].user_id
        == main.user_id
    )
    assert chains.standing_in_for(session, main.company_id, ids["clara"], TODAY) == set()


@pytest.mark.parametrize(
    ("who", "start", "end", "field", "code"),
    [
        ("anna", FIRST, LAST, "substitute", "chains.absence.self"),
        ("inactive", FIRST, LAST, "substitute", "chains.absence.inactive"),
        ("clara", LAST, FIRST, "ends_on", "chains.absence.dates"),
        ("clara", date(2026, 1, 1), date(2027, 1, 2), "ends_on", "absence.too_long"),
    ],
)
def test_wrong_absences_are_refused_next_to_the_field(
    session, team, who, start, end, field, code
) -> None:
    main, ids = team
    ids["inactive"] = make_user(
        session, main.company_id, "gone@acme.example", ["approver"], status=UserStatus.INACTIVE
    ).id
    session.commit()
    with pytest.raises(ValidationFailed) as failure:
        absences.add_absence(
            session, main, user_id=ids["anna"], starts_on=start, ends_on=end, substitute_id=ids[who]
        )
    assert failure.value.errors[field][0] == code
    assert rows(session) == []


def test_a_loop_of_substitutes_in_the_same_period_is_refused(session, team) -> None:
    main, ids = team
    absences.add_absence(
        session,
        main,
        user_id=ids["anna"],
        starts_on=FIRST,
        ends_on=LAST,
        substitute_id=ids["clara"],
    )
    session.commit()
    with pytest.raises(ValidationFailed) as loop:
        absences.add_absence(
            session,
            main,
            user_id=ids["clara"],
            starts_on=TODAY,
            ends_on=TODAY,
            substitute_id=ids["anna"],
        )
    assert loop.value.errors["substitute"] == ("chains.absence.loop", {"name": "Anna"})
    # After Anna is back, Anna may stand in for Clara.
    absences.add_absence(
        session,
        main,
        user_id=ids["clara"],
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 2),
        substitute_id=ids["anna"],
    )


def test_only_administrators_set_someone_else_s_absence(session, team) -> None:
    main, ids = team
    ben = actor_of(session, ids["ben"])
    with pytest.raises(ServiceError) as refused:
        absences.add_absence(
            session,
            ben,
            user_id=ids["anna"],
            starts_on=FIRST,
            ends_on=LAST,
            substitute_id=ids["clara"],
        )
    assert refused.value.code == "admin.not_found"
    with pytest.raises(ServiceError):
        absences.absences_of(session, ben, user_id=ids["anna"])
    with pytest.raises(ServiceError):
        absences.remove_absence(session, ben, user_id=ids["anna"], absence_id=1)
    grant(session, ids["ben"], main.company_id, Permission.CHAINS_MANAGE.value)
    ben = actor_of(session, ids["ben"])  # the next event resolves the new right
    planned = absences.add_absence(
        session, ben, user_id=ids["anna"], starts_on=FIRST, ends_on=LAST, substitute_id=ids["clara"]
    )
    grant(session, ids["clara"], main.company_id, Permission.USERS_MANAGE.value)
    clara = actor_of(session, ids["clara"])
    absences.remove_absence(session, clara, user_id=ids["anna"], absence_id=planned)
    session.commit()
    assert rows(session) == []


def test_absences_of_another_company_cannot_be_touched(session, team) -> None:
    main, ids = team
    other = make_company(session, "C-2", "Other AG")
    stranger = make_user(session, other.company_id, "s@other.example", ["approver"])
    session.commit()
    for attempt in (
        lambda: absences.add_absence(
            session,
            other,
            user_id=ids["anna"],
            starts_on=FIRST,
            ends_on=LAST,
            substitute_id=ids["clara"],
        ),
        lambda: absences.absences_of(session, other, user_id=ids["anna"]),
        lambda: absences.remove_absence(session, other, user_id=ids["anna"], absence_id=1),
    ):
        with pytest.raises(ServiceError) as refused:
            attempt()
        assert refused.value.code == "admin.not_found"
    with pytest.raises(ValidationFailed) as failure:
        absences.add_absence(
            session,
            main,
            user_id=ids["anna"],
            starts_on=FIRST,
            ends_on=LAST,
            substitute_id=stranger.id,
        )  # type: ignore[arg-type]
    assert failure.value.errors["substitute"][0] == "chains.absence.inactive"
    assert rows(session) == []


def test_the_light_directory_names_the_same_deputies_as_the_whole_company(session, team) -> None:
    """Inbox and badge read only absent, deactivated and main-contact users: they must come to
    the same deciders as routing over every user of the company."""
    main, ids = team
    extra = {
        name: make_user(session, main.company_id, f"{name}@acme.example", ["approver"]).id
        for name in ("dora", "emil", "fritz", "gustav")
    }
    ids = {**ids, **extra}
    away = [("anna", "clara"), ("clara", "dora"), ("emil", "fritz"), ("fritz", "emil")]
    for absent, substitute in away:
        session.add(
            Absence(
                company_id=main.company_id,
                user_id=ids[absent],
                substitute_id=ids[substitute],
                starts_on=FIRST,
                ends_on=LAST,
            )
        )
    for name in ("dora", "gustav"):  # a deactivated substitute, a deactivated approver
        gone = session.get(User, ids[name])
        gone.status = UserStatus.INACTIVE
        session.add(gone)
    session.commit()
    whole = chains.load_directory(session, main.company_id)
    everyone = [*ids.values(), main.user_id]
    for user_id in everyone:
        # Ben, a buyer, cannot decide: the main contact would decide for him, but nothing
        # waits for Ben, so the light directory need not read him (it reads every approver
        # with a waiting step; see the approvals tests).
        assert chains.standing_in_for(
            session, main.company_id, user_id, TODAY
        ) == domain_chains.stands_in_for(user_id, whole, TODAY) - {ids["ben"]}
        assert chains.deciders_today(session, main.company_id, [user_id], TODAY) == [
            domain_chains.effective_approver(user_id, whole, TODAY)
        ]
    # Asked about everyone at once (one directory for all), each is answered as alone.
    assert chains.deciders_today(session, main.company_id, everyone, TODAY) == [
        domain_chains.effective_approver(user_id, whole, TODAY) for user_id in everyone
    ]
    # Not vacuous: the main contact stands in for the loop and the deactivated people.
    assert chains.standing_in_for(session, main.company_id, main.user_id, TODAY) >= {
        ids["dora"],
        ids["emil"],
        ids["gustav"],
    }


def test_the_order_reader_stands_in_for_the_same_people_with_the_small_directory(
    session, team
) -> None:
    """Reading an order or the approvals badge loads only today's absentees, their
    substitutes and the reader (the main contact: the company's waiting approvers too): the
    same people as the whole company's directory, on a day of absences and a day without."""
    main, ids = team
    ids = {**ids, "dora": make_user(session, main.company_id, "dora@acme.example", ["approver"]).id}
    for absent, substitute in (("anna", "clara"), ("clara", "dora"), ("dora", "anna")):
        starts = FIRST if absent != "dora" else date(2026, 11, 25)  # dora away later: no loop
        session.add(
            Absence(
                company_id=main.company_id,
                user_id=ids[absent],
                substitute_id=ids[substitute],
                starts_on=starts,
                ends_on=LAST,
            )
        )
    session.commit()
    whole = chains.load_directory(session, main.company_id)
    for day in (TODAY, date(2026, 11, 26), date(2026, 12, 5)):
        for user_id in ids.values():
            decider = viewer_of(session, actor_of(session, user_id), today=day).decider
            expected = domain_chains.stands_in_for(user_id, whole, day)
            if user_id == main.user_id:
                expected -= {ids["ben"]}  # nothing waits for Ben (see the test above)
            assert decider.stands_in_for == expected, (day, user_id)
    during = viewer_of(session, actor_of(session, ids["dora"]), today=TODAY).decider
    assert during.stands_in_for == {ids["anna"], ids["clara"]}  # not vacuous
