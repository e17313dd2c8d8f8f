"""The sub-navigation of a company's pages in the seller's console: Overview, Users, Setup,
Approvals, Orders, Prices, Audit log, and "Act for a user" for ``seller.act_on_behalf``.

Every Company 360 page includes it: ``company_nav(State.company_id, "orders")``. The
sections of the company page itself are ``?section=`` links of ``routes.SELLER_COMPANY``.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from customer_center.components.ui import tr
from customer_center.domain import routes
from customer_center.domain.staff import StaffPermission
from customer_center.state.seller import SellerShellState


@dataclass(frozen=True)
class CompanyLink:
    key: str  # the section ("overview") or page ("orders") it opens
    label_key: str
    icon: str
    route: str
    section: str = ""  # the ?section= of the company page
    right: StaffPermission | None = None


COMPANY_LINKS = (
    CompanyLink("overview", "seller.console.overview", "building", routes.SELLER_COMPANY),
    CompanyLink("users", "seller.console.users", "users", routes.SELLER_COMPANY, "users"),
    CompanyLink("setup", "seller.console.setup", "wallet", routes.SELLER_COMPANY, "setup"),
    CompanyLink(
        "approvals", "seller.console.approvals", "list_checks", routes.SELLER_COMPANY, "approvals"
    ),
    CompanyLink("orders", "seller.console.orders", "package", routes.SELLER_COMPANY_ORDERS),
    CompanyLink("prices", "seller.console.prices", "tag", routes.SELLER_COMPANY_PRICES),
    CompanyLink("punchout", "punchout.nav", "building_2", routes.SELLER_COMPANY_PUNCHOUT),
    CompanyLink("audit", "seller.console.audit", "scroll_text", routes.SELLER_COMPANY, "audit"),
    CompanyLink(
        "act",
        "seller.console.act",
        "user_round_cog",
        routes.SELLER_COMPANY_ACT,
        right=StaffPermission.ACT_ON_BEHALF,
    ),
)


def company_href(company_id: rx.Var[str] | str, link: CompanyLink) -> rx.Var:
    """The link's address for the company (a var: the id is known in the browser only)."""
    template = link.route + (f"?section={link.section}" if link.section else "")
    return rx.Var.create(template).to(str).replace("[company_id]", company_id)


def _link(
    company_id: rx.Var[str] | str, link: CompanyLink, current: rx.Var[str] | str
) -> rx.Component:
    active = rx.Var.create(current).to(str) == link.key
    item = rx.link(
        rx.hstack(
            rx.icon(link.icon, size=16), rx.text(tr(link.label_key)), spacing="2", align="center"
        ),
        href=company_href(company_id, link),
        padding="0.375rem 0.75rem",
        border_radius="var(--radius-3)",
        background=rx.cond(active, "var(--accent-3)", "var(--gray-2)"),
        color=rx.cond(active, "var(--accent-12)", "var(--gray-12)"),
        font_weight=rx.cond(active, "500", "400"),
        white_space="nowrap",
        aria_current=rx.cond(active, "page", "false"),
        underline="none",
        high_contrast=True,
        id=f"company-nav-{link.key}",
    )
    if link.right is None:
        return item
    return rx.cond(SellerShellState.rights.contains(link.right.value), item)


def company_nav(company_id: rx.Var[str] | str, current: rx.Var[str] | str) -> rx.Component:
    """The company's sections as a row of links that wraps on a narrow screen; ``current``
    is the key of the page or section on screen."""
    return rx.el.nav(
        rx.flex(
            *[_link(company_id, link, current) for link in COMPANY_LINKS],
            wrap="wrap",
            spacing="2",
        ),
        aria_label=tr("seller.console.sections"),
        class_name="cc-subnav",
        id="company-nav",
    )
