"""The approval-step machine (domain.approval_steps): levels, any-of and all-of, who decides,
when an order is approved or rejected. No database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_center.domain import approval_steps as machine
from customer_center.domain.approval_steps import Decider, Step
from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus, StepRule, StepStatus

REQUESTER = 1


def _chain(*levels: tuple[str, list[int]]) -> list[Step]:
    steps, key = [], 0
    for level, (rule, approvers) in enumerate(levels):
        for approver in approvers:
            key += 1
            steps.append(Step(key, level, rule, approver, machine.first_status(level)))
    return steps


def _decide(steps: list[Step], how: str, decider: Decider) -> tuple[list[Step], machine.Outcome]:
    decide = machine.approve if how == "approve" else machine.reject
    outcome = decide(steps, decider, REQUESTER)
    return machine.applied(steps, outcome), outcome


def _statuses(steps: list[Step]) -> list[str]:
    return [s.status for s in steps]


def test_any_of_one_approval_settles_the_level_and_starts_the_next() -> None:
    steps = _chain((StepRule.ANY, [2, 3]), (StepRule.ALL, [4, 5]))
    steps, outcome = _decide(steps, "approve", Decider(3))
    assert _statuses(steps) == ["skipped", "approved", "waiting", "waiting"]
    assert (outcome.level, outcome.final, outcome.started) == (0, False, frozenset({3, 4}))
    assert outcome.order_status == OrderStatus.PENDING_APPROVAL
    assert machine.current_level(steps) == 1


def test_all_of_waits_for_every_member_and_the_last_level_approves() -> None:
    steps = _chain((StepRule.ALL, [2, 3]))
    steps, first = _decide(steps, "approve", Decider(2))
    assert _statuses(steps) == ["approved", "waiting"] and not first.final
    steps, last = _decide(steps, "approve", Decider(3))
    assert _statuses(steps) == ["approved", "approved"]
    assert last.final and last.order_status == OrderStatus.APPROVED
    assert machine.level_settled(steps, 0)


def test_a_rejection_ends_the_approval() -> None:
    steps = _chain((StepRule.ALL, [2, 3]), (StepRule.ANY, [4]))
    steps, outcome = _decide(steps, "reject", Decider(2))
    assert _statuses(steps) == ["rejected", "skipped", "skipped"]
    assert outcome.order_status == OrderStatus.REJECTED and outcome.final
    for user in (3, 4):
        with pytest.raises(ServiceError) as refused:
            machine.approve(steps, Decider(user), REQUESTER)
        assert refused.value.code == "approvals.error.not_yours"


def test_nobody_decides_their_own_order_not_even_as_a_substitute() -> None:
    steps = _chain((StepRule.ANY, [REQUESTER, 2]))
    for decider in (Decider(REQUESTER), Decider(REQUESTER, frozenset({2}), True)):
        with pytest.raises(ServiceError) as refused:
            machine.approve(steps, decider, REQUESTER)
        assert refused.value.code == "approvals.error.own_order"
        assert machine.decidable(steps, decider, REQUESTER) == []


def test_substitutes_main_contact_and_the_right_to_decide() -> None:
    steps = _chain((StepRule.ALL, [2, 3]))
    substitute = Decider(7, stands_in_for=frozenset({2, 3}))
    steps_after, outcome = _decide(steps, "approve", substitute)
    assert outcome.decided == frozenset({1, 2}) and outcome.on_behalf_of == (2, 3)
    assert all(s.decided_by == 7 for s in steps_after) and outcome.final
    main = Decider(9, is_main_contact=True)
    assert machine.decidable(steps, main, REQUESTER) == []
    escalated = _escalate(steps, [True])
    assert [s.key for s in machine.decidable(escalated, main, REQUESTER)] == [1]
    assert machine.decidable(steps, Decider(2, may_decide=False), REQUESTER) == []


def test_an_outsider_has_nothing_to_decide() -> None:
    with pytest.raises(ServiceError) as refused:
        machine.reject(_chain((StepRule.ANY, [2])), Decider(8), REQUESTER)
    assert refused.value.code == "approvals.error.not_yours"


# --- properties ------------------------------------------------------------------------

USERS = st.integers(min_value=1, max_value=6)  # 1 is the requester
LEVEL = st.tuples(
    st.sampled_from([StepRule.ANY, StepRule.ALL]),
    st.lists(USERS, min_size=1, max_size=3, unique=True),
)
DECIDER = st.builds(
    Decider,
    user_id=USERS,
    stands_in_for=st.frozensets(USERS, max_size=2),
    is_main_contact=st.booleans(),
    may_decide=st.booleans(),
)
DECISION = st.tuples(st.sampled_from(["approve", "approve", "reject"]), DECIDER)


def _escalate(steps: list[Step], flags: list[bool]) -> list[Step]:
    return [
        Step(s.key, s.level, s.rule, s.approver_id, s.status, escalated=flag)
        for s, flag in zip(steps, flags + [False] * len(steps), strict=False)
    ]


@settings(max_examples=300, deadline=None)
@given(
    levels=st.lists(LEVEL, min_size=1, max_size=4),
    escalated=st.lists(st.booleans(), max_size=12),
    decisions=st.lists(DECISION, max_size=15),
)
def test_approved_only_when_every_level_is_met_never_by_the_requester(
    levels: list[tuple[str, list[int]]],
    escalated: list[bool],
    decisions: list[tuple[str, Decider]],
) -> None:
    steps = _escalate(_chain(*levels), escalated)
    status = OrderStatus.PENDING_APPROVAL
    for how, decider in decisions:
        before = steps
        try:
            steps, outcome = _decide(steps, how, decider)
        except ServiceError as refused:
            # Refused: nothing changes; the requester is always refused.
            assert refused.code in ("approvals.error.own_order", "approvals.error.not_yours")
            assert steps == before
            continue
        assert status == OrderStatus.PENDING_APPROVAL  # nothing is decided after the end
        assert decider.user_id != REQUESTER and decider.may_decide
        status = outcome.order_status
        if how == "reject":
            assert status == OrderStatus.REJECTED
            assert not any(s.status in machine.OPEN for s in steps)  # a rejection ends it
        # Only the current level ever waits; later levels wait their turn.
        current = machine.current_level(steps)
        assert all(s.level == current for s in steps if s.status == StepStatus.WAITING)
        assert all(
            s.level > (current if current is not None else -1)
            for s in steps
            if s.status == StepStatus.QUEUED
        )
    assert all(s.decided_by != REQUESTER for s in steps)
    if status == OrderStatus.APPROVED:
        assert all(_rule_met(steps, level, rule) for level, (rule, _) in enumerate(levels))
        assert not any(s.status in machine.OPEN for s in steps)
    else:
        assert not all(_rule_met(steps, level, rule) for level, (rule, _) in enumerate(levels))


def _rule_met(steps: list[Step], level: int, rule: str) -> bool:
    """The level's rule, read from the steps independently of the machine: any-of needs one
    approval, all-of every member's."""
    approved = [s.status == StepStatus.APPROVED for s in steps if s.level == level]
    return any(approved) if rule == StepRule.ANY else all(approved)
