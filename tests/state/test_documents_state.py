"""The documents page and the order page's documents through Reflex's real event pipeline:
who may call what, what a forged event gets, and that no row of the ERP reaches the browser
beyond the display strings of what the reader may see."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session

from customer_center.domain.permissions import Permission
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.user import User
from customer_center.state.access import Access, access_of
from customer_center.state.documents import DocumentsState
from customer_center.state.middleware import handler_functions
from customer_center.state.order_documents import OrderDocumentsState
from customer_center.state.order_totals import OrderTotalsState
from tests.document_factories import order_in_erp
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
DOCUMENTS = Access(permission=Permission.DOCUMENTS_VIEW)
ROW_KEYS = {
    "number",
    "kind",
    "kind_label",
    "issued",
    "title",
    "order",
    "order_href",
    "href",
    "download_label",
}


class Docs:
    def __init__(self, session: Session) -> None:
        engine = session.get_bind()
        import_erp_directory(engine, demo_data_dir())  # type: ignore[arg-type]
        main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        self.main = session.get(User, main.user_id)
        self.controller = make_user(session, main.company_id, "c@mueller.example", ["controller"])
        self.technician = make_user(session, main.company_id, "t@mueller.example", ["technician"])
        self.nobody = make_user(session, main.company_id, "n@mueller.example", [])
        other = make_company(session, "10002", "Acme Industrial Supply Ltd")
        self.stranger = session.get(User, other.user_id)
        session.commit()
        self.order_id, self.number = order_in_erp(session, engine, main, {"GLV-CUT5-9": 2})
        self.session = session

    async def send(self, user: User | None, state: type, handler: str, payload=None, query=None):  # type: ignore[no-untyped-def]
        cookie = signed_in_cookie(self.session, user) if user is not None else ""
        name = f"{state.get_full_name()}.{handler}"
        return await dispatch(f"docs-{next(_tokens)}", cookie, name, payload or {}, query or {})


@pytest.fixture
def docs(session: Session) -> Docs:
    return Docs(session)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (DocumentsState, "load", DOCUMENTS),
        (DocumentsState, "set_kind", DOCUMENTS),
        (DocumentsState, "set_date_from", DOCUMENTS),
        (DocumentsState, "set_date_to", DOCUMENTS),
        (DocumentsState, "set_order", DOCUMENTS),
        (DocumentsState, "reset_filters", DOCUMENTS),
        (DocumentsState, "next_page", DOCUMENTS),
        (DocumentsState, "previous_page", DOCUMENTS),
        (OrderDocumentsState, "load", Access()),
        (OrderTotalsState, "load", Access()),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


def test_the_documents_states_have_no_other_handlers() -> None:
    modules = {
        "customer_center.state.documents",
        "customer_center.state.order_documents",
        "customer_center.state.order_totals",
    }
    ours = [fn for fn in handler_functions().values() if fn.__module__ in modules]
    assert len(ours) == 10


async def test_a_controller_lists_and_filters_the_companys_documents(docs: Docs) -> None:
    state = await docs.send(docs.controller, DocumentsState, "load")
    assert state.total == 7 and len(state.rows) == 7
    assert all(set(row) == ROW_KEYS for row in state.rows)
    assert {k["value"] for k in state.kinds} >= {"invoice", "credit_note"}
    [invoice] = [r for r in state.rows if r["kind"] == "invoice"]
    assert invoice["href"] == f"/documents/files/{docs.number.replace('SO-', 'INV-')}.pdf"
    assert invoice["order_href"] == f"/orders/{docs.order_id}"
    filtered = await docs.send(
        docs.controller, DocumentsState, "load", query={"order": f"PO-{docs.order_id:06d}"}
    )
    assert filtered.total == 4


async def test_a_technician_never_gets_invoices_even_by_a_forged_filter(docs: Docs) -> None:
    state = await docs.send(docs.technician, DocumentsState, "load")
    assert state.total == 5
    assert {r["kind"] for r in state.rows} <= {"certificate", "order_confirmation", "delivery_note"}
    assert "invoice" not in {k["value"] for k in state.kinds}
    forged = await docs.send(docs.technician, DocumentsState, "set_kind", {"value": "invoice"})
    assert forged.kind == "all"
    assert all(r["kind"] not in ("invoice", "credit_note") for r in forged.rows)


@pytest.mark.parametrize("who", ["nobody", "signed_out"])
async def test_without_the_right_nothing_is_listed(docs: Docs, who: str) -> None:
    user = docs.nobody if who == "nobody" else None
    for handler, payload in (("load", {}), ("set_order", {"value": docs.number})):
        state = await docs.send(user, DocumentsState, handler, payload)
        assert state.rows == [] and state.total == 0


async def test_another_company_sees_none_of_muellers_documents(docs: Docs) -> None:
    state = await docs.send(docs.stranger, DocumentsState, "set_order", {"value": docs.number})
    assert state.rows == [] and state.total == 0
    forged = await docs.send(
        docs.stranger, OrderDocumentsState, "load", query={"order_id": str(docs.order_id)}
    )
    assert forged.rows == []
    everything = await docs.send(docs.stranger, DocumentsState, "load")
    assert all(not r["number"].startswith(("CERT-10001", "INV-")) for r in everything.rows)


async def test_the_order_page_shows_the_documents_of_the_order(docs: Docs) -> None:
    query = {"order_id": str(docs.order_id)}
    state = await docs.send(docs.controller, OrderDocumentsState, "load", query=query)
    assert state.may_view
    assert sorted(r["kind"] for r in state.rows) == [
        "credit_note",
        "delivery_note",
        "invoice",
        "order_confirmation",
    ]
    technician = await docs.send(docs.technician, OrderDocumentsState, "load", query=query)
    assert technician.rows == []  # the order is not theirs to see
    for odd in ("x", "-1", "99999999999999999999"):
        odd_state = await docs.send(docs.main, OrderDocumentsState, "load", query={"order_id": odd})
        assert odd_state.rows == []


async def test_the_order_page_totals_match_the_invoice_and_stay_in_the_company(docs: Docs) -> None:
    query = {"order_id": str(docs.order_id)}
    state = await docs.send(docs.controller, OrderTotalsState, "load", query=query)
    # 2 x 5.60 = 11.20 goods, 9.90 standard shipping, 19 % VAT on 21.10 = 4.01, 25.11 gross
    assert [(r["kind"], r["amount"]) for r in state.rows] == [
        ("goods", "€11.20"),
        ("shipping", "€9.90"),
        ("net", "€21.10"),
        ("vat", "€4.01"),
        ("gross", "€25.11"),
    ]
    for user in (docs.stranger, docs.technician, None):
        forged = await docs.send(user, OrderTotalsState, "load", query=query)
        assert forged.rows == []
