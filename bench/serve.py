"""Start a Reflex app as production runs it (``reflex run --env prod --single-port``), wait
until a page is served, and stop it again: the portal and the blank counter app alike."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = ROOT / "bench" / "floor_app"
WITH_NODE = ROOT / "scripts" / "with-node"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    seconds_to_first_page: float
    process: subprocess.Popen
    log: Path


def portal_env(database_url: str, port: int) -> dict[str, str]:
    """The portal's settings for a bench run: the given database, mail to the dev mailbox."""
    data = tempfile.mkdtemp(prefix="cc-bench-portal-")
    return {
        **os.environ,
        "CC_ENV": "dev",
        "CC_DATABASE_URL": database_url,
        "CC_DATA_DIR": data,
        "CC_PORT": str(port),
        "CC_BASE_URL": f"http://localhost:{port}",
    }


def first_page(url: str, process: subprocess.Popen, log: Path, marker: str) -> None:
    """Poll every 50 ms until ``url`` answers 200 with ``marker`` in its HTML."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited:\n{log.read_text()[-3000:]}")
        try:
            answer = httpx.get(url, timeout=2, follow_redirects=True)
            if answer.status_code == 200 and marker in answer.text:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no page within 10 minutes:\n{log.read_text()[-3000:]}")


def launch(options: list[str], app_root: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    """``reflex run --env prod <options>`` in ``app_root`` in its own process group, its
    output in ``log``."""
    with log.open("w") as out:
        return subprocess.Popen(
            [str(WITH_NODE), "reflex", "run", "--env", "prod", *options],
            cwd=app_root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def serve(app_root: Path, env: dict[str, str], port: int, path: str = "/") -> Iterator[Served]:
    """Run ``reflex run --env prod --single-port`` in ``app_root`` until the block ends."""
    log = Path(tempfile.mkstemp(prefix="cc-bench-", suffix=".log")[1])
    start = time.monotonic()
    process = launch(["--single-port", "--backend-port", str(port)], app_root, env, log)
    url = f"http://localhost:{port}"
    try:
        first_page(url + path, process, log, "<html")
        yield Served(url, time.monotonic() - start, process, log)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
