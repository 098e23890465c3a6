"""Running `promo` as a subprocess against the virtual device, and reading what it left behind."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from runenv import clean_env

from tiktok_promo.harness.report.scenario_results import category_rules
from tiktok_promo.promo.sim_ledger import MARKER as LEDGER_MARKER

REPO = Path(__file__).resolve().parents[2]
# What can become of a promotion or a device; the log's other lines (evidence, run-started, torn-line) are notes.
OUTCOMES = ("cancelled", "already-cancelled", "not-cancelled", "failed", "refused", "not-attempted")
WORLDS = REPO / "simulator" / "worlds"
RUN_TIMEOUT = 60


@dataclass
class Result:
    """One finished run of `promo`."""

    code: int
    out: str
    err: str
    ledger_path: Path | None = None

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def ledger(self) -> dict[str, Any]:
        """The app's truth per device the run opened (the file's own marker left out)."""
        assert self.ledger_path is not None, "run with ledger=True"
        written = json.loads(self.ledger_path.read_text(encoding="utf-8"))
        return {device: truth for device, truth in written.items() if device != LEDGER_MARKER}

    def statuses(self, device: str = "sim-1") -> dict[str, str]:
        """The true status of every promotion on a virtual device at the end of the run."""
        return {p["id"]: p["status"] for p in self.ledger[device]["promotions"]}

    def device(self, name: str = "sim-1") -> dict[str, Any]:
        return next(d for d in self.json()["devices"] if d["device"] == name)

    def one_error_line(self) -> str:
        """The run's stderr error: exactly one `promo...` sentence, and no traceback."""
        assert "Traceback" not in self.err, self.err
        lines = [line for line in self.err.splitlines() if line.startswith("promo")]
        assert len(lines) == 1, self.err
        return lines[0]


class Promo:
    """`promo` in a working directory of its own (reports/ goes there)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.runs = 0

    @property
    def reports(self) -> Path:
        return self.workdir / "reports"

    @property
    def evidence_dirs(self) -> list[Path]:
        """The runs' evidence folders (reports/promo/<run id>/), oldest first."""
        root = self.reports / "promo"
        if not root.is_dir():
            return []
        return sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)

    @property
    def results(self) -> Path:
        """The one run's evidence folder, which is also its Allure results directory."""
        dirs = self.evidence_dirs
        assert len(dirs) == 1, f"expected the evidence of one run in {self.reports / 'promo'}, found {dirs}"
        return dirs[0]

    @property
    def audit_file(self) -> Path:
        return self.reports / "promo-audit.jsonl"

    @property
    def records(self) -> list[dict[str, Any]]:
        """Every whole line of the audit log, in order: outcomes, evidence, and the run's own notes."""
        return read_jsonl(self.audit_file)[0]

    @property
    def torn(self) -> list[bytes]:
        """The lines of the audit log that are not whole JSON records (cut short by a full disk or a crash)."""
        return read_jsonl(self.audit_file)[1]

    @property
    def audit_lines(self) -> list[dict[str, Any]]:
        """The lines about promotions and devices, in order (outcomes and the evidence lines after them)."""
        return [line for line in self.records if line["outcome"] in OUTCOMES or line["outcome"] == "evidence"]

    @property
    def audit(self) -> list[dict[str, Any]]:
        """The outcome lines of the audit log (what became of each promotion or device)."""
        return [line for line in self.records if line["outcome"] in OUTCOMES]

    def evidence(self, promotion_id: str | None = None) -> list[str]:
        """The evidence files the audit log names for a promotion (None: for a device that stopped)."""
        return [path for line in self.audit_lines if line["outcome"] == "evidence"
                and line.get("promotion_id") == promotion_id for path in line["evidence"]]

    def __call__(self, *args: str, stdin: str | None = "", ledger: bool = False,
                 env: dict[str, str] | None = None, preexec: Callable[[], None] | None = None,
                 timeout: float = RUN_TIMEOUT) -> Result:
        self.runs += 1
        ledger_path = self.workdir / f"ledger-{self.runs}.json" if ledger else None
        argv = [sys.executable, "-m", "tiktok_promo.promo.cli", *args]
        if ledger_path is not None:
            argv += ["--sim-ledger", str(ledger_path)]
        done = subprocess.run(argv, cwd=self.workdir, env=env or clean_env(), input=stdin, capture_output=True,
                              text=True, timeout=timeout, check=False, preexec_fn=preexec)
        return Result(done.returncode, done.stdout, done.stderr, ledger_path)


def read_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The whole JSON lines of a file, and the ones that are not (skipped, not fatal: a torn line is a finding)."""
    if not path.exists():
        return [], []
    entries: list[dict[str, Any]] = []
    torn: list[bytes] = []
    *lines, tail = path.read_bytes().split(b"\n")
    for raw in filter(bytes.strip, lines):
        try:
            entries.append(json.loads(raw))
        except ValueError:
            torn.append(raw)
    if tail:
        torn.append(tail)  # no newline after it: its write never finished
    return entries, torn


def write_world(path: Path, base: str = "default", **changes: Any) -> Path:
    """A world file from a shipped one, with promotions changed by id: write_world(p, P_1001={"status": ...})."""
    data = yaml.safe_load((WORLDS / f"{base}.yaml").read_text(encoding="utf-8"))
    for key, fields in changes.items():
        pid = key.replace("_", "-")
        promo = next(p for p in data["promotions"] if p["id"] == pid)
        promo.update(fields)
    data["name"] = path.stem
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def category_of(result: dict) -> str:
    """The report category a result is sorted into: the first rule of harness/report/categories.json (which
    allurerc.mjs gives Allure 3) whose label it carries, tried in the order Allure tries them."""
    for rule in category_rules():
        values = [label["value"] for label in result["labels"] if label["name"] == rule["label"]]
        pattern = rule.get("pattern") or re.escape(rule["value"])
        if (not rule.get("statuses") or result["status"] in rule["statuses"]) and any(
                re.fullmatch(pattern, value) for value in values):
            return rule["name"]
    return "none"


def wait_for_stderr(child: subprocess.Popen[str], text: str) -> str:
    """Read a running promo's stderr line by line until `text` shows (the moment a test acts on); what was read."""
    assert child.stderr is not None
    seen = ""
    while text not in seen:
        line = child.stderr.readline()
        assert line, seen  # it ended without saying it
        seen += line
    return seen
