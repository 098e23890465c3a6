"""Nothing lost, whatever happens: a cancel that landed is recorded before any evidence, and stays recorded.

Each test breaks something after the confirm (the screenshot's folder, the disk, the audit file, a
signal) and checks the audit log and stdout against the virtual device's own ledger: every promotion the
device shows cancelled has its `cancelled` line, and nothing is silently skipped.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Promo, wait_for_stderr
from rich.console import Console
from runenv import clean_env, still_profile

from tiktok_promo.flows.selection import Selection
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.allure_results import AllureRun
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.fleet import plan_devices
from tiktok_promo.promo.hands_free import CancelRequest, HandsFreeRun

ACTIVE = ("P-1001", "P-1002")  # the default world's running promotions


@pytest.fixture
def promo(tmp_path: Path) -> Promo:
    return Promo(tmp_path)


def outcomes(promo: Promo) -> dict[str, str]:
    return {line["promotion_id"]: line["outcome"] for line in promo.audit}


@pytest.mark.slow
def test_a_cancel_is_recorded_when_the_evidence_folder_is_a_file(promo: Promo) -> None:
    promo.reports.mkdir()
    # The run's evidence and Allure results go under reports/promo/<run id>/: a file there blocks them all.
    (promo.reports / "promo").write_text("not a folder", encoding="utf-8")
    run = promo("cancel", "--all-active", "--reason", "budget", "--yes", "--json", ledger=True)
    assert "Traceback" not in run.err
    assert run.statuses()["P-1001"] == run.statuses()["P-1002"] == "canceled"
    # Nothing skipped, nothing unrecorded: both landed cancels have their line, on stdout too.
    assert outcomes(promo) == {"P-1001": "cancelled", "P-1002": "cancelled"}
    device = run.device()
    assert [(o["id"], o["outcome"], o["recorded"]) for o in device["outcomes"]] == [
        ("P-1001", "cancelled", True), ("P-1002", "cancelled", True)]
    for outcome in device["outcomes"]:
        assert outcome["evidence"] == [] and "Could not save the screenshot" in outcome["evidence_error"]
    # The evidence that could not be saved is noted after each record, never in its place.
    kinds = [line["outcome"] for line in promo.audit_lines]
    assert kinds == ["cancelled", "evidence", "cancelled", "evidence"]
    notes = [line["evidence_error"] for line in promo.audit_lines if line["outcome"] == "evidence"]
    assert len(notes) == 2 and all(note.startswith("Could not save the screenshot") for note in notes)
    [problem] = [line for line in run.err.splitlines() if line.startswith("promo")]
    blocked = Path("reports") / "promo"
    assert problem == (f"promo: reports: Could not write the Allure results to {blocked / run.json()['run']}: "
                       f"{blocked} is a file, not a folder.")
    assert run.code == 0  # every cancel asked for is done and recorded; the report's loss is said, not hidden


def test_a_full_disk_under_the_screenshots_is_noted_once_and_not_retried(
        sim_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    tries: list[int] = []

    def disk_full(self: AllureRun, png: bytes) -> tuple[str, Path]:
        tries.append(len(png))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.results_dir / "shot.png"))

    monkeypatch.setattr(AllureRun, "save_png", disk_full)
    # screens at rest, and no screen recording: what is checked is the screenshots' one try each
    config = load_run_config(target="sim", world="default", caps=str(still_profile(tmp_path)), video="off")
    out = io.StringIO()
    run = HandsFreeRun(plan_devices(config, [], False, {}), sim_url, out=Console(file=out),
                       err=Console(file=io.StringIO()), reports_dir=tmp_path / "reports",
                       command_line="promo cancel", redactor=Redactor(), ledger_file=tmp_path / "ledger.json")
    try:
        code = run.cancel(CancelRequest(Selection(all_active=True), "mia.creates", "budget", yes=True, as_json=True))
    finally:
        run.close()
    # The device's truth as the run's end left it: the sessions end before the report is written.
    ledger = json.loads((tmp_path / "ledger.json").read_text())
    truth = {p["id"]: p["status"] for p in ledger[run.jobs[0].id]["promotions"]}
    assert code == 0
    assert truth["P-1001"] == truth["P-1002"] == "canceled"
    assert len(tries) == 2  # one picture per cancel, each tried once: no retry inside the error path
    lines = [json.loads(line) for line in (tmp_path / "reports" / "promo-audit.jsonl").read_text().splitlines()]
    assert lines.pop(0)["outcome"] == "run-started"  # the line that proved the log could be kept, before any tap
    assert [(line["outcome"], line["promotion_id"]) for line in lines] == [
        ("cancelled", "P-1001"), ("evidence", "P-1001"), ("cancelled", "P-1002"), ("evidence", "P-1002")]
    assert lines[1]["evidence_error"] == ("Could not save the screenshot of the app after the cancel to "
                                          f"{tmp_path / 'reports' / 'promo' / run.run_id / 'shot.png'}: "
                                          "No space left on device.")
    printed = json.loads(out.getvalue())
    assert [o["outcome"] for o in printed["devices"][0]["outcomes"]] == ["cancelled", "cancelled"]


def _promo_child(promo: Promo, *args: str) -> tuple[subprocess.Popen[str], Path]:
    ledger = promo.workdir / "ledger.json"
    argv = [sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--world", "many", "--reason", "budget", "--yes",
            "--sim-faults", 'sim-1={"latency_ms": 40}', "--sim-ledger", str(ledger), *args]
    for title in ("Sourdough part 1", "Desk setup part 1", "Trail run part 1", "Thrift flip part 1"):
        argv += ["--title", title]
    # A background test run inherits SIGINT ignored, and promo keeps an ignored signal ignored (nohup):
    # give the child the default dispositions, as a terminal would.
    child = subprocess.Popen(argv, cwd=promo.workdir, env=clean_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT,
                                                                                           signal.SIGHUP)])
    return child, ledger


def _truth(ledger: Path) -> dict[str, str]:
    data = json.loads(ledger.read_text(encoding="utf-8"))
    return {p["title"]: p["status"] for p in data["sim-1"]["promotions"]}


def _titles(promo: Promo) -> dict[str, str]:
    return {line["title"]: line["outcome"] for line in promo.audit}


@pytest.mark.parametrize(("signum", "code", "said"), [(signal.SIGTERM, 143, "stopped by SIGTERM"),
                                                       (signal.SIGHUP, 129, "stopped by SIGHUP")])
@pytest.mark.slow
def test_sigterm_and_sighup_stop_the_run_as_ctrl_c_does(promo: Promo, signum: int, code: int, said: str) -> None:
    child, ledger = _promo_child(promo)
    wait_for_stderr(child, "sim-1: cancelled")
    child.send_signal(signum)
    _, err = child.communicate(timeout=60)
    assert child.returncode == code, err
    assert f"promo: {said}; promotions not yet confirmed were left as they were." in err
    assert "Traceback" not in err
    truth, recorded = _truth(ledger), _titles(promo)  # the ledger is written: the sessions were closed after it
    assert len(recorded) == 4
    for title, outcome in recorded.items():
        assert outcome in ("cancelled", "not-attempted")
        assert (truth[title] == "canceled") == (outcome == "cancelled"), (title, truth, recorded)


@pytest.mark.slow
def test_a_second_ctrl_c_during_a_cancel_still_records_what_the_app_shows(promo: Promo) -> None:
    child, ledger = _promo_child(promo)
    wait_for_stderr(child, "sim-1: cancelling")
    child.send_signal(signal.SIGINT)
    child.send_signal(signal.SIGINT)  # impatient: at once, while the first cancel is in flight
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "Traceback" not in err
    truth, recorded = _truth(ledger), _titles(promo)
    assert len(recorded) == 4 and "not-attempted" in recorded.values()
    for title, status in truth.items():
        if title in recorded:
            assert (status == "canceled") == (recorded[title] == "cancelled"), (title, truth, recorded)
