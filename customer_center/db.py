"""The one engine and session factory: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import select
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from customer_center.settings import get_settings

CONNECT_TIMEOUT_SECONDS = 5


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A worker's database connections; its thread pool for blocking calls is sized to match.
POOL_SIZE, POOL_OVERFLOW = 10, 20


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # connect_timeout: an unreachable server fails an event within seconds instead of
    # hanging it.
    engine = create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=CONNECT_TIMEOUT_SECONDS,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    event.listen(engine, "checkout", _replace_if_ended)
    return engine


def _replace_if_ended(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Before the pool lends a connection: one the server ended (a restart, a killed
    backend) is replaced, so the pool recovers by itself. A pre-ping would ask the server
    (``SELECT 1``, a round trip per transaction, several per click); an idle connection the
    server ended has its socket readable with the goodbye, so the server is asked only then."""
    if not _still_open(dbapi_connection):
        raise DisconnectionError("the database ended this connection")


def _still_open(connection: Any) -> bool:
    if connection.closed:  # psycopg: closed, or its connection known broken
        return False
    idle = select.poll()
    idle.register(connection.pgconn.socket, select.POLLIN)
    if not idle.poll(0):  # nothing arrived while it was idle
        return True
    try:  # the server said something: a goodbye, or a notice; ask
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # whatever failed, this connection is not one to lend
        return False
    return True


def is_outage(error: BaseException) -> bool:
    """The database could not be reached or could not write (down, restarting, full, read
    only): nothing was saved and the same action may simply be tried again later."""
    return isinstance(error, OperationalError | InterfaceError | PoolTimeout) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None, *, keep: bool = False) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error. ``keep``: what it reads
    stays loaded until it ends (``keep_loaded``); for an event's work, not for bulk reads."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        if keep:
            keep_loaded(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# --- whether a transaction wrote ------------------------------------------------------

_WROTE = "db.wrote"
_BEHIND = "db.wrote_behind"  # an INSERT/UPDATE/DELETE statement: rows the objects don't show
_MEMOS = "db.memos"
T = TypeVar("T")


@event.listens_for(OrmSession, "after_transaction_end")
def _transaction_ended(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one (not a flush or a savepoint)
        # Reset here, not on begin: a statement's event comes before the begin it causes.
        session.info[_WROTE] = session.info[_BEHIND] = False
        session.info.pop(_MEMOS, None)


@event.listens_for(OrmSession, "after_flush")
def _flushed(session: OrmSession, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    locking = state.is_select and getattr(state.statement, "_for_update_arg", None) is not None
    if state.is_insert or state.is_update or state.is_delete or locking:
        state.session.info[_WROTE] = True
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_BEHIND] = True


def has_written(session: OrmSession) -> bool:
    """The session's transaction wrote or locked rows, or holds changes still to flush."""
    pending = session.new or session.dirty or session.deleted
    return bool(pending or session.info.get(_WROTE, False))


def transaction_memo(session: OrmSession, name: str) -> dict[Any, Any]:
    """A scratch dict named ``name`` that lives as long as the session's transaction (in a
    ``SharedReads`` session, as long as what it read stays loaded): for what a service works
    out once and must not carry into the next unit of work."""
    memos: dict[str, dict[Any, Any]] = session.info.setdefault(_MEMOS, {})
    return memos.setdefault(name, {})


def keep_loaded(session: Session) -> list[object]:
    """Hold what ``session`` loads for as long as the returned list lives. The session's
    identity map holds its objects weakly: a service's objects are gone when it returns, and
    the next one in the same transaction would read the same order or company again."""
    loaded: list[object] = []
    event.listen(session, "loaded_as_persistent", lambda _session, obj: loaded.append(obj))
    return loaded


class SharedReads:
    """Service calls one after the other (one page opening) in one session, each in a
    transaction of its own as before (what a call wrote is committed when it returns, a call
    that failed is rolled back alone), but what the calls read stays loaded for the next
    ones (``keep_loaded``): an order or a company read by one is not read again by the next.
    Each call's transaction ends when it returns, so no pooled connection is held while the
    event loop waits between calls: with many pages opening at once, page openings holding
    connections while their next call waited for a thread starved the pool. Not for
    concurrent calls."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._engine = engine
        self._session: Session | None = None
        self._loaded: list[object] = []

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        session = self._session or self._open()
        try:
            result = fn(session, *args, **kwargs)
        except BaseException:
            self._end()
            raise
        self._commit(session)  # the connection goes back to the pool between calls
        return result

    def close(self) -> None:
        """Forget what was read. Each call committed when it returned: no connection is
        held and nothing is pending, so this does no I/O (safe on the event loop)."""
        self._end()

    def _commit(self, session: Session) -> None:
        """What was read stays loaded (written through the objects, it shows the writes),
        unless a statement wrote rows behind the objects' back: then everything is read
        again when next used."""
        behind = session.info.get(_BEHIND, False)
        memos = session.info.get(_MEMOS)
        try:
            session.commit()
        except BaseException:
            self._end()
            raise
        if behind:
            session.expire_all()
            self._loaded.clear()
        elif memos:  # what the calls worked out, kept as what they read is
            session.info[_MEMOS] = memos

    def _open(self) -> Session:
        session = Session(self._engine or get_engine(), expire_on_commit=False)
        self._loaded = keep_loaded(session)
        self._session = session
        return session

    def _end(self) -> None:
        session, self._session = self._session, None
        self._loaded.clear()
        if session is not None:
            with session:
                session.rollback()
