"""``python -m customer_center.outbox``: the outbox relay as its own process (production),
with the approval reminders.

Run it with ``CC_EMBEDDED_RELAY=0`` for the web workers, so only this process delivers.
Several of these processes may run side by side on PostgreSQL.
"""

from __future__ import annotations

import logging
import signal
import threading

from customer_center.background import build_relay, remind_forever

POLL_SECONDS = 1.0


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    relay = build_relay()
    threading.Thread(target=remind_forever, args=(stop,), daemon=True).start()
    logging.info("outbox relay started (approval reminders every 15 minutes)")
    relay.run_forever(stop, interval=POLL_SECONDS)
    logging.info("outbox relay stopped")


if __name__ == "__main__":
    main()
