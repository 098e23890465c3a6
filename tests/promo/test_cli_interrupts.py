"""Ctrl+C (and SIGTERM) at the moments a person presses it: while the devices are still reading the list, during
a cancel, and again just after the first. Each moment is set by what promo has printed (a condition), never by a
sleep: the virtual device's slow-list fault keeps the promotions list loading for a minute, so "reading the
promotions" on stderr means the run is planning and will be for a long while.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Promo, wait_for_stderr
from runenv import clean_env

SLOW_LIST = 'sim-1={"slow_list_ms": 60000}'  # the list shows its spinner for a minute: planning goes on
# Well under the list's minute and the spinner wait's 30 s: a run that still waited for the list would miss it.
STOPS_WITHIN = 20


def _start(promo: Promo, *args: str) -> tuple[subprocess.Popen[str], Path]:
    ledger = promo.workdir / "ledger.json"
    argv = [sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--all-active", "--reason", "budget", "--yes",
            "--sim-ledger", str(ledger), *args]
    # A background test run inherits SIGINT ignored, and promo keeps an ignored signal ignored (nohup): give the
    # child the default dispositions, as a terminal would.
    child = subprocess.Popen(argv, cwd=promo.workdir, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL)
                                                            for s in (signal.SIGINT, signal.SIGHUP)])
    return child, ledger


def _finish(child: subprocess.Popen[str], within: float) -> tuple[str, str]:
    """Its output once it ends; a child still running after `within` seconds is killed and the test fails."""
    try:
        return child.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError(f"promo was still running {within:g} s after the signal") from None


def _statuses(ledger: Path) -> dict[str, str]:
    return {p["id"]: p["status"] for p in json.loads(ledger.read_text(encoding="utf-8"))["sim-1"]["promotions"]}


@pytest.mark.slow
def test_ctrl_c_while_the_list_is_still_loading_stops_at_once_and_says_nothing_was_cancelled(promo: Promo) -> None:
    # Before: it waited out the list (45 s), then said "promotions not yet confirmed were left as they were".
    child, ledger = _start(promo, "--sim-faults", SLOW_LIST)
    seen = wait_for_stderr(child, "sim-1: reading the promotions")
    child.send_signal(signal.SIGINT)
    out, err = _finish(child, STOPS_WITHIN)
    err = seen + err
    assert child.returncode == 130, err
    assert err.splitlines()[-1] == "promo: interrupted; nothing was cancelled."
    assert "sim-1: interrupted while reading the list; nothing was cancelled" in err
    assert "failed" not in err and "finishing the cancel in flight" not in err and "Traceback" not in err
    assert out == ""
    assert set(_statuses(ledger).values()) >= {"active"} and "canceled" not in _statuses(ledger).values()
    assert promo.audit == []  # nothing was attempted, so nothing to record


@pytest.mark.slow
def test_a_second_ctrl_c_while_reading_never_speaks_of_a_cancel_in_flight(promo: Promo) -> None:
    # Before: "finishing the cancel in flight to record what the app shows" while no cancel had begun.
    child, ledger = _start(promo, "--sim-faults", SLOW_LIST)
    seen = wait_for_stderr(child, "sim-1: reading the promotions")
    child.send_signal(signal.SIGINT)
    child.send_signal(signal.SIGINT)
    _, err = _finish(child, STOPS_WITHIN)
    err = seen + err
    assert child.returncode == 130, err
    assert "cancel in flight" not in err and "Traceback" not in err
    assert err.splitlines()[-1] == "promo: interrupted; nothing was cancelled."
    assert "canceled" not in _statuses(ledger).values()


@pytest.mark.parametrize(("signum", "code", "last"), [
    (signal.SIGINT, 130, "promo: interrupted; nothing was cancelled."),
    (signal.SIGTERM, 143, "promo: stopped by SIGTERM; nothing was cancelled."),
])
@pytest.mark.slow
def test_a_second_signal_after_the_run_said_its_last_line_still_exits_with_the_first_ones_code(
        promo: Promo, signum: int, code: int, last: str) -> None:
    # Before: a second signal while Python shut down (about 100 ms after the first) killed the process by the
    # signal, though the output and the audit were complete.
    child, _ = _start(promo, "--sim-faults", SLOW_LIST)
    wait_for_stderr(child, "sim-1: reading the promotions")
    child.send_signal(signum)
    wait_for_stderr(child, last)  # promo is done; only the interpreter's shutdown is left
    child.send_signal(signum)
    _finish(child, STOPS_WITHIN)
    assert child.returncode == code


@pytest.mark.slow
def test_a_device_stopped_by_ctrl_c_between_cancels_reads_interrupted_not_partly_failed(promo: Promo) -> None:
    child, ledger = _start(promo, "--world", "many", "--sim-faults", 'sim-1={"latency_ms": 30}')
    seen = wait_for_stderr(child, "sim-1: cancelled")  # the first cancel is done and read back
    child.send_signal(signal.SIGINT)
    out, err = _finish(child, 60)
    assert child.returncode == 130, seen + err
    assert err.splitlines()[-1] == "promo: interrupted; promotions not yet confirmed were left as they were."
    [row] = [line.split() for line in out.splitlines() if line.split()[:2] == ["sim-1", "@mia.creates"]]
    assert row[-1] == "interrupted", out  # the summary's "Ended" column
    assert "partly" not in out
    recorded = {line["promotion_id"]: line["outcome"] for line in promo.audit}
    truth = _statuses(ledger)
    assert "not-attempted" in recorded.values()
    for pid, outcome in recorded.items():  # what is recorded is what the app shows
        assert (truth[pid] == "canceled") == (outcome == "cancelled"), (pid, truth, recorded)
