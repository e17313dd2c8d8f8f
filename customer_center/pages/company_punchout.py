"""The main contact's punchout page: the company's procurement-system connections (set up by
the seller) and their sessions, with what came in and went back."""

from __future__ import annotations

import reflex as rx

from customer_center.components.layout import app_page
from customer_center.components.navigation import Nav, NavGroup
from customer_center.components.portal_page import portal_page
from customer_center.components.punchout_views import (
    connections_table,
    refusals_list,
    sessions_list,
)
from customer_center.components.ui import notice, tr
from customer_center.domain import routes
from customer_center.domain.permissions import Permission
from customer_center.pages.seller_orders import section
from customer_center.state.punchout_admin import CompanyPunchoutState

S = CompanyPunchoutState


@portal_page(
    routes.COMPANY_PUNCHOUT,
    S.load,
    title_key="page.company_punchout",
    right=Permission.COMPANY_MANAGE,
    nav=Nav("nav.punchout", "building_2", NavGroup.COMPANY, 4),
)
def company_punchout_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.text(tr("punchout.company_intro"), color_scheme="gray"),
            rx.cond(S.problem != "", notice(S.problem, "red", "triangle_alert")),
            section("punchout.connections", connections_table(S.connections), id_="connections"),
            section("punchout.sessions", sessions_list(S), id_="sessions"),
            section("punchout.refusals", refusals_list(S), id_="refusals"),
            spacing="4",
            width="100%",
        ),
        title_key="punchout.title",
        permission=Permission.COMPANY_MANAGE.value,
    )
