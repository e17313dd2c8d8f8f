"""Throwaway PostgreSQL and Redis servers that a fault test may stop, kill and start again.

Each runs on a free loopback port, in a temporary directory, with nothing of the machine's
own servers touched (scripts/test-services starts the suite's shared ones the same way).
PostgreSQL comes from Debian's packages (/usr/lib/postgresql/<n>/bin); run as root, it runs
as the postgres user, since initdb refuses root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import psycopg
import redis
from psycopg import sql

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 60) -> float:
    """Poll ``condition`` until it holds; returns the seconds it took (fails after
    ``timeout``)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are missing (apt-get install postgresql)")
    return found[-1]


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own: ``start()``, ``stop()``, ``kill()``, ``restart()``."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cc-faults-pg-"))
        self.data = self.dir / "data"
        self._as: list[str] = []
        self.template = ""  # a database that tests copy (tests/faults/portal_data.py)
        if os.geteuid() == 0:
            owner = "postgres"
            try:
                pwd.getpwnam(owner)
            except KeyError:
                owner = "nobody"
            shutil.chown(self.dir, owner)
            self.dir.chmod(0o755)
            self._as = ["runuser", "-u", owner, "--"]
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip

    def _run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [*self._as, str(self.bin / program), *args], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.dir / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "start", "-o", options
        )
        wait_for("PostgreSQL accepts connections", self.answers, START_TIMEOUT_S)

    def stop(self) -> None:
        """A fast shutdown: open connections are ended, as a restart by the operator does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def kill(self) -> None:
        """The server and every backend die at once (SIGKILL), as when the machine loses
        power; the next start recovers from the write-ahead log."""
        postmaster = psutil.Process(int((self.data / "postmaster.pid").read_text().split()[0]))
        processes = [postmaster, *postmaster.children(recursive=True)]
        for process in processes:
            process.send_signal(signal.SIGKILL)
        psutil.wait_procs(processes, timeout=30)

    def answers(self) -> bool:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                connect_timeout=2,
            ):  # fmt: skip
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str, template: str = "") -> str:
        """A new database, empty or a copy of ``template``."""
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(create)
        return self.url(name)

    def program(self, name: str) -> Path:
        return self.bin / name

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                 "-w", "stop"],
                capture_output=True,
            )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A Redis without persistence on a port of its own: ``start()`` and ``stop()``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cc-faults-redis-"))
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for("Redis answers", self.answers, START_TIMEOUT_S)

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url(), socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
