"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from alembic import command
from customer_center.migrations import alembic_config, upgrade
from customer_center.tables import metadata
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL


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


def _scratch_database(tmp_path: Path) -> Iterator[str]:
    """A database URL to migrate from scratch: a SQLite file, or on PostgreSQL a schema of
    its own in the test database (dropped afterwards)."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'prices.db'}"
        return
    admin = create_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_0011 CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_0011"))
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    try:
        yield f"{TEST_DATABASE_URL}{separator}options=-csearch_path%3Dmigration_0011"
    finally:
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS migration_0011 CASCADE"))
        admin.dispose()


def _price_rows(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT customer_number, sku, price, valid_from, valid_to, min_quantity"
                " FROM erp_price ORDER BY customer_number, sku, min_quantity, valid_from"
            )
        ).all()
    engine.dispose()
    return [(c, s, f"{float(p):.2f}", v and str(v), t and str(t), m) for c, s, p, v, t, m in rows]


def test_0011_keeps_each_price_as_an_open_ended_contract_and_allows_terms(
    engine, tmp_path: Path
) -> None:
    for url in _scratch_database(tmp_path):
        command.upgrade(alembic_config(url), "0009")
        scratch = create_engine(url)
        with scratch.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO erp_customer (customer_number, name, allowed, email_domains,"
                    " currency, language, street, postal_code, city, country)"
                    " VALUES ('10001', 'Müller', true, '', 'EUR', 'de', '', '', '', 'DE')"
                )
            )
            for sku in ("BRG", "MTR"):
                connection.execute(
                    text(
                        "INSERT INTO erp_product (sku, name, description, unit, list_price,"
                        " currency) VALUES (:sku, :sku, '', 'pc', 10.00, 'EUR')"
                    ),
                    {"sku": sku},
                )
            connection.execute(
                text(
                    "INSERT INTO erp_price (customer_number, sku, price, currency)"
                    " VALUES ('10001', 'BRG', 7.45, 'EUR'), ('10001', 'MTR', 559.00, 'EUR')"
                )
            )
        command.upgrade(alembic_config(url), "head")
        with scratch.connect() as connection, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLite cannot reflect expression indexes
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, metadata) == []
        assert _price_rows(url) == [
            ("10001", "BRG", "7.45", None, None, 1),
            ("10001", "MTR", "559.00", None, None, 1),
        ]
        with scratch.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO erp_price (customer_number, sku, price, currency, valid_from,"
                    " valid_to, min_quantity) VALUES"
                    " ('10001', 'BRG', 7.90, 'EUR', :old_from, :old_to, 1),"
                    " ('10001', 'BRG', 6.95, 'EUR', :new_from, NULL, 100)"
                ),
                {
                    "old_from": date(2025, 1, 1),
                    "old_to": date(2025, 12, 31),
                    "new_from": date(2026, 1, 1),
                },
            )
        assert len(_price_rows(url)) == 4
        command.downgrade(alembic_config(url), "0009")
        with scratch.connect() as connection:
            back = connection.execute(
                text("SELECT customer_number, sku, price FROM erp_price ORDER BY sku")
            ).all()
        scratch.dispose()
        # Per customer and SKU the plain contract price that started last.
        assert [(c, s, f"{float(p):.2f}") for c, s, p in back] == [
            ("10001", "BRG", "7.90"),
            ("10001", "MTR", "559.00"),
        ]


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
