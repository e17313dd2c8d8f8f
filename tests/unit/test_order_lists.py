"""Order lists: who sees which orders, filters, sorting and pages in SQL, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus
from customer_center.http.order_export import PATH, orders_csv_lines, routes
from customer_center.models.order import Order
from customer_center.models.user import User
from customer_center.services.orders.lists import (
    PAGE_SIZE,
    SCOPE_ALL,
    SCOPE_MINE,
    OrderFilter,
    filter_from_params,
    filter_to_params,
    orders_page,
    requester_choices,
)
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.journey_factory import make_order

MAY_1 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


class Acme:
    """Ben and Clara (buyers) with orders, Carla the controller, Tom the technician; and an
    order of another company that must never show."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        company = self.main.company_id
        self.ben = make_user(session, company, "ben@acme.example", ["buyer"], name="Ben")
        self.clara = make_user(session, company, "clara@acme.example", ["buyer"], name="Clara")
        carla = make_user(session, company, "carla@acme.example", ["controller"], name="Carla")
        tom = make_user(session, company, "tom@acme.example", ["technician"], name="Tom")
        other = make_company(session, "C-2", "Other AG")
        make_order(session, other.company_id, other.user_id, reference="FOREIGN")
        self.session = session
        self.ben_orders = [
            self.order(self.ben.id, day=1, cents=1000, reference="B1"),
            self.order(self.ben.id, day=2, cents=5000, status=OrderStatus.SHIPPED, reference="B2"),
            self.order(self.ben.id, day=3, cents=20000, status=OrderStatus.PENDING_APPROVAL),
        ]
        self.clara_orders = [self.order(self.clara.id, day=2, cents=3000, reference="=HYPERLINK")]
        self.order(self.ben.id, day=4, cents=1, status=OrderStatus.DRAFT)  # never listed
        self.as_ben = actor_for(session, self.ben)
        self.as_carla = actor_for(session, carla)
        self.as_tom = actor_for(session, tom)

    def order(self, requester_id, *, day: int, cents: int, status: str = "approved", reference=""):  # type: ignore[no-untyped-def]
        order = make_order(
            self.session,
            self.main.company_id,
            requester_id,
            status=status,
            lines=(("A-100", "Bolt", 1, cents),),
            submitted_at=MAY_1 + timedelta(days=day - 1),
            reference=reference,
        )
        return order.id


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _ids(session: Session, actor, order_filter: OrderFilter, page: int = 0) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        row.id for row in orders_page(session, actor, order_filter=order_filter, page=page).rows
    ]


def test_everyone_with_view_own_sees_exactly_their_own_orders(acme: Acme, session) -> None:
    page = orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=0)
    assert [row.id for row in page.rows] == list(reversed(acme.ben_orders))
    assert (page.total, page.scope) == (3, SCOPE_MINE)
    asking_for_all = orders_page(
        session, acme.as_ben, order_filter=OrderFilter(scope=SCOPE_ALL), page=0
    )
    assert asking_for_all.scope == SCOPE_MINE and asking_for_all.total == 3


def test_view_all_sees_the_whole_company_and_nothing_of_others(acme: Acme, session) -> None:
    page = orders_page(session, acme.as_carla, order_filter=OrderFilter(scope=SCOPE_ALL), page=0)
    assert page.total == 4 and "FOREIGN" not in {row.reference for row in page.rows}
    assert {row.requester_name for row in page.rows} == {"Ben", "Clara"}
    assert (
        orders_page(session, acme.as_carla, order_filter=OrderFilter(), page=0).total == 0
    )  # none of her own


def test_without_either_right_the_list_is_refused(acme: Acme, session) -> None:
    with pytest.raises(ServiceError):
        orders_page(session, acme.as_tom, order_filter=OrderFilter(scope=SCOPE_ALL), page=0)
    assert requester_choices(session, acme.as_tom) == []
    assert requester_choices(session, acme.as_ben) == []


def test_filters_by_status_requester_dates_and_value(acme: Acme, session) -> None:
    carla, every = acme.as_carla, OrderFilter(scope=SCOPE_ALL)
    shipped = OrderFilter(scope=SCOPE_ALL, status=OrderStatus.SHIPPED)
    assert _ids(session, carla, shipped) == [acme.ben_orders[1]]
    clara = OrderFilter(scope=SCOPE_ALL, requester_id=acme.clara.id)
    assert _ids(session, carla, clara) == acme.clara_orders
    day_2 = OrderFilter(scope=SCOPE_ALL, date_from=date(2026, 5, 2), date_to=date(2026, 5, 2))
    assert sorted(_ids(session, carla, day_2)) == sorted([acme.ben_orders[1], *acme.clara_orders])
    values = OrderFilter(scope=SCOPE_ALL, min_cents=3000, max_cents=5000)
    assert sorted(_ids(session, carla, values)) == sorted([acme.ben_orders[1], *acme.clara_orders])
    assert len(_ids(session, carla, every)) == 4


def test_days_are_local_days(acme: Acme, session) -> None:
    # 23:30 UTC on 30 April is already 1 May in Berlin.
    late = acme.order(acme.clara.id, day=0, cents=1, reference="late")
    late_order = session.get(Order, late)
    late_order.submitted_at = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)
    session.add(late_order)
    session.commit()
    may_1 = OrderFilter(scope=SCOPE_ALL, date_from=date(2026, 5, 1), date_to=date(2026, 5, 1))
    assert late in _ids(session, acme.as_carla, may_1)
    april = OrderFilter(scope=SCOPE_ALL, date_to=date(2026, 4, 30))
    assert late not in _ids(session, acme.as_carla, april)


def test_sorting_with_a_stable_tie_break(acme: Acme, session) -> None:
    by_total = OrderFilter(scope=SCOPE_ALL, sort="total", descending=False)
    totals = [
        r.total_cents
        for r in orders_page(session, acme.as_carla, order_filter=by_total, page=0).rows
    ]
    assert totals == sorted(totals)
    by_requester = OrderFilter(scope=SCOPE_ALL, sort="requester", descending=False)
    names = [
        r.requester_name
        for r in orders_page(session, acme.as_carla, order_filter=by_requester, page=0).rows
    ]
    assert names == ["Ben", "Ben", "Ben", "Clara"]


def test_pages_are_cut_in_sql_and_clamped(acme: Acme, session) -> None:
    for number in range(PAGE_SIZE + 2):
        acme.order(acme.ben.id, day=10, cents=100 + number)
    first = orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=0)
    second = orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=1)
    assert (first.total, first.page_count, len(first.rows)) == (PAGE_SIZE + 5, 2, PAGE_SIZE)
    assert len(second.rows) == 5 and not {r.id for r in first.rows} & {r.id for r in second.rows}
    assert orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=99).page == 1


def test_the_filter_round_trips_through_the_query_string_and_drops_odd_values() -> None:
    wanted = OrderFilter(
        scope=SCOPE_ALL,
        status=OrderStatus.SHIPPED,
        requester_id=7,
        date_from=date(2026, 5, 1),
        date_to=date(2026, 5, 31),
        min_cents=100,
        max_cents=9999,
        sort="total",
        descending=False,
    )
    assert filter_from_params(filter_to_params(wanted)) == wanted
    assert filter_to_params(OrderFilter()) == {}
    odd = {"scope": "everything", "status": "draft", "requester": "x", "from": "2026-13-01",
           "min": "-5", "max": "1e9", "sort": "password_hash"}  # fmt: skip
    assert filter_from_params(odd) == OrderFilter()


def test_the_csv_lists_what_the_screen_lists_with_cells_guarded(acme: Acme, session) -> None:
    text = "".join(
        orders_csv_lines(session, acme.as_carla, order_filter=OrderFilter(scope=SCOPE_ALL))
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Order",
        "Placed",
        "Ordered by",
        "E-mail",
        "Reference",
        "Status",
        "Total",
        "Currency",
        "ERP order number",
    ]
    assert len(rows) == 5
    clara = next(row for row in rows if row[2] == "Clara")
    assert clara[3:8] == ["clara@acme.example", "'=HYPERLINK", "approved", "30.00", "EUR"]
    assert clara[1] == "2026-05-02T12:00:00+02:00"  # local time with its offset
    mine = "".join(
        orders_csv_lines(session, acme.as_ben, order_filter=OrderFilter(scope=SCOPE_ALL))
    )
    assert len(list(csv.reader(io.StringIO(mine)))) == 4  # narrowed to Ben's own


def test_requester_choices_search_within_the_company(acme: Acme, session) -> None:
    assert [name for _, name in requester_choices(session, acme.as_carla, search="cla")] == [
        "Clara"
    ]
    names = [name for _, name in requester_choices(session, acme.as_carla)]
    assert "Main" in names and all("other" not in n.lower() for n in names)


def test_the_download_route_checks_the_session_and_either_right(acme: Acme, session) -> None:
    def get(user: User | None, query: str = "") -> tuple[int, list[list[str]]]:
        headers = {}
        if user is not None:
            headers["cookie"] = f"{SESSION_COOKIE}={signed_in_cookie(session, user)}"
        with TestClient(Starlette(routes=routes)) as client:
            response = client.get(PATH + query, headers=headers)
        body = response.content.decode("utf-8-sig")
        return response.status_code, list(csv.reader(io.StringIO(body)))

    assert get(None)[0] == 401
    assert get(session.get(User, acme.as_tom.user_id))[0] == 403
    status, rows = get(acme.ben, "?scope=all&status=shipped")
    assert status == 200 and [row[4] for row in rows[1:]] == ["B2"]
    carla = session.get(User, acme.as_carla.user_id)
    status, rows = get(carla, "?scope=all&sort=total&dir=asc")
    assert [row[6] for row in rows[1:]] == ["10.00", "30.00", "50.00", "200.00"]


def test_beyond_the_count_cap_the_list_says_more_and_pages_up_to_the_cap(
    acme: Acme, session, monkeypatch
) -> None:
    from customer_center.services.orders import lists

    monkeypatch.setattr(lists, "COUNT_CAP", PAGE_SIZE + 1)
    for number in range(PAGE_SIZE + 4):
        acme.order(acme.ben.id, day=10, cents=100 + number)
    capped = orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=5)
    assert (capped.total, capped.more, capped.page_count, capped.page) == (
        PAGE_SIZE + 1,
        True,
        2,
        1,
    )
    monkeypatch.setattr(lists, "COUNT_CAP", 10_000)
    exact = orders_page(session, acme.as_ben, order_filter=OrderFilter(), page=0)
    assert not exact.more and exact.total > PAGE_SIZE + 1
