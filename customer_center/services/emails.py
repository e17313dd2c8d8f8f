"""Sending e-mails from a use case: worded by the templates, queued in the caller's
transaction (the outbox delivers them once it commits)."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.integrations.mail.templates import render
from customer_center.outbox.enqueue import enqueue_email


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
    """Put the rendered e-mail into the outbox, inside the caller's transaction;
    ``refers_to`` names what it is about (``domain.orders.mail_ref`` for an order)."""
    mail = render(lang, template, link=link, **params)
    enqueue_email(
        session,
        to=to,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        dedup_key=dedup_key,
        refers_to=refers_to,
    )
