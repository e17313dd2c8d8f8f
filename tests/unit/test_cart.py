"""The cart: one per user, quantities, rights, the priced view and the budget hint."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from customer_center.db import session_scope
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.people import RuleScope
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.models.budget import BudgetRule
from customer_center.models.order import CartItem, Order
from customer_center.presenters.breaches import breach_lines
from customer_center.services.shop import cart, checkout
from customer_center.services.shop.cart import MAX_LINE_QUANTITY, parse_quantity
from customer_center.services.shop.checkout import CheckoutRequest
from customer_center.settings import get_settings
from tests.conftest import IS_POSTGRES
from tests.factories import actor_for, make_company, make_user
from tests.unit.test_catalogue import FakeErp

TODAY = date(2026, 5, 12)


@pytest.fixture
def acme(session):
    main = make_company(session, "10001", "Acme GmbH")
    company = main.company_id
    ben = make_user(session, company, "ben@acme.example", ["buyer"])
    tina = make_user(session, company, "tina@acme.example", ["technician"])
    other = make_company(session, "20002", "Other AG")
    session.commit()
    return {
        "main": main,
        "ben": actor_for(session, ben),
        "tina": actor_for(session, tina),
        "other": other,
    }


@pytest.fixture
def erp():
    return FakeErp(count=5, customer_prices={"SKU-002": Decimal("1.99")})


def _items(session, actor) -> dict[str, int]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return {i.sku: i.quantity for i in cart.cart_items(session, actor)}


def test_adding_twice_sums_the_quantity_on_one_line(session, acme, erp) -> None:
    ben = acme["ben"]
    assert cart.add_to_cart(session, ben, erp=erp, sku="sku-001", quantity="2") == 2
    assert cart.add_to_cart(session, ben, erp=erp, sku=" SKU-001 ", quantity=3) == 5
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-002", quantity=1)
    assert _items(session, ben) == {"SKU-001": 5, "SKU-002": 1}
    assert cart.cart_count(session, ben) == 2


def test_each_user_has_their_own_cart(session, acme, erp) -> None:
    cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity=2)
    cart.add_to_cart(session, acme["main"], erp=erp, sku="SKU-003", quantity=1)
    assert _items(session, acme["ben"]) == {"SKU-001": 2}
    assert _items(session, acme["main"]) == {"SKU-003": 1}
    # Another company's user changing "SKU-001" changes nothing of Ben's.
    with pytest.raises(ServiceError):
        cart.set_quantity(session, acme["other"], sku="SKU-001", quantity=7)
    cart.remove_item(session, acme["other"], sku="SKU-001")
    cart.clear_cart(session, acme["other"])
    assert _items(session, acme["ben"]) == {"SKU-001": 2}


@pytest.mark.parametrize(
    "quantity", [0, -1, "0", "", "1.5", "abc", "²", "١٢", None, True, 10_000, "10000"]
)
def test_quantities_are_whole_numbers_within_the_maximum(quantity) -> None:
    with pytest.raises(ServiceError) as refused:
        parse_quantity(quantity)
    assert (refused.value.code, refused.value.field) == ("shop.error.quantity", "quantity")
    assert refused.value.params == {"max": MAX_LINE_QUANTITY}


def test_a_wrong_quantity_puts_nothing_into_the_cart(session, acme, erp) -> None:
    with pytest.raises(ServiceError):
        cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity="-3")
    assert _items(session, acme["ben"]) == {}


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_parse_quantity_accepts_exactly_one_to_the_maximum(number: int) -> None:
    for value in (number, str(number)):
        try:
            assert parse_quantity(value) == number
            assert 1 <= number <= MAX_LINE_QUANTITY
        except ServiceError:
            assert not 1 <= number <= MAX_LINE_QUANTITY


def test_adding_beyond_the_maximum_of_one_line_is_refused(session, acme, erp) -> None:
    cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity=MAX_LINE_QUANTITY - 1)
    with pytest.raises(ServiceError) as refused:
        cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity=2)
    assert refused.value.code == "shop.error.quantity_total"
    assert _items(session, acme["ben"]) == {"SKU-001": MAX_LINE_QUANTITY - 1}


def test_unknown_products_and_an_unreachable_erp_are_refused(session, acme, erp) -> None:
    for sku in ("NOPE", "", "   ", 42, "X" * 65):
        with pytest.raises(ServiceError) as refused:
            cart.add_to_cart(session, acme["ben"], erp=erp, sku=sku, quantity=1)
        assert refused.value.code == "shop.error.unknown_product"
    erp.down = True
    with pytest.raises(ServiceError) as refused:
        cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity=1)
    assert refused.value.code == "shop.error.erp_unavailable"
    assert _items(session, acme["ben"]) == {}


def test_a_cart_holds_a_bounded_number_of_products(session, acme, monkeypatch) -> None:
    monkeypatch.setattr(cart, "MAX_CART_LINES", 3)
    erp = FakeErp(count=4)
    for n in (1, 2, 3):
        cart.add_to_cart(session, acme["ben"], erp=erp, sku=f"SKU-00{n}", quantity=1)
    with pytest.raises(ServiceError) as refused:
        cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-004", quantity=1)
    assert refused.value.code == "shop.error.cart_full"
    cart.add_to_cart(
        session, acme["ben"], erp=erp, sku="SKU-003", quantity=1
    )  # more of one already there
    assert _items(session, acme["ben"])["SKU-003"] == 2


def test_change_remove_and_clear(session, acme, erp) -> None:
    ben = acme["ben"]
    for sku in ("SKU-001", "SKU-002", "SKU-003"):
        cart.add_to_cart(session, ben, erp=erp, sku=sku, quantity=1)
    cart.set_quantity(session, ben, sku="sku-002", quantity="12")
    with pytest.raises(ServiceError) as refused:
        cart.set_quantity(session, ben, sku="SKU-002", quantity="0")
    assert refused.value.field == "quantity"
    with pytest.raises(ServiceError) as missing:
        cart.set_quantity(session, ben, sku="SKU-005", quantity=1)
    assert missing.value.code == "shop.error.not_in_cart"
    cart.remove_item(session, ben, sku="SKU-001")
    cart.remove_item(session, ben, sku="SKU-001")  # already gone: nothing to do
    assert _items(session, ben) == {"SKU-002": 12, "SKU-003": 1}
    cart.clear_cart(session, ben)
    assert _items(session, ben) == {}


def test_a_technician_cannot_use_a_cart(session, acme, erp) -> None:
    tina = acme["tina"]
    session.add(
        CartItem(company_id=tina.company_id, user_id=tina.user_id, sku="SKU-001", quantity=1)
    )
    session.commit()
    calls = (
        lambda: cart.add_to_cart(session, tina, erp=erp, sku="SKU-001", quantity=1),
        lambda: cart.set_quantity(session, tina, sku="SKU-001", quantity=3),
        lambda: cart.remove_item(session, tina, sku="SKU-001"),
        lambda: cart.clear_cart(session, tina),
        lambda: cart.cart_view(session, tina, erp=erp, today=TODAY),
    )
    for call in calls:
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.code == "error.permission_denied"
    assert _items(session, tina) == {"SKU-001": 1}


def test_the_view_prices_every_line_in_one_erp_call(session, acme, erp) -> None:
    ben = acme["ben"]
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-001", quantity=4)  # 1.50 list price
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-002", quantity=3)  # 1.99 own price
    erp.calls = 0
    view = cart.cart_view(session, ben, erp=erp, today=TODAY)
    assert erp.calls == 1
    assert [(line.sku, line.unit_price_cents, line.line_total_cents) for line in view.lines] == [
        ("SKU-001", 150, 600),
        ("SKU-002", 199, 597),
    ]
    assert [line.is_customer_price for line in view.lines] == [False, True]
    assert (view.total_quantity, view.total_cents, view.currency) == (7, 1197, "EUR")
    assert view.prices_known and view.breaches == [] and not view.has_unavailable
    # As the invoice will show it: standard shipping 9.90 below 250.00, VAT 19 % on both.
    assert view.totals is not None
    assert (view.totals.goods_cents, view.totals.shipping_cents) == (1197, 990)
    assert (view.totals.tax_cents, view.totals.gross_cents) == (416, 2603)  # 415.53 -> 4.16


def test_a_product_the_erp_dropped_is_flagged_and_not_priced(session, acme, erp) -> None:
    ben = acme["ben"]
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-001", quantity=2)
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-005", quantity=1)
    erp.products = erp.products[:4]
    view = cart.cart_view(session, ben, erp=erp, today=TODAY)
    assert [(line.sku, line.available) for line in view.lines] == [
        ("SKU-001", True),
        ("SKU-005", False),
    ]
    assert view.has_unavailable and view.total_cents == 300


def test_with_the_erp_down_the_cart_shows_without_prices(session, acme, erp) -> None:
    ben = acme["ben"]
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-001", quantity=2)
    erp.down = True
    view = cart.cart_view(session, ben, erp=erp, today=TODAY)
    assert not view.prices_known
    assert [(line.sku, line.unit_price_cents, line.available) for line in view.lines] == [
        ("SKU-001", None, True)
    ]
    assert view.breaches == []


def _budget(session, actor, **limits) -> None:  # type: ignore[no-untyped-def]
    session.add(
        BudgetRule(
            company_id=actor.company_id, scope=RuleScope.USER, subject_id=actor.user_id, **limits
        )
    )
    session.commit()


def test_the_view_names_the_limits_the_cart_would_exceed(session, acme, erp) -> None:
    ben = acme["ben"]
    _budget(session, ben, max_quantity_per_order=5, max_order_value_cents=1000)
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-001", quantity=4)  # 6.00
    assert cart.cart_view(session, ben, erp=erp, today=TODAY).breaches == []
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-002", quantity=3)  # + 5.97 = 11.97, 7 pieces
    view = cart.cart_view(session, ben, erp=erp, today=TODAY)
    assert [(b.kind, b.actual, b.limit) for b in view.breaches] == [
        ("quantity", 7, 5),
        ("order_value", 1197, 1000),
    ]
    assert view.situation.limits.max_order_value_cents == 1000


def test_the_period_budget_counts_what_was_spent_already(session, acme, erp) -> None:
    ben = acme["ben"]
    _budget(session, ben, period="month", period_budget_cents=10_000)
    session.add(
        Order(
            company_id=ben.company_id,
            requester_id=ben.user_id,
            status=OrderStatus.APPROVED,
            total_cents=9_500,
            submitted_at=datetime(2026, 5, 3, 10, 0, tzinfo=UTC),
        )
    )
    session.commit()
    cart.add_to_cart(session, ben, erp=erp, sku="SKU-003", quantity=2)  # 7.00
    view = cart.cart_view(session, ben, erp=erp, today=TODAY)
    assert view.situation.spending.spent_cents == 9_500
    [breach] = view.breaches
    assert (breach.kind, breach.actual, breach.already_used) == ("period_budget", 700, 9_500)


def test_the_cart_rows_stay_in_the_company_and_user(session, acme, erp) -> None:
    cart.add_to_cart(session, acme["ben"], erp=erp, sku="SKU-001", quantity=1)
    session.commit()
    [row] = session.exec(select(CartItem)).all()
    assert (row.company_id, row.user_id) == (acme["ben"].company_id, acme["ben"].user_id)


# --- checkout ------------------------------------------------------------------------------


@pytest.fixture
def mueller(session, db):
    """Customer 10001 of the demo ERP: two delivery addresses, one billing address."""
    import_erp_directory(db, demo_data_dir())
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"])
    tina = make_user(session, main.company_id, "tina@mueller.example", ["technician"])
    session.commit()
    return {
        "erp": EmbeddedErpClient(db),
        "ben": actor_for(session, ben),
        "tina": actor_for(session, tina),
    }


NEW_ADDRESS = {
    "name": "Baustelle Nord",
    "street": "Am Kai 7",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "de",
}


def _request(**changes) -> CheckoutRequest:  # type: ignore[no-untyped-def]
    values = {
        "delivery_choice": "erp:A-10001-D2",
        "new_delivery": {},
        "billing_choice": "erp:A-10001-B",
        "payment_method": "invoice",
        "shipping_method": "standard",
        "reference": "BANF-2026-117",
        "comment": "Gate 3, please.",
        **changes,
    }
    return CheckoutRequest(**values)


def _orders(session) -> list[Order]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.exec(select(Order)).all())


def test_the_checkout_offers_the_companys_erp_addresses_defaults_first(session, mueller) -> None:
    options = checkout.checkout_options(session, mueller["ben"], erp=mueller["erp"])
    assert [c.key for c in options.delivery] == ["erp:A-10001-D1", "erp:A-10001-D2"]
    assert [c.key for c in options.billing] == ["erp:A-10001-B"]
    assert (options.default_delivery, options.default_billing) == (
        "erp:A-10001-D1",
        "erp:A-10001-B",
    )
    assert options.delivery[1].address["city"] == "Mannheim"
    with pytest.raises(ServiceError):
        checkout.checkout_options(session, mueller["tina"], erp=mueller["erp"])


def test_an_order_within_budget_is_approved_and_the_cart_emptied(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=10)
    outcome = checkout.place_order(
        session, ben, settings=get_settings(), erp=erp, request=_request()
    )
    session.commit()
    assert (outcome.status, outcome.reasons) == ("approved", [])
    [order] = _orders(session)
    assert order.id == outcome.order_id and order.total_cents == 5600  # Müller's own price
    assert order.delivery_address["city"] == "Mannheim"
    assert order.billing_address["name"].endswith("Buchhaltung")
    assert (order.reference, order.payment_method) == ("BANF-2026-117", "invoice")
    assert _items(session, ben) == {}


def test_a_new_delivery_address_goes_with_the_order(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=1)
    request = _request(delivery_choice="new", new_delivery=NEW_ADDRESS)
    checkout.place_order(session, ben, settings=get_settings(), erp=erp, request=request)
    [order] = _orders(session)
    assert order.delivery_address == {**NEW_ADDRESS, "country": "DE"}


def test_the_cart_and_the_order_take_the_quantity_break_of_the_line(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="BRG-6205-2RS", quantity=99)
    (line,) = cart.cart_view(session, ben, erp=erp, today=TODAY).lines
    assert (line.unit_price_cents, line.is_customer_price) == (745, True)
    cart.add_to_cart(session, ben, erp=erp, sku="BRG-6205-2RS", quantity=1)
    (line,) = cart.cart_view(session, ben, erp=erp, today=TODAY).lines
    assert (line.quantity, line.unit_price_cents, line.line_total_cents) == (100, 695, 69_500)
    # In 2025 Müller's older contract priced every quantity.
    (line,) = cart.cart_view(session, ben, erp=erp, today=date(2025, 6, 1)).lines
    assert line.unit_price_cents == 790
    checkout.place_order(session, ben, settings=get_settings(), erp=erp, request=_request())
    [order] = _orders(session)
    assert order.total_cents == 69_500  # today's quantity break, as the cart showed it


def test_an_order_over_budget_waits_with_its_reasons(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    _budget(session, ben, max_order_value_cents=50_000)
    cart.add_to_cart(session, ben, erp=erp, sku="MTR-IE3-4KW", quantity=1)  # 559.00
    outcome = checkout.place_order(
        session, ben, settings=get_settings(), erp=erp, request=_request()
    )
    assert outcome.status == "pending_approval"
    assert breach_lines(outcome.reasons, "en", outcome.currency) == [
        "order value €559.00 exceeds the per-order limit of €500.00"
    ]
    assert _items(session, ben) == {}


def test_checkout_problems_are_named_by_field_and_nothing_changes(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=2)
    session.commit()
    request = _request(
        delivery_choice="new",
        new_delivery={**NEW_ADDRESS, "street": " ", "country": "Germany"},
        payment_method="bitcoin",
        shipping_method="",
        reference="R" * 101,
    )
    with pytest.raises(ValidationFailed) as refused:
        checkout.place_order(session, ben, settings=get_settings(), erp=erp, request=request)
    assert set(refused.value.errors) == {
        "delivery_address.street",
        "delivery_address.country",
        "payment_method",
        "shipping_method",
        "reference",
    }
    session.rollback()
    assert _orders(session) == [] and _items(session, ben) == {"GLV-CUT5-9": 2}


def test_addresses_of_other_customers_cannot_be_chosen(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=2)
    session.commit()
    request = _request(delivery_choice="erp:A-10001-B", billing_choice="erp:A-10002-B")
    with pytest.raises(ValidationFailed) as refused:
        checkout.place_order(session, ben, settings=get_settings(), erp=erp, request=request)
    assert refused.value.errors == {
        "delivery_choice": ("shop.error.address_choice", {}),  # a billing address
        "billing_choice": ("shop.error.address_choice", {}),  # another customer's
    }
    session.rollback()
    assert _orders(session) == []


def test_an_empty_cart_a_technician_and_an_unreachable_erp_place_nothing(session, mueller) -> None:
    ben, erp = mueller["ben"], mueller["erp"]
    with pytest.raises(ServiceError) as empty:
        checkout.place_order(session, ben, settings=get_settings(), erp=erp, request=_request())
    assert empty.value.code == "shop.error.cart_empty"
    with pytest.raises(ServiceError) as refused:
        checkout.place_order(
            session, mueller["tina"], settings=get_settings(), erp=erp, request=_request()
        )
    assert refused.value.code == "error.permission_denied"
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=2)
    session.commit()
    down = FakeErp()
    down.down = True
    down.list_addresses = erp.list_addresses  # addresses still come, prices do not
    with pytest.raises(ServiceError) as unreachable:
        checkout.place_order(session, ben, settings=get_settings(), erp=down, request=_request())
    assert unreachable.value.code == "orders.error.erp_unavailable"
    session.rollback()
    assert _orders(session) == [] and _items(session, ben) == {"GLV-CUT5-9": 2}


def test_two_checkouts_of_one_cart_at_once_place_one_order(session, mueller, db) -> None:
    """Two tabs press "Place order" together: the cart's lock makes the second wait and then
    find the cart empty (on SQLite the second writer may instead be told the database is
    busy); never two orders."""
    ben, erp = mueller["ben"], mueller["erp"]
    cart.add_to_cart(session, ben, erp=erp, sku="GLV-CUT5-9", quantity=2)
    session.commit()
    barrier = threading.Barrier(2, timeout=30)

    def place() -> str:
        """The checkout's outcome; anything unexpected is raised again by ``result()``."""
        barrier.wait()
        try:
            with session_scope(db) as own:
                return checkout.place_order(
                    own, ben, settings=get_settings(), erp=erp, request=_request()
                ).status
        except ServiceError as error:
            return error.code
        except OperationalError:
            if IS_POSTGRES:
                raise
            return "busy"

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(place) for _ in range(2)]
        winner, loser = sorted(future.result(timeout=60) for future in futures)
    assert winner == "approved"
    losers = {"shop.error.cart_empty"} if IS_POSTGRES else {"shop.error.cart_empty", "busy"}
    assert loser in losers
    assert len(_orders(session)) == 1 and _items(session, ben) == {}
