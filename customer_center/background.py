"""Background work of the embedded default: the outbox relay inside the web process.

In production with several workers, set ``CC_EMBEDDED_RELAY=0`` and run
``python -m customer_center.outbox`` as its own process instead.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from customer_center.db import get_engine, session_scope
from customer_center.outbox.handlers import (
    ERP_COMPANY_ACTIVATED,
    default_handlers,
    erp_company_activated_handler,
)
from customer_center.outbox.relay import OutboxRelay, relay_loop
from customer_center.services.orders.approval_reminders import send_reminders
from customer_center.services.orders.handoff import ERP_ORDER_PLACED, handoff_handler
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings

RELAY_INTERVAL_SECONDS = 1.0
REMINDER_INTERVAL_SECONDS = 15 * 60

log = logging.getLogger(__name__)


def build_relay() -> OutboxRelay:
    settings, engine = get_settings(), get_engine()
    extra = {
        ERP_COMPANY_ACTIVATED: erp_company_activated_handler(erp_client()),
        ERP_ORDER_PLACED: handoff_handler(erp_client(), engine),
    }
    return OutboxRelay(
        engine,
        default_handlers(settings, engine, extra=extra),
        retry_forever=frozenset({ERP_ORDER_PLACED}),
    )


async def outbox_relay_task() -> None:
    if not get_settings().embedded_relay:
        return
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


def remind_forever(stop: threading.Event, interval: float = REMINDER_INTERVAL_SECONDS) -> None:
    """For the standalone relay process: a reminder round every ``interval`` seconds."""
    while not stop.wait(interval):
        remind_once()


async def approval_reminder_task() -> None:
    if not get_settings().embedded_relay:
        return
    while True:
        await asyncio.sleep(REMINDER_INTERVAL_SECONDS)
        await asyncio.to_thread(remind_once)
