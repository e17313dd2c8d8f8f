"""Returns and credit requests as rules: kinds, states and the one table of transitions,
reasons, conditions, wanted outcomes, the return window and the quantities a line allows.
Pure: no database, no wording.

A return (goods go back) runs requested -> approved (RMA number, return slip) | rejected
(reason); the customer may withdraw while it is requested; approved -> received (accepted
quantity per line) -> credited (the ERP's credit note) | replaced -> closed. A credit request
(no goods: a price difference or a short delivery) runs requested -> approved | rejected ->
credited -> closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from customer_center.domain.errors import ServiceError


class ReturnKind(StrEnum):
    GOODS = "goods"  # the goods go back to the seller
    CREDIT = "credit"  # a credit request without goods


class ReturnState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    RECEIVED = "received"
    CREDITED = "credited"
    REPLACED = "replaced"
    CLOSED = "closed"


class ReturnAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"  # the customer's side
    RECEIVE = "receive"
    CREDIT = "credit"  # the ERP's credit note arrived (asked for through the outbox)
    REPLACE = "replace"
    CLOSE = "close"


class ReturnReason(StrEnum):
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_NEEDED = "not_needed"
    DEFECTIVE = "defective"
    PRICE_DIFFERENCE = "price_difference"
    SHORT_DELIVERY = "short_delivery"


class Condition(StrEnum):
    UNOPENED = "unopened"
    OPENED = "opened"
    DAMAGED = "damaged"


class Outcome(StrEnum):
    CREDIT = "credit"
    REPLACEMENT = "replacement"


REASONS: dict[ReturnKind, tuple[ReturnReason, ...]] = {
    ReturnKind.GOODS: (
        ReturnReason.DAMAGED,
        ReturnReason.WRONG_ITEM,
        ReturnReason.NOT_NEEDED,
        ReturnReason.DEFECTIVE,
    ),
    ReturnKind.CREDIT: (ReturnReason.PRICE_DIFFERENCE, ReturnReason.SHORT_DELIVERY),
}

_S, _A, _K = ReturnState, ReturnAction, ReturnKind

# (kind, state, action) -> the next state: the only way a return changes state.
TRANSITIONS: dict[tuple[ReturnKind, ReturnState, ReturnAction], ReturnState] = {
    (_K.GOODS, _S.REQUESTED, _A.APPROVE): _S.APPROVED,
    (_K.GOODS, _S.REQUESTED, _A.REJECT): _S.REJECTED,
    (_K.GOODS, _S.REQUESTED, _A.WITHDRAW): _S.WITHDRAWN,
    (_K.GOODS, _S.APPROVED, _A.RECEIVE): _S.RECEIVED,
    (_K.GOODS, _S.RECEIVED, _A.CREDIT): _S.CREDITED,
    (_K.GOODS, _S.RECEIVED, _A.REPLACE): _S.REPLACED,
    (_K.GOODS, _S.RECEIVED, _A.CLOSE): _S.CLOSED,  # nothing accepted: nothing to credit
    (_K.GOODS, _S.CREDITED, _A.CLOSE): _S.CLOSED,
    (_K.GOODS, _S.REPLACED, _A.CLOSE): _S.CLOSED,
    (_K.CREDIT, _S.REQUESTED, _A.APPROVE): _S.APPROVED,
    (_K.CREDIT, _S.REQUESTED, _A.REJECT): _S.REJECTED,
    (_K.CREDIT, _S.REQUESTED, _A.WITHDRAW): _S.WITHDRAWN,
    (_K.CREDIT, _S.APPROVED, _A.CREDIT): _S.CREDITED,
    (_K.CREDIT, _S.CREDITED, _A.CLOSE): _S.CLOSED,
}

# Returns whose quantities no longer count against what a line allows.
NOT_COUNTING: frozenset[str] = frozenset({ReturnState.REJECTED, ReturnState.WITHDRAWN})
# States the seller's queue shows as "open" (something is still to do).
OPEN_STATES: tuple[str, ...] = (
    ReturnState.REQUESTED,
    ReturnState.APPROVED,
    ReturnState.RECEIVED,
    ReturnState.CREDITED,
    ReturnState.REPLACED,
)

NOT_ALLOWED = "returns.error.not_allowed"
DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 3650
COMMENT_MAX = 1000
REJECTION_MAX = 500
RETURNS_PER_PAGE = 20


def next_state(kind: str, state: str, action: str) -> ReturnState:
    """The state after ``action``; refuses (``returns.error.not_allowed``) what the rule has
    no transition for."""
    try:
        return TRANSITIONS[(ReturnKind(kind), ReturnState(state), ReturnAction(action))]
    except (KeyError, ValueError):
        raise ServiceError(NOT_ALLOWED) from None


def allows(kind: str, state: str, action: str) -> bool:
    try:
        next_state(kind, state, action)
    except ServiceError:
        return False
    return True


def closable(kind: str, state: str, credit_cents: int) -> bool:
    """Whether the seller may close it now: a received return only with nothing to credit
    (nothing accepted); otherwise as the rule says."""
    if state == ReturnState.RECEIVED and credit_cents > 0:
        return False
    return allows(kind, state, ReturnAction.CLOSE)


def wants_credit(kind: str, outcome: str) -> bool:
    """Whether the return ends in a credit note (a credit request always does)."""
    return kind == ReturnKind.CREDIT or outcome == Outcome.CREDIT


def credit_due(kind: str, state: str, outcome: str) -> bool:
    """Whether the seller may now ask the ERP for the credit note."""
    return wants_credit(kind, outcome) and allows(kind, state, ReturnAction.CREDIT)


def reason_fits(kind: str, reason: str) -> bool:
    return kind in set(ReturnKind) and reason in REASONS[ReturnKind(kind)]


def window_ends(delivered_on: date, window_days: int) -> date:
    """The last day a return may be requested."""
    return delivered_on + timedelta(days=window_days)


def within_window(delivered_on: date | None, window_days: int, today: date) -> bool:
    """Only a delivered order (a known day) within ``window_days`` after delivery."""
    return delivered_on is not None and today <= window_ends(delivered_on, window_days)


def available(delivered: int, already: int) -> int:
    """How many pieces of a line may still be asked for: delivered minus what other
    returns (not rejected or withdrawn) already ask for."""
    return max(delivered - already, 0)


def quantity_fits(quantity: int, delivered: int, already: int) -> bool:
    return 1 <= quantity <= available(delivered, already)


def accepted_fits(accepted: int, requested: int) -> bool:
    return 0 <= accepted <= requested


def return_number(return_id: int) -> str:
    return f"RT-{return_id:06d}"


def rma_number(return_id: int, on: datetime) -> str:
    """The return merchandise authorisation: year and the return's number."""
    return f"RMA-{on:%Y}-{return_id:06d}"


def credit_dedup_key(number: str) -> str:
    return f"erp-credit:{number}"


def return_ref(return_id: int) -> str:
    return f"return:{return_id}"
