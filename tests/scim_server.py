"""The portal's SCIM routes served by a real uvicorn server on a loopback port, for tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette

from customer_center.http.scim import routes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_scim_server() -> Iterator[str]:
    """Yields the endpoint's base URL (``http://127.0.0.1:<port>/scim/v2``)."""
    port = _free_port()
    config = uvicorn.Config(
        Starlette(routes=routes), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # wait until it listens, as a client would
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the SCIM test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/scim/v2"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
