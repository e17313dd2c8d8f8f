"""The dev mailbox stores each message once and pages newest first."""

from __future__ import annotations

import dataclasses

from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.integrations.mail import build_mailer
from customer_center.integrations.mail.dev_mailbox import (
    DevMailboxMailer,
    count_dev_mail,
    get_dev_mail,
    list_dev_mail,
)
from customer_center.integrations.mail.protocol import EmailMessage
from customer_center.integrations.mail.smtp import SmtpMailer
from customer_center.settings import SmtpSettings, get_settings


def _message(number: int, message_id: str | None = None) -> EmailMessage:
    return EmailMessage(
        message_id=message_id or f"cc-outbox-{number}",
        to=f"user{number}@example.com",
        subject=f"mail {number}",
        text=f"text {number}",
        html=f"<p>html {number}</p>",
        sender="portal@example.com",
    )


def test_a_message_delivered_twice_is_stored_once(db: Engine) -> None:
    mailer = DevMailboxMailer(db)
    mailer.send(_message(1))
    mailer.send(_message(1))

    with Session(db) as session:
        assert count_dev_mail(session) == 1
        [mail] = list_dev_mail(session)
    assert (mail.to_address, mail.subject, mail.text_body, mail.html_body) == (
        "user1@example.com",
        "mail 1",
        "text 1",
        "<p>html 1</p>",
    )


def test_pages_are_newest_first_and_cut_in_sql(db: Engine) -> None:
    mailer = DevMailboxMailer(db)
    for number in range(25):
        mailer.send(_message(number))

    with Session(db) as session:
        first = list_dev_mail(session, offset=0, limit=10)
        last = list_dev_mail(session, offset=20, limit=10)
        total = count_dev_mail(session)

    assert total == 25
    assert [m.subject for m in first] == [f"mail {n}" for n in range(24, 14, -1)]
    assert [m.subject for m in last] == [f"mail {n}" for n in range(4, -1, -1)]


def test_one_mail_is_found_by_id_and_a_missing_one_is_none(db: Engine) -> None:
    DevMailboxMailer(db).send(_message(7))
    with Session(db) as session:
        [listed] = list_dev_mail(session)
        assert get_dev_mail(session, listed.id) == listed
        assert get_dev_mail(session, listed.id + 1) is None


def test_build_mailer_uses_smtp_only_when_configured(db: Engine) -> None:
    smtp = SmtpSettings("mail.example", 587, "", "", starttls=True, use_ssl=False)
    without_smtp = dataclasses.replace(get_settings(), smtp=None)
    with_smtp = dataclasses.replace(get_settings(), smtp=smtp)

    assert isinstance(build_mailer(without_smtp, db), DevMailboxMailer)
    assert isinstance(build_mailer(with_smtp, db), SmtpMailer)
