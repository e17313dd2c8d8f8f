"""The portal's SCIM routes served by a real uvicorn server on a loopback port, for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from customer_center.http.scim import routes
from tests.live_server import live_server


@contextmanager
def live_scim_server() -> Iterator[str]:
    """Yields the endpoint's base URL (``http://127.0.0.1:<port>/scim/v2``)."""
    with live_server(routes) as address:
        yield f"{address}/scim/v2"
