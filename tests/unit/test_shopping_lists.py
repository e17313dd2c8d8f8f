"""Shopping lists: own and shared lists, who sees and changes them, lines, into the cart."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_lines import LineProblem
from customer_center.domain.shopping_lists import Sharing, parse_sharing
from customer_center.models.shopping_list import ShoppingList
from customer_center.models.user import User
from customer_center.services.shop import cart
from customer_center.services.shop import shopping_list_lines as lines
from customer_center.services.shop import shopping_lists as lists
from customer_center.services.shop.shopping_lists import PAGE_SIZE
from tests.factories import make_user, role_id
from tests.order_factories import FakeErp, Shop


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


def _visible(shop: Shop, user) -> list[str]:  # type: ignore[no-untyped-def]
    page = lists.lists_page(shop.session, shop.actor(user))
    return sorted(summary.name for summary in page.lists)


def test_parse_sharing_accepts_only_the_three_shapes() -> None:
    assert parse_sharing("private").sharing is Sharing.PRIVATE  # type: ignore[union-attr]
    assert parse_sharing("company").sharing is Sharing.COMPANY  # type: ignore[union-attr]
    assert parse_sharing("role:12").role_id == 12  # type: ignore[union-attr]
    for bad in ("role:", "role:x", "role:²", "team", {"a": 1}, "role:" + "9" * 20):
        assert parse_sharing(bad) is None


def test_a_private_list_is_seen_by_its_owner_only(shop) -> None:
    anna = shop.actor(shop.anna)
    lists.create_list(shop.session, anna, name="  Anna's   bits ", sharing="private")
    assert _visible(shop, shop.anna) == ["Anna's bits"]
    assert _visible(shop, shop.ben) == []
    assert lists.lists_page(shop.session, shop.other_main).lists == []


def test_a_list_shared_with_the_company_or_a_role_is_seen_by_those(shop) -> None:
    anna = shop.actor(shop.anna)  # an approver: may share
    lists.create_list(shop.session, anna, name="Workshop", sharing="company")
    approvers = role_id(shop.session, shop.main.company_id, "approver")
    lists.create_list(shop.session, anna, name="Approvers", sharing=f"role:{approvers}")
    assert _visible(shop, shop.ben) == ["Workshop"]
    assert _visible(shop, shop.carl) == ["Approvers", "Workshop"]
    assert lists.lists_page(shop.session, shop.other_main).lists == []


def test_sharing_needs_the_right_and_a_role_of_the_own_company(shop) -> None:
    ben = shop.actor(shop.ben)  # a buyer: no lists.share
    with pytest.raises(ServiceError) as refused:
        lists.create_list(shop.session, ben, name="Mine", sharing="company")
    assert refused.value.code == "error.permission_denied"
    other_role = role_id(shop.session, shop.other_main.company_id, "buyer")
    with pytest.raises(ValidationFailed):
        lists.create_list(
            shop.session, shop.actor(shop.anna), name="X", sharing=f"role:{other_role}"
        )
    with pytest.raises(ValidationFailed):
        lists.create_list(shop.session, ben, name="   ", sharing="private")
    assert shop.session.exec(select(ShoppingList)).all() == []


def test_only_the_owner_changes_a_shared_list_and_colleagues_use_it(shop) -> None:
    anna, ben = shop.actor(shop.anna), shop.actor(shop.ben)
    list_id = lists.create_list(shop.session, anna, name="Workshop", sharing="company")
    lines.add_product(
        shop.session, anna, list_id=str(list_id), erp=shop.erp, sku="bolt-m8", quantity="100"
    )
    lines.add_many(shop.session, anna, list_id=list_id, quantities={"GLOVES-9": 4})
    for change in (
        lambda: lines.add_many(shop.session, ben, list_id=list_id, quantities={"GLOVES-9": 1}),
        lambda: lines.set_quantity(shop.session, ben, list_id=list_id, sku="BOLT-M8", quantity=1),
        lambda: lines.remove_line(shop.session, ben, list_id=list_id, sku="BOLT-M8"),
        lambda: lists.delete_list(shop.session, ben, list_id=list_id),
        lambda: lists.change_sharing(shop.session, ben, list_id=list_id, sharing="private"),
    ):
        with pytest.raises(ServiceError) as refused:
            change()
        assert refused.value.code == "lists.error.not_owner"
    detail = lines.list_detail(shop.session, ben, list_id=str(list_id), erp=shop.erp)
    assert [(v.sku, v.quantity, v.unit_price_cents) for v in detail.lines] == [
        ("BOLT-M8", 100, 50),
        ("GLOVES-9", 4, 640),
    ]
    assert detail.owner == "Anna" and not detail.is_own
    check = lines.to_cart(shop.session, ben, list_id=list_id, erp=shop.erp, skus=["GLOVES-9"])
    assert check.added == 1
    assert {i.sku: i.quantity for i in cart.cart_items(shop.session, ben)} == {"GLOVES-9": 4}
    lines.to_cart(shop.session, ben, list_id=list_id, erp=shop.erp)
    assert {i.sku: i.quantity for i in cart.cart_items(shop.session, ben)} == {
        "GLOVES-9": 8,
        "BOLT-M8": 100,
    }


def test_another_company_and_unshared_lists_are_not_found(shop) -> None:
    anna = shop.actor(shop.anna)
    private = lists.create_list(shop.session, anna, name="Private")
    shared = lists.create_list(shop.session, anna, name="Shared", sharing="company")
    for who, list_id in ((shop.actor(shop.ben), private), (shop.other_main, shared)):
        for attempt in (
            lambda: lines.list_detail(shop.session, who, list_id=list_id, erp=shop.erp),
            lambda: lines.to_cart(shop.session, who, list_id=list_id, erp=shop.erp),
        ):
            with pytest.raises(ServiceError) as refused:
                attempt()
            assert refused.value.code == "lists.error.not_found"
    for odd in ("1.0", "-1", "", None, {"id": 1}, True, 2**40):
        with pytest.raises(ServiceError):
            lines.list_detail(shop.session, anna, list_id=odd, erp=shop.erp)


def test_lists_take_the_cart_and_an_order(shop) -> None:
    ben = shop.actor(shop.ben)
    placed = shop.order(lines={"MOTOR-4KW": 2, "BOLT-M8": 5})
    list_id = lists.create_list(shop.session, ben, name="Mine")
    assert lines.add_order(shop.session, ben, list_id=list_id, order_id=placed.order_id) == 2
    cart.add_to_cart(shop.session, ben, erp=shop.erp, sku="BOLT-M8", quantity=1)
    assert lines.add_cart(shop.session, ben, list_id=list_id) == 2
    detail = lines.list_detail(shop.session, ben, list_id=list_id, erp=shop.erp)
    assert {v.sku: v.quantity for v in detail.lines} == {"MOTOR-4KW": 2, "BOLT-M8": 6}
    olga = shop.session.get(User, shop.other_main.user_id)
    theirs = shop.order(user=olga, lines={"GLOVES-9": 1})
    with pytest.raises(ServiceError) as refused:
        lines.add_order(shop.session, ben, list_id=list_id, order_id=theirs.order_id)
    assert refused.value.code == "orders.error.not_found"


def test_a_product_the_catalogue_no_longer_has_is_reported_when_put_into_the_cart(shop) -> None:
    ben = shop.actor(shop.ben)
    list_id = lists.create_list(shop.session, ben, name="Old")
    lines.add_many(shop.session, ben, list_id=list_id, quantities={"BOLT-M8": 1, "GONE-1": 2})
    check = lines.to_cart(shop.session, ben, list_id=list_id, erp=shop.erp)
    assert [(c.sku, c.problem) for c in check.lines] == [
        ("BOLT-M8", None),
        ("GONE-1", LineProblem.UNKNOWN),
    ]
    detail = lines.list_detail(shop.session, ben, list_id=list_id, erp=FakeErp())
    assert [v.available for v in detail.lines] == [True, False]


def test_the_page_of_lists_is_cut_in_sql(shop) -> None:
    carl = make_user(shop.session, shop.main.company_id, "c2@acme.example", ["buyer"])
    actor = shop.actor(carl)
    for n in range(PAGE_SIZE + 3):
        lists.create_list(shop.session, actor, name=f"List {n:02d}")
    first = lists.lists_page(shop.session, actor)
    last = lists.lists_page(shop.session, actor, page="1")
    assert (first.total, first.page_count, len(first.lists), len(last.lists)) == (23, 2, 20, 3)
    assert lists.lists_page(shop.session, actor, page="99").page == 1
    assert [n for _, n in lists.own_lists(shop.session, actor)][:2] == ["List 00", "List 01"]


def test_without_the_right_to_order_lists_are_closed(shop) -> None:
    tina = shop.actor(shop.tina)
    with pytest.raises(ServiceError):
        lists.lists_page(shop.session, tina)
    with pytest.raises(ServiceError):
        lists.create_list(shop.session, tina, name="Mine")
