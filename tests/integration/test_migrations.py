"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from alembic import command
from customer_center.migrations import alembic_config, upgrade
from customer_center.tables import metadata


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLite cannot reflect expression indexes
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def _seed_one_absence(url: str) -> None:
    """A company, two users and the single absence the schema of 0006 allowed per user."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO company (id, customer_number, name, street, postal_code, city,"
                " country, currency, language, password_sign_in_enabled, activated_at)"
                " VALUES (1, 'C-1', 'Acme', '', '', '', 'DE', 'EUR', 'en', true, :now)"
            ),
            {"now": datetime(2026, 11, 1, tzinfo=UTC)},
        )
        for user_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO user_account (id, company_id, email, name, language,"
                    " is_main_contact, status, created_at, updated_at)"
                    " VALUES (:id, 1, :email, 'U', 'en', false, 'active', :now, :now)"
                ),
                {"id": user_id, "email": f"u{user_id}@acme.example", "now": datetime.now(UTC)},
            )
        connection.execute(
            text(
                "INSERT INTO absence (company_id, user_id, substitute_id, starts_on, ends_on,"
                " updated_at) VALUES (1, 1, 2, :start, :end, :now)"
            ),
            {"start": date(2026, 12, 1), "end": date(2026, 12, 10), "now": datetime.now(UTC)},
        )
    engine.dispose()


def test_0007_keeps_each_absence_and_allows_several_per_user(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    command.upgrade(alembic_config(url), "0006")
    _seed_one_absence(url)
    command.upgrade(alembic_config(url), "0007")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO absence (company_id, user_id, substitute_id, starts_on, ends_on,"
                " updated_at) VALUES (1, 1, 2, :start, :end, :now)"
            ),
            {"start": date(2027, 3, 1), "end": date(2027, 3, 10), "now": datetime.now(UTC)},
        )
        periods = connection.execute(
            text("SELECT starts_on, substitute_id FROM absence WHERE user_id = 1 ORDER BY id")
        ).all()
    engine.dispose()
    assert [(str(start), sub) for start, sub in periods] == [("2026-12-01", 2), ("2027-03-01", 2)]


def test_0010_adds_the_seller_staff_tables_and_takes_them_away_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    command.upgrade(alembic_config(url), "0010")
    staff_tables = {"staff_member", "staff_session", "account_team_member"}
    engine = create_engine(url)
    with engine.connect() as connection:
        names = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    assert staff_tables <= names
    command.downgrade(alembic_config(url), "0009")
    with engine.connect() as connection:
        names = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    engine.dispose()
    assert not staff_tables & names
