"""axe on every page of the customers' side and of the seller's console, at desktop and phone
width: zero violations of any impact. The pages come from the page registry
(``components.portal_page``, ``components.seller_page``), so a page added later is checked
without touching this test."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select

import customer_center.customer_center  # noqa: F401 - registers every page
from customer_center.components.portal_page import PUBLIC_ROUTES, SIGNED_IN_ROUTES
from customer_center.components.seller_page import SELLER_ROUTES
from customer_center.db import get_engine
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.cases.customer import open_case
from customer_center.services.shop.shopping_lists import create_list
from tests.e2e.helpers import (
    approval_company,
    open_page,
    place_motor_order,
    sign_in,
    wait_until_loaded,
)
from tests.factories import PASSWORD, actor_for
from tests.staff_factories import make_staff

DOMAIN = "axe-e2e.example"
MAIN = f"main@{DOMAIN}"
AGENT = "axel.audit@seller-axe.example"
WIDTHS = {"desktop": 1280, "phone": 390}
SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "axe"
_axe = Axe()


def _seed() -> dict[str, str]:
    """A company with an order waiting, a colleague, a shopping list, a support case and a
    return; an agent with every staff right."""
    company_id = approval_company("AXE-1", "Axe Prüfwerk GmbH", DOMAIN)
    order_id = place_motor_order(f"ben.buyer@{DOMAIN}", 40, "pending_approval")
    with Session(get_engine()) as session:
        ben = session.exec(select(User).where(User.email == f"ben.buyer@{DOMAIN}")).one()
        assert session.get(Order, order_id) is not None
        main = actor_for(session, session.exec(select(User).where(User.email == MAIN)).one())
        list_id = create_list(session, main, name="Workshop consumables", sharing="company")
        case_id = open_case(
            session,
            main,
            subject="Delivery note missing",
            category="delivery",
            description="The delivery note of the last shipment is missing.",
        )
        return_id = _return(session, main, ben)
        make_staff(session, AGENT, name="Axel Audit", password=PASSWORD)
        session.commit()
        return {
            "[company_id]": str(company_id),
            "[order_id]": str(order_id),
            "[user_id]": str(ben.id),
            "[list_id]": str(list_id),
            "[case_id]": str(case_id),
            "[return_id]": str(return_id),
        }


def _return(session: Session, main, ben: User) -> int:  # type: ignore[no-untyped-def]
    """A delivered order of Ben's and the main contact's return of part of it."""
    from customer_center.services.returns.customer import request_return, returnable
    from customer_center.settings import get_settings
    from tests.journey_factory import seed_delivered_order

    order = seed_delivered_order(session, main.company_id, ben.id, erp_order_number="SO-AXE-RETURN")
    line = returnable(session, main, order_id=order.id, settings=get_settings()).lines[0]
    return request_return(
        session,
        main,
        order_id=order.id,
        kind="goods",
        reason="wrong_item",
        condition="unopened",
        outcome="replacement",
        quantities={str(line.id): "1"},
        settings=get_settings(),
    )


def _address(route: str, ids: dict[str, str]) -> str:
    for placeholder, value in ids.items():
        route = route.replace(placeholder, value)
    assert "[" not in route, route
    return route


def _violations(page: Page, name: str) -> list[str]:
    found = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        results = _axe.run(page)
        if results.violations_count:
            page.screenshot(path=str(SHOTS / f"{name}-{width_name}.png"), full_page=True)
            found.append(f"{name} at {width}px:\n{results.generate_report()}")
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    return found


def _visit_all(page: Page, portal: str, routes: list[str], ids: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for route in sorted(set(routes)):
        path = _address(route, ids)
        page.goto(portal + path)
        wait_until_loaded(page)
        problems += _violations(page, path.strip("/").replace("/", "-") or "start")
    return problems


@pytest.fixture(scope="module")
def ids(portal: str) -> dict[str, str]:
    return _seed()


def test_the_registry_knows_every_kind_of_page() -> None:
    assert "/profile" in SIGNED_IN_ROUTES and "/dashboard" in SIGNED_IN_ROUTES
    assert "/sign-in" in PUBLIC_ROUTES and "/seller" in PUBLIC_ROUTES
    assert "/seller/companies" in SELLER_ROUTES


def test_no_public_page_has_an_axe_violation(browser: Browser, portal: str, ids) -> None:
    page = browser.new_page()
    problems = _visit_all(page, portal, PUBLIC_ROUTES, ids)
    assert not problems, "\n\n".join(problems)


def test_no_customer_page_has_an_axe_violation(page: Page, portal: str, ids) -> None:
    sign_in(page, portal, MAIN, PASSWORD)
    page.wait_for_url("**/dashboard**", timeout=30_000)
    problems = _visit_all(page, portal, SIGNED_IN_ROUTES, ids)
    assert not problems, "\n\n".join(problems)


def test_no_seller_page_has_an_axe_violation(page: Page, portal: str, ids) -> None:
    open_page(page, f"{portal}/seller")
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal}/seller/companies**", timeout=30_000)
    problems = _visit_all(page, portal, SELLER_ROUTES, ids)
    assert not problems, "\n\n".join(problems)
