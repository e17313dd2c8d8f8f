"""The log line: logfmt, one line per record, context fields always there, no addresses."""

from __future__ import annotations

import logging
import sys
import time

from customer_center.domain.principals import CustomerUser, ScimClient
from customer_center.logs import (
    LogfmtFormatter,
    bind_principal,
    current_context,
    start_context,
    start_system_context,
)


def _line(message: str, *args: object, exc: bool = False) -> str:
    logger = logging.getLogger("customer_center.test_logs")
    exc_info = None
    if exc:
        try:
            raise ValueError("boom for bob@example.com")
        except ValueError:
            exc_info = sys.exc_info()
    level = logging.ERROR if exc else logging.INFO
    record = logger.makeRecord(logger.name, level, __file__, 1, message, args, exc_info)
    return LogfmtFormatter().format(record)


def test_a_line_carries_the_context_and_quotes_what_needs_it() -> None:
    start_context("state.users.save", request_id="r-1")
    bind_principal(CustomerUser(user_id=7, company_id=3, rights=frozenset()))
    line = _line("saved user %s", 12)
    assert "level=info logger=customer_center.test_logs" in line
    assert "principal_kind=customer_user principal_id=7 company_id=3" in line
    assert 'event=state.users.save request_id=r-1 msg="saved user 12"' in line


def test_nothing_known_yet_is_a_dash_and_a_new_unit_forgets_the_principal() -> None:
    start_context("state.users.save")
    bind_principal(ScimClient(token_id=5, company_id=9, label="Okta"))
    assert (current_context().principal_kind, current_context().principal_id) == ("scim_token", "5")
    start_context("GET /health")
    line = _line("ok")
    assert 'principal_kind=- principal_id=- company_id=- event="GET /health"' in line
    start_system_context("outbox.email", "cc-outbox-4")
    assert "principal_kind=system" in _line("sent")


def test_one_line_per_record_and_no_e_mail_addresses() -> None:
    start_context("outbox.email")
    line = _line("550 <%s>: recipient rejected", "anna@alpha.example", exc=True)
    assert "\n" not in line
    assert "anna@alpha.example" not in line and "bob@example.com" not in line
    assert "<e-mail>" in line and "exc=" in line and "ValueError" in line


def test_a_huge_message_is_cut_and_masked_in_linear_time() -> None:
    start_context("state.odd")
    huge = "a" * 1_000_000 + " anna@alpha.example " + "b." * 500_000
    started = time.perf_counter()
    line = _line("payload %s", huge)
    assert time.perf_counter() - started < 1.0
    assert len(line) < 10_000 and "more characters" in line
    assert "anna@alpha.example" not in _line("%s and %s", "x" * 7000, "anna@alpha.example")
