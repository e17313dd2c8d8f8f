"""Attempt limits of activation and password reset, through Reflex's real event pipeline.

Each event carries the client address the socket handler puts into the router data, so the
limits are seen exactly as a browser from that address meets them.
"""

from __future__ import annotations

import itertools

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session, select

from customer_center import customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.outbox import OutboxMessage
from customer_center.state.activation import ActivationState
from customer_center.state.sign_in import ForgotPasswordState
from tests.factories import make_company

pytestmark = pytest.mark.usefixtures("db")

_tabs = itertools.count()
MAIN_CONTACT = "anna.mueller@mueller-maschinenbau.example"
RIGHT = {"customer_number": "10001", "invoice_number": "2026-10001-001", "email": MAIN_CONTACT}
WRONG = {**RIGHT, "invoice_number": "2026-10001-999"}
ADDRESS_A, ADDRESS_B = "198.51.100.7", "203.0.113.20"


@pytest.fixture
def erp(db):  # type: ignore[no-untyped-def]
    import_erp_directory(db, demo_data_dir())


async def _send(state: type, handler: str, payload: dict, ip: str, tab: str) -> object:
    """One event from a browser at ``ip``, the way the socket handler passes it on."""
    manager = _managers.setdefault(tab, StateManagerMemory())
    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = {"headers": {"cookie": f"{SESSION_COOKIE}="}, "pathname": "/", "ip": ip}
    name = f"{state.get_full_name()}.{handler}"
    async with processor.configure(state_manager=manager):
        future = await processor.enqueue(
            tab, Event(name=name, payload=payload, router_data=router_data)
        )
        await future
    root = await manager.get_state(BaseStateToken(ident=tab, cls=state))
    return await root.get_state(state)


_managers: dict[str, StateManagerMemory] = {}


async def _activate(form: dict, ip: str) -> ActivationState:
    tab = f"limits-{next(_tabs)}"
    await _send(ActivationState, "load", {}, ip, tab)
    return await _send(ActivationState, "submit", {"form": form}, ip, tab)  # type: ignore[return-value]


def _mails_to(session: Session, address: str) -> int:
    session.expire_all()
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    return sum(1 for mail in mails if mail.payload["to"] == address)


# --- activation --------------------------------------------------------------------------


async def test_wrong_details_from_one_address_do_not_lock_out_the_right_ones_from_another(
    erp, session
) -> None:
    for _ in range(6):
        state = await _activate(WRONG, ADDRESS_A)
    assert "Too many attempts" in state.errors[""]

    state = await _activate(RIGHT, ADDRESS_B)
    assert state.errors == {}
    assert state.sent_to == MAIN_CONTACT
    assert _mails_to(session, MAIN_CONTACT) == 1


async def test_the_same_customer_from_the_same_address_is_locked_even_with_the_right_details(
    erp, session
) -> None:
    for _ in range(5):
        state = await _activate(WRONG, ADDRESS_A)
        assert "do not match" in state.errors[""]
    state = await _activate(RIGHT, ADDRESS_A)
    assert state.errors[""] == (
        "Too many attempts. For your security, please wait 15 minutes before trying again."
    )
    assert state.sent_to == ""
    assert _mails_to(session, MAIN_CONTACT) == 0


async def test_one_address_trying_many_customers_is_locked(erp, session) -> None:
    customers = [f"2{n:04d}" for n in range(20)]
    for number in customers:
        state = await _activate({**WRONG, "customer_number": number}, ADDRESS_A)
        assert "do not match" in state.errors[""]
    state = await _activate(RIGHT, ADDRESS_A)
    assert "Too many attempts" in state.errors[""]
    assert _mails_to(session, MAIN_CONTACT) == 0
    state = await _activate(RIGHT, ADDRESS_B)
    assert state.sent_to == MAIN_CONTACT


# --- password reset ----------------------------------------------------------------------


async def _forgot(email: str, ip: str) -> ForgotPasswordState:
    tab = f"limits-{next(_tabs)}"
    await _send(ForgotPasswordState, "load", {}, ip, tab)
    return await _send(ForgotPasswordState, "submit", {"form": {"email": email}}, ip, tab)  # type: ignore[return-value]


async def test_the_reset_limit_is_said_in_the_same_words_for_known_and_unknown_addresses(
    session,
) -> None:
    make_company(session)
    known = "main@c-1.example"
    unknown = "nobody@nowhere.example"
    answers: dict[str, list[tuple[bool, dict[str, str]]]] = {known: [], unknown: []}
    for address, ip in ((known, ADDRESS_A), (unknown, ADDRESS_B)):
        for _ in range(4):
            state = await _forgot(address, ip)
            answers[address].append((state.sent, dict(state.errors)))

    assert answers[known] == answers[unknown]
    *accepted, limited = answers[known]
    assert accepted == [(True, {})] * 3
    assert limited == (
        False,
        {
            "": "You asked for too many password links. For your security, please wait "
            "15 minutes before asking again."
        },
    )
    assert _mails_to(session, known) == 3
