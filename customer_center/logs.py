"""Logging of every process (the app, the background relay, the CLI): one line per record,
``key=value`` (logfmt), with who and what it happened for.

Each record carries, from context variables, the principal's kind and id, the company id,
the event (a Reflex event's name, an HTTP method and route template, or a background job)
and a request id: ``state/middleware.py`` sets them per Reflex event, ``http/log_context.py``
per plain HTTP request, ``background.py`` per job. The record factory that copies them onto
each record is installed when this module is imported, so they are there whichever handler
writes the record (``caplog`` too).

Why logfmt and not JSON: one line a person reads in a terminal or ``journalctl`` as easily as
Loki, Vector or Datadog parse it (they all read ``key=value``); values with spaces, quotes or
line breaks are quoted JSON-style, so a record, traceback included, stays one line.

No personal data beyond ids: messages name users, companies and tokens by id only, and an
e-mail address that slips into a message (an SMTP error, say) is masked as ``<e-mail>``.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from customer_center.domain.principals import Attribution, PrincipalKind

NONE = "-"
CONTEXT_FIELDS = ("principal_kind", "principal_id", "company_id", "event", "request_id")
REQUEST_ID_LENGTH = 12
MAX_TEXT = 8000  # characters of a message (or traceback) a line keeps
# Bounded repetitions: linear in the text's length even for a megabyte without an address.
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_BARE = re.compile(r"[^\s\"=\\]+")


@dataclass(frozen=True)
class LogContext:
    principal_kind: str = NONE
    principal_id: str = NONE
    company_id: str = NONE
    event: str = NONE
    request_id: str = NONE


_NOTHING_YET = LogContext()
_context: ContextVar[LogContext] = ContextVar("log_context", default=_NOTHING_YET)


class HasAttribution(Protocol):
    """What a principal shows the log: who acts (kind and id); and for which company, where
    it acts in one (``company_id``; a seller agent has none)."""

    @property
    def attribution(self) -> Attribution: ...


def new_request_id() -> str:
    return secrets.token_hex(REQUEST_ID_LENGTH // 2)


def start_context(event: str, request_id: str | None = None) -> LogContext:
    """A new unit of work (a Reflex event, an HTTP request, a background job): forgets the
    previous one's principal; a fresh request id unless one is handed over."""
    context = LogContext(event=event or NONE, request_id=request_id or new_request_id())
    _context.set(context)
    return context


def bind_principal(principal: HasAttribution | None) -> None:
    """Who the current unit of work is for, once it is known (``None``: nobody signed in)."""
    context = _context.get()
    if principal is None:
        _context.set(replace(context, principal_kind=NONE, principal_id=NONE, company_id=NONE))
        return
    who = principal.attribution
    company_id = getattr(principal, "company_id", None)  # a seller agent has none
    _context.set(
        replace(
            context,
            principal_kind=str(who.actor_kind),
            principal_id=NONE if who.actor_id is None else str(who.actor_id),
            company_id=NONE if company_id is None else str(company_id),
        )
    )


def start_system_context(event: str, request_id: str | None = None) -> None:
    """A unit of work the portal does on its own (the relay, the reminders, a command)."""
    start_context(event, request_id)
    _context.set(replace(_context.get(), principal_kind=str(PrincipalKind.SYSTEM)))


def current_context() -> LogContext:
    return _context.get()


def _install_record_factory() -> None:
    """Copy the context onto every record as it is made (once per process)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_log_context", False):
        return

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        context = _context.get()
        for name in CONTEXT_FIELDS:
            setattr(record, name, getattr(context, name))
        return record

    make_record.adds_log_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


_install_record_factory()


def mask_personal_data(text: str, *, keep_end: bool = False) -> str:
    """``text`` without e-mail addresses, cut to :data:`MAX_TEXT` characters (a traceback
    keeps its end, where the error is)."""
    if len(text) > MAX_TEXT:
        cut = len(text) - MAX_TEXT
        if keep_end:
            text = f"({cut} characters before) ...{text[-MAX_TEXT:]}"
        else:
            text = f"{text[:MAX_TEXT]}... ({cut} more characters)"
    return _EMAIL.sub("<e-mail>", text) if "@" in text else text


def _value(value: object) -> str:
    text = str(value)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


class LogfmtFormatter(logging.Formatter):
    """``ts=... level=... logger=... principal_kind=... principal_id=... company_id=...
    event=... request_id=... msg=...`` (and ``exc=...`` with a traceback), one line."""

    def format(self, record: logging.LogRecord) -> str:
        fields: list[tuple[str, object]] = [
            ("ts", datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")),
            ("level", record.levelname.lower()),
            ("logger", record.name),
            *((name, getattr(record, name, NONE)) for name in CONTEXT_FIELDS),
            ("msg", mask_personal_data(record.getMessage())),
        ]
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            fields.append(("exc", mask_personal_data(trace, keep_end=True)))
        return " ".join(f"{key}={_value(value)}" for key, value in fields)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the moment (test runners swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(level: int = logging.INFO) -> None:
    """Once per process: the portal's records at ``level`` and up, everyone's warnings, as
    logfmt lines on stderr. Calling it again changes nothing."""
    root = logging.getLogger()
    if any(isinstance(handler, _StderrHandler) for handler in root.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(LogfmtFormatter())
    root.addHandler(handler)
    logging.getLogger("customer_center").setLevel(level)
