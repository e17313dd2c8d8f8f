"""Approver chains: routing, substitutes, fallbacks, self-approval, and the checks on saving."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.chains import (
    Approver,
    ApproverRef,
    Away,
    Directory,
    Level,
    PreviewLine,
    RouteStep,
    absence_problems,
    chain_problems,
    effective_approver,
    preview_lines,
    resolve_route,
    self_approval_only,
    stands_in_for,
)
from customer_center.domain.refs import RoleRef

TODAY = date(2026, 11, 24)
MAIN, ANNA, BEN, CLARA, DORA, EVE = 1, 2, 3, 4, 5, 6
FINANCE = 10
FINANCE_ROLE = RoleRef("custom-10", "Finance", False)
NAMES = {MAIN: "Main", ANNA: "Anna", BEN: "Ben", CLARA: "Clara", DORA: "Dora", EVE: "Eve"}


def directory(  # type: ignore[no-untyped-def]
    absences=None, inactive=(EVE,), finance=(CLARA, DORA), cannot_decide=(), invited=()
) -> Directory:
    """Everyone may decide approvals except ``cannot_decide``; an absence is one ``Away`` or a
    tuple of them."""
    return Directory(
        names=NAMES,
        active=frozenset(set(NAMES) - set(inactive) - set(invited)),
        role_names={FINANCE: FINANCE_ROLE, 11: RoleRef("custom-11", "Nobody", False)},
        role_members={FINANCE: tuple(finance), 11: ()},
        main_contact_id=MAIN,
        deciders=frozenset(set(NAMES) - set(cannot_decide)),
        absences={who: a if isinstance(a, tuple) else (a,) for who, a in (absences or {}).items()},
        invited=frozenset(invited),
    )


def away(substitute: int, start=date(2026, 11, 20), end=date(2026, 11, 30)) -> Away:  # type: ignore[no-untyped-def]
    return Away(start, end, substitute)


def user(uid: int) -> ApproverRef:
    return ApproverRef(user_id=uid)


def ids(step: RouteStep) -> list[int]:
    return [a.user_id for a in step.approvers]


TWO_LEVELS = [
    Level("any", (user(ANNA),)),
    Level("all", (ApproverRef(role_id=FINANCE),), min_order_value_cents=1_000_000),
]


def test_no_chain_goes_to_the_main_contact() -> None:
    assert resolve_route([], BEN, 500, directory(), TODAY) == [
        RouteStep(0, "any", (Approver(MAIN),))
    ]


def test_levels_apply_in_order_and_above_their_threshold() -> None:
    small = resolve_route(TWO_LEVELS, BEN, 1_000_000, directory(), TODAY)
    assert [(s.level, ids(s)) for s in small] == [(1, [ANNA])]
    large = resolve_route(TWO_LEVELS, BEN, 1_000_001, directory(), TODAY)
    assert [(s.level, s.rule, ids(s)) for s in large] == [
        (1, "any", [ANNA]),
        (2, "all", [CLARA, DORA]),
    ]


def test_nobody_approves_their_own_order() -> None:
    route = resolve_route(TWO_LEVELS, CLARA, 2_000_000, directory(), TODAY)
    assert [ids(s) for s in route] == [[ANNA], [DORA]]
    # Anna's own order: her level passes on to the next.
    route = resolve_route(TWO_LEVELS, ANNA, 2_000_000, directory(), TODAY)
    assert [(s.level, ids(s)) for s in route] == [(2, [CLARA, DORA])]
    # Nothing left: the main contact approves.
    route = resolve_route(TWO_LEVELS, ANNA, 100, directory(), TODAY)
    assert [(s.level, ids(s)) for s in route] == [(0, [MAIN])]


def test_the_main_contacts_own_order_without_anyone_else_has_an_empty_route() -> None:
    assert resolve_route([], MAIN, 100, directory(), TODAY) == []
    assert resolve_route([Level("any", (user(MAIN),))], MAIN, 100, directory(), TODAY) == []


def test_only_the_empty_route_is_self_approval() -> None:
    assert self_approval_only(resolve_route([], MAIN, 100, directory(), TODAY))
    assert not self_approval_only(resolve_route([], BEN, 100, directory(), TODAY))


def test_preview_lines_name_roles_people_and_whom_they_stand_in_for() -> None:
    route = resolve_route(TWO_LEVELS, BEN, 2_000_000, directory({ANNA: away(DORA)}), TODAY)
    assert preview_lines(route, directory()) == [
        PreviewLine(1, "any", (), (("Dora", "Anna"),)),
        PreviewLine(2, "all", (FINANCE_ROLE,), (("Clara", None), ("Dora", None))),
    ]
    assert preview_lines([], directory()) == []


def test_substitutes_and_the_main_contact_know_whom_they_stand_in_for() -> None:
    d = directory({ANNA: away(BEN), BEN: away(CLARA, end=date(2026, 11, 24))})
    assert stands_in_for(CLARA, d, TODAY) == {ANNA, BEN}
    assert stands_in_for(BEN, d, TODAY) == set()
    assert stands_in_for(BEN, d, date(2026, 11, 25)) == {ANNA}
    assert stands_in_for(MAIN, d, TODAY) == {EVE}
    assert stands_in_for(ANNA, d, date(2026, 12, 1)) == set()


def test_absent_approvers_hand_over_to_their_substitutes_and_get_it_back() -> None:
    during = directory({ANNA: away(BEN)})
    assert effective_approver(ANNA, during, TODAY) == Approver(BEN, on_behalf_of=ANNA)
    assert effective_approver(ANNA, during, date(2026, 12, 1)) == Approver(ANNA)
    route = resolve_route(TWO_LEVELS, DORA, 100, during, TODAY)
    assert route[0].approvers == (Approver(BEN, on_behalf_of=ANNA),)


def test_substitutes_who_are_away_too_pass_it_on() -> None:
    chained = directory({ANNA: away(BEN), BEN: away(CLARA)})
    assert effective_approver(ANNA, chained, TODAY) == Approver(CLARA, on_behalf_of=ANNA)


def test_a_substitution_loop_falls_back_to_the_main_contact() -> None:
    loop = directory({ANNA: away(BEN), BEN: away(ANNA)})
    assert effective_approver(ANNA, loop, TODAY) == Approver(MAIN, on_behalf_of=ANNA)


def test_deactivated_approvers_and_substitutes_fall_back_to_the_main_contact() -> None:
    assert effective_approver(EVE, directory(), TODAY) == Approver(MAIN, on_behalf_of=EVE)
    to_inactive = directory({ANNA: away(EVE)})
    assert effective_approver(ANNA, to_inactive, TODAY) == Approver(MAIN, on_behalf_of=ANNA)
    assert effective_approver(999, directory(), TODAY) == Approver(MAIN, on_behalf_of=999)


def test_a_substitute_who_is_the_requester_does_not_approve() -> None:
    route = resolve_route(TWO_LEVELS, BEN, 100, directory({ANNA: away(BEN)}), TODAY)
    assert [(s.level, ids(s)) for s in route] == [(0, [MAIN])]


def test_a_good_chain_has_no_problems() -> None:
    assert chain_problems(TWO_LEVELS, directory(), owner_user_id=BEN) == []


def test_problems_are_found_and_tied_to_their_level() -> None:
    levels = [
        Level("any", ()),
        Level("some", (user(EVE),)),
        Level("all", (ApproverRef(role_id=11), user(ANNA))),
        Level("any", (user(ANNA),), min_order_value_cents=-1),
        Level("any", (user(BEN),)),
        Level("any", (user(404), ApproverRef(role_id=404))),
    ]
    found = {(p.level, p.code) for p in chain_problems(levels, directory(), owner_user_id=BEN)}
    assert found == {
        (1, "chains.problem.empty"),
        (2, "chains.problem.rule"),
        (2, "chains.problem.inactive"),
        (3, "chains.problem.role_empty"),
        (4, "chains.problem.min_value"),
        (4, "chains.problem.twice"),
        (5, "chains.problem.only_owner"),
        (6, "chains.problem.unknown"),
    }


def test_too_many_levels() -> None:
    levels = [Level("any", (user(ANNA),))] * 11
    assert any(
        p.code == "chains.problem.too_many_levels" for p in chain_problems(levels, directory())
    )


def test_a_decider_without_the_right_to_approve_hands_over_to_the_main_contact() -> None:
    """A Technician as substitute, or an approver whose role was taken away later: the step
    goes to the main contact instead of being stuck with someone who cannot decide."""
    no_right = directory(cannot_decide=(ANNA,))
    assert effective_approver(ANNA, no_right, TODAY) == Approver(MAIN, on_behalf_of=ANNA)
    assert stands_in_for(MAIN, no_right, TODAY) == {ANNA, EVE}
    route = resolve_route(TWO_LEVELS, BEN, 100, no_right, TODAY)
    assert route[0].approvers == (Approver(MAIN, on_behalf_of=ANNA),)
    substitute_without_right = directory({ANNA: away(BEN)}, cannot_decide=(BEN,))
    assert effective_approver(ANNA, substitute_without_right, TODAY) == Approver(
        MAIN, on_behalf_of=ANNA
    )
    assert stands_in_for(BEN, substitute_without_right, TODAY) == set()
    assert ANNA in stands_in_for(MAIN, substitute_without_right, TODAY)


def test_invited_approvers_may_be_named_and_decide_once_they_have_signed_up() -> None:
    level = [Level("any", (user(DORA),))]
    invited = directory(invited=(DORA,), finance=(CLARA,))
    assert chain_problems(level, invited) == []
    assert effective_approver(DORA, invited, TODAY) == Approver(MAIN, on_behalf_of=DORA)
    assert resolve_route(level, BEN, 100, invited, TODAY)[0].approvers == (
        Approver(MAIN, on_behalf_of=DORA),
    )
    signed_up = directory(finance=(CLARA,))
    assert effective_approver(DORA, signed_up, TODAY) == Approver(DORA)


def test_a_chain_naming_someone_who_cannot_approve_is_refused() -> None:
    found = chain_problems([Level("any", (user(ANNA),))], directory(cannot_decide=(ANNA,)))
    assert [(p.code, p.params) for p in found] == [
        ("chains.problem.cannot_decide", {"name": "Anna"})
    ]


def test_several_planned_absences_each_have_their_substitute() -> None:
    december = away(BEN, date(2026, 12, 1), date(2026, 12, 10))
    march = away(CLARA, date(2027, 3, 1), date(2027, 3, 10))
    d = directory({ANNA: (december, march)})
    assert effective_approver(ANNA, d, date(2026, 12, 5)) == Approver(BEN, on_behalf_of=ANNA)
    assert effective_approver(ANNA, d, date(2027, 1, 15)) == Approver(ANNA)
    assert effective_approver(ANNA, d, date(2027, 3, 5)) == Approver(CLARA, on_behalf_of=ANNA)
    assert stands_in_for(CLARA, d, date(2027, 3, 5)) == {ANNA}
    assert stands_in_for(CLARA, d, date(2026, 12, 5)) == set()


def test_new_absences_must_not_overlap_and_need_a_substitute_who_may_approve() -> None:
    december = away(BEN, date(2026, 12, 1), date(2026, 12, 10))
    d = directory({ANNA: december}, cannot_decide=(DORA,))
    codes = lambda *a: [(p.code, p.params) for p in absence_problems(*a)]  # noqa: E731
    assert codes(ANNA, CLARA, date(2026, 12, 10), date(2026, 12, 12), d) == [
        ("chains.absence.overlap", {"start": date(2026, 12, 1), "end": date(2026, 12, 10)})
    ]
    assert codes(ANNA, CLARA, date(2026, 12, 11), date(2026, 12, 12), d) == []
    assert codes(ANNA, DORA, date(2027, 3, 1), date(2027, 3, 2), d) == [
        ("chains.absence.cannot_decide", {"name": "Dora"})
    ]


def test_absence_checks() -> None:
    start, end = date(2026, 12, 1), date(2026, 12, 5)
    d = directory({BEN: away(ANNA, date(2026, 12, 4), date(2026, 12, 10))})
    assert absence_problems(ANNA, CLARA, start, end, d) == []
    codes = lambda *a: [p.code for p in absence_problems(*a)]  # noqa: E731
    assert codes(ANNA, ANNA, start, end, d) == ["chains.absence.self"]
    assert codes(ANNA, EVE, start, end, d) == ["chains.absence.inactive"]
    assert codes(ANNA, CLARA, end, start, d) == ["chains.absence.dates"]
    assert codes(ANNA, BEN, start, end, d) == ["chains.absence.loop"]
    # Ben is back before Anna leaves: no loop.
    assert codes(ANNA, BEN, date(2026, 12, 11), date(2026, 12, 20), d) == []


people = st.sampled_from(list(NAMES) + [404])
absence_maps = st.dictionaries(
    st.sampled_from(list(NAMES)),
    st.builds(Away, st.just(date(2026, 11, 1)), st.just(date(2026, 11, 30)), people),
)
levels_strategy = st.lists(
    st.builds(
        Level,
        st.sampled_from(["any", "all"]),
        st.lists(
            st.one_of(
                st.builds(ApproverRef, user_id=people),
                st.builds(ApproverRef, role_id=st.sampled_from([FINANCE, 11])),
            ),
            max_size=3,
        ).map(tuple),
        st.one_of(st.none(), st.integers(0, 10_000)),
    ),
    max_size=4,
)


@given(levels_strategy, st.sampled_from(list(NAMES)), st.integers(0, 20_000), absence_maps)
def test_routes_never_include_the_requester_and_only_active_users(
    levels, requester, value, absences
) -> None:
    d = directory(absences)
    for step in resolve_route(levels, requester, value, d, TODAY):
        for approver in step.approvers:
            assert approver.user_id != requester
            assert approver.user_id in d.active
        assert step.approvers


no_right = st.sets(st.sampled_from([ANNA, BEN, CLARA, DORA]))


@given(st.sampled_from(list(NAMES) + [404]), absence_maps, no_right)
def test_effective_approver_always_ends_at_someone_who_may_decide(
    user_id, absences, cannot_decide
) -> None:
    d = directory(absences, cannot_decide=cannot_decide)
    assert d.can_decide(effective_approver(user_id, d, TODAY).user_id)


@given(levels_strategy, st.sampled_from([ANNA, BEN, CLARA]), absence_maps)
def test_someone_other_than_the_main_contact_always_has_a_route(
    levels, requester, absences
) -> None:
    assert resolve_route(levels, requester, 5_000, directory(absences), TODAY)


@given(st.sampled_from(list(NAMES)), absence_maps, no_right)
def test_everyone_s_approvals_are_decided_by_exactly_one_person(
    user_id, absences, cannot_decide
) -> None:
    d = directory(absences, cannot_decide=cannot_decide)
    deciders = [uid for uid in NAMES if user_id in stands_in_for(uid, d, TODAY)]
    decider = effective_approver(user_id, d, TODAY).user_id
    assert deciders == ([] if decider == user_id else [decider])
