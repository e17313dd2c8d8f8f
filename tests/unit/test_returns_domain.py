"""The rules of returns and credit requests: every transition, the window, the quantities."""

from __future__ import annotations

from datetime import date

import pytest

from customer_center.domain.errors import ServiceError
from customer_center.domain.returns import (
    REASONS,
    TRANSITIONS,
    ReturnAction,
    ReturnKind,
    ReturnReason,
    ReturnState,
    accepted_fits,
    allows,
    available,
    closable,
    credit_due,
    next_state,
    quantity_fits,
    reason_fits,
    rma_number,
    within_window,
)

G, C = ReturnKind.GOODS, ReturnKind.CREDIT
S, A = ReturnState, ReturnAction

GOODS_PATHS = [
    (S.REQUESTED, A.APPROVE, S.APPROVED),
    (S.REQUESTED, A.REJECT, S.REJECTED),
    (S.REQUESTED, A.WITHDRAW, S.WITHDRAWN),
    (S.APPROVED, A.RECEIVE, S.RECEIVED),
    (S.RECEIVED, A.CREDIT, S.CREDITED),
    (S.RECEIVED, A.REPLACE, S.REPLACED),
    (S.RECEIVED, A.CLOSE, S.CLOSED),
    (S.CREDITED, A.CLOSE, S.CLOSED),
    (S.REPLACED, A.CLOSE, S.CLOSED),
]
CREDIT_PATHS = [
    (S.REQUESTED, A.APPROVE, S.APPROVED),
    (S.REQUESTED, A.REJECT, S.REJECTED),
    (S.REQUESTED, A.WITHDRAW, S.WITHDRAWN),
    (S.APPROVED, A.CREDIT, S.CREDITED),
    (S.CREDITED, A.CLOSE, S.CLOSED),
]


@pytest.mark.parametrize(("state", "action", "after"), GOODS_PATHS)
def test_every_transition_of_a_return(state: str, action: str, after: str) -> None:
    assert next_state(G, state, action) == after


@pytest.mark.parametrize(("state", "action", "after"), CREDIT_PATHS)
def test_every_transition_of_a_credit_request(state: str, action: str, after: str) -> None:
    assert next_state(C, state, action) == after


def test_the_table_holds_exactly_these_transitions() -> None:
    listed = {(G, s, a) for s, a, _ in GOODS_PATHS} | {(C, s, a) for s, a, _ in CREDIT_PATHS}
    assert set(TRANSITIONS) == listed


@pytest.mark.parametrize("kind", [G, C])
def test_anything_else_is_refused(kind: str) -> None:
    for state in ReturnState:
        for action in ReturnAction:
            if (kind, state, action) in TRANSITIONS:
                continue
            assert not allows(kind, state, action)
            with pytest.raises(ServiceError) as refused:
                next_state(kind, state, action)
            assert refused.value.code == "returns.error.not_allowed"


def test_a_credit_request_has_no_receipt_and_no_replacement() -> None:
    assert not allows(C, S.APPROVED, A.RECEIVE)
    assert not allows(C, S.RECEIVED, A.REPLACE)


def test_unknown_words_are_refused_not_raised() -> None:
    assert not allows("nonsense", S.REQUESTED, A.APPROVE)
    assert not allows(G, "nonsense", A.APPROVE)
    assert not allows(G, S.REQUESTED, "nonsense")


def test_credit_is_due_once_received_for_a_return_wanting_credit_and_approved_for_a_credit() -> (
    None
):
    assert credit_due(G, S.RECEIVED, "credit")
    assert not credit_due(G, S.RECEIVED, "replacement")
    assert not credit_due(G, S.APPROVED, "credit")
    assert credit_due(C, S.APPROVED, "credit")
    assert not credit_due(C, S.REQUESTED, "credit")


def test_reasons_belong_to_their_kind() -> None:
    assert reason_fits(G, ReturnReason.DAMAGED) and not reason_fits(G, ReturnReason.SHORT_DELIVERY)
    assert reason_fits(C, ReturnReason.PRICE_DIFFERENCE) and not reason_fits(C, "defective")
    assert set(REASONS[G]) | set(REASONS[C]) == set(ReturnReason)
    assert not reason_fits("other", "damaged")


def test_the_window_counts_days_after_delivery_inclusive() -> None:
    delivered = date(2026, 11, 1)
    assert within_window(delivered, 30, date(2026, 12, 1))
    assert not within_window(delivered, 30, date(2026, 12, 2))
    assert within_window(delivered, 0, delivered)
    assert not within_window(None, 30, delivered)


def test_quantities_run_from_one_to_what_is_left() -> None:
    assert available(5, 2) == 3 and available(5, 7) == 0
    assert quantity_fits(1, 5, 2) and quantity_fits(3, 5, 2)
    assert not quantity_fits(4, 5, 2) and not quantity_fits(0, 5, 0)
    assert not quantity_fits(1, 5, 5)
    assert accepted_fits(0, 2) and accepted_fits(2, 2) and not accepted_fits(3, 2)
    assert not accepted_fits(-1, 2)


def test_a_received_return_closes_only_with_nothing_to_credit() -> None:
    assert not closable(G, S.RECEIVED, 100)
    assert closable(G, S.RECEIVED, 0)
    assert closable(G, S.CREDITED, 100) and not closable(G, S.REQUESTED, 0)


def test_rma_numbers_carry_year_and_return() -> None:
    from datetime import datetime

    assert rma_number(42, datetime(2026, 12, 5)) == "RMA-2026-000042"
