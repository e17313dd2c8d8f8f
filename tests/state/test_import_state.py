"""The CSV import state through Reflex's real event pipeline: upload, pages, background import."""

from __future__ import annotations

import io
import itertools

import pytest
import reflex as rx
from sqlmodel import Session, select

from customer_center.domain.people import UserStatus
from customer_center.models.user import User
from customer_center.pages.users_import import users_import_page
from customer_center.state.user_import import PAGE_SIZE, UserImportState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
S = UserImportState


def _token() -> str:
    return f"import-state-{next(_tokens)}"


def _file(text: str, name: str = "users.csv") -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(text.encode()), path=None, size=len(text))  # type: ignore[call-arg]


def _csv(count: int, bad: int = 0) -> str:
    good = [f"User {i},user{i}@acme.example,en,buyer" for i in range(count)]
    broken = [f"Broken {i},broken-{i},en,buyer" for i in range(bad)]
    return "name,email,language,roles\n" + "\n".join(good + broken) + "\n"


class Acme:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.buyer = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        session.commit()
        self.session = session

    def cookie(self, user: User | None = None) -> str:
        return signed_in_cookie(self.session, user or self.session.get(User, self.main.user_id))  # type: ignore[arg-type]

    def invited(self) -> int:
        self.session.expire_all()
        found = self.session.exec(select(User).where(User.status == UserStatus.INVITED)).all()
        return len(found)


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


async def _send(
    token: str, cookie: str, handler: str, payload: dict | None = None
) -> UserImportState:
    name = f"{S.get_full_name()}.{handler}"
    return await dispatch(token, cookie, name, payload or {}, {})  # type: ignore[return-value]


async def test_preview_shows_one_page_errors_first_and_keeps_rows_private(acme: Acme) -> None:
    token, cookie = _token(), acme.cookie()
    state = await _send(token, cookie, "upload", {"files": [_file(_csv(58, bad=2))]})
    assert (state.ok_count, state.error_count, state.page_count) == (58, 2, 2)
    assert len(state.rows) == PAGE_SIZE
    assert [row["ok"] for row in state.rows[:3]] == ["", "", "1"]
    assert "not a valid e-mail address" in state.rows[0]["problems"]
    assert len(state._rows) == 60
    assert "_rows" not in S.vars and "rows" in S.vars
    assert "_rows" not in state.dict()[state.get_full_name()]
    state = await _send(token, cookie, "next_page")
    assert (state.page, len(state.rows)) == (1, 10)
    assert acme.invited() == 0


async def test_an_unusable_file_is_explained(acme: Acme) -> None:
    state = await _send(_token(), acme.cookie(), "upload", {"files": [_file("a;b\n1;2\n")]})
    assert "name" in state.errors["file"] and state.rows == []


async def test_import_runs_in_the_background_to_the_end(
    acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    from customer_center.services.people import user_import

    monkeypatch.setattr(user_import, "BATCH_SIZE", 3)  # several batches, several steps
    token, cookie = _token(), acme.cookie()
    await _send(token, cookie, "upload", {"files": [_file(_csv(7, bad=1))]})
    state = await _send(token, cookie, "run_import")
    assert (state.finished, state.importing, state.invited, state.done, state.total) == (
        True,
        False,
        7,
        7,
        7,
    )
    assert state.percent == 100 and state.failed_count == 0
    assert state._rows == [] and acme.invited() == 7
    again = await _send(token, cookie, "run_import")
    assert again.invited == 7 and acme.invited() == 7  # nothing left to import twice


async def test_a_user_without_the_right_cannot_upload_or_import(acme: Acme) -> None:
    token, cookie = _token(), acme.cookie(acme.buyer)
    state = await _send(token, cookie, "upload", {"files": [_file(_csv(2))]})
    assert state.ok_count == 0 and state._rows == []
    await _send(token, cookie, "run_import")
    assert acme.invited() == 0


def test_the_page_builds() -> None:
    assert users_import_page().render()
