"""The portal's own processes as production runs them (customer_center/production.py): the
backend workers under uvicorn and the outbox relay, started here so a test can kill them.

The backend is the production path of ``customer-center serve --no-build`` without the built
frontend (the tests speak the event protocol with bench/reflex_client.py, as the benchmark's
simulated users do), so no frontend build is needed and .web is not touched.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from customer_center import production
from customer_center.settings import load_settings
from tests.faults.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
START_TIMEOUT_S = 180
SCRATCH = Path(tempfile.mkdtemp(prefix="cc-faults-"))  # the processes' data; removed at the end


def portal_env(database_url: str, **settings: str) -> dict[str, str]:
    """The processes' settings: this database, dev mode (dev mailbox, cheap hashing), a data
    folder of their own, and ``settings`` (``CC_*`` names) on top."""
    return {
        **os.environ,
        "CC_ENV": "dev",
        "CC_PASSWORD_HASHING": "fast",
        "CC_DATABASE_URL": database_url,
        "CC_DATA_DIR": tempfile.mkdtemp(prefix="data-", dir=SCRATCH),
        "CC_EMBEDDED_RELAY": "0",
        "PATH": f"{ROOT / '.venv' / 'node-bin'}:{VENV_BIN}:{os.environ.get('PATH', '')}",
        **settings,
    }


def start_relay(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``python -m customer_center.background``, its output in ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            production.relay_command(), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


@dataclass
class Portal:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]
    start_s: float = 0.0  # from starting the processes to /health 200

    def workers(self) -> list[psutil.Process]:
        """uvicorn's worker processes (its supervisor's spawned children; not the resource
        tracker that multiprocessing starts beside them). One worker is the process itself."""
        return [c for c in psutil.Process(self.process.pid).children() if _is_worker(c)]

    def health(self) -> httpx.Response:
        return httpx.get(f"{self.url}/health", timeout=10)

    def answers(self) -> bool:
        try:
            return self.health().status_code == 200
        except httpx.HTTPError:
            return False

    def worker_on_port(self, client_port: int) -> psutil.Process:
        """The worker holding the database connection whose local port is ``client_port``."""
        for worker in self.workers():
            if any(c.laddr and c.laddr.port == client_port for c in worker.net_connections()):
                return worker
        raise AssertionError(f"no worker holds the connection from port {client_port}")


@contextmanager
def running_portal(env: dict[str, str], workers: int, port: int = 0) -> Iterator[Portal]:
    """The backend workers under uvicorn, as ``customer-center serve --no-build`` starts
    them, on ``port`` (a free one by default) until the block ends; yields once ``/health``
    answers 200."""
    port = port or free_port()
    env = {**env, "CC_PORT": str(port), "CC_BASE_URL": f"http://localhost:{port}"}
    settings = dataclasses.replace(load_settings(), host="127.0.0.1", port=port, workers=workers)
    web_env = production.web_env(env)
    web_env.pop("__REFLEX_MOUNT_FRONTEND_COMPILED_APP")  # the backend only
    log = Path(env["CC_DATA_DIR"]) / "portal.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            production.web_command(settings),
            cwd=ROOT,
            env=web_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    portal = Portal(f"http://127.0.0.1:{port}", process, log, env)
    try:
        started = wait_for(
            "the portal answers /health",
            lambda: portal.answers() or _exited(process, log),
            START_TIMEOUT_S,
        )
        portal.start_s = started
        spawned = workers if workers > 1 else 0  # one worker serves in the process itself
        wait_for("every worker is up", lambda: len(portal.workers()) == spawned, 60)
        yield portal
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _is_worker(process: psutil.Process) -> bool:
    try:
        return "spawn_main" in " ".join(process.cmdline())
    except psutil.Error:  # a dead worker its supervisor has not reaped yet
        return False


def _exited(process: subprocess.Popen[bytes], log: Path) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"the portal exited:\n{log.read_text()[-4000:]}")
    return False
