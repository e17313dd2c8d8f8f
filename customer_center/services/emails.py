"""Sending e-mails from a use case: worded by the templates, queued in the caller's
transaction (the outbox delivers them once it commits)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from customer_center.integrations.mail.templates import render
from customer_center.outbox.enqueue import EMAIL, enqueue_all, message


@dataclass(frozen=True)
class Mail:
    """One e-mail to word and queue; ``refers_to`` names what it is about
    (``domain.orders.mail_ref`` for an order)."""

    to: str
    lang: str
    template: str
    link: str
    dedup_key: str | None = None
    refers_to: str | None = None
    params: dict[str, object] = field(default_factory=dict)


def queue(
    session: Session,
    *,
    to: str,
    lang: str,
    template: str,
    link: str,
    dedup_key: str | None = None,
    refers_to: str | None = None,
    **params: object,
) -> None:
    """Put the rendered e-mail into the outbox, inside the caller's transaction."""
    queue_all(session, [Mail(to, lang, template, link, dedup_key, refers_to, params)])


def queue_all(session: Session, mails: Iterable[Mail]) -> None:
    """Several e-mails into the outbox in one statement, inside the caller's transaction."""
    enqueue_all(session, [_message(mail) for mail in mails])


def _message(mail: Mail) -> dict[str, Any]:
    worded = render(mail.lang, mail.template, link=mail.link, **mail.params)
    payload = {"to": mail.to, "subject": worded.subject, "text": worded.text, "html": worded.html}
    return message(EMAIL, payload, mail.dedup_key, mail.refers_to)
