"""The audit log state through Reflex's real event pipeline: access rules, filters, what is held."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session

from customer_center.domain.permissions import Permission
from customer_center.models.user import User
from customer_center.pages.audit import audit_page
from customer_center.services import audit
from customer_center.state.access import Access, access_of
from customer_center.state.audit import AuditState
from customer_center.state.middleware import handler_functions
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
HANDLERS = (
    "load",
    "search_who",
    "set_who",
    "set_area",
    "set_date_from",
    "set_date_to",
    "set_text",
    "reset_filters",
    "next_page",
    "previous_page",
)


class Acme:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.main = make_company(session)
        self.controller = make_user(
            session, self.main.company_id, "carla@acme.example", ["controller"]
        )
        self.tech = make_user(session, self.main.company_id, "tim@acme.example", ["technician"])
        self.other = make_company(session, "C-2", "Other AG")
        audit.record_admin(
            session,
            self.main,
            action="user.invited",
            target_type="user",
            target_id=self.tech.id,
            after={"name": "Tim"},
        )
        audit.record_admin(
            session,
            self.main,
            action="budget.saved",
            target_type="budget_company",
            target_id=0,
            after={"max_quantity_per_order": 5},
        )
        audit.record_admin(
            session,
            self.other,
            action="role.created",
            target_type="role",
            target_id=1,
            after={"name": "Secret of Other AG"},
        )
        session.commit()

    def cookie(self, user_id: int) -> str:
        return signed_in_cookie(self.session, self.session.get(User, user_id))  # type: ignore[arg-type]


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _name(handler: str) -> str:
    return f"{AuditState.get_full_name()}.{handler}"


async def _send(cookie: str, handler: str, payload: dict, token: str, query: dict | None = None):  # type: ignore[no-untyped-def]
    return await dispatch(token, cookie, _name(handler), payload, query or {})


@pytest.mark.parametrize("handler", HANDLERS)
def test_every_handler_requires_audit_view(handler: str) -> None:
    assert access_of(handler_functions()[_name(handler)]) == Access(
        permission=Permission.AUDIT_VIEW
    )


def test_the_audit_state_has_no_other_handlers() -> None:
    ours = {
        n for n, fn in handler_functions().items() if fn.__module__ == "customer_center.state.audit"
    }
    assert ours == {_name(h) for h in HANDLERS}


async def test_load_shows_one_page_of_the_own_company_as_strings(acme) -> None:
    token = f"audit-{next(_tokens)}"
    state = await _send(acme.cookie(acme.controller.id), "load", {}, token)
    assert [row["action"] for row in state.rows] == ["Budget saved", "User invited"]
    assert all(isinstance(v, str) for row in state.rows for v in row.values())
    assert "Secret of Other AG" not in repr(state.rows)
    labels = {o["label"] for o in state.who_options}
    assert {"Main", "Carla", "Tim"} <= labels and len(labels) == 3
    assert state.export_href == "/export/audit.csv" and not state.has_next


async def test_filters_narrow_the_rows_and_the_export_link(acme) -> None:
    cookie, token = acme.cookie(acme.main.user_id), f"audit-{next(_tokens)}"
    await _send(cookie, "load", {}, token)
    state = await _send(cookie, "set_area", {"value": "budget"}, token)
    assert [row["action_code"] for row in state.rows] == ["budget.saved"]
    state = await _send(cookie, "set_date_from", {"value": "2000-01-01"}, token)
    state = await _send(cookie, "set_text", {"value": "budget"}, token)
    assert parse_qs(urlsplit(state.export_href).query) == {
        "area": ["budget"],
        "q": ["budget"],
        "from": ["2000-01-01"],
    }
    state = await _send(cookie, "reset_filters", {}, token)
    assert len(state.rows) == 2 and state.export_href == "/export/audit.csv"


async def test_a_wrong_date_range_is_explained_and_garbage_ignored(acme) -> None:
    cookie, token = acme.cookie(acme.main.user_id), f"audit-{next(_tokens)}"
    await _send(cookie, "load", {}, token)
    await _send(cookie, "set_date_from", {"value": "2026-05-10"}, token)
    state = await _send(cookie, "set_date_to", {"value": "2026-05-01"}, token)
    assert state.errors == {"date_to": "The end date lies before the start date."}
    assert state.rows == []
    state = await _send(cookie, "set_date_to", {"value": "not-a-day"}, token)
    assert state.errors == {} and state.date_to == ""
    state = await _send(cookie, "set_who", {"value": {"id": 1}}, token)
    assert state.who == "all"


async def test_who_filters_by_the_acting_user_and_the_search_keeps_the_choice(acme) -> None:
    cookie, token = acme.cookie(acme.main.user_id), f"audit-{next(_tokens)}"
    await _send(cookie, "load", {}, token)
    state = await _send(cookie, "set_who", {"value": str(acme.controller.id)}, token)
    assert state.rows == []
    state = await _send(cookie, "set_who", {"value": str(acme.main.user_id)}, token)
    assert len(state.rows) == 2
    state = await _send(cookie, "search_who", {"value": "tim"}, token)
    assert [o["label"] for o in state.who_options] == ["Main", "Tim"]
    assert state.who == str(acme.main.user_id)


async def test_filters_can_come_in_the_address(acme) -> None:
    token = f"audit-{next(_tokens)}"
    query = {"area": "user", "q": "invited", "who": "x"}
    state = await _send(acme.cookie(acme.main.user_id), "load", {}, token, query)
    assert [row["action_code"] for row in state.rows] == ["user.invited"]
    assert (state.area, state.text, state.who) == ("user", "invited", "all")


async def test_a_user_without_the_right_gets_nothing(acme) -> None:
    token = f"audit-{next(_tokens)}"
    state = await _send(acme.cookie(acme.tech.id), "load", {}, token)
    assert state.rows == [] and state.who_options == []


async def test_another_company_sees_only_its_own_log(acme) -> None:
    token = f"audit-{next(_tokens)}"
    state = await _send(acme.cookie(acme.other.user_id), "load", {}, token)
    assert [row["action_code"] for row in state.rows] == ["role.created"]
    state = await _send(
        acme.cookie(acme.other.user_id), "set_who", {"value": str(acme.main.user_id)}, token
    )
    assert state.rows == []


def test_the_page_builds() -> None:
    rendered = str(audit_page().render())
    assert "audit-table" in rendered and "audit-export" in rendered
