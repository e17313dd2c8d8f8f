"""Small building blocks every page uses: translated text, notices, brand, language switch."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar, StringVar

from customer_center.domain import routes
from customer_center.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, catalog
from customer_center.state.base import PortalState

BRAND = "Customer Center"  # the product's name, the same in every language

# What components read from the states: a text, and texts by name (form errors by field, a row
# of a list, a form's stored values).
Text = StringVar[str]
Texts = ObjectVar[dict[str, str]]


def tr(key: str) -> Text:
    """The text of message ``key`` in the user's current language."""
    return PortalState.t[key].to(str)


def tr_count(key: str, count: rx.Var) -> Text:
    """The text of ``key`` in the plural form for ``count`` (a state var), chosen in the
    browser: ``<key>.one`` when the catalogue has it and ``count`` is 1 (the CLDR rule of
    every language the portal speaks, English and German), else ``key``. The server's
    ``translate`` picks forms through Babel for any language."""
    if f"{key}.one" not in catalog(DEFAULT_LANGUAGE):
        return tr(key)
    return rx.cond(count == 1, tr(f"{key}.one"), tr(key)).to(str)


def notice(text: rx.Var | str, color: str = "green", icon: str = "info") -> rx.Component:
    """A message about what just happened, announced to screen readers (a status)."""
    return rx.callout(text, icon=icon, color_scheme=color, width="100%", role="status")


def once_loaded(*children: rx.Component) -> rx.Component:
    """What a page says when it has nothing to show ("no orders yet"), only once its on_load
    handlers have run: opening a page empties its view first (``state.tab.open_page``), and
    an empty list is not news while it is still loading. A spinner until then."""
    return rx.cond(
        PortalState.is_hydrated,
        rx.fragment(*children),
        rx.spinner(size="2"),
    )


def link_problem(message: Text, link_key: str, href: str) -> rx.Component:
    """Why an e-mail link cannot be used, and where to go instead."""
    return rx.vstack(
        notice(message, color="red", icon="link_2_off"),
        rx.link(tr(link_key), href=href, size="2"),
        width="100%",
    )


def language_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=tr("shell.language"), variant="ghost"),
        rx.select.content(
            *[rx.select.item(label, value=code) for code, label in LANGUAGES.items()]
        ),
        value=PortalState.lang,
        on_change=PortalState.set_language,
        size="2",
    )


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("building_2", size=22, color=rx.color("blue", 9)),
            rx.text(BRAND, weight="bold", size="4", class_name="cc-nowrap"),
            spacing="2",
            align="center",
        ),
        href=routes.START,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def dev_mailbox_link() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("mail", size=16),
            rx.text(tr("shell.dev_mailbox"), class_name="cc-hide-narrow cc-nowrap"),
            spacing="1",
            align="center",
        ),
        href=routes.DEV_MAILBOX,
        aria_label=tr("shell.dev_mailbox"),
        title=tr("shell.dev_mailbox"),
        size="2",
        id="dev-mailbox-link",
    )
