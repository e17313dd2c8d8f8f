"""LIKE patterns from domain.inputs match what was typed literally, on the test database
(SQLite, or PostgreSQL with CC_TEST_DATABASE_URL): ``%``, ``_`` and ``\\`` are no wildcards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.engine import Engine

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern

_words = Table(
    "like_pattern_words",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("word", String(40)),
)


@pytest.fixture(scope="module")
def words(engine: Engine) -> Iterator[Engine]:
    _words.create(engine, checkfirst=True)
    yield engine
    _words.drop(engine)


def _matches(engine: Engine, stored: str, typed: str, where: str) -> bool:
    with engine.begin() as connection:
        connection.execute(_words.delete())
        connection.execute(insert(_words), {"word": stored})
        pattern = like_pattern(typed, where)
        query = select(_words.c.word).where(_words.c.word.like(pattern, escape=LIKE_ESCAPE))
        return connection.execute(query).first() is not None


@pytest.mark.parametrize(
    ("stored", "typed", "expected"),
    [("100%", "0%", True), ("1000", "0%", False), ("a_b", "a_b", True), ("axb", "a_b", False),
     ("c:\\x", "\\x", True), ("c:x", "\\x", False), ("c:\\\\", "\\\\", True),
     ("c:\\", "\\\\", False)],
)  # fmt: skip
def test_wildcards_match_only_themselves(words: Engine, stored, typed, expected) -> None:
    assert _matches(words, stored, typed, "contains") is expected


# Lower-case letters only, so that SQLite's case folding and PostgreSQL's case-sensitive
# LIKE agree with Python's ``in``.
_text = st.text(alphabet="ab%_\\", max_size=8)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_text, _text)
def test_patterns_agree_with_python(words: Engine, stored: str, typed: str) -> None:
    assert _matches(words, stored, typed, "contains") == (typed in stored)
    assert _matches(words, stored, typed, "starts") == stored.startswith(typed)
    assert _matches(words, stored, typed, "ends") == stored.endswith(typed)
