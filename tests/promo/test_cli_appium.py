"""`promo` through a real Appium 3 server, the way it drives phones: --target appium with an Appium URL.

The device behind Appium is the virtual one (profile appium-sim: our TikTokSim driver), so the chain is
promo -> appium-python-client -> Appium 3 -> driver -> device, with one session per device in parallel,
each with its own ports. Needs the node tools (`make node`), like tests/appium.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from clikit import Promo
from proctools import children
from runenv import clean_env

from tiktok_promo.harness.run.appium_server import AppiumServer


@pytest.mark.slow
def test_cancel_on_two_devices_through_appium(promo: Promo, appium: AppiumServer) -> None:
    run = promo("cancel", "--target", "appium", "--caps", "appium-sim", "--appium-url", appium.url,
                "--device", "sim-1", "--device", "sim-2=business", "--title", "Summer haul try-on",
                "--reason", "budget", "--yes", "--json")
    assert run.code == 0, run.err
    for name, word in (("sim-1", "Canceled"), ("sim-2", "Stopped")):
        [outcome] = run.device(name)["outcomes"]
        assert (outcome["outcome"], outcome["status_after"], outcome["spend_at_cancel"]) == ("cancelled", word, 21.4)
    assert run.device("sim-1")["ports"]["systemPort"] != run.device("sim-2")["ports"]["systemPort"]
    assert [e["outcome"] for e in promo.audit] == ["cancelled", "cancelled"]


# --- a profile with `appium_url: local`: promo starts its own Appium, and says so when it cannot -----
@pytest.mark.slow
def test_promo_starts_its_own_appium_for_a_local_profile_and_stops_it(promo: Promo) -> None:
    run = promo("cancel", "--target", "appium", "--caps", "appium-sim", "--title", "Summer haul try-on",
                "--reason", "budget", "--yes", "--json", ledger=True)
    assert run.code == 0, run.err
    [outcome] = run.device("sim-1")["outcomes"]
    assert (outcome["outcome"], outcome["status_after"]) == ("cancelled", "Canceled")
    log = promo.reports / "appium" / "appium-promo.log"
    assert "TikTokSim" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_promo_without_appium_installed_is_one_sentence(promo: Promo, tmp_path: Path) -> None:
    run = promo("list", "--target", "appium", "--caps", "appium-sim", env=clean_env(PROMO_APPIUM_ROOT=str(tmp_path)))
    assert run.code == 2
    assert run.one_error_line() == (f"promo: Appium is not installed: {tmp_path}/node_modules/.bin/appium is "
                                    f"missing; run `npm ci` (or `make node`) in {tmp_path}.")


@pytest.mark.slow
def test_an_appium_that_dies_before_the_confirm_cancels_nothing(promo: Promo) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--target", "appium", "--caps",
                             "appium-sim", "--title", "Summer haul try-on", "--reason", "budget"],
                            cwd=promo.workdir, env=clean_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    err = _Reader(proc.stderr)
    try:
        assert err.wait_for(b"[y/N]"), err.text()  # planned and asking: Appium is up, nothing was tapped yet
        [appium] = [pid for pid, cmd in children(proc.pid) if " server " in cmd]
        os.kill(appium, signal.SIGKILL)
        killed = time.monotonic()
        assert proc.stdin is not None
        proc.stdin.write(b"y\n")
        proc.stdin.close()
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - killed < 30, "promo hung after its Appium server died"
    err.done.wait(10)
    assert code == 1, err.text()
    lines = [line for line in err.text().splitlines() if line.startswith("promo")]
    assert lines[-1].startswith("promo: The Appium server this run started at http://127.0.0.1:")
    assert "was killed by signal 9 during the run" in lines[-1]
    assert len(lines) == 2 and lines[0].startswith("promo: sim-1: "), lines
    assert "Traceback" not in err.text()
    # No half action: the promotion is recorded as failed, never as cancelled.
    assert [e["outcome"] for e in promo.audit] == ["failed"]


class _Reader:
    """Reads a pipe in the background, so a test can wait for a prompt that ends without a newline."""

    def __init__(self, pipe: Any) -> None:
        self.data = b""
        self.changed = threading.Condition()
        self.done = threading.Event()
        threading.Thread(target=self._pump, args=(pipe,), daemon=True).start()

    def _pump(self, pipe: Any) -> None:
        while chunk := os.read(pipe.fileno(), 4096):
            with self.changed:
                self.data += chunk
                self.changed.notify_all()
        self.done.set()

    def wait_for(self, needle: bytes, timeout: float = 60.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: needle in self.data or self.done.is_set(), timeout) and \
                needle in self.data

    def text(self) -> str:
        return self.data.decode(errors="replace")

