"""The order page through Reflex's real event pipeline: Approve and Reject wait while the
change form is open; a decision refreshes the approvals badge at once; the stepper and the
reference's label; the takeover page reads each person's roles from their row."""

from __future__ import annotations

import itertools

import pytest

from customer_center.state.approvals import ApprovalsBadgeState
from customer_center.state.erp_contacts import _roles_per_contact
from customer_center.state.order_view import OrderViewState
from customer_center.state.session import SessionState
from tests.state.test_approvals_state import World

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count(1000)


def _token() -> str:
    return f"everyday-{next(_tokens)}"


@pytest.fixture
def world(session) -> World:  # type: ignore[no-untyped-def]
    return World(session)


async def test_approve_and_reject_wait_while_the_change_form_is_open(world) -> None:  # type: ignore[no-untyped-def]
    anna, tab = world.cookie(world.shop.anna), _token()
    await world.send(tab, anna, OrderViewState, "load")
    view = await world.send(tab, anna, OrderViewState, "start_edit", {"mode": "change"})
    assert view.editing == "change"
    await world.send(tab, anna, OrderViewState, "approve")
    await world.send(tab, anna, OrderViewState, "reject")
    assert world.order().status == "pending_approval"
    await world.send(tab, anna, OrderViewState, "stop_edit")
    view = await world.send(tab, anna, OrderViewState, "approve")
    assert world.order().status != "pending_approval"
    assert view.notice == "Your approval is recorded."


async def test_a_decision_refreshes_the_approvals_badge(world) -> None:  # type: ignore[no-untyped-def]
    anna, tab = world.cookie(world.shop.anna), _token()
    shell = await world.send(tab, anna, SessionState, "load")
    assert (await shell.get_state(ApprovalsBadgeState)).waiting == 1
    await world.send(tab, anna, OrderViewState, "load")
    view = await world.send(tab, anna, OrderViewState, "approve")
    assert (await view.get_state(ApprovalsBadgeState)).waiting == 0


async def test_the_page_shows_the_stepper_and_whose_reference_it_is(world) -> None:  # type: ignore[no-untyped-def]
    anna, ben = world.cookie(world.shop.anna), world.cookie(world.shop.ben)
    view = await world.send(_token(), anna, OrderViewState, "load")
    assert view.reference_label == "Reference given by Ben"
    current = [s for s in view.steps if s["state"] == "current"]
    assert [s["label"] for s in current] == ["Waiting for approval"]
    assert view.steps[0]["label"] == "Placed" and view.steps[0]["when"] != ""
    mine = await world.send(_token(), ben, OrderViewState, "load")
    assert mine.reference_label == "Your reference"


def test_each_person_s_roles_are_read_from_their_row() -> None:
    form = {
        "roles:C-1:4": True,
        "roles:C-1:7": "on",
        "roles:C-2:4": True,
        "roles:C-2:x": True,  # not a role id
        "roles:C-3:5": False,  # not ticked
        "role_4": True,  # the form-wide choice is read elsewhere
        "roles::4": True,
    }
    assert _roles_per_contact(form) == {"C-1": (4, 7), "C-2": (4,)}
    assert _roles_per_contact(["roles:C-1:4"]) == {}
