"""The customer's side of acting on a user's behalf: the company's policy
(``/company/seller-access``) and a user's answers to agents' requests
(``/seller-access/consent``)."""

from __future__ import annotations

import reflex as rx

from customer_center.components.forms import field_error, form, submit_button
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import Texts, notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.domain.staff import ActingPolicy
from customer_center.pages.user_detail import section
from customer_center.state.acting import SellerAccessState
from customer_center.state.acting_consent import ConsentState

S = SellerAccessState


def _choice(policy: ActingPolicy) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="policy",
            value=policy.value,
            default_checked=S.policy == policy.value,
            id=f"policy-{policy.value}",
        ),
        rx.vstack(
            rx.text(tr(f"acting.policy.{policy.value}"), as_="span", size="2", weight="medium"),
            rx.text(tr(f"acting.policy.{policy.value}_hint"), as_="span", size="1",
                    color_scheme="gray"),
            spacing="0",
        ),
        class_name="cc-check",
        align_items="start",
    )  # fmt: skip


def policy_section() -> rx.Component:
    return section(
        "acting.policy.title",
        rx.text(tr("acting.policy.intro"), size="2"),
        rx.cond(S.saved, notice(tr("acting.policy.saved"), icon="check")),
        form(
            rx.el.fieldset(
                rx.el.legend(tr("acting.policy.legend"), class_name="cc-label"),
                rx.vstack(*[_choice(policy) for policy in ActingPolicy], spacing="3"),
                class_name="cc-fieldset",
            ),
            field_error(S.errors, "policy"),
            submit_button("acting.policy.save"),
            on_submit=S.save,
            errors=S.errors,
            key=S.policy,
            id="seller-access-form",
        ),
        id="seller-access",
    )  # fmt: skip


@portal_page(
    routes.COMPANY_SELLER_ACCESS,
    S.load,
    title_key="page.seller_access",
    right=Permission.COMPANY_MANAGE,
    nav=Nav("nav.seller_access", "headset", NavGroup.COMPANY, 30),
)
def seller_access_page() -> rx.Component:
    return app_page(
        policy_section(), title_key="page.seller_access", permission=Permission.COMPANY_MANAGE
    )


def _request(row: Texts) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(row["text"], size="2", weight="medium"),
            rx.cond(
                row["state"] == "requested",
                rx.hstack(
                    rx.button(tr("acting.consent.accept"),
                              on_click=ConsentState.accept(row["id"]), high_contrast=True,
                              id="consent-accept-" + row["id"].to(str)),
                    rx.button(tr("acting.consent.decline"), variant="soft", color_scheme="red",
                              on_click=ConsentState.decline(row["id"]), high_contrast=True,
                              id="consent-decline-" + row["id"].to(str)),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.button(tr("acting.consent.withdraw"), variant="soft",
                          on_click=ConsentState.decline(row["id"]), high_contrast=True,
                          id="consent-withdraw-" + row["id"].to(str)),
            ),
            spacing="3",
        ),
        width="100%",
        class_name="cc-consent-request",
    )  # fmt: skip


@portal_page(routes.ACTING_CONSENT, ConsentState.load, title_key="page.acting_consent")
def acting_consent_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.text(tr("acting.consent.intro"), size="2"),
            rx.cond(ConsentState.notice != "", notice(ConsentState.notice, icon="check")),
            rx.cond(
                ConsentState.error != "",
                rx.callout(ConsentState.error, icon="triangle_alert", color_scheme="red",
                           role="alert"),
            ),
            rx.cond(
                ConsentState.requests.length() > 0,
                rx.vstack(rx.foreach(ConsentState.requests, _request), spacing="3",
                          width="100%"),
                rx.cond(ConsentState.loaded,
                        rx.text(tr("acting.consent.none"), size="2", color_scheme="gray",
                                id="consent-none")),
            ),
            spacing="4",
            width="100%",
        ),
        title_key="page.acting_consent",
    )  # fmt: skip
