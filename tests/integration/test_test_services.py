"""scripts/test-services: where no PostgreSQL or Redis answers, make test starts throwaway
ones for the run and stops them at its end (a brand-new machine)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run by the script in place of make's targets: uses both servers, prints the URLs it was
# given and fails as a failing test run would, with status 3.
CLIENT = """
import os, psycopg, redis
from sqlalchemy.engine import make_url
url = make_url(os.environ["PG_TEST_URL"])
with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as db:
    db.execute("CREATE TABLE answered (x int)")
redis.Redis.from_url(os.environ["REDIS_TEST_URL"]).set("answered", "yes")
for name in ("PG_TEST_URL", "REDIS_TEST_URL", "TWO_WORKERS_REDIS_URL", "CC_BENCH_TEST_REDIS_URL",
             "CC_TEST_REDIS_URL"):
    print(name, os.environ[name])
raise SystemExit(3)
"""


def _silent_port() -> int:
    """A loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


@pytest.fixture
def scratch() -> Iterator[Path]:
    """The script's TMPDIR: open to the postgres user its cluster runs as under root."""
    with tempfile.TemporaryDirectory(prefix="cc-test-services-test-") as name:
        os.chmod(name, 0o755)
        yield Path(name)


def test_without_servers_throwaway_ones_serve_the_run_and_are_stopped_after_it(
    scratch: Path,
) -> None:
    silent = _silent_port()
    env = {
        **os.environ,
        "PG_TEST_URL": f"postgresql+psycopg://postgres@127.0.0.1:{silent}/test",
        "REDIS_TEST_URL": f"redis://127.0.0.1:{silent}/1",
        "TWO_WORKERS_REDIS_URL": f"redis://127.0.0.1:{silent}/3",
        "VENV": str(Path(sys.executable).parent.parent),
        "TMPDIR": str(scratch),
    }
    run = subprocess.run(
        [str(ROOT / "scripts" / "test-services"), sys.executable, "-c", CLIENT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 3, run.stderr  # the command's own status
    urls = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert urls["PG_TEST_URL"].endswith("/test") and urls["REDIS_TEST_URL"].endswith("/1")
    assert urls["TWO_WORKERS_REDIS_URL"].endswith("/3")
    assert urls["CC_BENCH_TEST_REDIS_URL"].endswith("/4")
    assert urls["CC_TEST_REDIS_URL"].endswith("/5")
    ports = {_port_of(url) for url in urls.values()}
    assert len(ports) == 2 and silent not in ports
    assert "throwaway PostgreSQL" in run.stderr and "throwaway Redis" in run.stderr
    assert not any(_answers(port) for port in ports), "a throwaway server still runs"
    assert list(scratch.iterdir()) == [], "the temporary directory was left behind"
