"""The background work and its composition root: the outbox relay with the handlers the
services provide (e-mail, the ERP calls), and the periodic round: approval reminders and the
sweep of case files staged and never sent.

The one place that wires services into the relay (``customer_center.outbox`` knows no
service): used by the app's lifespan tasks (the embedded default) and, in production with
several workers, by its own process, ``python -m customer_center.background`` (run the web
workers with ``CC_EMBEDDED_RELAY=0`` then, so only that process delivers). Several of these
processes may run side by side on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from customer_center.db import POOL_OVERFLOW, POOL_SIZE, get_engine, session_scope
from customer_center.logs import configure_logging, start_system_context
from customer_center.outbox.handlers import (
    ERP_COMPANY_ACTIVATED,
    default_handlers,
    erp_company_activated_handler,
)
from customer_center.outbox.relay import OutboxRelay, relay_loop
from customer_center.services.cases.attachments import sweep_staged
from customer_center.services.orders.approval_reminders import send_reminders
from customer_center.services.orders.handoff import ERP_ORDER_PLACED, handoff_handler
from customer_center.services.people.erp_contact_sync import (
    ERP_CONTACT_CHANGED,
    contact_change_handler,
)
from customer_center.services.returns.credit import ERP_CREDIT_NOTE_REQUESTED
from customer_center.services.returns.credit_note import credit_note_handler
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings

RELAY_INTERVAL_SECONDS = 1.0
REMINDER_INTERVAL_SECONDS = 15 * 60

log = logging.getLogger("customer_center.background")  # also when run as __main__


def build_relay() -> OutboxRelay:
    settings, engine = get_settings(), get_engine()
    extra = {
        ERP_COMPANY_ACTIVATED: erp_company_activated_handler(erp_client()),
        ERP_ORDER_PLACED: handoff_handler(erp_client(), engine),
        ERP_CONTACT_CHANGED: contact_change_handler(erp_client(), engine),
        ERP_CREDIT_NOTE_REQUESTED: credit_note_handler(erp_client(), engine),
    }
    return OutboxRelay(
        engine,
        default_handlers(settings, engine, extra=extra),
        retry_forever=frozenset({ERP_ORDER_PLACED}),
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )


async def size_thread_pool() -> None:
    """Every blocking call of a worker (each database transaction of an event) runs in the
    event loop's default thread pool (``asyncio.to_thread``): as many threads as the worker
    has database connections, not Python's default of cores + 4 (6 on two cores), so a
    transaction waits for a connection, not for a thread."""
    threads = POOL_SIZE + POOL_OVERFLOW
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="cc-blocking")
    asyncio.get_running_loop().set_default_executor(executor)


async def outbox_relay_task() -> None:
    if not get_settings().embedded_relay:
        return
    start_system_context("outbox.relay")
    await relay_loop(build_relay(), interval=RELAY_INTERVAL_SECONDS)


def remind_once() -> None:
    """Remind approvers of approvals waiting too long and escalate the oldest; a failure is
    logged and tried again at the next round. Safe with several relays (rows are claimed)."""
    try:
        with session_scope() as session:
            report = send_reminders(session, get_settings())
        if report.reminded or report.escalated:
            log.info(
                "approval reminders: %s reminded, %s escalated", report.reminded, report.escalated
            )
    except Exception:
        log.exception("approval reminders failed")


def sweep_once() -> None:
    """Forget case files staged more than a day ago and never sent; a failure is logged and
    tried again at the next round. Safe with several relays (a row deleted twice is gone)."""
    try:
        with session_scope() as session:
            swept = sweep_staged(session)
        if swept:
            log.info("staged case files swept: %s", swept)
    except Exception:
        log.exception("sweeping staged case files failed")


def periodic_once() -> None:
    """One round of the periodic work: approval reminders, then the staged files' sweep."""
    remind_once()
    sweep_once()


def remind_forever(stop: threading.Event, interval: float = REMINDER_INTERVAL_SECONDS) -> None:
    """For the standalone relay process: a periodic round every ``interval`` seconds."""
    start_system_context("approvals.remind")
    while not stop.wait(interval):
        periodic_once()


async def approval_reminder_task() -> None:
    if not get_settings().embedded_relay:
        return
    start_system_context("approvals.remind")
    while True:
        await asyncio.sleep(REMINDER_INTERVAL_SECONDS)
        await asyncio.to_thread(periodic_once)


def main() -> None:
    """The relay and the reminders as a process of their own, until SIGTERM or SIGINT."""
    configure_logging()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    relay = build_relay()
    threading.Thread(target=remind_forever, args=(stop,), daemon=True).start()
    start_system_context("outbox.relay")
    log.info("outbox relay started (reminders and the staged files' sweep every 15 minutes)")
    relay.run_forever(stop, interval=RELAY_INTERVAL_SECONDS)
    log.info("outbox relay stopped")


if __name__ == "__main__":
    main()
