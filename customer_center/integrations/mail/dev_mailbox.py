"""The dev mailbox: e-mails stored in a table and shown on ``/dev/mailbox``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from customer_center.integrations.mail.protocol import EmailMessage
from customer_center.models.dev_mail import DevMail


@dataclass(frozen=True)
class DevMailView:
    id: int
    to_address: str
    subject: str
    text_body: str
    html_body: str
    created_at: datetime


class DevMailboxMailer:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def send(self, message: EmailMessage) -> None:
        """Store the message once: a re-delivery of the same message id is ignored."""
        with Session(self._engine) as session:
            exists = session.exec(
                select(DevMail.id).where(DevMail.message_id == message.message_id)
            ).first()
            if exists is not None:
                return
            session.add(
                DevMail(
                    message_id=message.message_id,
                    to_address=message.to,
                    subject=message.subject,
                    text_body=message.text,
                    html_body=message.html,
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()


def _view(row: DevMail) -> DevMailView:
    assert row.id is not None
    return DevMailView(
        row.id, row.to_address, row.subject, row.text_body, row.html_body, row.created_at
    )


def list_dev_mail(session: Session, offset: int = 0, limit: int = 20) -> list[DevMailView]:
    rows = session.exec(
        select(DevMail)
        .order_by(DevMail.id.desc())  # type: ignore[union-attr]
        .offset(max(offset, 0))
        .limit(min(max(limit, 1), 100))
    ).all()
    return [_view(row) for row in rows]


def count_dev_mail(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(DevMail)).one())


def get_dev_mail(session: Session, mail_id: int) -> DevMailView | None:
    row = session.get(DevMail, mail_id)
    return _view(row) if row else None
