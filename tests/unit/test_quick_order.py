"""Quick order and order again: lines checked against the catalogue, then into the cart."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_lines import LineProblem, parse_text
from customer_center.domain.reorder import ChangeKind
from customer_center.models.order import CartItem
from customer_center.services.orders.reorder import reorder
from customer_center.services.shop import cart
from customer_center.services.shop.cart import MAX_CART_LINES
from customer_center.services.shop.quick_order import add_lines, check_lines
from tests.factories import make_user
from tests.order_factories import FakeErp, Shop


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def _cart(shop: Shop, user=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    shop.session.expire_all()
    actor = shop.actor(user or shop.ben)
    return {i.sku: i.quantity for i in cart.cart_items(shop.session, actor)}


def test_each_line_gets_its_problem_or_its_price_and_nothing_goes_to_the_cart(shop) -> None:
    lines = parse_text("bolt-m8\t10\nNOPE-1;2\nMOTOR-4KW;zwei\nGLOVES-9;3")
    check = check_lines(shop.session, shop.actor(shop.ben), erp=shop.erp, lines=lines)
    assert [(c.line, c.sku, c.problem) for c in check.lines] == [
        (1, "BOLT-M8", None),
        (2, "NOPE-1", LineProblem.UNKNOWN),
        (3, "MOTOR-4KW", LineProblem.QUANTITY),
        (4, "GLOVES-9", None),
    ]
    assert check.lines[0].unit_price_cents == 50 and check.lines[0].name == "Product BOLT-M8"
    assert (check.ok_count, check.problem_count) == (2, 2)
    assert _cart(shop) == {}
    assert shop.erp.calls == 1  # one call for all lines


def test_adding_puts_all_good_lines_into_the_cart_at_once(shop) -> None:
    ben = shop.actor(shop.ben)
    cart.add_to_cart(shop.session, ben, erp=shop.erp, sku="BOLT-M8", quantity=5)
    lines = parse_text("BOLT-M8;10\nNOPE;1\nGLOVES-9;3\nbolt-m8;1")
    result = add_lines(shop.session, ben, erp=shop.erp, lines=lines)
    shop.session.commit()
    assert result.added == 3
    assert _cart(shop) == {"BOLT-M8": 16, "GLOVES-9": 3}


def test_quantities_above_the_maximum_with_the_cart_are_refused_per_line(shop) -> None:
    ben = shop.actor(shop.ben)
    cart.add_to_cart(shop.session, ben, erp=shop.erp, sku="BOLT-M8", quantity=9_000)
    lines = parse_text("BOLT-M8;999\nBOLT-M8;1\nGLOVES-9;1")
    check = check_lines(shop.session, ben, erp=shop.erp, lines=lines)
    assert [c.problem for c in check.lines] == [None, LineProblem.QUANTITY_TOTAL, None]


def test_a_product_in_another_currency_is_not_orderable(shop) -> None:
    erp = FakeErp(currency="CHF")
    (line,) = check_lines(
        shop.session, shop.actor(shop.ben), erp=erp, lines=parse_text("BOLT-M8;1")
    ).lines
    assert line.problem is LineProblem.NOT_ORDERABLE


def test_products_beyond_the_carts_room_are_refused(shop) -> None:
    skus = {f"P-{n:03d}": "1.00" for n in range(MAX_CART_LINES + 2)}
    erp = FakeErp(prices=skus)
    text = "\n".join(f"{sku};1" for sku in skus)
    result = add_lines(shop.session, shop.actor(shop.ben), erp=erp, lines=parse_text(text))
    assert result.added == MAX_CART_LINES
    assert [c.problem for c in result.lines[-2:]] == [LineProblem.CART_FULL] * 2


def test_without_the_right_to_order_nothing_is_checked(shop) -> None:
    with pytest.raises(ServiceError):
        check_lines(shop.session, shop.actor(shop.tina), erp=shop.erp, lines=parse_text("A;1"))
    assert shop.erp.calls == 0


def test_the_cart_belongs_to_the_principal_only(shop) -> None:
    add_lines(shop.session, shop.other_main, erp=shop.erp, lines=parse_text("BOLT-M8;1"))
    shop.session.commit()
    rows = shop.session.exec(select(CartItem)).all()
    assert [(r.company_id, r.user_id) for r in rows] == [
        (shop.other_main.company_id, shop.other_main.user_id)
    ]


def test_order_again_uses_todays_prices_and_says_what_changed(shop) -> None:
    placed = shop.order(lines={"BOLT-M8": 10, "MOTOR-4KW": 1, "GLOVES-9": 2})
    erp = FakeErp(prices={"BOLT-M8": "0.55", "GLOVES-9": "6.40"})
    result = reorder(shop.session, shop.actor(shop.ben), order_id=placed.order_id, erp=erp)
    shop.session.commit()
    assert result.added == 2
    assert [(c.sku, c.kind, c.old_cents, c.new_cents) for c in result.changes] == [
        ("BOLT-M8", ChangeKind.PRICE, 50, 55),
        ("MOTOR-4KW", ChangeKind.UNAVAILABLE, None, None),
    ]
    assert _cart(shop) == {"BOLT-M8": 10, "GLOVES-9": 2}


def test_order_again_of_an_order_one_may_not_see_is_not_found(shop) -> None:
    placed = shop.order(lines={"BOLT-M8": 1})
    bob = make_user(shop.session, shop.main.company_id, "bob@acme.example", ["buyer"])
    shop.session.commit()
    for stranger in (shop.other_main, shop.actor(bob)):
        with pytest.raises(ServiceError) as refused:
            reorder(shop.session, stranger, order_id=placed.order_id, erp=shop.erp)
        assert refused.value.code in ("orders.error.not_found", "error.permission_denied")
    with pytest.raises(ServiceError):
        reorder(shop.session, shop.actor(shop.ben), order_id=str(placed.order_id), erp=shop.erp)
    assert _cart(shop, bob) == {}
