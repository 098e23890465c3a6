"""No `promo` command waits on what is not there: on a virtual device that answers at once, what the harness's
waits paused (AppiumSession.waited) and what the device's finds spent polling (`find_wait_ms`, read before the
session ends) stay within half a second per command. On a phone each such second is a timeout paid again.
The device's screens are at rest (runenv.still_profile), as in tests/harness/ui/test_waiting.py: with them coming
in, waiting for a screen to come in is waiting on what is coming, not on what is not there, and how long it takes
is the machine's load."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from runenv import clean_env, still_profile

from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.promo import cli

BOUND_S = 0.5


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds each session of the command waited, recorded as it closes."""
    seen: list[float] = []
    close = AppiumSession.close

    def recording(session: AppiumSession) -> None:
        if session.driver is not None:
            seen.append(session.waited + session.stats()["find_wait_ms"] / 1000)
        close(session)

    monkeypatch.setattr(AppiumSession, "close", recording)
    return seen


CANCEL = ["cancel", "--yes", "--reason", "budget"]


@pytest.mark.parametrize("argv", [
    [*CANCEL, "--title", "Summer haul try-on"],
    [*CANCEL, "--world", "many", "--id", "P-3017"],
    [*CANCEL, "--world", "two-screens", "--all-active"],
    [*CANCEL, "--world", "studio-fr", "--title", "Summer haul try-on"],
    ["list", "--world", "many"],
], ids=["by title", "by ID on a long list", "all active", "studio in French", "list"])
@pytest.mark.slow
def test_a_promo_command_waits_at_most_half_a_second(argv: list[str], waits: list[float], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(clean_env()):
        monkeypatch.setenv(name, clean_env()[name])
    for name in ("PROMO_TARGET", "PROMO_WORLD", "PROMO_SIM_FAULTS", "PROMO_DEVICES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROMO_CAPS", str(still_profile(tmp_path)))
    monkeypatch.chdir(tmp_path)  # reports/ of the run land here
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main([*argv, "--account", "mia.creates"])
    assert code == 0, out.getvalue()[-2000:]
    assert waits and max(waits) <= BOUND_S, f"waited {waits} s"
