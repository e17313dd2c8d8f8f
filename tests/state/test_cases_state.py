"""Support cases through Reflex's real event pipeline: another company's case is refused, a
colleague without the right sees nothing of it, a customer calling the seller's case handlers
changes nothing, an agent outside the account team is refused, and the seller's internal
notes never reach the customer in any state delta."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import Session, select

from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.models.case import CaseAttachment, CaseEntry, SupportCase
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases import customer, seller
from customer_center.settings import get_settings
from customer_center.state.cases import CaseViewState
from customer_center.state.middleware import handler_functions
from customer_center.state.seller_cases import SellerCasesState, SellerCaseState
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.staff_factories import agent_for, make_staff, staff_cookie
from tests.state.pipeline import Pipeline, event_name, session_cookie

pytestmark = pytest.mark.usefixtures("db")

SUBJECT = "Casing cracked on arrival ZX-81"
NOTE = "INTERNAL-NOTE-carrier-claim-4711"
NOTE_FILE = "internal-claim-file-0815.txt"
CUSTOMER_SIDE = Pipeline(pathname="/cases")
SELLER_SIDE = Pipeline(pathname="/seller/cases")


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
        eva = agent_for(session, self.eva)
        staged = seller.stage_files(
            session, eva, case_id=self.case_id, staged=[], files=[(NOTE_FILE, b"claim text")]
        )
        seller.add_note(session, eva, case_id=self.case_id, text=NOTE, files=[staged[0].id])
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


async def _as_customer(engine, user, handler: str, payload: dict, case_id: int):  # type: ignore[no-untyped-def]
    """The case page's load, then ``handler``; the state and every update sent for both."""
    with Session(engine, expire_on_commit=False) as session:
        cookie = session_cookie(signed_in_cookie(session, user))
    token = f"{handler}-{user.email}"
    query = {"case_id": str(case_id)}
    await CUSTOMER_SIDE.send(token, cookie, event_name(CaseViewState, "load"), {}, query)
    name = event_name(CaseViewState, handler)
    state = await CUSTOMER_SIDE.send(token, cookie, name, payload, query)
    return state, CUSTOMER_SIDE.updates(token)


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
            ("follow", {"user_id": str(user.id)}),
            ("search_colleagues", {"query": "a"}),
        ):
            state, updates = await _as_customer(engine, user, handler, payload, cases.case_id)
            assert isinstance(state, CaseViewState)
            assert state.head == {} and state.timeline == [] and state.colleagues == []
            assert SUBJECT not in _texts(updates) and NOTE not in _texts(updates)
    assert _rows(engine) == before


def _customer_case_handlers(payloads: dict[str, dict]) -> list[str]:
    """Every handler of the customer's case page; each must have a payload below."""
    prefix = CaseViewState.get_full_name() + "."
    names = sorted(n.removeprefix(prefix) for n in handler_functions() if n.startswith(prefix))
    assert set(names) <= set(payloads) | _FRAMEWORK, f"no payload for {set(names) - set(payloads)}"
    return [n for n in names if n in payloads]


_FRAMEWORK = {"setvar"}


async def test_the_customer_never_receives_an_internal_note(cases: Cases, engine) -> None:
    """The opener and the main contact (all the company's cases) send every handler of the
    case page after the agent's note; the note's text is in no update the server sends."""
    payloads = {
        "load": {},
        "reply": {"form": {"message": "Any news?"}},
        "search_colleagues": {"query": "tina"},
        "next_colleagues": {},
        "previous_colleagues": {},
        "follow": {"user_id": str(cases.tina.id)},
        "attach": {"files": []},
        "drop_files": {},
    }
    sent = 0
    for user in (cases.ben, cases.main):
        for handler in _customer_case_handlers(payloads):
            state, updates = await _as_customer(
                engine, user, handler, payloads[handler], cases.case_id
            )
            assert state.head["subject"] == SUBJECT  # they do see the case
            assert SUBJECT in _texts(updates)
            assert NOTE not in _texts(updates) and NOTE_FILE not in _texts(updates)
            sent += len(updates)
    assert sent >= 6
    with Session(engine) as session:
        assert session.exec(select(CaseEntry).where(CaseEntry.body == NOTE)).one()
    # The same look at the agent's updates does find the note: the check can see it.
    with Session(engine, expire_on_commit=False) as session:
        header = f"{STAFF_COOKIE}={staff_cookie(session, cases.eva)}"
    _state, updates = await _as_staff(engine, header, "load", {}, cases.case_id)
    assert NOTE in _texts(updates) and NOTE_FILE in _texts(updates)


async def _as_staff(engine, cookie_header: str, handler: str, payload: dict, case_id: int):  # type: ignore[no-untyped-def]
    token = f"{handler}-{cookie_header[-12:]}"
    query = {"case_id": str(case_id)}
    await SELLER_SIDE.send(token, cookie_header, event_name(SellerCaseState, "load"), {}, query)
    name = event_name(SellerCaseState, handler)
    state = await SELLER_SIDE.send(token, cookie_header, name, payload, query)
    return state, SELLER_SIDE.updates(token)


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
        session_cookie(main_cookie),
        f"{STAFF_COOKIE}={otto_cookie}",  # staff, but not in Acme's account team
    ):
        for handler, payload in (("load", {}), *SELLER_WRITES):
            state, updates = await _as_staff(engine, header, handler, payload, cases.case_id)
            assert isinstance(state, SellerCaseState) and state.head == {}
            assert NOTE not in _texts(updates) and SUBJECT not in _texts(updates)
    assert _rows(engine) == before


async def test_the_account_teams_agent_sees_the_note_and_answers(cases: Cases, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        header = f"{STAFF_COOKIE}={staff_cookie(session, cases.eva)}"
    state, _ = await _as_staff(
        engine,
        header,
        "reply",
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


async def test_the_queue_s_response_times_take_only_the_offered_periods(
    cases: Cases, engine
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        header = f"{STAFF_COOKIE}={staff_cookie(session, cases.eva)}"
    name = event_name(SellerCasesState, "set_period")
    for sent, kept in (("7", "7"), ("90", "90"), ("²", "30"), ("8", "30"), ("9" * 40, "30")):
        state = await SELLER_SIDE.send(f"period-{sent[:5]}", header, name, {"period": sent}, {})
        assert state.period == kept and state.times["cases"] == "1"


def _upload(data: bytes, name: str) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


PDF = b"%PDF-1.4\n%%EOF\n"


async def test_files_dropped_on_the_case_go_with_the_reply_and_odd_ones_are_refused(
    cases: Cases, engine
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        cookie = session_cookie(signed_in_cookie(session, cases.ben))
    token, query = "ben-files", {"case_id": str(cases.case_id)}

    async def send(handler: str, payload: dict) -> CaseViewState:
        name = event_name(CaseViewState, handler)
        return await CUSTOMER_SIDE.send(token, cookie, name, payload, query)

    await send("load", {})
    bad = await send("attach", {"files": [_upload(b"MZ\x90\x00", "offer.pdf")]})
    assert bad.staged == [] and "Only PDF, PNG, JPEG" in bad.errors["attachments"]
    six = await send("attach", {"files": [_upload(PDF, f"{n}.pdf") for n in range(6)]})
    assert six.staged == [] and six.errors["attachments"] == (
        "At most 5 files can go with one message."
    )
    good = await send("attach", {"files": [_upload(PDF, "offer.pdf")]})
    assert [f["name"] for f in good.staged] == ["offer.pdf"] and good.errors == {}
    sent = await send("reply", {"form": {"message": "The offer, attached."}})
    assert sent.staged == [] and [f["name"] for f in sent.files] == ["offer.pdf"]
    assert sent.files[0]["entry"] == sent.timeline[-1]["entry"]
    assert sent.files[0]["href"].startswith("/case-files/")


async def test_an_agent_outside_the_team_stages_nothing(cases: Cases, engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        header = f"{STAFF_COOKIE}={staff_cookie(session, cases.otto)}"
    before = _files(engine)
    state, _ = await _as_staff(
        engine, header, "attach", {"files": [_upload(PDF, "x.pdf")]}, cases.case_id
    )
    assert state.staged == [] and _files(engine) == before
    assert state.errors == {"attachments": "This case does not exist or you may not see it."}


def _files(engine) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return len(session.exec(select(CaseAttachment)).all())
