"""Cold start of the portal (benchmark 5): from the start command to the first page served.

    CC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python -m bench.cold_start               # CC_BENCH_COLD_RUNS=5 by default

Each run starts the portal as production does (``reflex run --env prod --single-port``, with
the frontend's packages already installed in .web: the command compiles the pages and builds
the production bundle, then starts the backend) and takes two times from the command: the
first HTTP 200 of /sign-in with HTML (polled every 50 ms), and the first state update the
sign-in page receives over the websocket in Chromium (the page is hydrated and usable).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench"
os.environ["CC_DATABASE_URL"] = os.environ.get("CC_BENCH_DATABASE_URL", DEFAULT_DATABASE)
os.environ.setdefault("CC_DATA_DIR", tempfile.mkdtemp(prefix="cc-bench-"))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from bench import results  # noqa: E402
from bench.browser_latency import CHROMIUM_ARGS, TIMER_JS  # noqa: E402
from bench.dataset import ensure_dataset  # noqa: E402
from bench.serve import ROOT, free_port, portal_env, serve  # noqa: E402

RUNS = int(os.environ.get("CC_BENCH_COLD_RUNS", "5"))
PHASE = re.compile(r"(Compiling|Creating Production Build):.* (\d+):(\d\d):(\d\d)\s*$")


def hydrated_after(browser: Browser, url: str, started: float) -> float:
    """Seconds from ``started`` until the sign-in page's first state update arrives."""
    context = browser.new_context()
    context.add_init_script(path=str(TIMER_JS))
    page = context.new_page()
    page.goto(f"{url}/sign-in")
    page.wait_for_function("window.__ccBench.hydrated !== null", polling=10, timeout=120_000)
    seconds = time.monotonic() - started
    context.close()
    return seconds


def phases(log: str) -> dict[str, float]:
    """The compile and frontend build times Reflex printed, in seconds."""
    found: dict[str, float] = {}
    for line in log.splitlines():
        match = PHASE.search(line)
        if match:
            h, m, s = (int(g) for g in match.groups()[1:])
            found[match.group(1).lower()] = float(h * 3600 + m * 60 + s)
    return found


def one_start(browser: Browser) -> dict[str, float]:
    port = free_port()
    started = time.monotonic()
    with serve(ROOT, portal_env(os.environ["CC_DATABASE_URL"], port), port, "/sign-in") as app:
        hydrated = hydrated_after(browser, app.url, started)
        built = phases(app.log.read_text())
    return {"first_page_s": app.seconds_to_first_page, "hydrated_s": hydrated, **built}


def main() -> None:
    from customer_center.db import get_engine

    ensure_dataset(get_engine())
    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for number in range(RUNS):
            runs.append(one_start(browser))
            print(f"start {number + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in runs[-1].items()))
        browser.close()
    rows = [
        results.row(
            "start command -> first page served (HTTP 200 /sign-in)",
            [r["first_page_s"] * 1000 for r in runs],
        ),
        results.row(
            "start command -> sign-in page hydrated over the websocket",
            [r["hydrated_s"] * 1000 for r in runs],
        ),
    ]
    for row in rows:
        row["median_s"] = round(row["p50_ms"] / 1000, 1)
        print(f"{row['measure']:60} median {row['median_s']:5.1f} s over {row['n']} starts")
    notes = (
        f"{RUNS} starts of `reflex run --env prod --single-port` with the frontend packages "
        "installed (.web present). Every start compiles the pages and builds the production "
        "bundle before the backend serves; Reflex reported per start (s): "
        + "; ".join(", ".join(f"{k} {v:.0f}" for k, v in r.items() if "_s" not in k) for r in runs)
        + ". A first start on a fresh clone also installs the frontend packages with npm."
    )
    results.write("cold_start", "Cold start (benchmark 5)", rows, notes)


if __name__ == "__main__":
    sys.exit(main())
