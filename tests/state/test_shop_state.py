"""Catalogue and cart states through Reflex's real event pipeline."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import Permission
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.protocol import ErpUnavailable
from customer_center.models.budget import BudgetRule
from customer_center.models.order import CartItem, Order
from customer_center.models.user import User
from customer_center.state import cart as cart_state_module
from customer_center.state import catalogue as catalogue_state_module
from customer_center.state.access import Access, access_of
from customer_center.state.cart import CartBadgeState, CartState
from customer_center.state.catalogue import CatalogueState
from customer_center.state.checkout import CheckoutState
from customer_center.state.middleware import handler_functions
from customer_center.state.session import SessionState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
SIGNED_IN = Access()
ORDER = Access(permission=Permission.ORDERS_CREATE)


class Shop:
    """Müller (customer 10001 of the demo ERP): Ben buys, Tina is a technician; a stranger
    is the main contact of another company."""

    def __init__(self, session: Session) -> None:
        import_erp_directory(session.get_bind(), demo_data_dir())  # type: ignore[arg-type]
        main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        company = main.company_id
        self.ben = make_user(session, company, "ben@mueller.example", ["buyer"], name="Ben")
        self.tina = make_user(session, company, "tina@mueller.example", ["technician"])
        stranger = make_company(session, "10002", "Acme Industrial Supply Ltd")
        self.stranger = session.get(User, stranger.user_id)
        session.commit()
        self.session = session

    def cookie(self, user: User | None) -> str:
        return signed_in_cookie(self.session, user) if user is not None else ""

    async def send(self, cookie: str, state: type, handler: str, payload=None, token=None):  # type: ignore[no-untyped-def]
        name = f"{state.get_full_name()}.{handler}"
        return await dispatch(token or self.token, cookie, name, payload or {}, {})

    def cart_of(self, user: User) -> dict[str, int]:
        self.session.expire_all()
        rows = self.session.exec(select(CartItem).where(CartItem.user_id == user.id)).all()
        return {row.sku: row.quantity for row in rows}

    def give_cart(self, user: User, **items: int) -> None:
        for sku, quantity in items.items():
            self.session.add(
                CartItem(
                    company_id=user.company_id,
                    user_id=user.id,  # type: ignore[arg-type]
                    sku=sku.replace("_", "-"),
                    quantity=quantity,
                )
            )
        self.session.commit()

    @property
    def token(self) -> str:
        return f"shop-{next(_tokens)}"


@pytest.fixture
def shop(session: Session) -> Shop:
    return Shop(session)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (CatalogueState, "load", SIGNED_IN),
        (CatalogueState, "set_search", SIGNED_IN),
        (CatalogueState, "set_category", SIGNED_IN),
        (CatalogueState, "set_sort", SIGNED_IN),
        (CatalogueState, "next_page", SIGNED_IN),
        (CatalogueState, "previous_page", SIGNED_IN),
        (CatalogueState, "add", ORDER),
        (CartState, "load", ORDER),
        (CartState, "update", ORDER),
        (CartState, "remove", ORDER),
        (CartState, "clear", ORDER),
        (CartBadgeState, "refresh", ORDER),
        (CheckoutState, "load", ORDER),
        (CheckoutState, "choose_delivery", ORDER),
        (CheckoutState, "choose_billing", ORDER),
        (CheckoutState, "choose_shipping", ORDER),
        (CheckoutState, "submit", ORDER),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


def test_the_shop_states_have_no_other_handlers() -> None:
    modules = {
        "customer_center.state.catalogue",
        "customer_center.state.cart",
        "customer_center.state.checkout",
    }
    ours = [fn for fn in handler_functions().values() if fn.__module__ in modules]
    assert len(ours) == 17


async def test_a_buyer_searches_adds_changes_and_removes(shop) -> None:
    cookie, token = shop.cookie(shop.ben), "ben"
    state = await shop.send(cookie, CatalogueState, "load", token=token)
    assert state.show_prices and state.can_order and state.problem == ""
    assert state.total == 8 and len(state.rows) == 8
    state = await shop.send(cookie, CatalogueState, "set_search", {"value": "bearing"}, token)
    [bearing] = state.rows
    assert bearing["sku"] == "BRG-6205-2RS"
    assert bearing["price"] == "€7.45" and bearing["price_kind"] == "Your price"
    assert bearing["datasheet"] == "/datasheets/BRG-6205-2RS.pdf"

    form = {"sku": "BRG-6205-2RS", "quantity": "3"}
    state = await shop.send(cookie, CatalogueState, "add", {"form": form}, token)
    assert state.added == {"BRG-6205-2RS": "3 in the cart"} and state.add_errors == {}
    badge = await shop.send(cookie, CartBadgeState, "refresh", token=token)
    assert badge.count == 1
    assert shop.cart_of(shop.ben) == {"BRG-6205-2RS": 3}

    cart = await shop.send(cookie, CartState, "load", token=token)
    [line] = cart.rows
    assert (line["quantity"], line["unit_price"], line["line_total"]) == ("3", "€7.45", "€22.35")
    assert cart.total == "€22.35" and cart.breach_lines == []
    round_before = cart.round
    form = {"sku": "BRG-6205-2RS", "quantity": "10"}
    cart = await shop.send(cookie, CartState, "update", {"form": form}, token)
    assert cart.total == "€74.50" and cart.notice == "Quantity changed."
    assert cart.round > round_before  # the quantity fields are drawn afresh
    cart = await shop.send(cookie, CartState, "remove", {"sku": "BRG-6205-2RS"}, token)
    assert cart.rows == [] and "was removed" in cart.notice
    assert shop.cart_of(shop.ben) == {}


async def test_wrong_quantities_are_shown_next_to_the_product(shop) -> None:
    cookie = shop.cookie(shop.ben)
    for quantity in ("0", "-2", "1.5", "", "99999"):
        form = {"sku": "BRG-6205-2RS", "quantity": quantity}
        state = await shop.send(cookie, CatalogueState, "add", {"form": form})
        assert state.add_errors == {"BRG-6205-2RS": "Please enter a whole number from 1 to 9999."}
    shop.give_cart(shop.ben, GLV_CUT5_9=2)
    form = {"sku": "GLV-CUT5-9", "quantity": "0"}
    state = await shop.send(cookie, CartState, "update", {"form": form})
    assert "whole number" in state.errors["GLV-CUT5-9"]
    assert shop.cart_of(shop.ben) == {"GLV-CUT5-9": 2}


async def test_the_cart_warns_before_an_order_needs_approval(shop) -> None:
    shop.session.add(
        BudgetRule(
            company_id=shop.ben.company_id,
            scope=RuleScope.USER,
            subject_id=shop.ben.id,  # type: ignore[arg-type]
            max_order_value_cents=50_000,
            period="month",
            period_budget_cents=100_000,
        )
    )
    shop.give_cart(shop.ben, GLV_CUT5_9=10)  # 56.00 with Müller's own price
    cookie = shop.cookie(shop.ben)
    state = await shop.send(cookie, CartState, "load")
    assert state.breach_lines == [] and state.has_period and state.remaining == "€1,000.00"
    shop.give_cart(shop.ben, MTR_IE3_4KW=1)  # + 559.00
    state = await shop.send(cookie, CartState, "load")
    assert state.total == "€615.00"
    assert state.breach_lines == [
        "order value €615.00 exceeds the per-order limit of €500.00",
    ]


async def test_a_technician_sees_products_and_data_sheets_but_cannot_order(shop) -> None:
    cookie = shop.cookie(shop.tina)
    state = await shop.send(cookie, CatalogueState, "load")
    assert len(state.rows) == 8 and not state.show_prices and not state.can_order
    assert {row["price"] for row in state.rows} == {""}
    assert all(row["datasheet"].startswith("/datasheets/") for row in state.rows)
    form = {"sku": "BRG-6205-2RS", "quantity": "1"}
    refused = await shop.send(cookie, CatalogueState, "add", {"form": form})
    assert refused.added == {} and shop.cart_of(shop.tina) == {}
    cart = await shop.send(cookie, CartState, "load")
    assert cart.rows == [] and not cart.loaded
    badge = await shop.send(cookie, CartBadgeState, "refresh")
    assert badge.count == 0


async def test_forged_cart_events_touch_nobody_elses_cart(shop) -> None:
    shop.give_cart(shop.ben, BRG_6205_2RS=4, GLV_CUT5_9=2)
    attackers = {"anonymous": None, "technician": shop.tina, "other company": shop.stranger}
    for who, user in attackers.items():
        cookie = shop.cookie(user)
        await shop.send(
            cookie, CartState, "update", {"form": {"sku": "BRG-6205-2RS", "quantity": "9"}}
        )
        await shop.send(cookie, CartState, "remove", {"sku": "GLV-CUT5-9"})
        await shop.send(cookie, CartState, "clear")
        await shop.send(
            cookie, CatalogueState, "add", {"form": {"sku": "BRG-6205-2RS", "quantity": "1"}}
        )
        assert shop.cart_of(shop.ben) == {"BRG-6205-2RS": 4, "GLV-CUT5-9": 2}, who
    # The stranger's own cart took the add (their company may order), Ben's did not change.
    assert shop.cart_of(shop.stranger) == {"BRG-6205-2RS": 1}  # type: ignore[arg-type]
    assert shop.cart_of(shop.tina) == {}


async def test_hostile_arguments_are_refused_quietly(shop) -> None:
    shop.give_cart(shop.ben, BRG_6205_2RS=4)
    cookie = shop.cookie(shop.ben)
    for payload in ({"form": "not a form"}, {"form": {"sku": 7, "quantity": [1]}}):
        state = await shop.send(cookie, CartState, "update", payload)
        await shop.send(cookie, CatalogueState, "add", payload)
    state = await shop.send(cookie, CartState, "remove", {"sku": {"$ne": 1}})
    await shop.send(cookie, CatalogueState, "set_search", {"value": ["x"]})
    assert shop.cart_of(shop.ben) == {"BRG-6205-2RS": 4}
    assert state is not None


class _DownErp:
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        def fail(*_args: object, **_kwargs: object) -> None:
            raise ErpUnavailable("down")

        return fail


async def test_an_unreachable_erp_is_a_message_not_a_crash(shop, monkeypatch) -> None:
    shop.give_cart(shop.ben, BRG_6205_2RS=4)
    monkeypatch.setattr(catalogue_state_module, "erp_client", _DownErp)
    monkeypatch.setattr(cart_state_module, "erp_client", _DownErp)
    cookie = shop.cookie(shop.ben)
    state = await shop.send(cookie, CatalogueState, "load")
    assert state.rows == [] and "cannot be reached" in state.problem
    form = {"sku": "BRG-6205-2RS", "quantity": "1"}
    state = await shop.send(cookie, CatalogueState, "add", {"form": form})
    assert "cannot be reached" in state.add_errors["BRG-6205-2RS"]
    cart = await shop.send(cookie, CartState, "load")
    assert [row["sku"] for row in cart.rows] == ["BRG-6205-2RS"]
    assert not cart.prices_known and cart.rows[0]["line_total"] == ""
    assert shop.cart_of(shop.ben) == {"BRG-6205-2RS": 4}


# --- checkout ------------------------------------------------------------------------------

NEW_ADDRESS = {
    "delivery_name": "Baustelle Nord",
    "delivery_street": "Am Kai 7",
    "delivery_postal_code": "20457",
    "delivery_city": "Hamburg",
    "delivery_country": "DE",
}
DETAILS = {"payment_method": "invoice", "shipping_method": "express", "reference": "BANF-117"}


def _orders(shop: Shop) -> list[Order]:
    shop.session.expire_all()
    return list(shop.session.exec(select(Order)).all())


async def test_checkout_with_a_new_address_is_approved_at_once(shop) -> None:
    shop.give_cart(shop.ben, GLV_CUT5_9=10)
    cookie, token = shop.cookie(shop.ben), "ben-checkout"
    state = await shop.send(cookie, CheckoutState, "load", token=token)
    assert [o["key"] for o in state.delivery_options] == ["erp:A-10001-D1", "erp:A-10001-D2"]
    assert state.delivery_choice == "erp:A-10001-D1"
    assert state.billing_choice == "erp:A-10001-B"
    assert state.total == "€56.00" and state.breach_lines == []
    await shop.send(cookie, CheckoutState, "choose_delivery", {"key": "new"}, token)
    form = {**NEW_ADDRESS, **DETAILS, "comment": "Gate 3"}
    state = await shop.send(cookie, CheckoutState, "submit", {"form": form}, token)
    assert state.errors == {} and state.placed and state.placed_approved
    [order] = _orders(shop)
    assert state.placed_number == f"PO-{order.id:06d}"
    assert state.placed_href == f"/orders/{order.id}"
    assert state.placed_status == "Approved"
    assert order.delivery_address["city"] == "Hamburg"
    assert (order.shipping_method, order.reference) == ("express", "BANF-117")
    assert shop.cart_of(shop.ben) == {}
    badge = await shop.send(cookie, CartBadgeState, "refresh", token=token)
    assert badge.count == 0
    again = await shop.send(cookie, CheckoutState, "submit", {"form": form}, token)
    assert again.placed and len(_orders(shop)) == 1  # a second click places nothing


async def test_checkout_over_budget_waits_and_says_why(shop) -> None:
    shop.session.add(
        BudgetRule(
            company_id=shop.ben.company_id,
            scope=RuleScope.USER,
            subject_id=shop.ben.id,  # type: ignore[arg-type]
            max_quantity_per_order=5,
        )
    )
    shop.give_cart(shop.ben, GLV_CUT5_9=10)
    cookie, token = shop.cookie(shop.ben), "ben-over"
    state = await shop.send(cookie, CheckoutState, "load", token=token)
    assert state.breach_lines == ["quantity 10 exceeds the per-order maximum of 5"]
    state = await shop.send(cookie, CheckoutState, "submit", {"form": DETAILS}, token)
    assert state.placed and not state.placed_approved
    assert state.placed_status == "Waiting for approval"
    assert state.placed_reasons == ["quantity 10 exceeds the per-order maximum of 5"]
    [order] = _orders(shop)
    assert order.status == "pending_approval"
    assert order.delivery_address["name"].endswith("Werk 1")  # the default, preselected


async def test_checkout_errors_stand_next_to_their_fields(shop) -> None:
    shop.give_cart(shop.ben, GLV_CUT5_9=1)
    cookie, token = shop.cookie(shop.ben), "ben-errors"
    await shop.send(cookie, CheckoutState, "load", token=token)
    await shop.send(cookie, CheckoutState, "choose_delivery", {"key": "new"}, token)
    form = {**NEW_ADDRESS, "delivery_street": "", "delivery_country": "Deutschland"}
    form |= {"payment_method": "barter", "shipping_method": "standard"}
    state = await shop.send(cookie, CheckoutState, "submit", {"form": form}, token)
    assert state.errors == {
        "delivery_street": "Please fill in this field.",
        "delivery_country": "Please enter the two-letter country code, e.g. DE.",
        "payment_method": "Please choose a payment method.",
    }
    assert not state.placed and _orders(shop) == []
    assert shop.cart_of(shop.ben) == {"GLV-CUT5-9": 1}


async def test_forged_checkouts_place_nothing_for_anyone_else(shop) -> None:
    shop.give_cart(shop.ben, GLV_CUT5_9=3)
    shop.give_cart(shop.stranger, GLV_CUT5_9=1)  # type: ignore[arg-type]
    for who, user in {"anonymous": None, "technician": shop.tina}.items():
        cookie, token = shop.cookie(user), f"forged-{who}"
        await shop.send(cookie, CheckoutState, "load", token=token)
        state = await shop.send(cookie, CheckoutState, "submit", {"form": DETAILS}, token)
        assert not state.placed, who
    # Another company's main contact cannot pick Müller's address: the choice is ignored
    # and the order, in their own company, goes to their own default address.
    cookie, token = shop.cookie(shop.stranger), "forged-stranger"
    await shop.send(cookie, CheckoutState, "load", token=token)
    state = await shop.send(
        cookie, CheckoutState, "choose_delivery", {"key": "erp:A-10001-D2"}, token
    )
    assert state.delivery_choice == "erp:A-10002-D1"
    state = await shop.send(cookie, CheckoutState, "submit", {"form": DETAILS}, token)
    [order] = _orders(shop)
    assert order.company_id == shop.stranger.company_id  # type: ignore[union-attr]
    assert order.delivery_address["city"] == "Manchester"
    assert shop.cart_of(shop.ben) == {"GLV-CUT5-9": 3}


async def test_a_german_buyer_reads_prices_and_hints_in_german(shop) -> None:
    shop.ben.language = "de"
    shop.session.add(shop.ben)
    shop.session.commit()
    cookie, token = shop.cookie(shop.ben), "german"
    await shop.send(cookie, SessionState, "load", token=token)  # every page's first on_load
    state = await shop.send(cookie, CatalogueState, "set_search", {"value": "BRG-6205"}, token)
    [bearing] = state.rows
    assert (bearing["price"], bearing["price_kind"]) == ("7,45\xa0€", "Ihr Preis")
    assert bearing["sku_label"] == "Art.-Nr. BRG-6205-2RS"


async def test_checkout_totals_follow_the_shipping_method_and_the_erps_tax_rate(shop) -> None:
    shop.give_cart(shop.ben, BRG_6205_2RS=3)  # 3 x 7.45 (Müller's contract price) = 22.35
    cookie, token = shop.cookie(shop.ben), "ben-totals"
    cart = await shop.send(cookie, CartState, "load", token=token)
    assert [r["amount"] for r in cart.invoice_rows] == [
        "€22.35",
        "€9.90",
        "€32.25",
        "€6.13",
        "€38.38",
    ]
    assert cart.rows[0]["price_origin"].startswith("Contract price, valid from")
    assert "list price €8.90" in cart.rows[0]["price_origin"]
    state = await shop.send(cookie, CheckoutState, "load", token=token)
    assert [r["kind"] for r in state.invoice_rows] == ["goods", "shipping", "net", "vat", "gross"]
    assert state.invoice_rows[-1]["amount"] == "€38.38"
    state = await shop.send(cookie, CheckoutState, "choose_shipping", {"method": "pickup"}, token)
    assert [r["amount"] for r in state.invoice_rows] == [
        "€22.35",
        "€0.00",
        "€22.35",
        "€4.25",
        "€26.60",
    ]
    forged = await shop.send(
        cookie, CheckoutState, "choose_shipping", {"method": {"evil": 1}}, token
    )
    assert forged.shipping_method == "pickup"
    refused = await shop.send(
        shop.cookie(shop.tina), CheckoutState, "choose_shipping", {"method": "express"}
    )
    assert refused.invoice_rows == []


async def test_the_catalogue_filters_by_category_sorts_and_says_stock_and_delivery(shop) -> None:
    cookie, token = shop.cookie(shop.ben), "ben-catalogue"
    state = await shop.send(cookie, CatalogueState, "load", token=token)
    assert "Bearings" in state.categories and len(state.categories) == 8
    bearing = next(r for r in state.rows if r["sku"] == "BRG-6205-2RS")
    assert bearing["image"] == "/products/bearings.svg" and bearing["category"] == "Bearings"
    assert bearing["availability"].startswith("240 in stock · delivery from ")
    hose = next(r for r in state.rows if r["sku"] == "HYD-HOSE-12-2M")
    assert hose["availability"].startswith("Not in stock · delivery from ") and not hose["in_stock"]
    state = await shop.send(cookie, CatalogueState, "set_category", {"value": "Motors"}, token)
    assert [r["sku"] for r in state.rows] == ["MTR-IE3-4KW"] and state.total == 1
    forged = await shop.send(cookie, CatalogueState, "set_category", {"value": "x' OR 1=1"}, token)
    assert forged.category == "all" and forged.total == 8
    state = await shop.send(cookie, CatalogueState, "set_sort", {"value": "price_desc"}, token)
    assert state.rows[0]["sku"] == "MTR-IE3-4KW" and state.rows[-1]["sku"] == "GLV-CUT5-9"
    state = await shop.send(cookie, CatalogueState, "set_sort", {"value": {"evil": 1}}, token)
    assert state.sort == "name"
    refused = await shop.send("", CatalogueState, "set_category", {"value": "Motors"})
    assert refused.rows == []
