"""Background work of the embedded default: the outbox relay inside the web process.

In production with several workers, set ``CC_EMBEDDED_RELAY=0`` and run
``python -m customer_center.outbox`` as its own process instead.
"""

from __future__ import annotations

import asyncio
import logging
import os

from customer_center.db import get_engine
from customer_center.outbox.handlers import default_handlers, erp_company_activated_handler
from customer_center.outbox.relay import OutboxRelay
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings

log = logging.getLogger(__name__)
RELAY_INTERVAL_SECONDS = 1.0


def build_relay() -> OutboxRelay:
    settings, engine = get_settings(), get_engine()
    extra = {"erp.company_activated": erp_company_activated_handler(erp_client())}
    return OutboxRelay(engine, default_handlers(settings, engine, extra=extra))


async def outbox_relay_task() -> None:
    if os.environ.get("CC_EMBEDDED_RELAY", "1") == "0":
        return
    relay = build_relay()
    while True:
        try:
            await asyncio.to_thread(relay.run_once)
        except Exception:  # the relay must outlive any single failure
            log.exception("outbox relay run failed")
        await asyncio.sleep(RELAY_INTERVAL_SECONDS)
