"""Pages behind e-mail links: confirming a new address, accepting the main-contact role."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import public_page
from customer_center.components.portal_page import public_route
from customer_center.components.ui import link_problem, notice, tr
from customer_center.domain import routes
from customer_center.state.email_change import VerifyEmailState
from customer_center.state.handover import HandoverLinkState
from customer_center.state.session import SessionState


@public_route(routes.VERIFY_EMAIL, VerifyEmailState.load, title_key="page.verify_email")
def verify_email_page() -> rx.Component:
    s = VerifyEmailState
    return public_page(
        rx.cond(
            s.link_error != "",
            link_problem(s.link_error, "account.verify.ask_again", routes.PROFILE),
            rx.cond(
                s.confirmed_email != "",
                rx.vstack(
                    notice(
                        tr("account.verify.done").replace("{email}", s.confirmed_email),
                        icon="mail_check",
                    ),
                    rx.link(tr("common.back_to_sign_in"), href=routes.SIGN_IN, size="2"),
                    width="100%",
                    id="email-confirmed",
                ),
                rx.text(tr("account.verify.checking"), size="2", color_scheme="gray"),
            ),
        ),
        title_key="account.verify.title",
    )


def _accept_or_sign_in() -> rx.Component:
    s = HandoverLinkState
    return rx.cond(
        s.for_me,
        rx.button(
            tr("account.handover.confirm"),
            on_click=s.accept,
            size="3",
            width="100%",
            disabled=~s.is_hydrated,
            id="accept-handover",
        ),
        rx.vstack(
            notice(
                rx.cond(
                    s.signed_in_now,
                    tr("account.handover.error.wrong_user"),
                    tr("account.handover.sign_in_first").replace("{email}", s.to_email),
                ),
                color="amber",
                icon="log_in",
            ),
            rx.cond(
                s.signed_in_now,
                rx.button(
                    tr("shell.sign_out"),
                    on_click=SessionState.sign_out,
                    variant="soft",
                    id="handover-sign-out",
                ),
                rx.link(tr("account.handover.sign_in"), href=routes.SIGN_IN, size="2"),
            ),
            width="100%",
        ),
    )


def _offer() -> rx.Component:
    s = HandoverLinkState
    return rx.vstack(
        rx.cond(
            s.errors.contains(""),
            notice(s.errors[""], color="red", icon="triangle_alert"),
        ),
        rx.text(s.offer_text, weight="medium", id="handover-offer"),
        rx.text(s.details_text, size="2", color_scheme="gray"),
        _accept_or_sign_in(),
        spacing="3",
        width="100%",
    )


def _done() -> rx.Component:
    return rx.vstack(
        notice(HandoverLinkState.done_text, icon="check"),
        rx.link(tr("account.handover.to_dashboard"), href=routes.DASHBOARD, id="to-dashboard"),
        width="100%",
        id="handover-done",
    )


@public_route(routes.HANDOVER, HandoverLinkState.load, title_key="page.handover")
def handover_page() -> rx.Component:
    s = HandoverLinkState
    return public_page(
        rx.cond(
            s.done_text != "",
            _done(),
            rx.cond(
                s.link_error != "",
                link_problem(s.link_error, "account.handover.to_dashboard", routes.DASHBOARD),
                rx.cond(s.offer_text != "", _offer()),
            ),
        ),
        title_key="account.handover.page_title",
    )
