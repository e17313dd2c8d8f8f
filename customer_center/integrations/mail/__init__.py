"""The mail port: SMTP when configured, otherwise the dev mailbox."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from customer_center.integrations.mail.protocol import Mailer
from customer_center.settings import Settings


def build_mailer(settings: Settings, engine: Engine) -> Mailer:
    if settings.smtp is not None:
        from customer_center.integrations.mail.smtp import SmtpMailer

        return SmtpMailer(settings.smtp)
    from customer_center.integrations.mail.dev_mailbox import DevMailboxMailer

    return DevMailboxMailer(engine)
