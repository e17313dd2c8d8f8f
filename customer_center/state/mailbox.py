"""The dev mailbox: every e-mail the portal sent, when no SMTP server is configured."""

from __future__ import annotations

import re

import reflex as rx
from sqlmodel import Session

from customer_center.domain.inputs import parse_id
from customer_center.i18n.formatting import format_moment
from customer_center.integrations.mail.dev_mailbox import (
    DevMailView,
    count_dev_mail,
    get_dev_mail,
    list_dev_mail,
)
from customer_center.state.access import dev_only
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

PAGE_SIZE = 20
_LINK_RE = re.compile(r"https?://\S+")


def _page_of_mail(session: Session, page: int) -> tuple[int, list[DevMailView]]:
    return count_dev_mail(session), list_dev_mail(session, offset=page * PAGE_SIZE, limit=PAGE_SIZE)


class MailboxState(PortalState):
    mails: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    open_subject: str = ""
    open_to: str = ""
    open_text: str = ""
    open_links: list[str] = []

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * PAGE_SIZE < self.total

    @dev_only
    async def load(self) -> None:
        """The newest page, with the newest mail open unless one is open already; later
        deliveries never replace the mail being read."""
        await self._load_page(0)
        if self.mails and not self.open_subject:
            await self.open_mail(self.mails[0]["id"])

    @dev_only
    async def refresh(self, _tick: str = "") -> None:
        """Polled while the mailbox is open: newly delivered e-mails appear by themselves."""
        total = await in_transaction(count_dev_mail)
        if total != self.total:
            await self._load_page(self.page)

    next_page, previous_page = page_turners(
        dev_only, page_count=None, has_next="has_next", show="_reload"
    )

    @dev_only
    async def open_mail(self, mail_id: str) -> None:
        number = parse_id(mail_id)
        if number is None:
            return
        mail = await in_transaction(get_dev_mail, number)
        if mail is None:
            return
        self.open_subject = mail.subject
        self.open_to = mail.to_address
        self.open_text = mail.text_body
        self.open_links = _LINK_RE.findall(mail.text_body)

    async def _reload(self) -> None:
        await self._load_page(self.page)

    async def _load_page(self, page: int) -> None:
        total, mails = await in_transaction(_page_of_mail, page)
        self.total, self.page = total, page
        self.mails = [
            {
                "id": str(m.id),
                "to": m.to_address,
                "subject": m.subject,
                "when": format_moment(m.created_at, self.lang),
            }
            for m in mails
        ]
