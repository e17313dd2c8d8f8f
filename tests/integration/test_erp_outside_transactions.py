"""No ERP call while a database transaction is open (issue 20): every page that reads from
the ERP, run as its state runs it (a service in a unit of work, the wired ERP client), asks
the ERP only while no transaction of the portal is open; the guard refuses (in the tests) an
ERP call after a write, and ends a transaction that only read, keeping what it read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from customer_center.domain.order_lines import EnteredLine
from customer_center.integrations.erp import transaction_guard
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.integrations.erp.transaction_guard import (
    ErpCallInTransaction,
    GuardedErpClient,
    guarded,
)
from customer_center.models.user import User
from customer_center.services import search
from customer_center.services.dashboard.main_contact import company_view
from customer_center.services.documents import documents
from customer_center.services.orders.reorder import reorder
from customer_center.services.shop import (
    cart,
    catalogue,
    checkout,
    invoice_preview,
    quick_order,
    shopping_lists,
)
from customer_center.services.shop import shopping_list_lines as list_lines
from customer_center.services.shop.checkout import CheckoutRequest
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.base import run_in_transaction
from tests.factories import actor_for, make_company, make_user
from tests.journey_factory import make_order

MUELLER = "10001"


class Timeline:
    """Which sessions have a transaction open, watched through SQLAlchemy's own events (not
    the guard's bookkeeping), and every ERP call with the number open when it was made."""

    def __init__(self) -> None:
        self.open: set[int] = set()
        self.calls: list[tuple[str, int]] = []

    def began(self, session: OrmSession, _transaction: Any, _connection: Any) -> None:
        self.open.add(id(session))

    def ended(self, session: OrmSession, transaction: Any) -> None:
        if transaction.parent is None:
            self.open.discard(id(session))


class RecordingErp:
    def __init__(self, inner: ErpClient, timeline: Timeline) -> None:
        self.inner, self.timeline = inner, timeline

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.timeline.calls.append((name, len(self.timeline.open)))
            return attribute(*args, **kwargs)

        return call


@pytest.fixture
def timeline() -> Iterator[Timeline]:
    watched = Timeline()
    event.listen(OrmSession, "after_begin", watched.began)
    event.listen(OrmSession, "after_transaction_end", watched.ended)
    assert transaction_guard.STRICT  # tests/conftest.py: a call after a write raises
    yield watched
    event.remove(OrmSession, "after_begin", watched.began)
    event.remove(OrmSession, "after_transaction_end", watched.ended)


class Shop:
    def __init__(self, engine: Engine, session: Session) -> None:
        import_erp_directory(engine, demo_data_dir())
        self.main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
        ben = make_user(session, self.main.company_id, "ben@mueller.example", ["buyer"])
        self.ben = actor_for(session, ben)
        erp = EmbeddedErpClient(engine)
        skus = [o.product.sku for o in erp.list_products(MUELLER, "", 0, 3)]
        self.skus = skus
        for sku in skus[:2]:
            cart.add_to_cart(session, self.ben, erp=erp, sku=sku, quantity=2)
        self.list_id = shopping_lists.create_list(session, self.ben, name="Monthly")
        list_lines.add_product(
            session, self.ben, list_id=self.list_id, erp=erp, sku=skus[0], quantity=3
        )
        lines = ((skus[0], "Product", 2, 745),)
        order = make_order(session, self.main.company_id, ben.id, lines=lines)  # type: ignore[arg-type]
        self.order_id = order.id
        session.commit()


@pytest.fixture
def shop(db: Engine, session: Session) -> Shop:
    return Shop(db, session)


def page_reads(shop: Shop) -> dict[str, Callable[[ErpClient], Any]]:
    """Each page that reads from the ERP, called as its state calls it."""
    ben, main = shop.ben, shop.main
    entered = [EnteredLine(1, shop.skus[0], 4), EnteredLine(2, "NO-SUCH", 1)]
    return {
        "cart": lambda erp: run_in_transaction(cart.cart_view, ben, erp=erp),
        "catalogue": lambda erp: run_in_transaction(
            catalogue.catalogue_page, ben, erp=erp, search="", page=0
        ),
        "checkout": lambda erp: run_in_transaction(checkout.checkout_options, ben, erp=erp),
        "quick order": lambda erp: run_in_transaction(
            quick_order.check_lines, ben, erp=erp, lines=entered
        ),
        "shopping list": lambda erp: run_in_transaction(
            list_lines.list_detail, ben, list_id=shop.list_id, erp=erp
        ),
        "order totals": lambda erp: run_in_transaction(
            invoice_preview.order_totals, main, erp=erp, order_id=shop.order_id
        ),
        "documents": lambda erp: run_in_transaction(
            documents.list_documents, main, erp=erp, query=documents.DocumentQuery()
        ),
        "search": lambda erp: run_in_transaction(search.search, ben, term="bearing", erp=erp),
        "dashboard": lambda erp: run_in_transaction(company_view, main, erp=erp),
    }


def test_the_wired_client_is_guarded() -> None:
    assert isinstance(erp_client(), GuardedErpClient)


@pytest.mark.parametrize(
    "page",
    [
        "cart",
        "catalogue",
        "checkout",
        "quick order",
        "shopping list",
        "order totals",
        "documents",
        "search",
        "dashboard",
    ],
)
def test_every_page_asks_the_erp_with_no_transaction_open(
    shop: Shop, timeline: Timeline, db: Engine, page: str
) -> None:
    read = page_reads(shop)[page]
    read(guarded(RecordingErp(EmbeddedErpClient(db), timeline)))
    assert timeline.calls, "the page asks the ERP"
    assert [(name, open_) for name, open_ in timeline.calls if open_] == []


def test_without_the_guard_the_cart_would_ask_inside_its_transaction(
    shop: Shop, timeline: Timeline, db: Engine
) -> None:
    page_reads(shop)["cart"](RecordingErp(EmbeddedErpClient(db), timeline))
    assert any(open_ for _, open_ in timeline.calls)  # what the test above would catch


def test_writing_pages_ask_the_erp_before_they_write(
    shop: Shop, timeline: Timeline, db: Engine
) -> None:
    erp = guarded(RecordingErp(EmbeddedErpClient(db), timeline))
    run_in_transaction(cart.add_to_cart, shop.ben, erp=erp, sku=shop.skus[2], quantity=1)
    run_in_transaction(reorder, shop.ben, order_id=shop.order_id, erp=erp)
    entered = [EnteredLine(1, shop.skus[1], 2)]
    run_in_transaction(quick_order.add_lines, shop.ben, erp=erp, lines=entered)
    run_in_transaction(
        list_lines.add_product,
        shop.ben,
        list_id=shop.list_id,
        erp=erp,
        sku=shop.skus[1],
        quantity=1,
    )
    run_in_transaction(
        list_lines.to_cart, shop.ben, list_id=shop.list_id, erp=erp, skus=[shop.skus[0]]
    )
    options = run_in_transaction(checkout.checkout_options, shop.ben, erp=erp)
    request = CheckoutRequest(
        delivery_choice=options.default_delivery,
        billing_choice=options.default_billing,
        new_delivery={},
        payment_method="invoice",
        shipping_method="standard",
        reference="",
        comment="",
    )
    timeline.calls.clear()
    outcome = run_in_transaction(
        checkout.place_order, shop.ben, settings=get_settings(), erp=erp, request=request
    )
    assert outcome.order_id
    assert {name for name, _ in timeline.calls} == {"list_addresses", "get_offers", "get_vat_rate"}
    assert len(timeline.calls) == 3  # asked once each, before the cart was locked
    assert timeline.calls and all(open_ == 0 for _, open_ in timeline.calls)


def test_a_call_after_a_write_is_refused_and_a_read_keeps_its_objects(
    shop: Shop, timeline: Timeline, db: Engine
) -> None:
    erp = guarded(EmbeddedErpClient(db))
    with Session(db, expire_on_commit=True) as session:
        ben = session.exec(select(User).where(User.email == "ben@mueller.example")).one()
        erp.get_customer(MUELLER)  # ends the read-only transaction ...
        assert not session.in_transaction()
        assert ben.email == "ben@mueller.example"  # ... and what it read stays loaded
        assert not session.in_transaction()
        session.exec(update(User).where(User.id == ben.id).values(name="Ben B."))
        with pytest.raises(ErpCallInTransaction):
            erp.get_customer(MUELLER)
        session.rollback()
        session.exec(select(User).where(User.id == ben.id).with_for_update()).one()
        with pytest.raises(ErpCallInTransaction):  # a lock is held: as good as a write
            erp.get_customer(MUELLER)
        session.rollback()
        assert ben.name  # read again (the rollback expired it) ...
        ben.name = "Ben C."  # ... then changed
        with pytest.raises(ErpCallInTransaction):  # a change not yet flushed
            erp.get_customer(MUELLER)
        session.rollback()
    with Session(db) as session, session.begin():
        session.exec(select(User)).first()
        with pytest.raises(ErpCallInTransaction):  # its block expects the transaction open
            erp.get_customer(MUELLER)


def test_outside_the_tests_a_call_after_a_write_is_logged(
    shop: Shop, db: Engine, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transaction_guard, "STRICT", False)  # as in the portal
    erp = guarded(EmbeddedErpClient(db))
    with Session(db) as session:
        session.exec(update(User).where(User.email == "ben@mueller.example").values(name="B"))
        assert erp.get_customer(MUELLER) is not None
        session.rollback()
    assert "ERP call get_customer while a database transaction that wrote is open" in caplog.text
