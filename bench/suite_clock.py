"""A pytest plugin for bench/flow_bench.py: when each scenario starts and ends, on which worker.

Loaded with `-p suite_clock` (bench/ on PYTHONPATH); writes one JSON line per test to the file named by
BENCH_CLOCK_FILE (wall-clock seconds since the epoch, so the lines of several xdist workers compare).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Time the whole protocol of one test (setup, call, teardown)."""
    began = time.time()
    try:
        return (yield)
    finally:
        path = os.environ.get("BENCH_CLOCK_FILE")
        if path:
            line = {"worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), "test": item.name,
                    "start": began, "end": time.time()}
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(line) + "\n")
