"""Support cases through Reflex's real event pipeline: another company's case is refused, a
colleague without the right sees nothing of it, a customer calling the seller's case handlers
changes nothing, an agent outside the account team is refused, and the seller's internal
notes never reach the customer in any state delta."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.models.case import CaseEntry, SupportCase
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases import customer, seller
from customer_center.settings import get_settings
from customer_center.state.cases import CaseViewState
from customer_center.state.seller_cases import SellerCaseState
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.staff_factories import agent_for, make_staff, staff_cookie
from tests.state import test_forged_events as customer_pipe
from tests.state import test_seller_forged_events as seller_pipe

pytestmark = pytest.mark.usefixtures("db")

SUBJECT = "Casing cracked on arrival ZX-81"
NOTE = "INTERNAL-NOTE-carrier-claim-4711"
PREFIX = "state.portal_state"


class Cases:
    """Acme: Ben (buyer) opened a case; Tina (technician) may not see it; Eva of the account
    team wrote an internal note; Otto is staff outside the team; Olga is of another company."""

    def __init__(self, session: Session) -> None:
        main = make_company(session, "A-1", "Acme GmbH")
        self.ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben")
        self.tina = make_user(session, main.company_id, "tina@acme.example", ["technician"])
        other = make_company(session, "B-1", "Other AG")
        self.olga = session.get(type(self.ben), other.user_id)
        self.main = session.get(type(self.ben), main.user_id)
        self.eva = make_staff(session, "eva@seller.example", name="Eva Ernst")
        self.otto = make_staff(session, "otto@seller.example", name="Otto Outside")
        session.add(
            AccountTeamMember(company_id=main.company_id, staff_id=self.eva.id, team_role="agent")
        )
        self.case_id = customer.open_case(
            session,
            actor_for(session, self.ben),
            subject=SUBJECT,
            category="delivery",
            description="The casing is cracked.",
        )
        seller.add_note(session, agent_for(session, self.eva), case_id=self.case_id, text=NOTE)
        session.commit()


@pytest.fixture
def cases(session: Session) -> Cases:
    return Cases(session)


def _rows(engine) -> list:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        entries = session.exec(select(CaseEntry)).all()
        kept = session.exec(select(SupportCase)).all()
        return [(e.id, e.kind, e.body) for e in entries] + [
            (c.id, c.status, c.assignee_id) for c in kept
        ]


async def _as_customer(engine, user, name: str, payload: dict, case_id: int):  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as session:
        cookie = signed_in_cookie(session, user)
    token = f"{name}-{user.email}"
    query = {"case_id": str(case_id)}
    await customer_pipe.dispatch(token, cookie, f"{PREFIX}.case_view_state.load", {}, query)
    state = await customer_pipe.dispatch(token, cookie, name, payload, query)
    return state, customer_pipe._sent.updates.pop(token, [])


def _texts(updates: list) -> str:
    return repr([(getattr(u, "delta", None), getattr(u, "events", None)) for u in updates])


async def test_another_company_and_a_colleague_without_the_right_see_nothing(
    cases: Cases, engine
) -> None:
    before = _rows(engine)
    for user in (cases.olga, cases.tina):
        for handler, payload in (
            ("load", {}),
            ("reply", {"form": {"message": "forged"}}),
            ("add_follower", {"form": {"follower": str(user.id)}}),
        ):
            state, updates = await _as_customer(
                engine, user, f"{PREFIX}.case_view_state.{handler}", payload, cases.case_id
            )
            assert isinstance(state, CaseViewState)
            assert state.head == {} and state.timeline == []
            assert SUBJECT not in _texts(updates) and NOTE not in _texts(updates)
    assert _rows(engine) == before


async def test_the_customer_never_receives_an_internal_note(cases: Cases, engine) -> None:
    # The opener and the main contact (all the company's cases) load, reply, add a follower.
    for user in (cases.ben, cases.main):
        for handler, payload in (
            ("load", {}),
            ("reply", {"form": {"message": f"Any news? ({user.email})"}}),
            ("add_follower", {"form": {"follower": str(cases.tina.id)}}),
        ):
            state, updates = await _as_customer(
                engine, user, f"{PREFIX}.case_view_state.{handler}", payload, cases.case_id
            )
            assert state.head["subject"] == SUBJECT  # they do see the case
            assert NOTE not in _texts(updates)
            assert all(NOTE not in row["body"] for row in state.timeline)
    with Session(engine) as session:
        assert session.exec(select(CaseEntry).where(CaseEntry.body == NOTE)).one()


async def _as_staff(engine, cookie_header: str, name: str, payload: dict, case_id: int):  # type: ignore[no-untyped-def]
    token = f"{name}-{cookie_header[-12:]}"
    query = {"case_id": str(case_id)}
    await seller_pipe.dispatch(token, cookie_header, f"{PREFIX}.seller_case_state.load", {}, query)
    state = await seller_pipe.dispatch(token, cookie_header, name, payload, query)
    return state, seller_pipe._sent.updates.pop(token, [])


SELLER_WRITES = (
    ("reply", {"form": {"message": "forged answer"}}),
    ("add_note", {"form": {"note": "forged note"}}),
    ("set_status", {"form": {"status": "closed"}}),
    ("assign", {"form": {"assignee": "1"}}),
)


async def test_customers_and_agents_outside_the_team_cannot_touch_the_sellers_case(
    cases: Cases, engine
) -> None:
    before = _rows(engine)
    with Session(engine, expire_on_commit=False) as session:
        main_cookie = signed_in_cookie(session, cases.main)
        otto_cookie = staff_cookie(session, cases.otto)
    for header in (
        f"{STAFF_COOKIE}={main_cookie}",  # a customer's session slipped into the staff cookie
        f"{customer_pipe.SESSION_COOKIE}={main_cookie}",
        f"{STAFF_COOKIE}={otto_cookie}",  # staff, but not in Acme's account team
    ):
        for handler, payload in (("load", {}), *SELLER_WRITES):
            state, updates = await _as_staff(
                engine, header, f"{PREFIX}.seller_case_state.{handler}", payload, cases.case_id
            )
            assert isinstance(state, SellerCaseState) and state.head == {}
            assert NOTE not in _texts(updates) and SUBJECT not in _texts(updates)
    assert _rows(engine) == before


async def test_the_account_teams_agent_sees_the_note_and_answers(cases: Cases, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        header = f"{STAFF_COOKIE}={staff_cookie(session, cases.eva)}"
    state, _ = await _as_staff(
        engine,
        header,
        f"{PREFIX}.seller_case_state.reply",
        {"form": {"message": "A new motor is on its way."}},
        cases.case_id,
    )
    assert any(row["body"] == NOTE for row in state.timeline)
    assert state.head["status"] == "in_progress" and state.notice
    with Session(engine) as session:
        view = customer.read_case(
            session, actor_for(session, cases.ben), case_id=cases.case_id, settings=get_settings()
        )
    assert [e.body for e in view.entries][-1] == "A new motor is on its way."
