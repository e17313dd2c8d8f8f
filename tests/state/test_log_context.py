"""Log records of a Reflex event carry its principal, company, event name and request id:
forged events through Reflex's real event pipeline and the portal's access middleware."""

from __future__ import annotations

import logging

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.models.user import User
from customer_center.services.people import user_list
from customer_center.state.middleware import short_name
from customer_center.state.users import UsersListState
from tests.factories import make_company, make_user, signed_in_cookie

pytestmark = pytest.mark.usefixtures("db")

SEARCH = f"{UsersListState.get_full_name()}.set_search"


class Nowhere:
    async def emit_update(self, update: object, token: str) -> None:
        pass


async def dispatch(cookie: str, name: str, payload: dict) -> None:
    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = {
        "headers": {"cookie": f"{SESSION_COOKIE}={cookie}"},
        "pathname": "/users",
        "query": {},
        "ip": "10.9.9.9",
    }
    async with processor.configure(state_manager=StateManagerMemory(), event_namespace=Nowhere()):  # type: ignore[arg-type]
        future = await processor.enqueue(
            "log-tab", Event(name=name, payload=payload, router_data=router_data)
        )
        await future


def records_saying(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if text in record.getMessage()]


async def test_a_record_logged_while_handling_an_event_names_who_and_what(
    session: Session, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = make_company(session, "A-1", "Alpha GmbH")
    cookie = signed_in_cookie(session, session.get(User, main.user_id))
    listing = user_list.users_page

    def logging_listing(*args: object, **kwargs: object) -> object:
        # Inside the service, in the worker thread of the event's transaction.
        logging.getLogger("customer_center.services.people.user_list").info("listing users")
        return listing(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(user_list, "users_page", logging_listing)
    caplog.set_level(logging.INFO, logger="customer_center")
    await dispatch(cookie, SEARCH, {"value": "anna"})
    await dispatch(cookie, SEARCH, {"value": "bert"})

    first, second = records_saying(caplog, "listing users")
    assert first.principal_kind == "customer_user"  # type: ignore[attr-defined]
    assert first.principal_id == str(main.user_id)  # type: ignore[attr-defined]
    assert first.company_id == str(main.company_id)  # type: ignore[attr-defined]
    assert first.event == short_name(SEARCH) == "state.portal_state.users_list_state.set_search"  # type: ignore[attr-defined]
    assert len(first.request_id) == 12  # type: ignore[attr-defined]
    assert second.request_id != first.request_id, "each event is a request of its own"  # type: ignore[attr-defined]


async def test_the_middleware_s_refusal_names_the_principal_but_no_address(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    main = make_company(session, "A-1", "Alpha GmbH")
    technician = make_user(session, main.company_id, "tech@alpha.example", ["technician"])
    cookie = signed_in_cookie(session, technician)
    caplog.set_level(logging.INFO, logger="customer_center")
    await dispatch(cookie, SEARCH, {"value": "anna"})

    (refusal,) = records_saying(caplog, "refused")
    assert refusal.principal_kind == "customer_user"  # type: ignore[attr-defined]
    assert refusal.principal_id == str(technician.id)  # type: ignore[attr-defined]
    assert refusal.company_id == str(main.company_id)  # type: ignore[attr-defined]
    assert refusal.event == "state.portal_state.users_list_state.set_search"  # type: ignore[attr-defined]
    assert "tech@alpha.example" not in caplog.text
