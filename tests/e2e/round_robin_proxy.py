"""A small TCP proxy for tests: each new connection goes to the next backend in turn.

Websocket upgrades and plain HTTP connections take turns separately, so the websockets
alternate between the backends whatever number of HTTP connections a page load opens.
Every connection is recorded: which backend, whether it was a websocket, the tab token.
``drop_websockets`` cuts the open websockets, as a restarting worker or balancer would.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Connection:
    backend: int  # index into the proxy's backend ports
    websocket: bool
    path: str

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.path).query).get("token", [""])[0]


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


class RoundRobinProxy:
    def __init__(self, backend_ports: list[int]) -> None:
        self.backend_ports = backend_ports
        self.connections: list[Connection] = []
        self._open_websockets: list[asyncio.StreamWriter] = []
        self._turns = {kind: itertools.cycle(range(len(backend_ports))) for kind in (True, False)}
        self._loop = asyncio.new_event_loop()
        self.port = 0

    def start(self) -> int:
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self.port

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)

    def drop_websockets(self) -> None:
        def drop() -> None:
            for writer in self._open_websockets:
                writer.transport.abort()
            self._open_websockets.clear()

        self._loop.call_soon_threadsafe(drop)

    def websockets_with(self, token: str) -> list[Connection]:
        return [c for c in self.connections if c.websocket and c.token == token]

    async def _listen(self) -> None:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]

    async def _handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        try:
            head = await client_in.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            client_out.close()
            return
        websocket = b"\r\nupgrade: websocket" in head.lower()
        backend = next(self._turns[websocket])
        path = head.split(b" ", 2)[1].decode("latin-1")
        self.connections.append(Connection(backend, websocket, path))
        server_in, server_out = await asyncio.open_connection(
            "127.0.0.1", self.backend_ports[backend]
        )
        if websocket:
            self._open_websockets.append(client_out)
        server_out.write(head)
        await asyncio.gather(_pipe(client_in, server_out), _pipe(server_in, client_out))
