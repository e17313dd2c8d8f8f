"""Page frames: the public frame for anonymous pages and the shell for signed-in users."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventCallback

from customer_center.components.global_search import global_search
from customer_center.components.navigation import nav_links, phone_menu
from customer_center.components.ui import brand, dev_mailbox_link, language_select, tr
from customer_center.domain import routes
from customer_center.settings import get_settings
from customer_center.state.acting import ActingBannerState
from customer_center.state.base import PortalState
from customer_center.state.session import SessionState


def _dev_link() -> list[rx.Component]:
    return [dev_mailbox_link()] if get_settings().is_dev else []


CONTENT_ID = "content"


def skip_link() -> rx.Component:
    """The first stop of the keyboard: straight to the page's content (WCAG 2.4.1). The
    router takes the link without moving the focus, so the click moves it (in the browser)."""
    return rx.el.a(
        tr("shell.skip"),
        href=f"#{CONTENT_ID}",
        on_click=rx.set_focus(CONTENT_ID),
        class_name="cc-skip",
    )


def content_main(*children: rx.Component, **props: object) -> rx.Component:
    """The page's <main> landmark, the skip link's target."""
    return rx.el.main(*children, id=CONTENT_ID, tab_index=-1, **props)


def _header(
    *left: rx.Component, right: tuple[rx.Component, ...] = (), signed_in: bool = False
) -> rx.Component:
    """The slim bar on every page: brand left, dev mailbox (signed out; signed in it is in
    the account menu) and language switch right. Signed out, the bar is part of the page and
    carries its loaded marker; signed in, it is the shell's and the page's <main> does."""
    return rx.hstack(
        brand(),
        *left,
        rx.spacer(),
        *([] if signed_in else _dev_link()),
        language_select(),
        *right,
        class_name="cc-header",
        align="center",
        spacing="4",
        width="100%",
        # The banner landmark (axe: every content in a landmark); a role, not a <header>
        # around it, so the bar stays sticky to the page.
        role="banner",
        custom_attrs={} if signed_in else loaded_marker(),
    )


def loaded_marker() -> dict[str, rx.Var]:
    """``data-cc-loaded``: the path whose on_load handlers have all finished, empty while they
    run. Reflex sets ``is_hydrated`` after the last of them (and clears it in the browser on
    navigation), so the browser tests know when a page is ready for input
    (tests/e2e/helpers.py). It goes on a part that renders with the page itself, not on the
    shell, which shows before a page's code has loaded."""
    return {"data-cc-loaded": rx.cond(PortalState.is_hydrated, PortalState.router.url.path, "")}


def public_header() -> rx.Component:
    return _header()


def public_page(*children: rx.Component, title_key: str) -> rx.Component:
    """A centred card under a slim header: sign-in, activation, password pages."""
    return rx.box(
        skip_link(),
        public_header(),
        content_main(
            rx.center(
                rx.card(
                    rx.vstack(
                        rx.heading(tr(title_key), size="6", as_="h1"),
                        *children,
                        spacing="4",
                        width="100%",
                    ),
                    size="4",
                    class_name="cc-auth-card",
                ),
                class_name="cc-auth-main",
            ),
        ),
        class_name="cc-page",
    )


def _menu_link(icon: str, label_key: str, route: str, element_id: str) -> rx.Component:
    return rx.menu.item(
        rx.hstack(rx.icon(icon, size=14, aria_hidden="true"), tr(label_key)),
        on_click=rx.redirect(route),
        id=element_id,
    )


def account_menu(
    name: rx.Var, email: rx.Var, sign_out: EventCallback[()], account_route: str
) -> rx.Component:
    """The signed-in person's menu in the header (customer and seller side alike): their
    account page, the dev mailbox in development only, and signing out."""
    dev = (
        [_menu_link("mail", "shell.dev_mailbox", routes.DEV_MAILBOX, "menu-dev-mailbox")]
        if get_settings().is_dev
        else []
    )
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle_user", size=18),
                rx.text(name, class_name="cc-hide-narrow"),
                rx.icon("chevron_down", size=14),
                variant="ghost",
                aria_label=tr("shell.user_menu"),
                id="user-menu",
            )
        ),
        rx.menu.content(
            rx.text(email, size="1", color_scheme="gray", padding="0.5rem"),
            rx.menu.separator(),
            _menu_link("user_cog", "shell.account", account_route, "menu-account"),
            *dev,
            rx.menu.separator(),
            rx.menu.item(
                rx.hstack(rx.icon("log_out", size=14), tr("shell.sign_out")),
                on_click=sign_out,
                id="sign-out",
            ),
        ),
    )


def user_menu() -> rx.Component:
    return account_menu(
        SessionState.user_name, SessionState.user_email, SessionState.sign_out, routes.PROFILE
    )


def app_header() -> rx.Component:
    return _header(
        rx.divider(orientation="vertical", size="2", class_name="cc-hide-narrow"),
        rx.text(SessionState.company_name, weight="medium", class_name="cc-hide-narrow cc-nowrap"),
        global_search(),
        right=(user_menu(),),
        signed_in=True,
    )


def _allowed(permission: str | None, *children: rx.Component) -> rx.Component:
    """The page's content for users holding its right; the handlers check again anyway."""
    content = rx.fragment(*children)
    if permission is None:
        return content
    return rx.cond(
        SessionState.permissions.contains(permission),
        content,
        rx.cond(
            SessionState.user_name != "",
            rx.callout(
                tr("error.permission_denied"), icon="lock", color_scheme="amber", id="no-access"
            ),
        ),
    )


def acting_banner() -> rx.Component:
    """While an agent of the seller acts for a user: who for, until when, Extend and End.
    Part of the shell, above every page (no page can hide it), announced to screen readers."""
    banner = ActingBannerState
    text = (
        tr("acting.banner.text")
        .replace("{user}", banner.user_name)
        .replace("{company}", banner.company_name)
    )
    status = rx.box(
        rx.cond(
            banner.acting,
            rx.hstack(
                rx.icon("user_round_cog", size=18, aria_hidden="true"),
                rx.text(text, weight="medium", id="acting-banner-text"),
                rx.text(
                    tr("acting.banner.ends"),
                    " ",
                    rx.text(banner.ends_at, as_="span", id="acting-ends-at"),
                    size="2",
                ),
                rx.spacer(),
                rx.button(
                    tr("acting.banner.extend"),
                    variant="soft",
                    size="2",
                    on_click=ActingBannerState.extend,
                    high_contrast=True,
                    id="acting-extend",
                ),
                rx.button(
                    tr("acting.banner.end"),
                    size="2",
                    color_scheme="red",
                    on_click=ActingBannerState.end,
                    high_contrast=True,
                    id="acting-end",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
        ),
        role="status",
        aria_live="polite",
        id="acting-banner",
    )
    return rx.el.section(
        status,
        aria_label=tr("acting.banner.label"),
        class_name=rx.cond(banner.acting, "cc-acting-banner", "cc-acting-banner-off"),
    )


def customer_shell(path: rx.Var[str]) -> rx.Component:
    """The customers' shell around their signed-in pages: skip link, acting banner, header,
    the phone menu and the side navigation (``path``: the address shown, for the current
    entry). It is mounted once, in the frame (components/frame.py), not by each page."""
    return rx.fragment(
        skip_link(),
        acting_banner(),
        app_header(),
        phone_menu(nav_links(path, badge_ids=False), path),
        rx.el.nav(nav_links(path), aria_label=tr("shell.navigation"), class_name="cc-nav"),
    )


def shell_content(*children: rx.Component, title_key: str) -> rx.Component:
    """A signed-in page's own part, beside the shell's navigation: its heading and content."""
    return content_main(
        rx.heading(tr(title_key), size="7", as_="h1", margin_bottom="1rem"),
        *children,
        class_name="cc-main",
        custom_attrs=loaded_marker(),
    )


def app_page(
    *children: rx.Component, title_key: str, permission: str | None = None
) -> rx.Component:
    """A customer's signed-in page (the shell around it is the frame's): its heading and its
    content for users holding ``permission``."""
    return shell_content(_allowed(permission, *children), title_key=title_key)
