"""No ERP call while a database transaction is open (issue 20).

An ERP call can take seconds (timeouts, retries); a transaction held open meanwhile keeps a
pooled connection busy and, on SQLite, may hold the database's only write lock, so a slow
ERP would stall every other request. The rule is enforced here, for every call through the
client the services are given (:func:`guarded`, applied in ``services.wiring``):

- SQLAlchemy's session events tell which sessions of the current thread have a transaction
  open on a connection; ``db.has_written`` whether it has written (a flush, an
  INSERT/UPDATE/DELETE statement) or locked rows (``SELECT … FOR UPDATE``).
- Before each ERP call, a transaction that only read is **ended** (committed: nothing to
  write, the objects read stay loaded); the next database access opens a new one. So a page
  reads the database, the transaction closes, the ERP is asked, and whatever is read after
  the answer is read in a new transaction. Nothing a page shows depends on two reads being
  in one transaction.
- A transaction that wrote or locked cannot be ended without changing its meaning: the call
  is a bug. It is logged as an error (``erp.call_in_transaction``, with the stack); with
  :data:`STRICT` (the tests) it raises :class:`ErpCallInTransaction`. Such a path asks the
  ERP before it writes (see ``services/shop/erp_first.py``, used by checkout).

The embedded ERP is the same to this rule as an HTTP one: it is the seller's system that
happens to keep its tables in the portal's database, each call in its own short session on
its own connection (its transactions are the ERP's, not the portal's). Keeping the portal's
transaction closed around it matters there too: on SQLite a portal transaction holding the
write lock would block the embedded ERP's own writes.
"""

from __future__ import annotations

import functools
import logging
import threading
import weakref
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.orm import (
    Session,
    SessionTransaction,
    SessionTransactionOrigin,
)

from customer_center.db import has_written
from customer_center.integrations.erp.protocol import ErpClient

log = logging.getLogger(__name__)

STRICT = False  # raise instead of logging (the tests set it: tests/conftest.py)


class ErpCallInTransaction(AssertionError):
    """An ERP call while a transaction that wrote or locked rows was open."""


class _Open(threading.local):
    def __init__(self) -> None:
        self.sessions: weakref.WeakSet[Session] = weakref.WeakSet()


_open = _Open()


@event.listens_for(Session, "after_begin")
def _began(session: Session, _transaction: SessionTransaction, _connection: Any) -> None:
    _open.sessions.add(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one (not a savepoint)
        _open.sessions.discard(session)


def open_transactions() -> list[Session]:
    """The sessions of this thread with a transaction open on a connection."""
    return [s for s in list(_open.sessions) if s.in_transaction()]


def release_transactions(call: str) -> None:
    """End this thread's read-only transactions before ``call``; report the others."""
    for session in open_transactions():
        if _releasable(session):
            _end(session)
            continue
        message = f"ERP call {call} while a database transaction that wrote is open"
        if STRICT:
            raise ErpCallInTransaction(message)
        log.error("erp.call_in_transaction: %s", message, stack_info=True)


def _end(session: Session) -> None:
    """Commit (nothing to write: it only ends the transaction), keeping what was read."""
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _releasable(session: Session) -> bool:
    """Only a transaction the session began by itself (not ``with session.begin():``, whose
    block expects it open) that neither wrote, locked nor holds changes to flush."""
    transaction = session.get_transaction()
    autobegun = transaction is not None and transaction.origin == SessionTransactionOrigin.AUTOBEGIN
    return autobegun and not (has_written(session) or session.in_nested_transaction())


class GuardedErpClient:
    """The ERP client with :func:`release_transactions` before every call."""

    def __init__(self, inner: ErpClient) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute) or name.startswith("_") or name == "close":
            return attribute

        @functools.wraps(attribute)
        def call(*args: Any, **kwargs: Any) -> Any:
            release_transactions(name)
            return attribute(*args, **kwargs)

        return call


def guarded(inner: ErpClient) -> ErpClient:
    return cast(ErpClient, GuardedErpClient(inner))


def unguarded(client: ErpClient) -> ErpClient:
    """The client behind the guard (e.g. to reach its price cache)."""
    return client.inner if isinstance(client, GuardedErpClient) else client
