"""Support cases as rules: categories, statuses, what the timeline records, who sees what,
and the response times. Pure: no database, no wording."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class CaseCategory(StrEnum):
    ORDER = "order"  # a problem with an order
    DELIVERY = "delivery"
    INVOICE = "invoice"
    PRODUCT = "product"  # product or technical question
    ACCOUNT = "account"


class CaseStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # waiting for the customer
    SOLVED = "solved"
    CLOSED = "closed"


class CaseEntryKind(StrEnum):
    """What a timeline entry of a case records."""

    OPENED = "case.opened"
    MESSAGE = "case.message"  # customer or seller, seen by both sides
    NOTE = "case.note"  # the seller's internal note: never shown to the customer
    STATUS = "case.status"
    ASSIGNED = "case.assigned"
    FOLLOWER = "case.follower"


# What the customer's side never sees.
INTERNAL_KINDS: frozenset[str] = frozenset({CaseEntryKind.NOTE, CaseEntryKind.ASSIGNED})

SUBJECT_MAX = 200
BODY_MAX = 4000
CASES_PER_PAGE = 20
TIME_PERIODS = (7, 30, 90)  # days over which the queue shows the team's response times
MAX_FILES_PER_MESSAGE = 5  # each at most inputs.ATTACHMENT_MAX_BYTES

# Statuses in which a customer's message reopens the case for the seller.
REOPENED_BY_CUSTOMER = frozenset({CaseStatus.WAITING, CaseStatus.SOLVED})


def status_after_customer_message(status: str) -> str:
    """A customer writing on a case waiting for them (or solved) puts it back in progress;
    a new case stays new; a closed case takes no messages (see :func:`open_for_messages`)."""
    if status in REOPENED_BY_CUSTOMER:
        return CaseStatus.IN_PROGRESS
    return status


def status_after_seller_reply(status: str) -> str:
    """The seller answering a new case puts it in progress."""
    return CaseStatus.IN_PROGRESS if status == CaseStatus.NEW else status


def open_for_messages(status: str) -> bool:
    return status != CaseStatus.CLOSED


def response_time(start: datetime, end: datetime | None) -> timedelta | None:
    """How long from ``start`` to ``end``; None while there is no end."""
    if end is None:
        return None
    return max(end - start, timedelta(0))


def case_number(case_id: int) -> str:
    return f"CS-{case_id:06d}"


def case_mail_ref(case_id: int) -> str:
    return f"case:{case_id}"
