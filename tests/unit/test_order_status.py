"""Status updates from the ERP: the status machine, parsing, the timeline, e-mails, CSV, HTTP."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center import cli
from customer_center.domain.order_journey import (
    JOURNEY,
    REPORTED_STATUSES,
    InvalidUpdate,
    ShippedLine,
    StatusUpdate,
    next_status,
    parse_update,
    rank,
    shipped_after,
)
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.people import UserStatus
from customer_center.http import erp_status
from customer_center.models.order import Order, OrderEvent
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.presenters.erp_updates import outcome_json, problem_messages
from customer_center.services.orders.erp_status import (
    APPLIED,
    DUPLICATE,
    RECORDED,
    REJECTED,
    StatusCsvError,
    apply_updates,
    import_status_csv,
    read_status_csv,
)
from customer_center.settings import (
    ConfigurationError,
    SmtpSettings,
    check_production,
    get_settings,
    load_settings,
)
from tests.conftest import IS_POSTGRES
from tests.factories import make_company, make_user
from tests.journey_factory import make_order

TOKEN = "erp-status-token-for-tests-0123456789abcdef"
NUMBER = "SO-100001"
ALL_STATUSES = (*JOURNEY, OrderStatus.CANCELLED, OrderStatus.APPROVED)


# --- the status machine ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "reported", "fully", "expected"),
    [
        (OrderStatus.SENT_TO_ERP, "confirmed", True, "confirmed"),
        (OrderStatus.SENT_TO_ERP, "shipped", True, "shipped"),  # stages may be skipped
        (OrderStatus.SENT_TO_ERP, "shipped", False, OrderStatus.PARTIALLY_SHIPPED),
        (OrderStatus.PARTIALLY_SHIPPED, "shipped", False, None),  # another part: status stays
        (OrderStatus.PARTIALLY_SHIPPED, "shipped", True, OrderStatus.SHIPPED),
        (OrderStatus.PARTIALLY_SHIPPED, "in_transit", False, None),  # concerns a part
        (OrderStatus.PARTIALLY_SHIPPED, "delivered", False, None),
        (OrderStatus.SHIPPED, "confirmed", True, None),  # late: recorded, never back
        (OrderStatus.SHIPPED, "in_transit", True, "in_transit"),
        ("in_transit", "delivered", True, OrderStatus.DELIVERED),
        ("picked", "cancelled", True, OrderStatus.CANCELLED),
        (OrderStatus.SHIPPED, "cancelled", True, None),  # too late to cancel
        ("confirmed", "returned", True, None),  # nothing shipped to return
        (OrderStatus.DELIVERED, "returned", True, OrderStatus.RETURNED),
        (OrderStatus.RETURNED, "delivered", True, None),
        (OrderStatus.CANCELLED, "confirmed", True, None),
        (OrderStatus.APPROVED, "confirmed", True, None),  # the ERP does not hold it yet
    ],
)
def test_next_status(current: str, reported: str, fully: bool, expected: str | None) -> None:
    assert next_status(current, reported, fully) == expected


@given(
    st.sampled_from(ALL_STATUSES),
    st.lists(st.tuples(st.sampled_from(REPORTED_STATUSES), st.booleans()), max_size=12),
)
def test_the_status_only_ever_moves_forward(start: str, reports: list[tuple[str, bool]]) -> None:
    status = start
    for reported, fully in reports:
        new = next_status(status, reported, fully)
        if new is None:
            continue
        assert status not in (OrderStatus.CANCELLED, OrderStatus.RETURNED, OrderStatus.APPROVED)
        if new == OrderStatus.CANCELLED:
            assert rank(status) < rank(OrderStatus.PARTIALLY_SHIPPED)
        else:
            assert rank(new) > rank(status)
        status = new


def test_parse_update_names_every_problem() -> None:
    with pytest.raises(InvalidUpdate) as caught:
        parse_update(
            {
                "update_id": "",
                "erp_order_number": "SO 1",
                "status": "lost",
                "occurred_at": "yesterday",
                "carrier": ["DHL"],
                "lines": [{"sku": "A-100", "quantity": 0}],
            }
        )
    assert {name: code for name, (code, _) in caught.value.problems.items()} == {
        "update_id": "erp_status.error.required",
        "erp_order_number": "erp_status.error.key_characters",
        "status": "erp_status.error.status",
        "occurred_at": "erp_status.error.moment",
        "carrier": "erp_status.error.not_text",
        "lines": "erp_status.error.lines_only_shipped",
    }
    with pytest.raises(InvalidUpdate) as caught:
        parse_update({"update_id": "u", "erp_order_number": "so-1", "status": "shipped",
                      "lines": [{"sku": "a-1", "quantity": "x"}, "no"]})  # fmt: skip
    assert set(caught.value.problems) == {"lines.1.quantity", "lines.2.lines"}
    with pytest.raises(InvalidUpdate):
        parse_update(["not", "an", "object"])


def test_parse_update_reads_times_and_lines() -> None:
    update = parse_update(
        {
            "update_id": "u-1",
            "erp_order_number": "so-100001",
            "status": "Shipped",
            "occurred_at": "2026-05-04T14:30:00+02:00",
            "carrier": "DHL",
            "tracking_number": "00340434",
            "lines": [{"sku": "a-100", "quantity": 2}, {"sku": "A-100", "quantity": "3"}],
        }
    )
    assert update.erp_order_number == NUMBER and update.status == "shipped"
    assert update.occurred_at is not None and update.occurred_at.hour == 12  # in UTC
    assert update.lines == (ShippedLine("A-100", 5),)  # one SKU twice: summed
    naive = parse_update({"update_id": "u", "erp_order_number": "1", "status": "picked",
                          "occurred_at": "2026-05-04 08:00"})  # fmt: skip
    assert naive.occurred_at is not None and naive.occurred_at.hour == 8


def test_shipped_lines_must_be_open_quantities_of_the_order() -> None:
    ordered = {"A-100": 10, "B-200": 4}
    update = StatusUpdate("u", NUMBER, "shipped", lines=(ShippedLine("A-100", 6),))
    after, problems = shipped_after(ordered, {"A-100": 5}, update)
    assert problems == {
        "lines.1.quantity": ("erp_status.error.quantity_exceeds", {"sku": "A-100", "open": 5})
    }
    unknown = StatusUpdate("u", NUMBER, "shipped", lines=(ShippedLine("Z-9", 1),))
    assert "lines.1.sku" in shipped_after(ordered, {}, unknown)[1]
    everything = StatusUpdate("u", NUMBER, "shipped")
    assert shipped_after(ordered, {"A-100": 5}, everything) == (ordered, {})


# --- applying updates ------------------------------------------------------------------------


class Journey:
    """An order of Ben's that the ERP holds as SO-100001, and its timeline and mails."""

    def __init__(self, engine: Engine, session: Session) -> None:
        main = make_company(session, "10001", "Müller Maschinenbau GmbH")
        self.ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"])
        self.order = make_order(
            session,
            main.company_id,
            self.ben.id,  # type: ignore[arg-type]
            status=OrderStatus.SENT_TO_ERP,
            erp_order_number=NUMBER,
        )
        self.engine = engine
        self.settings = get_settings()

    def send(self, *updates: dict, settings=None) -> list:  # type: ignore[no-untyped-def]
        outcomes = apply_updates(self.engine, settings or self.settings, list(updates))
        return [(o.result, o.status) for o in outcomes]

    def status(self) -> str:
        with Session(self.engine) as session:
            order = session.get(Order, self.order.id)
            assert order is not None
            return order.status

    def timeline(self) -> list[tuple[str, dict]]:
        with Session(self.engine) as session:
            events = session.exec(
                select(OrderEvent)
                .where(OrderEvent.order_id == self.order.id)
                .order_by(col(OrderEvent.id))
            ).all()
            return [(event.kind, event.data) for event in events]

    def mails(self) -> list[tuple[str, str]]:
        with Session(self.engine) as session:
            rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
            return [(m.payload["to"], m.payload["subject"]) for m in rows if m.kind == "email"]


def update(update_id: str, status: str, **extra: object) -> dict:
    return {"update_id": update_id, "erp_order_number": NUMBER, "status": status, **extra}


@pytest.fixture
def journey(db: Engine, session: Session) -> Journey:
    return Journey(db, session)


def test_an_erp_status_event_is_recorded_as_the_portal_itself(journey: Journey) -> None:
    assert journey.send(update("u1", "confirmed")) == [(APPLIED, "confirmed")]
    with Session(journey.engine) as session:
        event = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == journey.order.id, OrderEvent.kind == "erp.confirmed"
            )
        ).one()
    assert (event.actor_kind, event.actor_ref, event.actor_id) == ("system", None, None)


def test_updates_move_the_status_and_fill_the_timeline(journey: Journey) -> None:
    assert journey.send(update("u1", "confirmed")) == [(APPLIED, "confirmed")]
    shipped = update("u2", "shipped", carrier="DHL", tracking_number="0034", note="2 parcels")
    assert journey.send(shipped) == [(APPLIED, OrderStatus.SHIPPED)]
    assert journey.send(update("u3", "in_transit"), update("u4", "delivered")) == [
        (APPLIED, "in_transit"),
        (APPLIED, OrderStatus.DELIVERED),
    ]
    kinds = [kind for kind, _ in journey.timeline()]
    assert kinds == ["erp.confirmed", "erp.shipped", "erp.in_transit", "erp.delivered"]
    data = journey.timeline()[1][1]
    assert (data["carrier"], data["tracking_number"], data["partial"]) == ("DHL", "0034", False)
    assert (data["status_before"], data["status_after"], data["moved"]) == (
        "confirmed",
        OrderStatus.SHIPPED,
        True,
    )
    number = f"PO-{journey.order.id:06d}"
    assert journey.mails() == [
        ("ben@mueller.example", f"Your order {number} has shipped"),
        ("ben@mueller.example", f"Your order {number} has been delivered"),
    ]


def test_a_repeated_update_is_a_no_op(journey: Journey) -> None:
    journey.send(update("u1", "shipped"))
    assert journey.send(update("u1", "shipped")) == [(DUPLICATE, OrderStatus.SHIPPED)]
    assert len(journey.timeline()) == 1 and len(journey.mails()) == 1


def test_a_late_update_is_recorded_but_does_not_move_the_status_back(journey: Journey) -> None:
    journey.send(update("u1", "shipped"))
    assert journey.send(update("u0", "confirmed")) == [(RECORDED, OrderStatus.SHIPPED)]
    assert journey.send(update("u9", "cancelled")) == [(RECORDED, OrderStatus.SHIPPED)]
    assert journey.status() == OrderStatus.SHIPPED
    late = journey.timeline()[1][1]
    assert (late["reported"], late["moved"], late["status_after"]) == (
        "confirmed",
        False,
        OrderStatus.SHIPPED,
    )


def test_partial_shipments_until_everything_has_shipped(journey: Journey) -> None:
    first = update("p1", "shipped", lines=[{"sku": "A-100", "quantity": 4}], carrier="UPS")
    assert journey.send(first) == [(APPLIED, OrderStatus.PARTIALLY_SHIPPED)]
    assert journey.send(update("p2", "in_transit")) == [(RECORDED, OrderStatus.PARTIALLY_SHIPPED)]
    second = update("p3", "shipped", lines=[{"sku": "A-100", "quantity": 6}])
    assert journey.send(second) == [(RECORDED, OrderStatus.PARTIALLY_SHIPPED)]
    too_many = update("p4", "shipped", lines=[{"sku": "B-200", "quantity": 5}])
    [outcome] = apply_updates(journey.engine, journey.settings, [too_many])
    assert outcome.result == REJECTED
    assert problem_messages(outcome) == {
        "lines.1.quantity": "More than is still to ship of B-200 (open: 4)."
    }
    rest = update("p5", "shipped", lines=[{"sku": "b-200", "quantity": 4}])
    assert journey.send(rest) == [(APPLIED, OrderStatus.SHIPPED)]
    assert [kind for kind, _ in journey.timeline()] == [
        "erp.partially_shipped",
        "erp.in_transit",
        "erp.partially_shipped",
        "erp.shipped",
    ]
    shipped = [data for kind, data in journey.timeline() if "shipped" in kind]
    assert [d["shipped_total"] for d in shipped] == [
        {"A-100": 4},
        {"A-100": 10},
        {"A-100": 10, "B-200": 4},
    ]
    subjects = [subject for _to, subject in journey.mails()]
    assert [s.split(" ")[0] for s in subjects] == ["Part", "Part", "Your"]


def test_cancelled_before_shipping_ends_the_journey(journey: Journey) -> None:
    assert journey.send(update("c1", "cancelled", note="Out of stock")) == [
        (APPLIED, OrderStatus.CANCELLED)
    ]
    assert journey.send(update("c2", "shipped")) == [(RECORDED, OrderStatus.CANCELLED)]
    assert journey.timeline()[0][0] == "erp.cancelled" and journey.mails() == []


def test_unknown_orders_and_bad_updates_are_rejected_the_rest_applied(journey: Journey) -> None:
    outcomes = apply_updates(
        journey.engine,
        journey.settings,
        [
            {**update("x1", "confirmed"), "erp_order_number": "SO-999"},
            update("x2", "teleported"),
            update("x3", "picked"),
        ],
    )
    assert [o.result for o in outcomes] == [REJECTED, REJECTED, APPLIED]
    assert problem_messages(outcomes[0]) == {
        "erp_order_number": "No order with the ERP order number SO-999."
    }
    assert outcome_json(outcomes[1])["errors"][0]["field"] == "status"
    assert journey.status() == "picked"


def test_mails_follow_the_setting_and_skip_inactive_requesters(
    journey: Journey, session: Session
) -> None:
    quiet = dataclasses.replace(journey.settings, order_status_mails=frozenset({"delivered"}))
    journey.send(update("m1", "shipped"), settings=quiet)
    assert journey.mails() == []
    ben = session.get(User, journey.ben.id)
    assert ben is not None
    ben.status = UserStatus.INACTIVE
    session.add(ben)
    session.commit()
    journey.send(update("m2", "delivered"), settings=quiet)
    assert journey.status() == OrderStatus.DELIVERED and journey.mails() == []


def test_mails_are_in_the_requester_s_language_with_a_deep_link(
    journey: Journey, session: Session
) -> None:
    ben = session.get(User, journey.ben.id)
    assert ben is not None
    ben.language = "de"
    session.add(ben)
    session.commit()
    journey.send(update("g1", "shipped", carrier="DHL", tracking_number="JJD0099"))
    with Session(journey.engine) as reader:
        [mail] = reader.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    assert mail.payload["subject"] == f"Ihre Bestellung PO-{journey.order.id:06d} ist versandt"
    assert "Spediteur: DHL, Sendungsnummer: JJD0099." in mail.payload["text"]
    assert f"http://portal.test/orders/{journey.order.id}" in mail.payload["text"]


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks need PostgreSQL")
def test_the_same_update_sent_twice_at_once_is_recorded_once(journey: Journey) -> None:
    barrier = threading.Barrier(4)
    results: list[str] = []

    def send() -> None:
        barrier.wait()
        results.extend(r for r, _ in journey.send(update("same", "shipped")))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [APPLIED] + [DUPLICATE] * 3
    assert len(journey.timeline()) == 1 and len(journey.mails()) == 1


# --- the CSV import --------------------------------------------------------------------------

CSV = (
    "\ufeffupdate_id;erp_order_number;status;occurred_at;carrier;tracking_number;sku;quantity;note\n"
    "u1;SO-100001;confirmed;2026-05-04T08:00:00Z;;;;;\n"
    "u2;SO-100001;shipped;2026-05-05T09:00:00Z;DHL;0034;A-100;4;first part\n"
    "u2;SO-100001;shipped;2026-05-05T09:00:00Z;DHL;0034;B-200;4;first part\n"
    "\n"
    "u3;SO-100001;delivered;2026-05-06T09:00:00Z;;;;;\n"
)


def test_csv_rows_of_one_update_become_its_lines() -> None:
    updates = read_status_csv(CSV.encode())
    assert [u.where for u in updates] == ["line 2", "lines 3, 4", "line 6"]
    assert updates[1].raw["lines"] == [
        {"sku": "A-100", "quantity": "4"},
        {"sku": "B-200", "quantity": "4"},
    ]
    assert updates[1].raw["carrier"] == "DHL" and not updates[1].rows_disagree


def test_csv_import_applies_reports_and_is_idempotent(journey: Journey) -> None:
    outcomes = import_status_csv(journey.engine, journey.settings, CSV.encode())
    assert [(o.result, o.status) for o in outcomes] == [
        (APPLIED, "confirmed"),
        (APPLIED, OrderStatus.PARTIALLY_SHIPPED),
        (RECORDED, OrderStatus.PARTIALLY_SHIPPED),  # the delivery of that part
    ]
    again = import_status_csv(journey.engine, journey.settings, CSV.encode())
    assert {o.result for o in again} == {DUPLICATE}
    assert len(journey.timeline()) == 3


def test_csv_problems_are_named_per_update(journey: Journey) -> None:
    data = (
        "update_id,erp_order_number,status,carrier,sku,quantity\n"
        "a,SO-100001,shipped,DHL,A-100,1\n"
        "a,SO-100001,shipped,UPS,B-200,1\n"
        "b,SO-100001,picked,,A-100,1\n"
        "c,SO-100001,=cmd|' /C calc'!A0,,,\n"
    )
    outcomes = import_status_csv(journey.engine, journey.settings, data.encode())
    assert [(o.where, o.result) for o in outcomes] == [
        ("lines 2, 3", REJECTED),
        ("line 4", REJECTED),
        ("line 5", REJECTED),
    ]
    assert outcomes[0].problems == {"": ("erp_status.error.rows_disagree", {})}
    assert set(outcomes[1].problems) == {"lines"}
    assert journey.timeline() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"update_id,status\nu,shipped\n", "erp_order_number"),
        ("update_id,erp_order_number,status\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_unreadable_csv_files_are_refused_as_a_whole(data: bytes, message: str) -> None:
    with pytest.raises(StatusCsvError, match=message):
        read_status_csv(data)


def test_the_cli_imports_and_reports_problems(
    journey: Journey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    cli.main(["erp", "import-status", str(good)])
    assert "2 applied, 1 recorded" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("update_id,erp_order_number,status\nz,SO-404,picked\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["erp", "import-status", str(bad)])
    assert exit_code.value.code == 1
    err = capsys.readouterr().err
    assert "line 2: z: erp_order_number: No order with the ERP order number SO-404." in err
    with pytest.raises(SystemExit):
        cli.main(["erp", "import-status", str(tmp_path / "missing.csv")])


# --- the HTTP endpoint -----------------------------------------------------------------------


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    settings = dataclasses.replace(get_settings(), erp_status_token=TOKEN)
    monkeypatch.setattr(erp_status, "get_settings", lambda: settings)
    return TestClient(Starlette(routes=erp_status.routes))


def _post(client: TestClient, body: object, token: str = TOKEN, **kwargs: object):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(erp_status.PATH, content=content, headers=headers, **kwargs)


def test_the_endpoint_applies_a_batch(journey: Journey, client: TestClient) -> None:
    response = _post(client, {"updates": [update("h1", "confirmed"), update("h2", "picked")]})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"update_id": "h1", "result": APPLIED, "status": "confirmed"},
            {"update_id": "h2", "result": APPLIED, "status": "picked"},
        ],
        "rejected": 0,
    }
    single = _post(client, update("h1", "confirmed"))
    assert single.json()["results"] == [
        {"update_id": "h1", "result": DUPLICATE, "status": "picked"}
    ]


def test_the_endpoint_reports_rejected_updates_with_422(
    journey: Journey, client: TestClient
) -> None:
    response = _post(client, [update("r1", "shipped", lines=[{"sku": "Z", "quantity": 1}])])
    assert response.status_code == 422
    [result] = response.json()["results"]
    assert result["errors"] == [
        {
            "field": "lines.1.sku",
            "code": "erp_status.error.sku_unknown",
            "message": "The order has no line with article Z.",
        }
    ]
    assert journey.timeline() == []


def test_the_endpoint_refuses_without_the_token(journey: Journey, client: TestClient) -> None:
    for token in ("", "wrong", TOKEN[:-1], TOKEN + "x"):
        response = _post(client, update("t1", "confirmed"), token=token)
        assert response.status_code == 401
    basic = client.post(erp_status.PATH, json=update("t1", "confirmed"),
                        headers={"Authorization": f"Basic {TOKEN}"})  # fmt: skip
    assert basic.status_code == 401
    assert journey.timeline() == []


def test_the_endpoint_is_closed_without_a_configured_token(
    journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = dataclasses.replace(get_settings(), erp_status_token="")
    monkeypatch.setattr(erp_status, "get_settings", lambda: settings)
    client = TestClient(Starlette(routes=erp_status.routes))
    assert _post(client, update("t1", "confirmed"), token="").status_code == 503
    assert _post(client, update("t1", "confirmed"), token="anything").status_code == 503
    assert journey.timeline() == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'"a string"', 400),
        (b"[]", 400),
        (json.dumps([update(f"u{i}", "picked") for i in range(1001)]).encode(), 400),
        (b"[" + b" " * (1024 * 1024) + b"]", 413),
    ],
)
def test_the_endpoint_refuses_malformed_bodies(
    journey: Journey, client: TestClient, body: bytes, status: int
) -> None:
    assert _post(client, body).status_code == status
    assert journey.timeline() == []


# --- settings --------------------------------------------------------------------------------


def test_status_mail_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CC_ORDER_STATUS_MAILS", raising=False)
    assert load_settings().order_status_mails == {"shipped", "delivered"}
    monkeypatch.setenv("CC_ORDER_STATUS_MAILS", " Delivered ")
    assert load_settings().order_status_mails == {"delivered"}
    monkeypatch.setenv("CC_ORDER_STATUS_MAILS", "none")
    assert load_settings().order_status_mails == frozenset()
    monkeypatch.setenv("CC_ORDER_STATUS_MAILS", "shipped,confirmed")
    with pytest.raises(ConfigurationError, match="confirmed"):
        load_settings()


def test_production_needs_a_long_erp_status_token() -> None:
    safe = dataclasses.replace(
        get_settings(),
        env="production",
        database_url="postgresql+psycopg://portal@db.internal/portal",
        secret_key="s" * 40,
        base_url="https://portal.example",
        cors_origins=("https://portal.example",),
        secure_cookies=True,
        smtp=SmtpSettings("mail.example", 587, "", "", True, False),
        erp_status_token=TOKEN,
        password_hashing="standard",
    )
    check_production(safe)
    with pytest.raises(ConfigurationError, match="CC_ERP_STATUS_TOKEN"):
        check_production(dataclasses.replace(safe, erp_status_token="short"))
