"""``/dev/mailbox``: read the portal's e-mails without a mail server (CC_ENV=dev only)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import public_header
from customer_center.components.pager import page_text, pager
from customer_center.components.portal_page import public_route
from customer_center.components.ui import Texts, tr
from customer_center.domain import routes
from customer_center.state.mailbox import MailboxState


def _mail_row(mail: Texts) -> rx.Component:
    return rx.table.row(
        rx.table.cell(mail["when"]),
        rx.table.cell(mail["to"]),
        rx.table.cell(
            # A button, not a link to "#": following "#" would load the page again.
            rx.button(
                mail["subject"],
                on_click=MailboxState.open_mail(mail["id"]),
                variant="ghost",
                size="1",
                class_name="cc-mail-subject",
            )
        ),
        # Keyed by mail so a row keeps its mail when newly delivered ones push it down.
        key=mail["id"],
    )


def _open_mail() -> rx.Component:
    return rx.cond(
        MailboxState.open_subject != "",
        rx.card(
            rx.vstack(
                rx.heading(MailboxState.open_subject, size="4", as_="h2"),
                rx.text(
                    tr("mailbox.to"),
                    ": ",
                    rx.el.span(MailboxState.open_to, class_name="cc-mail-to"),
                    size="2",
                    color_scheme="gray",
                ),
                rx.el.pre(MailboxState.open_text, class_name="cc-mail-body"),
                rx.foreach(
                    MailboxState.open_links,
                    lambda link: rx.link(link, href=link, class_name="cc-mail-link"),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


@public_route(routes.DEV_MAILBOX, MailboxState.load, title_key="page.dev_mailbox")
def dev_mailbox_page() -> rx.Component:
    return rx.box(
        public_header(),
        rx.el.main(
            rx.heading(tr("mailbox.title"), size="6", as_="h1"),
            rx.text(tr("mailbox.intro"), color_scheme="gray", size="2"),
            rx.cond(
                MailboxState.total == 0,
                rx.text(tr("mailbox.empty"), id="mailbox-empty"),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(tr("mailbox.when")),
                            rx.table.column_header_cell(tr("mailbox.to")),
                            rx.table.column_header_cell(tr("mailbox.subject")),
                        )
                    ),
                    rx.table.body(rx.foreach(MailboxState.mails, _mail_row)),
                    width="100%",
                    variant="surface",
                ),
            ),
            rx.cond(
                MailboxState.total > 0,
                pager(
                    page_text("mailbox.page", MailboxState.page),
                    on_previous=MailboxState.previous_page,
                    on_next=MailboxState.next_page,
                    has_previous=MailboxState.page > 0,
                    has_next=MailboxState.has_next,
                    id_prefix="mailbox",
                ),
            ),
            _open_mail(),
            rx.moment(interval=2000, on_change=MailboxState.refresh, display="none"),
            class_name="cc-main cc-wide",
        ),
        class_name="cc-page",
    )
