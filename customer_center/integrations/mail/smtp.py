"""Delivery through an SMTP server (``CC_SMTP_*``)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate

from customer_center.integrations.mail.protocol import EmailMessage, MailDeliveryError
from customer_center.settings import SmtpSettings

TIMEOUT_SECONDS = 20


def to_mime(message: EmailMessage) -> MimeMessage:
    mime = MimeMessage()
    mime["From"] = message.sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = f"<{message.message_id}@customer-center>"
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if self._settings.username:
                    smtp.login(self._settings.username, self._settings.password)
                smtp.send_message(to_mime(message))
        except (OSError, smtplib.SMTPException) as error:
            raise MailDeliveryError(f"SMTP delivery failed: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        if s.use_ssl:
            return smtplib.SMTP_SSL(
                s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
        if s.starttls:
            smtp.starttls(context=ssl.create_default_context())
        return smtp
