"""What each kind of outbox message does when it is delivered: kind -> handler."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.engine import Engine

from customer_center.integrations.mail import build_mailer
from customer_center.integrations.mail.protocol import EmailMessage, Mailer
from customer_center.outbox.enqueue import EMAIL
from customer_center.outbox.relay import Handler
from customer_center.settings import Settings

ERP_COMPANY_ACTIVATED = "erp.company_activated"


class CompanyActivationReceiver(Protocol):
    """The one method of ``ErpClient`` this handler needs (any ErpClient satisfies it)."""

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None: ...


def email_handler(mailer: Mailer, sender: str) -> Handler:
    def send(payload: dict[str, Any], message_id: str) -> None:
        mailer.send(
            EmailMessage(
                message_id=message_id,
                to=payload["to"],
                subject=payload["subject"],
                text=payload["text"],
                html=payload["html"],
                sender=sender,
            )
        )

    return send


def erp_company_activated_handler(erp: CompanyActivationReceiver) -> Handler:
    def notify(payload: dict[str, Any], message_id: str) -> None:
        erp.notify_company_activated(
            payload["customer_number"], payload["main_contact_email"], message_id
        )

    return notify


def default_handlers(
    settings: Settings, engine: Engine, extra: dict[str, Handler] | None = None
) -> dict[str, Handler]:
    """E-mail through the configured mailer, plus whatever the app adds (ERP calls)."""
    handlers = {EMAIL: email_handler(build_mailer(settings, engine), settings.mail_from)}
    return {**handlers, **(extra or {})}
