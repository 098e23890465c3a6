"""The audit log keeps every cancel, or nothing is tapped: a full disk, a torn line, a FIFO, /dev/full.

Each test runs `promo cancel` on the virtual device with the audit log broken in one way, and checks
what a person would see (one sentence naming the file, the exit code) against the device's own ledger:
a cancel that landed is in the audit log or in the fallback record the next run adds to it; a log that
cannot be kept stops the run before its first tap. A full disk is made two ways: a file size limit on
the promo process (RLIMIT_FSIZE, as `ulimit -f` does; writes past it fail with EFBIG, or are cut short),
and, where this machine lets the tests mount one, a small tmpfs filled up (ENOSPC, cut at a page).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from clikit import Promo, Result, read_jsonl
from rich.console import Console
from runenv import clean_env, free_port

from tiktok_promo.flows.selection import Selection
from tiktok_promo.harness.errors import AuditUnwritable
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.audit import AuditEntry, AuditLog, TornLine, read_records
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.fleet import plan_devices
from tiktok_promo.promo.hands_free import CancelRequest, HandsFreeRun
from tiktok_promo.promo.job_record import JobRecord, PromotionOutcome

AUDIT = Path("reports") / "promo-audit.jsonl"
FALLBACK = Path("reports") / "promo-audit.fallback.jsonl"
SUMMER, LATTE = "Summer haul try-on", "Latte art in 30 seconds"  # P-1001 and P-1002, both active
EARLIER = 64 * 1024  # bytes of earlier runs' records in the log, so the run's small files stay under a size limit


def _earlier_records(path: Path, size: int = EARLIER) -> bytes:
    """An audit log holding exactly `size` bytes (at least 600) of whole records from an earlier run."""
    def line(pad: int) -> bytes:
        return (json.dumps({"time": "2026-11-20T10:00:00.000+00:00", "run": "earlier", "device": "sim-1",
                            "outcome": "already-cancelled", "promotion_id": "P-1003", "message": "x" * pad})
                + "\n").encode()

    data = b""
    while size - len(data) >= 600:
        data += line(200)
    data += line(size - len(data) - len(line(0)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def _size_limit(limit: int) -> Callable[[], None]:
    """For the promo child: no file may grow past `limit` bytes, and crossing it is an error, not a signal."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@contextlib.contextmanager
def _full_tmpfs(where: Path, size: str, earlier: int = 0) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` with `earlier` bytes of records in reports/promo-audit.jsonl,
    filled up by one file (the test deletes it to free space)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not let the tests mount a tmpfs: {mounted.stderr.strip()}")
    try:
        (where / "reports").mkdir()
        if earlier:
            _earlier_records(where / "reports" / "promo-audit.jsonl", earlier)
        with contextlib.suppress(OSError), (where / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _stderr_records(run: Result) -> list[dict]:
    """The JSON lines promo printed on stderr: the records the audit log refused."""
    return [json.loads(line) for line in run.err.splitlines() if line.startswith("{")]


def _cancelled(entries: list[dict]) -> set[str]:
    return {e["promotion_id"] for e in entries if e.get("outcome") == "cancelled"}


# --- before the first tap -----------------------------------------------------------------------------
@dataclass
class FullDisk:
    reports: Path  # the --reports folder
    why: str  # what the system says
    preexec: Callable[[], None] | None = None


@pytest.fixture(params=["file size limit", "full tmpfs"])
def full_disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FullDisk]:
    if request.param == "file size limit":
        reports = tmp_path / "reports"
        earlier = _earlier_records(reports / "promo-audit.jsonl")
        yield FullDisk(reports, "File too large", _size_limit(len(earlier)))
    else:
        with _full_tmpfs(tmp_path / "disk", "256k") as disk:
            yield FullDisk(disk / "reports", "No space left on device")


@pytest.mark.slow
def test_a_full_disk_before_the_first_tap_cancels_nothing_and_names_the_log(promo: Promo, full_disk: FullDisk) -> None:
    log = full_disk.reports / "promo-audit.jsonl"
    before = log.read_bytes() if log.exists() else b""
    run = promo("cancel", "--all-active", "--reason", "budget", "--yes", "--reports", str(full_disk.reports),
                ledger=True, preexec=full_disk.preexec)
    assert run.code == 2, run.err
    assert run.one_error_line() == (f"promo: The audit log {log} cannot be written ({full_disk.why}); nothing was "
                                    "tapped: free space, or give --reports (PROMO_REPORTS) a folder on another disk.")
    assert run.ledger == {}  # no device was even opened: no session, so no tap
    assert log.read_bytes() == before
    assert _stderr_records(run) == []


@pytest.mark.parametrize(("make", "kind"), [
    (lambda path: os.mkfifo(path), "a FIFO"),
    (lambda path: path.symlink_to("/dev/full"), "a character device"),
    (lambda path: path.symlink_to("/dev/null"), "a character device"),
], ids=["fifo", "link to /dev/full", "link to /dev/null"])
@pytest.mark.slow
def test_an_audit_log_that_is_not_a_file_is_refused_at_once_and_nothing_is_cancelled(
        promo: Promo, make: Callable[[Path], None], kind: str) -> None:
    promo.reports.mkdir()
    make(promo.reports / "promo-audit.jsonl")
    # A FIFO blocked `promo cancel --yes` for ever; the run's timeout (clikit.RUN_TIMEOUT) fails the test if it hangs.
    run = promo("cancel", "--all-active", "--reason", "budget", "--yes", ledger=True)
    assert run.code == 2, run.err
    assert run.one_error_line() == (f"promo: The audit log {AUDIT} cannot be written (it is {kind}, not a regular "
                                    "file); nothing was tapped: fix --reports (PROMO_REPORTS).")
    assert run.ledger == {}


# --- a torn last line ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_line_cut_short_by_an_earlier_full_disk_is_fenced_off_and_the_next_record_parses(promo: Promo) -> None:
    whole = _earlier_records(promo.reports / "promo-audit.jsonl", 1024)
    cut = (json.dumps({"run": "earlier", "outcome": "cancelled", "message": "y" * 8000}).encode())[:4096 - len(whole)]
    with (promo.reports / "promo-audit.jsonl").open("ab") as log:
        log.write(cut)  # the disk filled at 4,096 bytes: no newline after it
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", "--json", ledger=True)
    assert run.code == 0, run.err
    assert run.statuses()["P-1001"] == "canceled"
    assert promo.torn == [cut]  # left as it was, on a line of its own, and skipped by readers
    ours = [(e["promotion_id"], e["outcome"]) for e in promo.audit if e["run"] != "earlier"]
    assert ours == [("P-1001", "cancelled")]
    [fence] = [r for r in promo.records if r["outcome"] == "torn-line"]
    assert (fence["offset"], fence["length"], fence["run"]) == (len(whole), len(cut), run.json()["run"])
    assert (f"promo: note: the last line of the audit log {AUDIT} was cut short ({len(cut)} bytes at offset "
            f"{len(whole)}, a full disk or a crash); it is fenced off and noted in the log.") in run.err.splitlines()
    # The run's own lines come after the fence: its run-started line, the cancel, the evidence.
    kinds = [r["outcome"] for r in promo.records if r["run"] != "earlier"]
    assert kinds == ["torn-line", "run-started", "cancelled", "evidence"]


# --- a disk that fills up mid-run ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_disk_that_fills_mid_run_keeps_the_landed_cancel_and_the_next_run_adds_it_to_the_log(promo: Promo) -> None:
    earlier = _earlier_records(promo.reports / "promo-audit.jsonl")
    # Room for the run-started line (about 110 bytes), not for the cancel's line after it.
    run = promo("cancel", "--title", SUMMER, "--title", LATTE, "--reason", "budget", "--yes", "--json", ledger=True,
                preexec=_size_limit(len(earlier) + 200))
    assert run.code == 1, run.err
    assert run.one_error_line() == (
        f"promo: The audit log {AUDIT} cannot be written (the disk filled up in the middle of the line); the run "
        f"stopped before the next cancel; the line is kept in {FALLBACK} and on stderr, and the next run adds it "
        "to the log.")
    # The first cancel landed; the run stopped before tapping anything for the second.
    assert run.statuses()["P-1001"] == "canceled" and run.statuses()["P-1002"] == "active"
    [first, second] = run.device()["outcomes"]
    assert (first["outcome"], first["recorded"], second["outcome"]) == ("cancelled", False, "not-attempted")
    kept, torn_kept = read_jsonl(promo.workdir / FALLBACK)
    assert torn_kept == [] and _cancelled(kept) == {"P-1001"} == _cancelled(_stderr_records(run))
    assert len(promo.torn) == 1  # the cancel's line, cut where the disk ran out

    # Space is freed; the next run adds what was kept before anything else, and says so.
    again = promo("cancel", "--title", LATTE, "--reason", "budget", "--yes", "--json", ledger=True)
    assert again.code == 0, again.err
    assert (f"promo: note: added 2 record(s) kept in {FALLBACK} (when the audit log could not be written) to the "
            f"audit log {AUDIT}.") in again.err.splitlines()
    assert not (promo.workdir / FALLBACK).exists()
    ours = [r for r in promo.records if r["run"] != "earlier"]
    assert [(r["outcome"], r.get("promotion_id")) for r in ours] == [
        ("run-started", None), ("torn-line", None), ("cancelled", "P-1001"), ("not-attempted", "P-1002"),
        ("run-started", None), ("cancelled", "P-1002"), ("evidence", "P-1002")]
    assert {r["run"] for r in ours[2:4]} == {run.json()["run"]}
    assert {r["replayed_by"] for r in ours[2:4]} == {again.json()["run"]}
    assert len(promo.torn) == 1  # still just the one line cut short, fenced off; every other line parses


@pytest.mark.slow
def test_a_disk_that_fills_mid_run_cuts_a_line_at_a_page_and_the_next_run_heals_the_log(promo: Promo,
                                                                                        tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = clean_env(XDG_STATE_HOME=str(state))
    with _full_tmpfs(tmp_path / "disk", "256k", earlier=2 * 4096 - 160) as disk:
        reports, log = disk / "reports", disk / "reports" / "promo-audit.jsonl"
        # The log's last page has room for the run-started line, not for the cancel's: that one needs a page
        # the full disk does not have, so the kernel takes what fits and the line is cut at 8,192 bytes.
        run = promo("cancel", "--title", SUMMER, "--title", LATTE, "--reason", "budget", "--yes", "--json",
                    "--reports", str(reports), ledger=True, env=env)
        assert run.code == 1, run.err
        assert run.statuses()["P-1001"] == "canceled" and run.statuses()["P-1002"] == "active"
        [stopped] = [line for line in run.err.splitlines() if "the run stopped before the next cancel" in line]
        [kept] = state.glob("promo/audit-fallback-*.jsonl")  # the fallback beside the log is on the same full disk
        assert stopped == (f"promo: The audit log {log} cannot be written (the disk filled up in the middle of the "
                           f"line); the run stopped before the next cancel; the line is kept in {kept} and on "
                           "stderr, and the next run adds it to the log.")
        [cut] = read_jsonl(log)[1]
        assert log.stat().st_size == 2 * 4096 and cut.startswith(b'{"time"')
        assert _cancelled(read_jsonl(kept)[0]) == {"P-1001"} == _cancelled(_stderr_records(run))

        (disk / "filler").unlink()  # space is freed
        again = promo("cancel", "--title", LATTE, "--reason", "budget", "--yes", "--reports", str(reports),
                      ledger=True, env=env)
        assert again.code == 0, again.err
        assert f"promo: note: added 2 record(s) kept in {kept}" in again.err
        entries, torn = read_jsonl(log)
        assert torn == [cut]  # fenced off; every other line parses
        ours = [(e["outcome"], e.get("promotion_id")) for e in entries if e["run"] != "earlier"]
        assert ours == [("run-started", None), ("torn-line", None), ("cancelled", "P-1001"),
                        ("not-attempted", "P-1002"), ("run-started", None), ("cancelled", "P-1002"),
                        ("evidence", "P-1002")]
        assert not kept.exists()


@pytest.mark.slow
def test_a_fallback_folder_that_refuses_the_line_sends_it_to_the_users_state_folder(promo: Promo,
                                                                                    tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = clean_env(XDG_STATE_HOME=str(state))
    earlier = _earlier_records(promo.reports / "promo-audit.jsonl")
    (promo.workdir / FALLBACK).mkdir()  # the fallback beside the log cannot be written either
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", ledger=True, env=env,
                preexec=_size_limit(len(earlier) + 200))
    assert run.code == 1 and run.statuses()["P-1001"] == "canceled"
    [kept] = state.glob("promo/audit-fallback-*.jsonl")
    [stopped] = [line for line in run.err.splitlines() if "the run stopped before the next cancel" in line]
    assert stopped.endswith(f"the line is kept in {kept} and on stderr, and the next run adds it to the log.")
    assert _cancelled(_stderr_records(run)) == {"P-1001"}
    assert _cancelled(read_jsonl(kept)[0]) == {"P-1001"}
    (promo.workdir / FALLBACK).rmdir()
    again = promo("cancel", "--title", LATTE, "--reason", "budget", "--yes", ledger=True, env=env)
    assert again.code == 0, again.err
    assert f"promo: note: added 1 record(s) kept in {kept}" in again.err
    assert _cancelled(promo.audit) == {"P-1001", "P-1002"} and not kept.exists()


# --- the evidence after a cancel ----------------------------------------------------------------------
@pytest.mark.slow
def test_a_cancel_is_followed_by_an_evidence_error_when_the_server_dies_right_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tiktok_promo.simulator", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=clean_env())
    try:
        assert server.stdout is not None and "listening" in server.stdout.readline()
        record_it = JobRecord.outcome

        def then_the_server_dies(self: JobRecord, outcome: PromotionOutcome, reason: str | None) -> bool:
            written = record_it(self, outcome, reason)
            if outcome.outcome == "cancelled":
                server.kill()  # as Appium killed just after the cancel: the next command finds nobody
                server.wait(10)
            return written

        monkeypatch.setattr(JobRecord, "outcome", then_the_server_dies)
        config = load_run_config(target="sim", world="default", env={})
        run = HandsFreeRun(plan_devices(config, [], False, {}), f"http://127.0.0.1:{port}", out=_quiet(),
                           err=_quiet(), reports_dir=tmp_path / "reports", command_line="promo cancel",
                           redactor=Redactor())
        try:
            run.cancel(CancelRequest(Selection(titles=(SUMMER,)), "mia.creates", "budget", yes=True, as_json=True))
        finally:
            run.close()
    finally:
        server.kill()
        server.wait(10)
    lines = [r for r in read_jsonl(tmp_path / "reports" / "promo-audit.jsonl")[0] if r["outcome"] != "run-started"]
    assert [(r["outcome"], r["promotion_id"]) for r in lines] == [("cancelled", "P-1001"), ("evidence", "P-1001")]
    assert lines[1]["evidence"] == []
    assert lines[1]["evidence_error"].startswith("Could not take the screenshot of the app after the cancel: the "
                                                 "device did not answer")


def _quiet() -> Console:
    return Console(file=io.StringIO())


@pytest.mark.slow
def test_a_screenshot_the_disk_cannot_hold_leaves_no_half_file_and_an_evidence_error(promo: Promo) -> None:
    # Room for the log, the ledger and the Allure result; not for a picture of the phone (about 120 KB).
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", "--json", "--video", "off", ledger=True,
                preexec=_size_limit(48 * 1024))
    assert run.code == 0, run.err
    assert run.statuses()["P-1001"] == "canceled"
    [outcome] = run.device()["outcomes"]
    assert outcome["recorded"] and outcome["evidence"] == []
    assert outcome["evidence_error"].startswith("Could not save the screenshot of the app after the cancel") and \
        outcome["evidence_error"].endswith("File too large.")
    assert [line["outcome"] for line in promo.audit_lines] == ["cancelled", "evidence"]
    assert sorted(p.name.split("-")[-1] for p in promo.results.iterdir()) == ["result.json"]  # no .tmp left


def test_the_audit_reader_skips_and_reports_lines_cut_short(tmp_path: Path) -> None:
    log = tmp_path / "promo-audit.jsonl"
    whole = b'{"run": "a", "outcome": "cancelled"}\n'
    log.write_bytes(whole + b'{"run": "b", "outc\n' + whole + b'{"run": "c"')
    found = read_records(log)
    assert found.entries == [{"run": "a", "outcome": "cancelled"}] * 2
    assert found.torn == [TornLine(len(whole), 18), TornLine(2 * len(whole) + 19, 11)]


def test_a_log_swapped_for_a_fifo_mid_run_refuses_the_line_at_once_and_keeps_it(tmp_path: Path) -> None:
    log_path = tmp_path / "reports" / "promo-audit.jsonl"
    stream = io.StringIO()
    log = AuditLog(log_path, run_id="r1", stream=stream)
    log.prepare(["sim-1"])
    log_path.unlink()
    os.mkfifo(log_path)  # nobody reads it: a blocking open would wait for ever
    entry = AuditEntry(run="r1", device="sim-1", outcome="cancelled", promotion_id="P-1001")
    with pytest.raises(AuditUnwritable) as refused:
        log.append(entry)
    assert str(refused.value).startswith(f"The audit log {log_path} cannot be written (it is a FIFO, not a regular "
                                         "file); the run stopped before the next cancel")
    kept = read_records(log.fallback_path).entries
    assert [e["promotion_id"] for e in kept] == ["P-1001"] and json.loads(stream.getvalue()) == kept[0]


@pytest.mark.slow  # four Python processes append at once
def test_runs_appending_at_once_leave_only_whole_lines(tmp_path: Path) -> None:
    log_path = tmp_path / "promo-audit.jsonl"
    script = ("import sys; from pathlib import Path\n"
              "from tiktok_promo.harness.report.audit import AuditEntry, AuditLog\n"
              "log = AuditLog(Path(sys.argv[1]), run_id=sys.argv[2])\n"
              "for i in range(100): log.append(AuditEntry(run=sys.argv[2], device='sim-1', outcome='cancelled', "
              "message='m' * (i * 50)))\n")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(log_path), f"run-{n}"], env=clean_env())
            for n in range(4)]
    assert [run.wait(60) for run in runs] == [0, 0, 0, 0]
    found = read_records(log_path)
    assert found.torn == [] and len(found.entries) == 400
    assert {e["run"] for e in found.entries} == {"run-0", "run-1", "run-2", "run-3"}
