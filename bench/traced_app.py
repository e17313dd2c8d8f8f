"""The portal's ASGI app with tracemalloc on, for bench/session_heap.py.

``SIGUSR1`` makes the worker write a tracemalloc snapshot and a count of its live objects by
type to ``$CC_BENCH_HEAP_DUMP.<n>.snapshot`` / ``.types.json`` (n = 0, 1, ...), so that two
of them, before and after sessions connect, say what every session keeps in the worker.
"""

from __future__ import annotations

import collections
import gc
import itertools
import json
import os
import signal
import tracemalloc
from typing import Any

from customer_center.customer_center import app as portal

FRAMES = 16
_dumps = itertools.count()


def _dump(_signum: int, _frame: Any) -> None:
    gc.collect()
    prefix = f"{os.environ['CC_BENCH_HEAP_DUMP']}.{next(_dumps)}"
    types = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
    with open(f"{prefix}.types.json.tmp", "w") as out:
        json.dump(types, out)
    tracemalloc.take_snapshot().dump(f"{prefix}.snapshot.tmp")
    # Renamed last: the driver waits for these names.
    os.replace(f"{prefix}.types.json.tmp", f"{prefix}.types.json")
    os.replace(f"{prefix}.snapshot.tmp", f"{prefix}.snapshot")


def app() -> Any:
    """The factory uvicorn calls (``--factory``), tracing from here on."""
    tracemalloc.start(FRAMES)
    signal.signal(signal.SIGUSR1, _dump)
    return portal()
