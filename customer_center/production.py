"""``customer-center serve``: the portal in production shape, with one command.

1. Refuses an unsafe production configuration, saying why (:func:`check_production`).
2. Applies the database migrations.
3. Starts the web processes: Reflex's production build on one port (``reflex run --env prod
   --single-port``, which builds the frontend first), or with ``--no-build`` the build already
   in ``.web`` served directly by Granian. ``CC_WORKERS`` backend workers (0: Reflex's choice,
   2 x cores + 1 when Redis is configured); the web processes never run the outbox relay.
4. Starts the outbox relay as its own process (``python -m customer_center.background``) unless
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
BUILD_DIR = PROJECT_ROOT / ".web" / "build" / "client"  # what `reflex run --env prod` builds
STOP_SECONDS = 20
# What `reflex run --env prod` tells its backend workers: production mode, the app already
# compiled, the built frontend served by the backend (Reflex's internal names start with __).
PREBUILT_ENV = {
    "REFLEX_ENV_MODE": "prod",
    "__REFLEX_SKIP_COMPILE": "true",
    "__REFLEX_MOUNT_FRONTEND_COMPILED_APP": "true",
}


def worker_count(settings: Settings) -> int:
    """Backend workers for the prebuilt path, as Reflex counts them for ``reflex run``."""
    if settings.workers > 0:
        return settings.workers
    return 2 * (os.cpu_count() or 1) + 1 if settings.redis_url else 1


def web_env(settings: Settings, environ: Mapping[str, str], prebuilt: bool) -> dict[str, str]:
    """The web processes' environment: no embedded relay; Reflex told what to serve."""
    env = {
        **environ,
        "CC_EMBEDDED_RELAY": "0",
        "REFLEX_USE_NPM": "1",
        "REFLEX_CHECK_LATEST_VERSION": "false",
    }
    if settings.workers > 0:
        env["GRANIAN_WORKERS"] = str(settings.workers)
    if prebuilt:
        env |= PREBUILT_ENV
    return env


def web_command(settings: Settings, prebuilt: bool) -> list[str]:
    if prebuilt:
        return [
            *(sys.executable, "-m", "granian", "--interface", "asgi", "--factory"),
            *("--host", settings.host, "--port", str(settings.port)),
            *("--workers", str(worker_count(settings)), "--log-level", "warning"),
            # No --respawn-failed-workers: a worker Granian 2.8 starts again after one died
            # does not accept connections, so the backend would live on without serving.
            # When a worker dies Granian stops them all, `serve` exits and the service
            # manager starts it again (docs/operations.md, tests/faults/test_worker_kill.py).
            APP_TARGET,
        ]
    return [
        str(PROJECT_ROOT / "scripts" / "with-node"),
        *("reflex", "run", "--env", "prod", "--single-port"),
        *("--backend-port", str(settings.port), "--backend-host", settings.host),
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
    processes = []
    if relay:
        processes.append(_start(relay_command(), {**environ, "CC_EMBEDDED_RELAY": "0"}))
    prebuilt = not build
    if prebuilt and not (BUILD_DIR / "index.html").exists():
        print("No production build in .web: start once without --no-build.", file=sys.stderr)
        return 2
    processes.append(_start(web_command(settings, prebuilt), web_env(settings, environ, prebuilt)))
    return _supervise(processes)
