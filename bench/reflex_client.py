"""A small asyncio client that speaks Reflex 0.10.1's event protocol, as the browser does.

The browser opens a socket.io connection (Engine.IO 4 over a WebSocket) on ``/_event`` with
its tab token in the query, and sends its first event, ``hydrate_and_load``, inside the
namespace CONNECT packet. Every later event is a socket.io ``event`` message
``{"name": "<state path>.<handler>", "payload": {...}, "router_data": {...}}``; the backend
answers with ``event`` messages ``{"delta": {substate: {var: value}}, "events": [...]}``.
Reflex 0.10 no longer marks a last update (``final`` is deprecated), so every call says what
the user waits for: a page is shown when ``is_hydrated`` turns true (after its on_load
handlers), a click when its handler's delta arrives.

The signed-in user comes from the ``cc_session`` cookie in the connection's headers.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

ROOT = "reflex___state____state"
PORTAL = f"{ROOT}.customer_center___state___base____portal_state"
HYDRATE = f"{ROOT}.hydrate_and_load"
ON_LOAD = f"{ROOT}.reflex___state____on_load_internal_state.on_load_internal"
TIMEOUT_S = 15.0
NAMESPACE = "/_event,"  # socket.io namespace prefix of every packet

Delta = dict[str, dict[str, Any]]
Done = Callable[[Delta], bool]


class ReflexError(RuntimeError):
    """The portal answered with an error, redirected to sign-in, timed out or hung up."""


def state_name(module: str, cls: str) -> str:
    """The full name of a portal state, e.g. ``state_name("orders", "order_list_state")``."""
    return f"{PORTAL}.customer_center___state___{module}____{cls}"


def var(delta: Delta, substate: str, name: str) -> Any:
    """A var out of a delta (Reflex suffixes var names with ``_rx_state_``)."""
    values = delta.get(substate, {})
    return values.get(f"{name}_rx_state_", values.get(name))


def hydrated(delta: Delta) -> bool:
    return var(delta, ROOT, "is_hydrated") is True


def shown_again() -> Done:
    """Done when the page is shown after this navigation hid it: ``is_hydrated`` turns
    false (the navigation's answer) and then true (the page's data is there). A late
    ``is_hydrated`` of the previous page's chain does not count."""
    hidden = False

    def done(delta: Delta) -> bool:
        nonlocal hidden
        value = var(delta, ROOT, "is_hydrated")
        hidden = hidden or value is False
        return hidden and value is True

    return done


def changed(substate: str) -> Done:
    """Done when a delta changes ``substate`` (the state of the handler clicked)."""
    return lambda delta: substate in delta


def router_data(path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"pathname": path, "asPath": path}
    if params:
        data["query"] = params
    return data


class ReflexClient:
    """One browser tab: connect, open pages, click, and read the state it was sent."""

    def __init__(self, base_url: str, cookie: str = "", *, timeout: float = TIMEOUT_S):
        self.base_url = base_url.rstrip("/")
        self.cookie = cookie
        self.timeout = timeout
        self.token = str(uuid.uuid4())
        self.state: Delta = {}
        self.redirects: list[str] = []
        self.errors: list[str] = []
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._updates: asyncio.Queue[Delta | None] = asyncio.Queue()
        self._path = "/"

    # --- connection -------------------------------------------------------------------

    async def _open(self, query: str) -> None:
        ws_url = self.base_url.replace("http", "ws", 1)
        url = f"{ws_url}/_event/?EIO=4&transport=websocket{query}"
        headers = {"Cookie": f"cc_session={self.cookie}"} if self.cookie else {}
        headers["User-Agent"] = "cc-bench"
        # permessage-deflate as a browser asks for it, unless CC_BENCH_WS_DEFLATE=0 (to tell
        # the server's compression contexts apart in the memory benchmark).
        compression = "deflate" if os.environ.get("CC_BENCH_WS_DEFLATE", "1") != "0" else None
        self._ws = await connect(
            url, additional_headers=headers, max_size=None, compression=compression
        )
        opening = await asyncio.wait_for(self._ws.recv(), self.timeout)
        if not str(opening).startswith("0"):
            raise ReflexError(f"unexpected Engine.IO opening {str(opening)[:80]}")

    async def connect_bare(self) -> None:
        """Only the connection: join the namespace without a tab token, so no state."""
        await self._open("")
        await self._ws.send("40" + NAMESPACE)  # type: ignore[union-attr]
        joined = await asyncio.wait_for(self._ws.recv(), self.timeout)  # type: ignore[union-attr]
        if not str(joined).startswith("40"):
            raise ReflexError(f"namespace refused: {str(joined)[:80]}")

    async def connect(self, path: str, params: dict[str, str] | None = None) -> float:
        """Open the socket on ``path`` (hydrate + on_load); returns ms until shown."""
        start = time.perf_counter()
        await self._open(f"&token={self.token}")
        assert self._ws is not None
        self._path = path
        boot = {"name": HYDRATE, "payload": {}, "router_data": router_data(path, params)}
        await self._ws.send("40" + NAMESPACE + json.dumps({"event": boot}))
        self._reader = asyncio.create_task(self._read())
        await self._wait(hydrated)
        return (time.perf_counter() - start) * 1000

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for message in self._ws:
                await self._packet(str(message))
        except Exception as error:  # a dropped connection is an error of the run
            self.errors.append(f"connection: {error!r}")
        finally:
            self._updates.put_nowait(None)

    async def _packet(self, message: str) -> None:
        assert self._ws is not None
        if message == "2":  # Engine.IO ping
            await self._ws.send("3")
        elif message.startswith("44"):
            self.errors.append(f"connect refused: {message[2:200]}")
        elif message.startswith("42" + NAMESPACE):
            name, *args = json.loads(message[2 + len(NAMESPACE) :])
            if name == "event" and args:
                self._update(args[0])

    def _update(self, update: dict[str, Any]) -> None:
        delta: Delta = update.get("delta") or {}
        for substate, values in delta.items():
            self.state.setdefault(substate, {}).update(values)
        for event in update.get("events") or []:
            text = json.dumps(event)
            if "backend_error" in text or "toast.error" in text:
                self.errors.append(f"error toast: {text[:200]}")
            if event.get("name") == "_redirect":
                self.redirects.append(str(event.get("payload", {}).get("path", "")))
        self._updates.put_nowait(delta)

    # --- what a user does -------------------------------------------------------------

    async def open_page(
        self, path: str, params: dict[str, str] | None = None, mounted: tuple[str, ...] = ()
    ) -> float:
        """Navigate inside the app (no reload): the page's on_load handlers, until shown.
        ``mounted``: events the page's components send as they mount (not waited for)."""
        self._path = path
        return await self.call(ON_LOAD, {}, shown_again(), params=params, then=mounted)

    async def emit(self, event: str, payload: dict[str, Any] | None = None) -> None:
        """Send an event without waiting for anything (a timer's poll, a component's mount)."""
        if self._ws is None:
            raise ReflexError("not connected")
        message = {"name": event, "payload": payload or {}}
        message["router_data"] = router_data(self._path)
        await self._ws.send("42" + NAMESPACE + json.dumps(["event", message]))

    async def call(
        self,
        event: str,
        payload: dict[str, Any] | None = None,
        done: Done | None = None,
        *,
        params: dict[str, str] | None = None,
        then: tuple[str, ...] = (),
    ) -> float:
        """Send one event on the current page (and the events ``then``); returns ms until
        ``done`` holds for a delta (by default: one changing the handler's state)."""
        if self._ws is None:
            raise ReflexError("not connected")
        self._drain()
        message = {"name": event, "payload": payload or {}}
        message["router_data"] = router_data(self._path, params)
        errors_before = len(self.errors)
        start = time.perf_counter()
        await self._ws.send("42" + NAMESPACE + json.dumps(["event", message]))
        for name in then:
            await self.emit(name)
        await self._wait(done or changed(event.rpartition(".")[0]))
        elapsed = (time.perf_counter() - start) * 1000
        if len(self.errors) > errors_before:
            raise ReflexError(self.errors[-1])
        if any(r.startswith("/sign-in") for r in self.redirects):
            raise ReflexError("sent to the sign-in page")
        return elapsed

    def _drain(self) -> None:
        while not self._updates.empty():
            if self._updates.get_nowait() is None:
                raise ReflexError("connection closed")

    async def _wait(self, done: Done) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReflexError("timed out waiting for the update")
            try:
                delta = await asyncio.wait_for(self._updates.get(), remaining)
            except TimeoutError:
                raise ReflexError("timed out waiting for the update") from None
            if delta is None:
                raise ReflexError(self.errors[-1] if self.errors else "connection closed")
            if done(delta):
                return
