"""One production build of the portal for all browser tests, on its own database."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.conftest import _TMP, TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal exited:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/sign-in", timeout=2, follow_redirects=True).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"portal did not start:\n{log.read_text()[-4000:]}")


# The production build names the backend's port (.web/env.json). With the same port (make
# test gives every browser pass CC_E2E_PORT) and the same sources, a later pass serves the
# build the first one made instead of building again (about a minute on two cores).
BUILD_STAMP = ROOT / ".web" / "build" / "e2e-stamp"
BUILD_INPUTS = ("customer_center", "assets", "rxconfig.py", "reflex.lock")


def _build_stamp(port: int) -> str:
    digest = hashlib.sha256(f"port {port}".encode())
    for name in BUILD_INPUTS:
        top = ROOT / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()


def _build_is_current(stamp: str, port: int) -> bool:
    """Built from these sources for this port, and not rebuilt for another port since."""
    env_file = ROOT / ".web" / "env.json"
    return (
        BUILD_STAMP.is_file()
        and BUILD_STAMP.read_text() == stamp
        and env_file.is_file()
        and f"//localhost:{port}/" in env_file.read_text()
    )


def _portal_command(prebuilt: bool, port: int) -> list[str]:
    if prebuilt:  # the production path of `customer-center serve --no-build`, with its relay
        return [
            str(ROOT / ".venv" / "bin" / "python"),
            "-m",
            "customer_center.cli",
            "serve",
            "--no-build",
        ]
    return [
        str(ROOT / "scripts" / "with-node"),
        "reflex",
        "run",
        "--env",
        "prod",
        "--single-port",
        "--backend-port",
        str(port),
    ]


@pytest.fixture(scope="session")
def portal(engine) -> Iterator[str]:
    """The portal as `make run` starts it (production build, one port, dev mailbox)."""
    port = int(os.environ.get("CC_E2E_PORT") or _free_port())
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "CC_ENV": "dev",
        # Cheap argon2 for the passwords the journeys choose (production refuses it).
        "CC_PASSWORD_HASHING": "fast",
        "CC_DATABASE_URL": TEST_DATABASE_URL,
        "CC_DATA_DIR": str(_TMP),
        "CC_PORT": str(port),
        "CC_HOST": "0.0.0.0",  # as `reflex run` listens
        "CC_BASE_URL": url,
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "-m", "customer_center.cli", "erp", "import-demo"], env=env, check=True, cwd=ROOT
    )
    erp_service = _start_http_erp(env) if os.environ.get("CC_E2E_ERP") == "http" else None
    stamp = _build_stamp(port)
    prebuilt = _build_is_current(stamp, port)
    if not prebuilt:
        BUILD_STAMP.unlink(missing_ok=True)
    log = _TMP / "portal.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            _portal_command(prebuilt, port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(url, process, log)
        if not prebuilt:
            BUILD_STAMP.write_text(stamp)
        yield url
    finally:
        stop_process_group(process)
        if erp_service is not None:
            erp_service.stop()


E2E_ERP_TOKEN = "e2e-reference-erp-token-0123456789"  # noqa: S105


class HttpErp:
    """``CC_E2E_ERP=http``: the reference ERP service on the portal's database, which tests may
    stop and start again at the same address (an ERP that goes down and comes back)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {**env, "CC_ERP_SERVE_TOKEN": E2E_ERP_TOKEN}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = _TMP / "erp-service.log"
        command = [str(ROOT / ".venv" / "bin" / "python"), "-m", "customer_center.cli"]
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [*command, "erp", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.url}/v1/customers/10001", timeout=2)
                return
            except httpx.HTTPError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"ERP service did not start:\n{log.read_text()[-4000:]}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process)
            self.process = None

    def portal_env(self) -> dict[str, str]:
        # No price cache: every page asks the ERP, so one that is down shows at once.
        return {
            "CC_ERP": "http",
            "CC_ERP_URL": self.url,
            "CC_ERP_TOKEN": E2E_ERP_TOKEN,
            "CC_ERP_PRICE_TTL": "0",
        }


HTTP_ERP: list[HttpErp] = []  # the running service of this session, if any


def _start_http_erp(env: dict[str, str]) -> HttpErp:
    erp = HttpErp(env)
    erp.start()
    env.update(erp.portal_env())
    HTTP_ERP.append(erp)
    return erp


@pytest.fixture(scope="session")
def http_erp(portal: str) -> HttpErp:
    """The reference ERP service the portal uses (only in the ``CC_E2E_ERP=http`` pass)."""
    assert HTTP_ERP, "run with CC_E2E_ERP=http (make e2e does, in its last pass)"
    return HTTP_ERP[0]


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True`` and every worker it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def engine():  # noqa: F811 - the e2e suite builds its schema through the real migrations
    from customer_center.db import get_engine
    from customer_center.migrations import upgrade
    from customer_center.tables import metadata

    eng = get_engine()
    metadata.drop_all(eng)
    with eng.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(TEST_DATABASE_URL)
    yield eng
