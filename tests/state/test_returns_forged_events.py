"""The seller's return handlers through Reflex's real event pipeline: an agent outside the
company's account team (even with every staff right) changes nothing of company A's return
and sees none of it; the agent of the team does approve it."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain.returns import ReturnState
from customer_center.models.returns import ReturnRequest
from customer_center.models.staff import AccountTeamMember
from customer_center.state.seller_returns import SellerReturnsState, SellerReturnState
from tests.staff_factories import make_staff, staff_cookie
from tests.state.test_forged_events import World, _arguments, secrets_in, snapshot
from tests.state.test_seller_forged_events import _sent, dispatch

pytestmark = pytest.mark.usefixtures("db")


def _handlers() -> dict:
    names = {}
    for state in (SellerReturnsState, SellerReturnState):
        for name in (
            "load",
            "set_view",
            "approve",
            "reject",
            "receive",
            "request_credit",
            "replace",
            "close",
            "set_window",
            "next_page",
            "previous_page",
        ):
            fn = getattr(state, name, None)
            if fn is not None:
                names[f"{state.get_full_name()}.{name}"] = fn.fn if hasattr(fn, "fn") else fn
    return names


async def test_an_agent_outside_the_team_reaches_no_return(session: Session, engine) -> None:
    world = World(session)
    outsider = make_staff(session, "outsider@seller.example", name="Otto Outsider")
    raw = staff_cookie(session, outsider)
    query = {key: str(value) for key, value in world.ids.items()}
    handlers = _handlers()
    assert len(handlers) >= 10
    for number, (name, fn) in enumerate(sorted(handlers.items())):
        before = snapshot(engine, None)
        step = f"outsider-{number}"
        load = f"{name.rpartition('.')[0]}.load"
        await dispatch(step, f"{STAFF_COOKIE}={raw}", load, {}, query)
        await dispatch(step, f"{STAFF_COOKIE}={raw}", name, _arguments(fn, world.ids), query)
        assert snapshot(engine, None) == before, f"{name} changed data"
        leaked = secrets_in(_sent.updates.pop(step, []))
        assert not leaked, f"{name} sent company A's data to an outsider: {leaked}"


async def test_the_team_agent_approves_through_the_pipeline(session: Session, engine) -> None:
    world = World(session)
    eva = make_staff(session, "eva@seller.example", name="Eva Ernst")
    session.add(
        AccountTeamMember(company_id=world.main_a.company_id, staff_id=eva.id, team_role="agent")
    )
    session.commit()
    raw = staff_cookie(session, eva)
    query = {"return_id": str(world.ids["return_id"])}
    name = f"{SellerReturnState.get_full_name()}.approve"
    await dispatch(
        "team", f"{STAFF_COOKIE}={raw}", f"{SellerReturnState.get_full_name()}.load", {}, query
    )
    state = await dispatch("team", f"{STAFF_COOKIE}={raw}", name, {}, query)
    assert state.head["status"] == ReturnState.APPROVED and state.head["rma"].startswith("RMA-")
    with Session(engine) as fresh:
        assert fresh.get(ReturnRequest, world.ids["return_id"]).state == ReturnState.APPROVED  # type: ignore[union-attr]
    assert "Alpha's secret return" in secrets_in(_sent.updates.pop("team"))
