"""The SMTP mailer's message shape and its failure mode (no server needed)."""

from __future__ import annotations

import socket

import pytest

from customer_center.integrations.mail.protocol import EmailMessage, MailDeliveryError
from customer_center.integrations.mail.smtp import SmtpMailer, to_mime
from customer_center.settings import SmtpSettings

MESSAGE = EmailMessage(
    message_id="cc-outbox-42",
    to="anna@example.com",
    subject="Willkommen",
    text="Hallo Anna",
    html="<p>Hallo <b>Anna</b></p>",
    sender="Portal <portal@example.com>",
)


def test_mime_has_text_and_html_alternatives_and_the_outbox_message_id() -> None:
    mime = to_mime(MESSAGE)

    assert mime.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in mime.iter_parts()}
    assert parts["text/plain"].strip() == "Hallo Anna"
    assert parts["text/html"].strip() == "<p>Hallo <b>Anna</b></p>"
    assert mime["Message-ID"] == "<cc-outbox-42@customer-center>"
    assert (mime["To"], mime["Subject"]) == ("anna@example.com", "Willkommen")


def test_unreachable_server_raises_mail_delivery_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", closed_port, "", "", False, False), timeout=2)

    with pytest.raises(MailDeliveryError, match="SMTP delivery failed"):
        mailer.send(MESSAGE)
