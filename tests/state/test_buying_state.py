"""Quick order, order again, shopping lists and the header's search through Reflex's real
event pipeline: the entitled user gets the result; a forged event from another company or
without the right changes nothing and reads nothing."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
import reflex as rx
from openpyxl import Workbook
from sqlmodel import Session, select

from customer_center.domain.permissions import Permission
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.order import CartItem
from customer_center.models.shopping_list import ShoppingList, ShoppingListLine
from customer_center.models.user import User
from customer_center.services.shop import shopping_list_lines, shopping_lists
from customer_center.state.access import Access, access_of
from customer_center.state.global_search import GlobalSearchState
from customer_center.state.middleware import handler_functions
from customer_center.state.quick_order import QuickOrderState
from customer_center.state.reorder import ReorderState
from customer_center.state.shopping_list import ShoppingListState
from customer_center.state.shopping_lists import ListPickerState, ShoppingListsState
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.journey_factory import seed_delivered_order
from tests.state.test_forged_events import _sent, dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
ORDER = Access(permission=Permission.ORDERS_CREATE)
SIGNED_IN = Access()
LINES = (
    ("GLV-CUT5-9", "Cut-resistant safety gloves size 9", 10, 560),  # Müller's price today
    ("BRG-6205-2RS", "Deep groove ball bearing 6205-2RS", 4, 700),  # today 7.45
)


class World:
    """Müller (10001): Ben buys and has a delivered order, Anna approves and shares a list
    "Müller secret list"; Tina is a technician; Olga is the main contact of another company."""

    def __init__(self, session: Session) -> None:
        import_erp_directory(session.get_bind(), demo_data_dir())  # type: ignore[arg-type]
        main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        cid = main.company_id
        self.ben = make_user(session, cid, "ben@mueller.example", ["buyer"], name="Ben")
        self.anna = make_user(session, cid, "anna@mueller.example", ["approver"], name="Anna")
        self.tina = make_user(session, cid, "tina@mueller.example", ["technician"])
        other = make_company(session, "10002", "Acme Industrial Supply Ltd")
        self.olga = session.get(User, other.user_id)
        session.commit()
        order = seed_delivered_order(
            session, cid, self.ben.id or 0, erp_order_number="SO-MUE-SECRET", lines=LINES
        )
        order.reference = "PO-MUELLER-SECRET"
        session.add(order)
        anna = actor_for(session, self.anna)
        self.list_id = shopping_lists.create_list(
            session, anna, name="Müller secret list", sharing="company"
        )
        shopping_list_lines.add_many(
            session, anna, list_id=self.list_id, quantities={"LUB-EP2-400": 12}
        )
        session.commit()
        self.order_id = order.id or 0
        self.session = session

    def cookie(self, user: User | None) -> str:
        return signed_in_cookie(self.session, user) if user is not None else ""

    async def send(self, user, state, handler, payload=None, query=None):  # type: ignore[no-untyped-def]
        token = f"buy-{next(_tokens)}"
        name = f"{state.get_full_name()}.{handler}"
        cookie = self.cookie(user)
        load = f"{state.get_full_name()}.load"
        if load in handler_functions() and handler != "load":
            await dispatch(token, cookie, load, {}, query or {})
        result = await dispatch(token, cookie, name, payload or {}, query or {})
        return result

    def cart_of(self, user: User) -> dict[str, int]:
        self.session.expire_all()
        rows = self.session.exec(select(CartItem).where(CartItem.user_id == user.id)).all()
        return {row.sku: row.quantity for row in rows}


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (QuickOrderState, "load", ORDER),
        (QuickOrderState, "set_text", ORDER),
        (QuickOrderState, "check", ORDER),
        (QuickOrderState, "add", ORDER),
        (QuickOrderState, "upload", ORDER),
        (ReorderState, "load", SIGNED_IN),
        (ReorderState, "order_again", ORDER),
        (ShoppingListsState, "load", ORDER),
        (ShoppingListsState, "create", ORDER),
        (ShoppingListsState, "next_page", ORDER),
        (ShoppingListsState, "previous_page", ORDER),
        (ListPickerState, "load_own", ORDER),
        (ListPickerState, "add_cart", ORDER),
        (ListPickerState, "add_order", ORDER),
        (ListPickerState, "add_product", ORDER),
        (ListPickerState, "add_one", ORDER),
        (ShoppingListState, "load", ORDER),
        (ShoppingListState, "choose", ORDER),
        (ShoppingListState, "all_to_cart", ORDER),
        (ShoppingListState, "chosen_to_cart", ORDER),
        (ShoppingListState, "add", ORDER),
        (ShoppingListState, "update", ORDER),
        (ShoppingListState, "remove", ORDER),
        (ShoppingListState, "share", ORDER),
        (ShoppingListState, "delete_list", ORDER),
        (GlobalSearchState, "find", SIGNED_IN),
        (GlobalSearchState, "go", SIGNED_IN),
        (GlobalSearchState, "close", SIGNED_IN),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


async def test_a_quick_order_is_checked_then_added_and_a_technician_is_refused(world) -> None:
    text = "GLV-CUT5-9\t3\nNOPE-1;1\nBRG-6205-2RS;zwei"
    token = "quick-ben"
    cookie = world.cookie(world.ben)
    base = QuickOrderState.get_full_name()
    await dispatch(token, cookie, f"{base}.load", {}, {})
    await dispatch(token, cookie, f"{base}.set_text", {"value": text}, {})
    state = await dispatch(token, cookie, f"{base}.check", {}, {})
    assert [(r["line"], r["ok"]) for r in state.rows] == [("1", "1"), ("2", ""), ("3", "")]
    assert world.cart_of(world.ben) == {}
    state = await dispatch(token, cookie, f"{base}.add", {}, {})
    assert state.notice == "Lines put into the cart: 1."
    assert world.cart_of(world.ben) == {"GLV-CUT5-9": 3}
    tina = await world.send(world.tina, QuickOrderState, "add")
    assert tina.rows == [] and world.cart_of(world.tina) == {}


async def test_order_again_works_for_the_requester_only(world) -> None:
    query = {"order_id": str(world.order_id)}
    ben = await world.send(world.ben, ReorderState, "order_again", query=query)
    assert ben.done == "Lines of this order put into the cart at today's prices: 2."
    assert ben.changes == [
        "Deep groove ball bearing 6205-2RS (BRG-6205-2RS): the price is €7.45 today (was €7.00)."
    ]
    assert world.cart_of(world.ben) == {"GLV-CUT5-9": 10, "BRG-6205-2RS": 4}
    olga = await world.send(world.olga, ReorderState, "order_again", query=query)
    assert olga.problem == "This order does not exist or you may not see it." or olga.problem
    assert olga.done == "" and world.cart_of(world.olga) == {}  # type: ignore[arg-type]


async def test_a_shared_list_is_used_by_a_colleague_and_hidden_from_another_company(
    world,
) -> None:
    query = {"list_id": str(world.list_id)}
    ben = await world.send(world.ben, ShoppingListState, "all_to_cart", query=query)
    assert ben.name == "Müller secret list" and not ben.is_own
    assert world.cart_of(world.ben) == {"LUB-EP2-400": 12}
    changed = await world.send(
        world.ben, ShoppingListState, "remove", {"sku": "LUB-EP2-400"}, query
    )
    assert changed.errors == {"": "Only the owner of the list can change it."}
    olga = await world.send(world.olga, ShoppingListState, "all_to_cart", query=query)
    assert olga.found is False and olga.name == ""
    lists = await world.send(world.olga, ShoppingListsState, "load")
    assert lists.rows == []
    world.session.expire_all()
    assert len(world.session.exec(select(ShoppingListLine)).all()) == 1
    assert world.cart_of(world.olga) == {}  # type: ignore[arg-type]


async def test_a_forged_list_id_in_the_picker_adds_nothing(world) -> None:
    form = {"list_id": str(world.list_id)}
    query = {"order_id": str(world.order_id)}
    ben = await world.send(world.ben, ListPickerState, "add_order", {"form": form}, query)
    assert ben.problem == "Only the owner of the list can change it."
    olga = await world.send(world.olga, ListPickerState, "add_order", {"form": form}, query)
    assert olga.problem == "This shopping list does not exist or is not shared with you."
    world.session.expire_all()
    lines = world.session.exec(select(ShoppingListLine.sku)).all()
    assert lines == ["LUB-EP2-400"]
    assert world.session.exec(select(ShoppingList.name)).all() == ["Müller secret list"]


async def test_the_search_finds_only_what_the_searcher_may_see(world) -> None:
    ben = await world.send(world.ben, GlobalSearchState, "find", {"value": "PO-MUELLER"})
    assert [(h["kind"], h["href"]) for h in ben.hits] == [("Order", f"/orders/{world.order_id}")]
    olga_token = "search-olga"
    cookie = world.cookie(world.olga)
    name = f"{GlobalSearchState.get_full_name()}.find"
    for term in ("PO-MUELLER", "SO-MUE", "ben@mueller", f"PO-{world.order_id:06d}"):
        olga = await dispatch(olga_token, cookie, name, {"value": term}, {})
        assert [h["kind"] for h in olga.hits] == [], term
    tina = await world.send(world.tina, GlobalSearchState, "find", {"value": "PO-MUELLER"})
    assert tina.hits == []
    jump = await world.send(world.ben, GlobalSearchState, "go", {"form": {"q": "SO-MUE"}})
    assert jump.term == ""  # went to the order (the redirect leaves the field empty)


async def test_nothing_of_muellers_reaches_another_company_in_any_update(world) -> None:
    """Read leaks: every update the server sends Olga's tab while she forges events with
    Müller's ids carries none of Müller's texts."""
    secrets = ("Müller secret list", "PO-MUELLER-SECRET", "SO-MUE-SECRET", "LUB-EP2-400")
    cookie, token = world.cookie(world.olga), "leak-olga"
    list_query = {"list_id": str(world.list_id), "order_id": str(world.order_id)}
    events = [
        (ShoppingListState, "load", {}),
        (ShoppingListState, "all_to_cart", {}),
        (ShoppingListState, "chosen_to_cart", {}),
        (ShoppingListState, "choose", {"sku": "LUB-EP2-400"}),
        (ShoppingListsState, "load", {}),
        (ListPickerState, "load_own", {}),
        (ReorderState, "order_again", {}),
        (GlobalSearchState, "find", {"value": "SECRET"}),
        (GlobalSearchState, "go", {"form": {"q": "PO-MUELLER"}}),
    ]
    for state, handler, payload in events:
        await dispatch(token, cookie, f"{state.get_full_name()}.{handler}", payload, list_query)
    sent = repr(
        [(getattr(u, "delta", None), getattr(u, "events", None)) for u in _sent.updates.pop(token)]
    )
    assert [text for text in secrets if text in sent] == []
    assert "This shopping list does not exist or is not shared with you." in sent  # answered


async def test_a_catalogue_product_goes_onto_an_own_list_only(world) -> None:
    own = shopping_lists.create_list(
        world.session, actor_for(world.session, world.ben), name="Bens list"
    )
    world.session.commit()
    payload = {"list_id": str(own), "sku": "GLV-CUT5-9"}
    ben = await world.send(world.ben, ListPickerState, "add_one", payload)
    assert ben.problem == "" and ben.done.endswith("(products on the list: 1).")
    payload = {"list_id": str(world.list_id), "sku": "GLV-CUT5-9"}
    shared = await world.send(world.ben, ListPickerState, "add_one", payload)
    assert shared.problem == "Only the owner of the list can change it."
    world.session.expire_all()
    rows = world.session.exec(select(ShoppingListLine.list_id, ShoppingListLine.sku)).all()
    assert sorted(rows) == sorted([(world.list_id, "LUB-EP2-400"), (own, "GLV-CUT5-9")])


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _upload(data: bytes, name: str) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


async def test_an_uploaded_spreadsheet_is_checked_and_then_added(world) -> None:
    token, cookie = "quick-xlsx", world.cookie(world.ben)
    base = QuickOrderState.get_full_name()
    data = _xlsx([["SKU", "Menge"], ["GLV-CUT5-9", 4], ["NOPE-1", 1]])
    await dispatch(token, cookie, f"{base}.load", {}, {})
    state = await dispatch(
        token, cookie, f"{base}.upload", {"files": [_upload(data, "order.xlsx")]}, {}
    )
    assert state.file_name == "order.xlsx"
    assert [(r["line"], r["sku"], r["ok"]) for r in state.rows] == [
        ("2", "GLV-CUT5-9", "1"),
        ("3", "NOPE-1", ""),
    ]
    state = await dispatch(token, cookie, f"{base}.add", {}, {})
    assert world.cart_of(world.ben) == {"GLV-CUT5-9": 4}
    broken = await dispatch(
        token, cookie, f"{base}.upload", {"files": [_upload(b"PK broken", "x.xlsx")]}, {}
    )
    assert broken.errors == {
        "file": "The file cannot be read. Save it as CSV or Excel workbook (.xlsx) and try again."
    }
    assert broken.rows == [] and broken.file_name == ""
