"""Several virtual devices in one run: parallel sessions, each with its own world and ports, one failing."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Promo
from runenv import clean_env

CRASH = 'sim-2={"crash_after": 3}'  # the session dies on its 4th command: while the app opens


@pytest.mark.slow
def test_two_devices_each_with_its_own_world_cancel_in_parallel(promo: Promo) -> None:
    run = promo("cancel", "--device", "sim-1", "--device", "sim-2=business", "--all-active", "--reason",
                "reallocation", "--yes", "--json", ledger=True)
    assert run.code == 0, run.err
    assert [d["world"] for d in run.json()["devices"]] == ["default", "business"]
    for name in ("sim-1", "sim-2"):
        device = run.device(name)
        assert device["state"] == "done"
        assert [o["outcome"] for o in device["outcomes"]] == ["cancelled", "cancelled"]
        assert run.statuses(name) == {"P-1001": "canceled", "P-1002": "canceled", "P-1003": "in_review",
                                      "P-0990": "completed"}
    # The business release says "Stop"; the app's own word is what the outcome reports.
    assert run.device("sim-2")["outcomes"][0]["status_after"] == "Stopped"
    ports = [run.device(n)["ports"] for n in ("sim-1", "sim-2")]
    assert ports[0] == {"systemPort": 8200, "mjpegServerPort": 7810, "chromedriverPort": 9515}
    assert ports[1] == {"systemPort": 8201, "mjpegServerPort": 7811, "chromedriverPort": 9516}


@pytest.mark.slow
def test_four_devices_one_crashing_the_others_finish(promo: Promo) -> None:
    run = promo("cancel", "--device", "sim-1", "--device", "sim-2=business", "--device", "sim-3=current",
                "--device", "sim-4=duplicate-titles", "--all-active", "--reason", "budget", "--yes",
                "--sim-faults", CRASH, ledger=True)
    assert run.code == 1, run.err
    error = run.one_error_line()
    assert error.startswith("promo: sim-2: The Appium session ended unexpectedly")
    assert "For documentation" not in error  # Selenium's help link is not part of the sentence

    # Plain progress lines (stderr is not a terminal), one device per line.
    for name in ("sim-1", "sim-2", "sim-3", "sim-4"):
        assert f"{name}: opening the app" in run.err
    assert "sim-2: failed" in run.err and "sim-4: 3 cancelled\n" in run.err
    assert "Done: 7 cancelled, 1 device failed or refused on 4 devices." in run.out

    ledger = run.ledger
    assert ledger["sim-2"] is None  # crashed: it has no state left to read
    assert run.statuses("sim-3")["P-1001"] == "canceled"
    assert set(run.statuses("sim-4").values()) == {"canceled"}

    by_device: dict[str, list[str]] = {}
    for entry in promo.audit:
        by_device.setdefault(entry["device"], []).append(entry["outcome"])
    assert by_device == {"sim-1": ["cancelled"] * 2, "sim-2": ["failed"], "sim-3": ["cancelled"] * 2,
                         "sim-4": ["cancelled"] * 3}
    [failed] = [e for e in promo.audit if e["device"] == "sim-2"]
    assert failed["promotion_id"] is None and failed["world"] == "business"
    assert failed["message"].startswith("The Appium session ended unexpectedly")


@pytest.mark.slow
def test_every_device_failing_exits_1_and_every_device_refused_exits_2(promo: Promo) -> None:
    crashed = promo("list", "--device", "sim-1", "--device", "sim-2", "--sim-faults", 'sim-1={"crash_after": 2}',
                    "--sim-faults", 'sim-2={"crash_after": 2}')
    assert crashed.code == 1
    assert len([line for line in crashed.err.splitlines() if line.startswith("promo: sim-")]) == 2
    refused = promo("cancel", "--device", "sim-1=logged-out", "--device", "sim-2", "--account", "nobody.here",
                    "--all-active", "--reason", "budget", "--yes")
    assert refused.code == 2
    assert "Traceback" not in refused.err


@pytest.mark.slow
def test_all_devices_on_the_virtual_target_is_the_listed_virtual_device(promo: Promo) -> None:
    run = promo("list", "--all-devices", "--json")
    assert run.code == 0, run.err
    assert [d["device"] for d in run.json()["devices"]] == ["sim-1"]


@pytest.mark.slow
def test_on_a_terminal_progress_is_a_live_table_per_device(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: rich draws one row per device in place, instead of plain lines."""
    leader, follower = pty.openpty()
    env = clean_env(COLUMNS="120", LINES="40")
    env.pop("NO_COLOR")
    proc = subprocess.Popen([sys.executable, "-m", "tiktok_promo.promo.cli", "list", "--device", "sim-1", "--device",
                             "sim-2=current"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=follower,
                            stdin=subprocess.DEVNULL)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the run is over
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=30)
    os.close(leader)
    assert proc.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "\x1b[" in text  # drawn with terminal control codes
    for cell in ("device", "state", "sim-1", "sim-2", "done"):
        assert cell in text
    assert "sim-1: opening the app" not in text  # not the plain lines
    assert b"Summer haul try-on" in out
