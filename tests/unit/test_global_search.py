"""The header's search: orders, products and users, each by company and right."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from customer_center.domain.orders import number_of, parse_order_number
from customer_center.models.order import Order
from customer_center.services.search import HitKind, search
from tests.factories import make_user
from tests.order_factories import FakeErp, Shop


class SearchErp(FakeErp):
    """The order factories' ERP with a catalogue search over its products."""

    def list_products(self, customer_number, search="", offset=0, limit=50, *, day=None):  # type: ignore[no-untyped-def]
        offers = self.get_offers(customer_number, sorted(self.prices)).values()
        term = search.lower()
        found = [
            o for o in offers if term in o.product.sku.lower() or term in o.product.name.lower()
        ]
        return found[offset : offset + limit]


@pytest.fixture
def shop(session: Session) -> Shop:
    made = Shop.create(session)
    made.erp = SearchErp()
    return made


def _found(shop: Shop, actor, term: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (h.kind.value, h.title) for h in search(shop.session, actor, term=term, erp=shop.erp).hits
    ]


def _set(shop: Shop, order_id: int, **values: str) -> None:
    order = shop.session.get(Order, order_id)
    assert order is not None
    for key, value in values.items():
        setattr(order, key, value)
    shop.session.add(order)
    shop.session.commit()


def test_order_numbers_are_read_as_users_quote_them() -> None:
    assert parse_order_number(" po-000042 ") == 42
    assert parse_order_number("PO-42") == 42
    for other in ("PO-", "PO-0", "42", "PO-4x", "SO-42", "PO-" + "9" * 20):
        assert parse_order_number(other) is None


def test_an_order_is_found_by_number_reference_and_the_sellers_number(shop) -> None:
    placed = shop.order()
    _set(shop, placed.order_id, reference="ACME-7788", erp_order_number="SO-55123")
    ben = shop.actor(shop.ben)
    number = number_of(placed.order_id)
    for term in (number, number.lower(), "acme-77", "SO-551"):
        assert _found(shop, ben, term) == [("order", number)], term


def test_only_orders_one_may_see_are_found(shop) -> None:
    placed = shop.order()
    _set(shop, placed.order_id, reference="ACME-7788")
    bob = make_user(shop.session, shop.main.company_id, "bob@acme.example", ["buyer"])
    shop.session.commit()
    assert _found(shop, shop.actor(bob), "ACME-7788") == []  # a colleague's order
    assert _found(shop, shop.actor(shop.anna), "ACME-7788") != []  # sees all orders
    assert _found(shop, shop.other_main, "ACME-7788") == []  # another company
    assert _found(shop, shop.other_main, number_of(placed.order_id)) == []
    assert _found(shop, shop.actor(shop.tina), "ACME-7788") == []  # a technician


def test_products_by_sku_or_name_and_users_only_for_who_manages_them(shop) -> None:
    shop.erp.list_products = (
        lambda number, term, offset, limit: [  # type: ignore[attr-defined]
            o
            for o in shop.erp.get_offers(number, ["BOLT-M8", "GLOVES-9"]).values()
            if term.lower() in o.product.sku.lower() or term.lower() in o.product.name.lower()
        ][:limit]
    )
    ben = shop.actor(shop.ben)
    assert _found(shop, ben, "bolt") == [("product", "Product BOLT-M8")]
    assert [k for k, _ in _found(shop, ben, "anna")] == []  # a buyer does not see users
    hits = search(shop.session, shop.main, term="anna@", erp=shop.erp).hits
    assert [(h.kind, h.title, h.detail) for h in hits] == [
        (HitKind.USER, "Anna", "anna@acme.example")
    ]
    assert search(shop.session, shop.other_main, term="anna@", erp=shop.erp).hits == []


def test_short_terms_and_odd_values_find_nothing(shop) -> None:
    shop.order()
    for term in ("", " P ", None, {"q": "PO"}, 12):
        assert search(shop.session, shop.main, term=term, erp=shop.erp).hits == []
    assert _found(shop, shop.main, "%") == []  # LIKE wildcards are literal
