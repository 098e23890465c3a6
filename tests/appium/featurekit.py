"""Running the feature suite as a separate pytest process, and reading what it left behind.

The runs are real command lines (what CI and people type), each with its own reports directory, so a
test can check results, attachments, logs and the processes the run started and stopped.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proctools import alive
from runenv import clean_env

REPO = Path(__file__).resolve().parents[2]
APPIUM_SIM = str(REPO / "harness" / "run" / "profiles" / "appium-sim.yaml")
THROUGH_APPIUM = ("--target", "appium", "--caps", APPIUM_SIM)
# A guard against a hang, not a speed target, and the one limit of every whole-suite run (direct, through Appium,
# through a Grid; Android and iOS; serial or -n 2/4). Measured with a phone's timing on, one run at a time (load
# 2-11 on 2 cores): direct 58 s, through Appium on -n 2 58 s, the iOS face through Appium serially 102 s, through a
# Grid on -n 2 86 s, the iOS face through a Grid on -n 2 90 s. A full CI run (-n 4, load 7-12) is about 4x
# slower: through Appium serially 286 s, through a Grid 174 s, and direct and the iOS face passed 240 s. So about
# 5x the slowest measured run.
RUN_TIMEOUT = 600
MARKER = "PROMO_TEST_RUN_MARK"  # inherited by every process a run starts: Appium, its devices
_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


@dataclass
class FeatureRun:
    """One `pytest features ...` process: started, then finished."""

    reports: Path
    args: tuple[str, ...]
    env: dict[str, str]
    mark: str = field(default_factory=lambda: uuid.uuid4().hex)
    proc: subprocess.Popen[str] | None = None
    code: int | None = None
    out: str = ""
    err: str = ""
    started: float = 0.0
    seconds: float = 0.0

    @property
    def results_dir(self) -> Path:
        return self.reports / "allure-results"

    def start(self) -> FeatureRun:
        cmd = [sys.executable, "-m", "pytest", "features", "-p", "no:cacheprovider", "-q",
               "--alluredir", str(self.results_dir), "--clean-alluredir", *self.args]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**self.env, MARKER: self.mark}, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return self

    def wait(self, timeout: float = RUN_TIMEOUT) -> FeatureRun:
        assert self.proc is not None, "start() first"
        try:
            self.out, self.err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.out, self.err = self.proc.communicate()
            raise AssertionError(f"pytest {' '.join(self.args)} did not end within {timeout} s:\n"
                                 f"{self.out[-3000:]}") from None
        self.code = self.proc.returncode
        self.seconds = time.monotonic() - self.started
        return self

    @property
    def counts(self) -> dict[str, int]:
        """What the summary line says: {'passed': 20, 'failed': 1, ...}."""
        summary = next((line for line in reversed(self.out.splitlines()) if " in " in line and _COUNT.search(line)),
                       "")
        return {kind: int(n) for n, kind in _COUNT.findall(summary)}

    def results(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in self.results_dir.glob("*-result.json")]

    def labels(self) -> list[dict[str, str]]:
        """Each scenario's Allure labels as a mapping (one value per name)."""
        return [{label["name"]: label["value"] for label in result["labels"]} for result in self.results()]

    def processes(self) -> list[int]:
        """Processes still alive that this run started (they carry its mark), whoever their parent is now."""
        return marked_processes(self.mark)

    def describe(self) -> str:
        return (f"exit {self.code} after {self.seconds:.1f} s\n--- stdout\n{self.out[-4000:]}\n"
                f"--- stderr\n{self.err[-2000:]}")


def run_features(reports: Path, *args: str, env: dict[str, str] | None = None,
                 timeout: float = RUN_TIMEOUT) -> FeatureRun:
    return FeatureRun(reports, args, env or clean_env()).start().wait(timeout)


def scenario_count() -> int:
    """How many scenarios `pytest features` collects: a direct run's count, without running them (the direct run
    itself is the `features` part of `make test`, with a phone's timing)."""
    listed = subprocess.run([sys.executable, "-m", "pytest", "features", "--collect-only", "-q", "-p",
                             "no:cacheprovider"], cwd=REPO, env=clean_env(), capture_output=True, text=True,
                            timeout=60)
    return sum(1 for line in listed.stdout.splitlines() if "::" in line)


def marked_processes(mark: str) -> list[int]:
    """Live processes whose environment holds MARKER=mark."""
    needle = f"{MARKER}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and alive(entry):
                found.append(int(entry.name))
        except OSError:
            continue
    return found




def files_containing(root: Path, secret: str) -> list[Path]:
    """Every file under root whose bytes contain the secret (text, JSON, logs, pictures alike)."""
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def wait_for(probe: Any, what: str, timeout: float = 30.0) -> Any:
    """The first truthy value of probe() within timeout (a condition wait, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        pause.wait(0.05)
    raise AssertionError(f"waited {timeout:g} s for {what}")
