"""The roles state through Reflex's real event pipeline: access rules, what the page shows,
creating, editing and deleting custom roles, and ids the page never offered."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from customer_center.domain.permissions import Permission
from customer_center.models.user import Role, User, UserRole
from customer_center.pages.roles import roles_page
from customer_center.presenters.people import builtin_role_names
from customer_center.services.people import roles
from customer_center.state.access import Access, access_of
from customer_center.state.middleware import handler_functions
from customer_center.state.roles import RolesState, checked_rights
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

HANDLERS = (
    "load",
    "open_new",
    "open_edit",
    "close_editor",
    "save",
    "ask_delete",
    "cancel_delete",
    "delete",
)
_tokens = itertools.count()


class Acme:
    """A company with its main contact, a buyer, and a custom role "Finance" held by Fay."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.finance = roles.create_role(
            session,
            self.main,
            name="Finance",
            permissions=["reports.view"],
            builtin_names=builtin_role_names,
        )
        self.fay = make_user(session, self.main.company_id, "fay@acme.example", [])
        session.add(UserRole(user_id=self.fay.id, role_id=self.finance))  # type: ignore[arg-type]
        session.commit()
        self.session = session
        self.token = f"roles-state-{next(_tokens)}"
        self._cookies: dict[int, str] = {}

    def cookie(self, user: User | None = None) -> str:
        """One sign-in per user, kept like a browser keeps it (a new session would empty the
        tab's state)."""
        user = user or self.session.get(User, self.main.user_id)
        assert user is not None and user.id is not None
        if user.id not in self._cookies:
            self._cookies[user.id] = signed_in_cookie(self.session, user)
        return self._cookies[user.id]

    async def send(self, handler: str, payload: dict | None = None, cookie: str = ""):  # type: ignore[no-untyped-def]
        name = f"{RolesState.get_full_name()}.{handler}"
        return await dispatch(self.token, cookie or self.cookie(), name, payload or {}, {})

    def names(self) -> set[str]:
        self.session.expire_all()
        rows = self.session.exec(select(Role.name).where(Role.company_id == self.main.company_id))
        return set(rows)


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


@pytest.mark.parametrize("handler", HANDLERS)
def test_every_handler_requires_roles_manage(handler: str) -> None:
    fn = handler_functions()[f"{RolesState.get_full_name()}.{handler}"]
    assert access_of(fn) == Access(permission=Permission.ROLES_MANAGE)


def test_the_roles_state_has_no_other_handlers() -> None:
    ours = {
        name.rpartition(".")[2]
        for name, fn in handler_functions().items()
        if fn.__module__ == "customer_center.state.roles"
    }
    assert ours == set(HANDLERS)


def test_checked_boxes_become_rights_and_anything_else_is_dropped() -> None:
    form = {"name": "x", "perm:orders.create": True, "perm:audit.view": "on", "perm:x": False}
    assert checked_rights(form) == ["audit.view", "orders.create"]
    assert checked_rights(["perm:orders.create"]) == []


async def test_load_shows_every_role_with_rights_by_area_and_user_counts(acme) -> None:
    state = await acme.send("load")
    labels = [row["label"] for row in state.rows]
    assert labels == ["Main contact", "Buyer", "Approver", "Controller", "Technician", "Finance"]
    buyer = state.rows[1]
    assert buyer["builtin"] == "1" and buyer["users"] == "1"
    assert buyer["description"].startswith("Orders for the company")
    finance = state.rows[5]
    assert finance["builtin"] == "" and finance["users"] == "1" and finance["description"] == ""
    lines = [(line["area"], line["rights"]) for line in state.area_lines]
    assert ("Reporting", "See reports and spending") in lines
    buyer_lines = [line for line in state.area_lines if line["role_id"] == buyer["id"]]
    assert [line["area"] for line in buyer_lines] == ["Orders", "Documents", "Returns"]
    assert buyer_lines[0]["rights"] == "Place orders, See own orders"
    assert all(
        set(row) == {"id", "label", "builtin", "description", "users", "empty"}
        for row in state.rows
    )


async def test_a_new_role_is_created_from_the_editor(acme) -> None:
    await acme.send("load")
    state = await acme.send("open_new")
    assert state.editor_open and state.editor_id == 0 and state.editor_rights == []
    form = {"name": "Night shift", "perm:orders.create": True, "perm:orders.view_own": True}
    state = await acme.send("save", {"form": form})
    assert state.editor_errors == {} and not state.editor_open
    assert state.notice.startswith("The role is saved")
    assert "Night shift" in [row["label"] for row in state.rows]
    assert "Night shift" in acme.names()


async def test_refusals_are_shown_next_to_the_fields_and_nothing_is_saved(acme) -> None:
    await acme.send("load")
    await acme.send("open_new")
    state = await acme.send("save", {"form": {"name": "finance", "perm:root.all": True}})
    assert state.editor_open
    assert state.editor_errors == {
        "name": "A role with this name already exists.",
        "permissions": "One of the chosen rights does not exist.",
    }
    assert acme.names() == {"main_contact", "buyer", "approver", "controller", "technician"} | {
        "Finance"
    }


async def test_a_custom_role_is_edited_but_a_builtin_never_opens(acme, session) -> None:
    await acme.send("load")
    state = await acme.send(
        "open_edit", {"role_id": role_id(session, acme.main.company_id, "buyer")}
    )
    assert not state.editor_open
    state = await acme.send("open_edit", {"role_id": acme.finance})
    assert state.editor_open and state.editor_name == "Finance"
    assert state.editor_rights == ["reports.view"]
    form = {"name": "Accounting", "perm:reports.view": True, "perm:budgets.manage": True}
    state = await acme.send("save", {"form": form})
    assert state.editor_errors == {} and "Accounting" in acme.names()
    finance_lines = [line for line in state.area_lines if line["role_id"] == str(acme.finance)]
    assert [line["area"] for line in finance_lines] == ["Budgets and approver chains", "Reporting"]
    await acme.send("close_editor")


async def test_deleting_a_role_in_use_asks_where_its_users_go(acme, session) -> None:
    await acme.send("load")
    state = await acme.send("ask_delete", {"role_id": acme.finance})
    assert state.delete_id == acme.finance and state.delete_users == 1
    assert state.delete_title == "Delete the role Finance"
    offered = {option["label"] for option in state.move_options}
    assert offered == {"Buyer", "Approver", "Controller", "Technician"}
    state = await acme.send("delete", {"form": {"move_to": ""}})
    assert state.delete_errors == {
        "move_to": "Users holding this role: 1. Choose the role they move to."
    }
    assert "Finance" in acme.names()
    buyer = role_id(session, acme.main.company_id, "buyer")
    state = await acme.send("delete", {"form": {"move_to": str(buyer)}})
    assert state.delete_errors == {} and state.delete_id == 0
    assert state.notice == "The role is deleted."
    assert "Finance" not in acme.names()
    held = session.exec(select(UserRole.role_id).where(UserRole.user_id == acme.fay.id)).all()
    assert held == [buyer]


async def test_ids_the_page_did_not_offer_change_nothing(acme, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    theirs = roles.create_role(
        session,
        other,
        name="Theirs",
        permissions=["orders.create"],
        builtin_names=builtin_role_names,
    )
    session.commit()
    await acme.send("load")
    state = await acme.send("ask_delete", {"role_id": theirs})
    assert state.delete_id == 0
    state = await acme.send("open_edit", {"role_id": theirs})
    assert not state.editor_open
    await acme.send("ask_delete", {"role_id": acme.finance})
    foreign_target = role_id(session, other.company_id, "buyer")
    state = await acme.send("delete", {"form": {"move_to": str(foreign_target)}})
    assert state.delete_errors == {
        "move_to": "This entry does not exist or is not part of your company."
    }
    assert "Finance" in acme.names()
    await acme.send("cancel_delete")


async def test_a_user_without_the_right_sees_and_changes_nothing(acme) -> None:
    cookie = acme.cookie(acme.ben)
    state = await acme.send("load", cookie=cookie)
    assert state.rows == []
    await acme.send("save", {"form": {"name": "Mine", "perm:orders.create": True}}, cookie)
    assert "Mine" not in acme.names()


def test_the_roles_page_builds() -> None:
    assert roles_page().render()
