"""A pytest plugin for tests/harness/ui/test_waiting.py: what each scenario spent waiting on what was not there.

Loaded with `-p wait_clock` (tests/harness/ui on PYTHONPATH) into a run of the features; after each scenario it
writes one JSON line to the file named by WAIT_CLOCK_FILE: the harness's pauses between looks (the session's
own count, no command) and the time the virtual device's finds spent polling (`mobile: simStats`).
"""

from __future__ import annotations

import json
import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    path = os.environ.get("WAIT_CLOCK_FILE")
    if not path or "appium_session" not in request.fixturenames:
        return
    session = request.getfixturevalue("appium_session")
    device_ms = session.stats()["find_wait_ms"] if session.started else 0.0
    line = {"test": request.node.name, "harness_s": round(session.waited, 3), "device_s": device_ms / 1000}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
