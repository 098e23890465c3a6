"""`promo` through a real Selenium Grid 4 it starts itself (profile grid-sim, `appium_url: local-grid`).

promo -> appium-python-client -> Grid hub -> relay node -> Appium 3 -> TikTokSim driver -> virtual device,
one node (and Appium) per device. `--all-devices` takes the devices the Grid's nodes offer (sim-1, sim-2:
the profile's grid_nodes). Needs the node tools (`make node`) and Java (`make java`), like tests/appium.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from clikit import Result
from runenv import clean_env

MARK = "PROMO_TEST_RUN_MARK"  # inherited by every process the run starts: the JVMs, Appium, the devices


def _marked(mark: str) -> list[int]:
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and needle in (entry / "environ").read_bytes().split(b"\0"):
                stat = (entry / "stat").read_text()
                if stat[stat.rindex(")") + 2] != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_promo_cancels_on_every_device_the_grid_offers_and_leaves_nothing_running(tmp_path: Path) -> None:
    mark = uuid.uuid4().hex
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--target", "appium", "--caps",
                           "grid-sim", "--all-devices", "--title", "Summer haul try-on", "--reason", "budget", "--yes",
                           "--json"],
                          cwd=tmp_path, env=clean_env(**{MARK: mark}), capture_output=True, text=True, timeout=180)
    run = Result(done.returncode, done.stdout, done.stderr)
    assert run.code == 0, run.err
    assert sorted(d["device"] for d in run.json()["devices"]) == ["sim-1", "sim-2"]
    for name in ("sim-1", "sim-2"):
        [outcome] = run.device(name)["outcomes"]
        assert (outcome["outcome"], outcome["status_after"]) == ("cancelled", "Canceled")
    # Each device's session went through its own node to its own Appium server.
    [folder] = (tmp_path / "reports" / "grid").glob("hub-*")
    state = json.loads((folder / "grid.json").read_text(encoding="utf-8"))
    for index, node in enumerate(state["nodes"], start=1):
        log = (folder / f"appium-node{index}.log").read_text(encoding="utf-8")
        assert log.count("[HTTP] <-- POST /session 200") == 1 and f'"appium:udid":"{node["udid"]}"' in log
    assert _marked(mark) == [], "promo left a JVM, an Appium server or a virtual device running"


@pytest.mark.slow
def test_promo_capture_records_through_a_grid_it_starts_and_keeps_its_logs_in_the_reports_folder(
        tmp_path: Path) -> None:
    mark = uuid.uuid4().hex
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", "capture", "--target", "appium", "--caps",
                           "grid-sim", "--reports", "logs", "rec"],
                          cwd=tmp_path, env=clean_env(**{MARK: mark}), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Recorded the screen in rec" in done.stdout
    assert (tmp_path / "rec" / "manifest.json").is_file()
    # The Grid's logs where --reports said, not in ./reports; the session went through one of its nodes (the hub
    # picks which).
    [folder] = (tmp_path / "logs" / "grid").glob("hub-*")
    nodes = sorted(folder.glob("appium-node*.log"))
    assert nodes and any("[HTTP] <-- POST /session 200" in node.read_text(encoding="utf-8") for node in nodes)
    assert not (tmp_path / "reports").exists()
    assert _marked(mark) == [], "promo capture left a JVM, an Appium server or a virtual device running"
