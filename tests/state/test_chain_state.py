"""Approver chain and absence states through Reflex's real event pipeline."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from customer_center.components.absence_editor import absence_section
from customer_center.components.chain_editor import user_chain_section
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.pages.approval_chains import approval_chains_page
from customer_center.state.absences import AbsenceState
from customer_center.state.access import Access, access_of
from customer_center.state.chains import ChainEditorState, DefaultChainState, UserChainState
from customer_center.state.middleware import handler_functions
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
MANAGE = Access(permission=Permission.CHAINS_MANAGE)
USERS = Access(permission=Permission.USERS_MANAGE)
SIGNED_IN = Access()
EDITOR = ChainEditorState


class Acme:
    """Main contact, Ben (buyer), Anna (approver), an HR user with users.manage only, and a
    stranger in another company."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        company = self.main.company_id
        self.ben = make_user(session, company, "ben@acme.example", ["buyer"], name="Ben")
        self.anna = make_user(session, company, "anna@acme.example", ["approver"], name="Anna")
        hr_role = Role(company_id=company, code="hr", name="HR")
        session.add(hr_role)
        session.flush()
        session.add(RolePermission(role_id=hr_role.id, permission=Permission.USERS_MANAGE))  # type: ignore[arg-type]
        self.hr = make_user(session, company, "hr@acme.example", [], name="Hilde")
        session.add(UserRole(user_id=self.hr.id, role_id=hr_role.id))  # type: ignore[arg-type]
        other = make_company(session, "C-2", "Other AG")
        self.stranger = make_user(session, other.company_id, "s@other.example", ["approver"])
        self.other_main = session.get(User, other.user_id)
        session.commit()
        self.session = session
        self.token = f"chain-state-{next(_tokens)}"

    def cookie(self, user: User | None = None) -> str:
        return signed_in_cookie(self.session, user or self.session.get(User, self.main.user_id))  # type: ignore[arg-type]

    async def send(self, cookie: str, state: type, handler: str, payload=None, user=None):  # type: ignore[no-untyped-def]
        query = {"user_id": str(user.id)} if user is not None else {}
        name = f"{state.get_full_name()}.{handler}"
        return await dispatch(self.token, cookie, name, payload or {}, query)

    def chains(self) -> list[ApprovalChain]:
        self.session.expire_all()
        return list(self.session.exec(select(ApprovalChain)).all())

    def absences(self) -> list[Absence]:
        self.session.expire_all()
        return list(self.session.exec(select(Absence)).all())


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (EDITOR, "search_candidates", MANAGE),
        (EDITOR, "add_level", MANAGE),
        (EDITOR, "remove_level", MANAGE),
        (EDITOR, "set_rule", MANAGE),
        (EDITOR, "set_min_value", MANAGE),
        (EDITOR, "add_approver", MANAGE),
        (EDITOR, "remove_approver", MANAGE),
        (EDITOR, "save", MANAGE),
        (EDITOR, "clear", MANAGE),
        (UserChainState, "load", USERS),
        (UserChainState, "preview", USERS),
        (DefaultChainState, "load", MANAGE),
        (DefaultChainState, "choose_scope", MANAGE),
        (AbsenceState, "load_mine", SIGNED_IN),
        (AbsenceState, "load_for_user", USERS),
        (AbsenceState, "find", SIGNED_IN),
        (AbsenceState, "save", SIGNED_IN),
        (AbsenceState, "remove", SIGNED_IN),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


def test_the_chain_and_absence_states_have_no_other_handlers() -> None:
    modules = {"customer_center.state.chains", "customer_center.state.absences"}
    ours = [fn for fn in handler_functions().values() if fn.__module__ in modules]
    assert len(ours) == 18


async def test_main_contact_builds_a_two_level_chain_and_previews_the_route(acme) -> None:
    cookie = acme.cookie()
    state = await acme.send(cookie, UserChainState, "load", user=acme.ben)
    assert state.can_edit and not state.has_chain and state.levels == []
    approvers = role_id(acme.session, acme.main.company_id, "approver")
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": f"u:{acme.anna.id}"})
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "set_rule", {"index": 1, "rule": "all"})
    await acme.send(cookie, EDITOR, "set_min_value", {"index": 1, "text": "10,000"})
    state = await acme.send(cookie, EDITOR, "add_approver", {"index": 1, "key": f"r:{approvers}"})
    assert state.levels[1] == {"index": "1", "number": "2", "rule": "all", "min_value": "10,000.00"}
    assert [a["label"] for a in state.approvers] == ["Anna", "Approver (role)"]
    state = await acme.send(cookie, EDITOR, "save")
    assert state.problems == {} and state.saved == "The approver chain is saved."
    [stored] = acme.chains()
    assert (stored.scope, stored.subject_id, len(stored.levels)) == ("user", acme.ben.id, 2)
    assert stored.levels[1]["min_order_value_cents"] == 1_000_000
    state = await acme.send(
        cookie, UserChainState, "preview", {"form": {"amount": "12,000"}}, user=acme.ben
    )
    assert state.preview_sentence == "An order of €12,000.00 by Ben would go to:"
    assert state.preview_steps == ["1) Anna (any of)", "2) Approver (role): Anna (all of)"]


async def test_problems_are_shown_next_to_the_level_and_nothing_is_saved(acme) -> None:
    cookie = acme.cookie()
    await acme.send(cookie, UserChainState, "load", user=acme.ben)
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "add_approver", {"index": 1, "key": f"u:{acme.ben.id}"})
    state = await acme.send(cookie, EDITOR, "save")
    assert state.problems == {
        "level-1": "This level has no approver yet.",
        "level-2": "Ben cannot approve: none of their roles grants “Approve, change or reject "
        "orders”. Ben would approve their own orders here; the level would always pass on. "
        "Add someone else.",
    }
    assert state.saved == "" and acme.chains() == []


async def test_the_first_pick_starts_level_one_and_invited_approvers_may_be_named(acme) -> None:
    """Without a level the search box still works; an invited approver is offered with a
    note saying who decides until they accept."""
    ivy = make_user(
        acme.session,
        acme.main.company_id,
        "ivy@acme.example",
        ["approver"],
        name="Ivy",
        status=UserStatus.INVITED,
    )
    acme.session.commit()
    cookie = acme.cookie()
    await acme.send(cookie, UserChainState, "load", user=acme.ben)
    state = await acme.send(cookie, EDITOR, "search_candidates", {"text": "iv"})
    label = "Ivy (invited: until they accept, the main contact decides)"
    assert {"key": f"u:{ivy.id}", "label": label} in state.candidates
    state = await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": f"u:{ivy.id}"})
    assert [lv["number"] for lv in state.levels] == ["1"]
    assert [a["label"] for a in state.approvers] == [label]
    state = await acme.send(cookie, EDITOR, "save")
    assert state.problems == {} and state.saved == "The approver chain is saved."
    [stored] = acme.chains()
    assert stored.levels[0]["approvers"] == [{"user_id": ivy.id}]
    state = await acme.send(
        cookie, UserChainState, "preview", {"form": {"amount": "100"}}, user=acme.ben
    )
    assert state.preview_steps == ["1) Main for Ivy (any of)"]


async def test_someone_who_cannot_approve_is_refused_with_the_reason(acme) -> None:
    cookie = acme.cookie()
    await acme.send(cookie, UserChainState, "load", user=acme.anna)
    await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": f"u:{acme.ben.id}"})
    state = await acme.send(cookie, EDITOR, "save")
    assert state.problems == {
        "level-1": "Ben cannot approve: none of their roles grants “Approve, change or reject "
        "orders”."
    }
    assert acme.chains() == []


async def test_a_forged_approver_of_another_company_is_refused_and_nothing_saved(acme) -> None:
    cookie = acme.cookie()
    await acme.send(cookie, UserChainState, "load", user=acme.ben)
    await acme.send(cookie, EDITOR, "add_level")
    for forged in (
        f"u:{acme.stranger.id}",
        f"r:{role_id(acme.session, acme.stranger.company_id, 'approver')}",
        "u:x",
        7,
    ):
        state = await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": forged})
        assert state.approvers == []
    state = await acme.send(cookie, EDITOR, "save")
    assert state.problems == {"level-1": "This level has no approver yet."}
    assert acme.chains() == []


async def test_another_company_cannot_open_or_save_a_user_s_chain(acme) -> None:
    cookie = acme.cookie(acme.other_main)
    state = await acme.send(cookie, UserChainState, "load", user=acme.ben)
    assert state.levels == [] and not state.has_chain
    assert all("Anna" not in c["label"] and "Ben" not in c["label"] for c in state.candidates)
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": f"u:{acme.stranger.id}"})
    state = await acme.send(cookie, EDITOR, "save")
    assert state.saved == ""
    assert acme.chains() == []


async def test_users_managers_without_chains_manage_see_the_chain_read_only(acme) -> None:
    state = await acme.send(acme.cookie(acme.hr), UserChainState, "load", user=acme.ben)
    assert not state.can_edit
    state = await acme.send(acme.cookie(acme.hr), EDITOR, "add_level")
    assert state.levels == []


async def test_default_chains_for_the_company_and_a_role(acme) -> None:
    cookie = acme.cookie()
    state = await acme.send(cookie, DefaultChainState, "load")
    buyer = role_id(acme.session, acme.main.company_id, "buyer")
    assert state.scope_key == "company:0"
    assert {"key": f"role:{buyer}", "label": "Role Buyer"} in state.scope_options
    state = await acme.send(cookie, DefaultChainState, "choose_scope", {"key": f"role:{buyer}"})
    assert state.scope_key == f"role:{buyer}"
    await acme.send(cookie, EDITOR, "add_level")
    await acme.send(cookie, EDITOR, "add_approver", {"index": 0, "key": f"u:{acme.anna.id}"})
    state = await acme.send(cookie, EDITOR, "save")
    assert [(c.scope, c.subject_id) for c in acme.chains()] == [("role", buyer)]
    foreign = role_id(acme.session, acme.stranger.company_id, "buyer")
    state = await acme.send(cookie, DefaultChainState, "choose_scope", {"key": f"role:{foreign}"})
    assert state.scope_key == f"role:{buyer}"
    state = await acme.send(cookie, EDITOR, "clear")
    assert state.saved == "The chain is removed; the defaults apply." and acme.chains() == []


async def test_everyone_plans_their_own_absences_one_after_another(acme) -> None:
    cookie = acme.cookie(acme.anna)
    state = await acme.send(cookie, AbsenceState, "load_mine")
    assert state.periods == []
    assert "Anna" not in [c["name"] for c in state.candidates]
    start = date.today()
    form = {
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=3)).isoformat(),
        "substitute": str(acme.main.user_id),
    }
    state = await acme.send(cookie, AbsenceState, "save", {"form": form})
    assert state.errors == {} and state.saved == "The absence is saved."
    later = {
        "starts_on": (start + timedelta(days=90)).isoformat(),
        "ends_on": (start + timedelta(days=95)).isoformat(),
        "substitute": str(acme.main.user_id),
    }
    state = await acme.send(cookie, AbsenceState, "save", {"form": later})
    assert state.errors == {} and len(state.periods) == 2
    assert all(p["text"].endswith("decides meanwhile.") for p in state.periods)
    assert [(a.user_id, a.starts_on) for a in acme.absences()] == [
        (acme.anna.id, start),
        (acme.anna.id, start + timedelta(days=90)),
    ]
    state = await acme.send(
        cookie, AbsenceState, "save", {"form": {**form, "substitute": str(acme.anna.id)}}
    )
    assert state.errors["substitute"] == "Choose someone else as substitute."
    assert state.errors["starts_on"].startswith("This overlaps the absence already planned")
    state = await acme.send(cookie, AbsenceState, "remove", {"absence_id": state.periods[0]["id"]})
    assert state.saved == "The absence is removed." and len(state.periods) == 1
    assert [a.starts_on for a in acme.absences()] == [start + timedelta(days=90)]


async def test_a_substitute_who_cannot_approve_and_an_overlap_are_refused(acme) -> None:
    """The review's Technician: refused with the reason, next to the substitute field."""
    cookie = acme.cookie(acme.anna)
    await acme.send(cookie, AbsenceState, "load_mine")
    form = {"starts_on": "2026-12-01", "ends_on": "2026-12-10", "substitute": str(acme.ben.id)}
    state = await acme.send(cookie, AbsenceState, "save", {"form": form})
    assert state.errors == {
        "substitute": "Ben cannot decide approvals: none of their roles grants “Approve, change "
        "or reject orders”. Choose someone who holds it, or give Ben such a role first."
    }
    assert acme.absences() == []
    main = {**form, "substitute": str(acme.main.user_id)}
    state = await acme.send(cookie, AbsenceState, "save", {"form": main})
    assert state.errors == {}
    overlapping = {**main, "starts_on": "2026-12-10", "ends_on": "2026-12-12"}
    state = await acme.send(cookie, AbsenceState, "save", {"form": overlapping})
    assert state.errors == {
        "starts_on": "This overlaps the absence already planned from Dec 1, 2026 to "
        "Dec 10, 2026. Change that one or choose other days."
    }
    assert len(acme.absences()) == 1


async def test_absence_forms_refuse_wrong_input_next_to_the_field(acme) -> None:
    cookie = acme.cookie(acme.anna)
    await acme.send(cookie, AbsenceState, "load_mine")
    form = {"starts_on": "tomorrow", "ends_on": "2026-12-01", "substitute": ""}
    state = await acme.send(cookie, AbsenceState, "save", {"form": form})
    assert state.errors == {"substitute": "Choose a substitute…"}
    state = await acme.send(
        cookie, AbsenceState, "save", {"form": {**form, "substitute": str(acme.ben.id)}}
    )
    assert state.errors == {"starts_on": "Please enter a date."}
    forged = {**form, "starts_on": "2026-12-01", "substitute": str(acme.stranger.id)}
    state = await acme.send(cookie, AbsenceState, "save", {"form": forged})
    assert state.errors == {"substitute": "The substitute must be an active user of your company."}
    assert acme.absences() == []


async def test_only_administrators_set_the_absence_of_someone_else(acme) -> None:
    form = {"starts_on": "2026-12-01", "ends_on": "2026-12-02", "substitute": str(acme.anna.id)}
    ben = acme.cookie(acme.ben)
    await acme.send(ben, AbsenceState, "load_for_user", user=acme.hr)  # refused: no right
    state = await acme.send(ben, AbsenceState, "save", {"form": form})
    assert acme.absences() == []
    hr = acme.cookie(acme.hr)
    state = await acme.send(hr, AbsenceState, "load_for_user", user=acme.ben)
    state = await acme.send(hr, AbsenceState, "save", {"form": form})
    assert state.errors == {}
    assert [(a.user_id, a.substitute_id) for a in acme.absences()] == [(acme.ben.id, acme.anna.id)]
    stranger = acme.cookie(acme.other_main)
    await acme.send(stranger, AbsenceState, "load_for_user", user=acme.ben)
    [planned] = acme.absences()
    state = await acme.send(stranger, AbsenceState, "remove", {"absence_id": str(planned.id)})
    assert len(acme.absences()) == 1


def test_the_components_and_the_page_build() -> None:
    for component in (
        user_chain_section(),
        absence_section("absence.hint"),
        approval_chains_page(),
    ):
        assert component.render()
