"""The embedded mode's SQLite file on a disk that fills up, and on one that turns read-only.

A real small file system (tmpfs of a few megabytes, mounted by the test; the suite runs as
root, as scripts/test-services does): placing an order fails with an error the portal words
as "nothing was saved, try again", the order is not there at all, the file passes SQLite's
integrity check, and once there is room (or the disk is writable) ordering works again.
"""

from __future__ import annotations

import errno
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from customer_center.db import is_outage, make_engine
from customer_center.migrations import upgrade
from customer_center.state.errors import unexpected_error_toast
from tests.order_factories import Shop

DISK_SIZE = "8m"


@pytest.fixture
def small_disk() -> Iterator[Path]:
    mount_point = Path(tempfile.mkdtemp(prefix="cc-faults-disk-"))
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(mount_point)],
        check=True,
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)
        mount_point.rmdir()


def _database(disk: Path) -> tuple[Engine, Shop]:
    url = f"sqlite:///{disk / 'customer_center.db'}"
    upgrade(url)
    engine = make_engine(url)
    shop = Shop.create(Session(engine, expire_on_commit=False))
    shop.order()  # one order placed while there is room
    return engine, shop


def _fill(disk: Path) -> Path:
    """Take every free byte of the disk with a file of its own."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def _orders(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM customer_order")).scalar_one())


def _integrity(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("PRAGMA integrity_check")).scalar_one())


def _refused(shop: Shop) -> OperationalError:
    with pytest.raises(OperationalError) as refused:
        shop.order()
    shop.session.rollback()
    return refused.value


def _worded(error: Exception) -> str:
    return str(unexpected_error_toast(error).args)


def test_a_full_disk_refuses_the_order_whole_and_leaves_the_file_sound(small_disk: Path) -> None:
    engine, shop = _database(small_disk)
    filler = _fill(small_disk)

    error = _refused(shop)
    assert "full" in str(error.orig)
    assert is_outage(error) and "nothing was saved" in _worded(error)

    filler.unlink()
    assert _orders(engine) == 1  # the refused order is not there, not even in part
    assert _integrity(engine) == "ok"
    shop.order()
    assert _orders(engine) == 2


def test_a_read_only_disk_refuses_the_order_and_leaves_the_file_sound(small_disk: Path) -> None:
    engine, shop = _database(small_disk)
    engine.dispose()  # the portal restarted after the disk went read-only
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    error = _refused(shop)
    assert "readonly" in str(error.orig) or "unable to open" in str(error.orig)
    assert is_outage(error) and "nothing was saved" in _worded(error)

    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert _orders(engine) == 1
    assert _integrity(engine) == "ok"
    shop.order()
    assert _orders(engine) == 2
