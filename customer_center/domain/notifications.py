"""The kinds of e-mail a user may choose to receive or not (the account page's choices).

Everyone receives every kind until they turn it off; account e-mails (password changed,
sign-in links, invitations) are not a choice and are not listed here.
"""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    APPROVAL_REQUESTS = "approval_requests"  # an order waits for my approval
    DECISIONS_ON_MY_ORDERS = "decisions_on_my_orders"  # my order approved, changed, rejected
    CONVERSATION_MESSAGES = "conversation_messages"  # someone wrote in an order's conversation
    REMINDERS = "reminders"  # an approval still waits (reminder, escalation)


NOTIFICATION_KINDS: tuple[NotificationKind, ...] = tuple(NotificationKind)


def parse_kind(value: object) -> NotificationKind | None:
    """A kind named by a client, or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return NotificationKind(value)
    except ValueError:
        return None
