"""Delivery through an SMTP server (``CC_SMTP_*``)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate

from customer_center.integrations.mail.protocol import EmailMessage, MailDeliveryError
from customer_center.settings import SmtpSettings

TIMEOUT_SECONDS = 20
MESSAGE_ID_DOMAIN = "customer-center"


def message_id_header(message_id: str) -> str:
    """The Message-ID header: derived from the outbox row, so a resend is recognisable."""
    return f"<{message_id}@{MESSAGE_ID_DOMAIN}>"


def to_mime(message: EmailMessage) -> MimeMessage:
    """A multipart/alternative message: plain text first, HTML as the preferred part."""
    mime = MimeMessage()
    mime["From"] = message.sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = message_id_header(message.message_id)
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime


class SmtpMailer:
    def __init__(self, settings: SmtpSettings, timeout: float = TIMEOUT_SECONDS) -> None:
        self._settings = settings
        self._timeout = timeout

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                self._secure_and_log_in(smtp)
                smtp.send_message(to_mime(message))
        except (OSError, smtplib.SMTPException) as error:
            raise MailDeliveryError(f"SMTP delivery failed: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        if s.use_ssl:
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(s.host, s.port, timeout=self._timeout, context=context)
        return smtplib.SMTP(s.host, s.port, timeout=self._timeout)

    def _secure_and_log_in(self, smtp: smtplib.SMTP) -> None:
        s = self._settings
        if s.starttls and not s.use_ssl:
            smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
