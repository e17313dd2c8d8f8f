"""Default approver chains: for the whole company and for each role."""

from __future__ import annotations

import reflex as rx

from customer_center.components.chain_editor import chain_editor
from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.ui import tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.state.chains import DefaultChainState

S = DefaultChainState


@portal_page(
    routes.APPROVAL_CHAINS,
    S.load,
    title_key="page.approval_chains",
    right=Permission.CHAINS_MANAGE,
    nav=Nav("nav.approval_chains", "git_branch", NavGroup.PEOPLE, 4),
)
def approval_chains_page() -> rx.Component:
    return app_page(
        rx.text(tr("chains.intro"), size="2", color_scheme="gray"),
        rx.hstack(
            rx.text(tr("chains.edit_for"), weight="medium", size="2"),
            rx.select.root(
                rx.select.trigger(aria_label=tr("chains.edit_for"), min_width="16rem"),
                rx.select.content(
                    rx.foreach(
                        S.scope_options, lambda o: rx.select.item(o["label"], value=o["key"])
                    )
                ),
                value=S.scope_key,
                on_change=S.choose_scope,
            ),
            align="center",
            wrap="wrap",
        ),
        rx.card(
            rx.vstack(
                rx.heading(tr("chains.section"), size="4", as_="h2"),
                chain_editor(S),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
            max_width="48rem",
        ),
        title_key="chains.title",
        permission=Permission.CHAINS_MANAGE.value,
    )
