"""``customer-center serve``: the portal in production shape, with one command.

1. Refuses an unsafe production configuration, saying why (:func:`check_production`).
2. Applies the database migrations.
3. Builds the frontend with Reflex (``reflex export --frontend-only``, made for one port as
   ``reflex run --env prod --single-port`` makes it) unless ``--no-build`` says the build in
   ``.web`` is current.
4. Starts the web processes: ``CC_WORKERS`` uvicorn workers (0: Reflex's choice, 2 x cores + 1
   when Redis is configured) serving the backend and the built frontend on one port, without
   per-message deflate (bench/findings.md, "Memory per idle session": a connection costs a
   fifth of what it costs under Granian, and deflate's zlib context would double it). uvicorn
   starts a killed worker again; the web processes never run the outbox relay.
5. Starts the outbox relay as its own process (``python -m customer_center.background``) unless
   ``--no-relay`` says it runs elsewhere; several relays are safe (claims skip locked rows).

When one of the processes ends, the others are stopped and ``serve`` exits with its code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping

from customer_center.settings import (
    PROJECT_ROOT,
    ConfigurationError,
    Settings,
    check_production,
    load_settings,
)

APP_TARGET = "customer_center.customer_center:app"
BUILD_DIR = PROJECT_ROOT / ".web" / "build" / "client"  # what Reflex's production build makes
WITH_NODE = str(PROJECT_ROOT / "scripts" / "with-node")
STOP_SECONDS = 20
# What `reflex run --env prod --single-port` tells its backend workers: production mode, the
# app already compiled, the built frontend served by the backend (Reflex's internal names
# start with __).
PREBUILT_ENV = {
    "REFLEX_ENV_MODE": "prod",
    "__REFLEX_SKIP_COMPILE": "true",
    "__REFLEX_MOUNT_FRONTEND_COMPILED_APP": "true",
}


def worker_count(settings: Settings) -> int:
    """Backend workers, as Reflex counts them for ``reflex run``."""
    if settings.workers > 0:
        return settings.workers
    return 2 * (os.cpu_count() or 1) + 1 if settings.redis_url else 1


def _reflex_env(environ: Mapping[str, str]) -> dict[str, str]:
    return {**environ, "REFLEX_USE_NPM": "1", "REFLEX_CHECK_LATEST_VERSION": "false"}


def build_env(settings: Settings, environ: Mapping[str, str]) -> dict[str, str]:
    """The build's environment: frontend and backend on ``CC_PORT``, as ``--single-port``
    sets them, so the built pages reach the backend on the port they are served from."""
    port = str(settings.port)
    return _reflex_env(environ) | {"REFLEX_FRONTEND_PORT": port, "REFLEX_BACKEND_PORT": port}


def build_command() -> list[str]:
    """Reflex's production build of the frontend into ``BUILD_DIR`` (compiling the app)."""
    return [WITH_NODE, "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"]


def web_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The web processes' environment: no embedded relay; Reflex told to serve the build."""
    return _reflex_env(environ) | {"CC_EMBEDDED_RELAY": "0"} | PREBUILT_ENV


def web_command(settings: Settings) -> list[str]:
    return [
        *(sys.executable, "-m", "uvicorn", "--factory"),
        *("--host", settings.host, "--port", str(settings.port)),
        *("--workers", str(worker_count(settings)), "--log-level", "warning"),
        # Every browser offers permessage-deflate; its zlib context costs 47 KB per open tab
        # (bench/memory.py) and the events are small: the sockets go uncompressed.
        *("--ws-per-message-deflate", "false"),
        # libuv's loop: 13 % less backend CPU per click than asyncio's (bench/findings.md).
        *("--loop", "uvloop"),
        APP_TARGET,
    ]


def relay_command() -> list[str]:
    return [sys.executable, "-m", "customer_center.background"]


def _start(command: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    # Each process leads its own group, so stopping it stops the workers it started.
    return subprocess.Popen(  # noqa: S603 - our own fixed commands
        command, cwd=PROJECT_ROOT, env=dict(env), start_new_session=True
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _supervise(processes: list[subprocess.Popen[bytes]]) -> int:
    """Wait until one process ends (or we are asked to stop); stop the rest."""
    stopping: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda number, _frame: stopping.append(number))
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        while not stopping:
            ended = [p.returncode for p in processes if p.poll() is not None]
            if ended:
                return ended[0]
            time.sleep(0.5)
        return 0
    finally:
        _stop(processes)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def serve(build: bool = True, relay: bool = True, environ: Mapping[str, str] = os.environ) -> int:
    settings = load_settings()
    try:
        check_production(settings)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    from customer_center.migrations import upgrade

    upgrade(settings.database_url)
    print("Database is up to date.", flush=True)
    if build:
        built = subprocess.run(build_command(), cwd=PROJECT_ROOT, env=build_env(settings, environ))  # noqa: S603 - our own fixed command
        if built.returncode:
            return built.returncode
    elif not (BUILD_DIR / "index.html").exists():
        print("No production build in .web: start once without --no-build.", file=sys.stderr)
        return 2
    processes = []
    if relay:
        processes.append(_start(relay_command(), {**environ, "CC_EMBEDDED_RELAY": "0"}))
    processes.append(_start(web_command(settings), web_env(environ)))
    return _supervise(processes)
