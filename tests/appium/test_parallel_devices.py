"""`pytest features -n 4`: four xdist workers, each on its own virtual device with its own ports.

Worker N takes device N of the pool (harness.run.fleet.pool_device): sim-1 ... sim-4, each with its own
appium:systemPort, appium:mjpegServerPort and appium:chromedriverPort. Each scenario's Allure labels
say which worker ran it and which device and ports its session got, as the device answered them
(the session's capabilities), so the proof is what the device saw, not what we meant to send.
Directly, each worker starts its own virtual device; through Appium, each worker starts its own
Appium 3 server, whose driver gives every session its own device process.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from featurekit import THROUGH_APPIUM, run_features

pytestmark = pytest.mark.slow  # a real Appium 3 server (and Grid, devices) per test: seconds to minutes

WORKERS = 4


@pytest.mark.parametrize("route", [(), THROUGH_APPIUM], ids=["direct", "through-appium"])
def test_four_workers_each_drive_their_own_device_and_ports(tmp_path: Path, route: tuple[str, ...]) -> None:
    run = run_features(tmp_path, "-n", str(WORKERS), "--no-step-screenshots", *route)  # pictures prove nothing here
    assert run.code == 0, run.describe()
    labels = run.labels()
    assert run.counts == {"passed": len(labels)} and len(labels) >= 20, run.describe()

    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for entry in labels:
        seen[entry["worker"]].add((entry["device"], entry["device.ports"]))
    assert sorted(seen) == [f"gw{n}" for n in range(WORKERS)]  # every worker ran scenarios
    for worker, devices in seen.items():
        assert len(devices) == 1, f"{worker} used more than one device: {devices}"
    assignment = {worker: next(iter(devices)) for worker, devices in seen.items()}
    assert {worker: device for worker, (device, _) in assignment.items()} == {
        f"gw{n}": f"sim-{n + 1}" for n in range(WORKERS)}
    assert {worker: ports for worker, (_, ports) in assignment.items()} == {
        f"gw{n}": f"chromedriverPort={9515 + n} mjpegServerPort={7810 + n} systemPort={8200 + n}"
        for n in range(WORKERS)}
    if route:
        logs = sorted(p.name for p in (tmp_path / "appium").glob("appium-gw*.log") if ".console" not in p.name)
        assert logs == [f"appium-gw{n}.log" for n in range(WORKERS)]  # one Appium server per worker
    assert run.processes() == []
