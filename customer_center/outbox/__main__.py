"""``python -m customer_center.outbox``: the outbox relay as its own process (production)."""

from __future__ import annotations

import logging
import signal
import threading

from customer_center.background import build_relay

POLL_SECONDS = 1.0


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    relay = build_relay()
    logging.info("outbox relay started")
    while not stop.is_set():
        try:
            if relay.run_once() == 0:
                stop.wait(POLL_SECONDS)
        except Exception:
            logging.exception("outbox relay run failed")
            stop.wait(POLL_SECONDS)


if __name__ == "__main__":
    main()
