"""db.SharedReads: the service calls of one page opening in one session, each in a
transaction of its own (what it wrote is kept at once, what failed is undone), reading
nothing twice, and holding no pooled connection between calls."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from sqlmodel import Session, col, select

from customer_center.db import SharedReads, transaction_memo
from customer_center.models.company import Company
from customer_center.services.identity.accounts import company_overview
from tests.factories import make_company


@pytest.fixture
def company_id(session: Session) -> int:
    company_id = make_company(session).company_id
    session.commit()
    return company_id


@pytest.fixture
def statements(db):
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db, "before_cursor_execute", record)
    yield seen
    event.remove(db, "before_cursor_execute", record)


def _name(session: Session, company_id: int) -> str:
    company = session.get(Company, company_id)
    assert company is not None
    return company.name


def _rename(session: Session, company_id: int, name: str, *, fail: bool = False) -> None:
    company = session.get(Company, company_id)
    assert company is not None
    company.name = name
    session.add(company)
    session.flush()
    if fail:
        raise ValueError("refused after writing")


def _rename_behind(session: Session, company_id: int, name: str) -> None:
    session.execute(
        update(Company).where(col(Company.id) == company_id).values(name=name),
        execution_options={"synchronize_session": False},
    )


def _stored_name(engine, company_id: int) -> str:
    with Session(engine) as other:
        return other.exec(select(Company.name).where(Company.id == company_id)).one()


def test_what_one_call_read_is_not_read_again_by_the_next(db, company_id, statements) -> None:
    shared = SharedReads(db)
    assert shared.run(_name, company_id) == "Acme GmbH"
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert shared.run(_name, company_id) == "Acme GmbH"
    shared.close()
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == selects
    assert len(selects) == 1


def test_a_call_that_wrote_is_kept_at_once_and_its_objects_stay_read(
    db, company_id, statements
) -> None:
    shared = SharedReads(db)
    shared.run(_rename, company_id, "Renamed AG")
    assert _stored_name(db, company_id) == "Renamed AG"  # committed before the block ends
    before = len(statements)
    assert shared.run(_name, company_id) == "Renamed AG"
    assert len(statements) == before  # shown from what the call loaded and wrote
    shared.close()


def test_a_call_that_fails_undoes_its_own_writes_only(db, company_id) -> None:
    shared = SharedReads(db)
    shared.run(_rename, company_id, "First AG")
    with pytest.raises(ValueError):
        shared.run(_rename, company_id, "Half AG", fail=True)
    assert _stored_name(db, company_id) == "First AG"
    assert shared.run(_name, company_id) == "First AG"  # the next call goes on, anew
    shared.close()


def test_a_write_behind_the_objects_back_has_them_read_again(db, company_id) -> None:
    shared = SharedReads(db)
    assert shared.run(_name, company_id) == "Acme GmbH"
    shared.run(_rename_behind, company_id, "Behind AG")
    assert shared.run(_name, company_id) == "Behind AG"
    shared.close()
    assert _stored_name(db, company_id) == "Behind AG"


def test_no_connection_is_held_between_calls(db, company_id) -> None:
    """Many pages open at once: a page holding a pooled connection while its next call
    waits for a thread would starve the pool."""
    shared = SharedReads(db)
    shared.run(_name, company_id)
    assert db.pool.checkedout() == 0
    shared.run(_rename, company_id, "Renamed AG")
    assert db.pool.checkedout() == 0
    shared.close()


def test_a_transaction_memo_ends_with_its_transaction(db, company_id: int) -> None:
    with Session(db) as session:
        _name(session, company_id)
        transaction_memo(session, "test")["seen"] = True
        assert transaction_memo(session, "test") == {"seen": True}
        session.commit()
        assert transaction_memo(session, "test") == {}


def _memo(session: Session, value: str | None = None) -> dict:
    memo = transaction_memo(session, "test")
    if value is not None:
        memo["seen"] = value
    return dict(memo)


def test_what_a_call_worked_out_is_kept_for_the_next_unless_it_wrote_behind(
    db, company_id: int
) -> None:
    shared = SharedReads(db)
    shared.run(_memo, "worked out")
    assert shared.run(_memo) == {"seen": "worked out"}
    shared.run(_rename_behind, company_id, "Behind AG")
    assert shared.run(_memo) == {}
    shared.close()


def test_a_page_opening_reads_the_company_overview_once(db, statements) -> None:
    with Session(db) as session:
        main = make_company(session)
        session.commit()
    shared = SharedReads(db)
    shell = shared.run(company_overview, main)  # the shell's facts
    before = len(statements)
    dashboard = shared.run(company_overview, main)  # the dashboard's card
    shared.close()
    assert dashboard == shell and dashboard.company_name == "Acme GmbH"
    assert [s for s in statements[before:] if "company" in s.lower()] == []
