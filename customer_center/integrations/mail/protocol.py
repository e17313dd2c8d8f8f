"""The mail port: one message, ready to send, and whoever delivers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class MailDeliveryError(Exception):
    """Delivery failed for now; the outbox retries later."""


@dataclass(frozen=True)
class EmailMessage:
    message_id: str  # stable per outbox message: a re-delivery is recognisable
    to: str
    subject: str
    text: str
    html: str
    sender: str


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` or raise :class:`MailDeliveryError`."""
        ...
