"""`promo list` and `promo cancel` in a real 80-column terminal (tmux), read off the screen as a person
sees it: tables that fit without a cut figure or header, the live view gone before the [y/N] prompt,
one plain line per outcome, a summary per device, drift said once at the end and never mid-run.

Each test runs its own tmux server (its own socket), which it ends itself. Needs tmux (`make browser`).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import clean_env

WIDTH, HEIGHT = 80, 100
SCREEN_TIMEOUT = 90.0
SUMMER = "Summer haul try-on"
LATTE = "Latte art in 30 seconds"


class Terminal:
    """A tmux window of WIDTH x HEIGHT running one command; the window stays after the command ends."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"promo-screen-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30,
                              check=True)
        return done.stdout

    def start(self, *argv: str) -> None:
        env = clean_env()
        env.pop("COLUMNS", None)  # the terminal's own width, as a person's shell has it
        env.pop("NO_COLOR", None)
        env["TERM"] = "xterm-256color"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.isidentifier())
        command = f"env -i {exports} {shlex.quote(sys.executable)} -m promo.cli {shlex.join(argv)}; echo EXIT=$?"
        self.tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(self.workdir),
                  "sh", "-c", f"{command}; sleep 600")

    def screen(self, joined: bool = False) -> str:
        """What the window shows, top to bottom (joined: lines the terminal wrapped put back together)."""
        return self.tmux("capture-pane", "-p", *(["-J"] if joined else []), "-t", "0")

    def wait_for(self, text: str, seen: list[str] | None = None) -> str:
        """Poll the screen until it shows `text`; every screen seen on the way goes into `seen`."""
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if seen is not None:
                seen.append(screen)
            if text in screen:
                return screen
        raise AssertionError(f"the terminal did not show {text!r} within {SCREEN_TIMEOUT:g} s:\n{self.screen()}")

    def type(self, keys: str) -> None:
        self.tmux("send-keys", "-t", "0", keys, "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; run `make browser` (apt-get install tmux).", pytrace=False)
    term = Terminal(tmp_path)
    yield term
    term.close()


def lines(screen: str) -> list[str]:
    return [line.rstrip() for line in screen.splitlines() if line.strip()]


def assert_fits(term: Terminal) -> list[str]:
    """Nothing on screen was cut or wrapped by the terminal; the screen's lines."""
    shown, joined = lines(term.screen()), lines(term.screen(joined=True))
    assert shown == joined, "a line was wider than the terminal and wrapped"
    assert all(len(line) <= WIDTH for line in shown)
    assert "…" not in "\n".join(shown)
    return shown


def row(shown: list[str], *cells: str) -> str:
    """The one screen line that holds every cell (a table row whose figures stayed together)."""
    found = [line for line in shown if all(cell in line for cell in cells)]
    assert len(found) >= 1, f"no line holds {cells}:\n" + "\n".join(shown)
    return found[0]


@pytest.mark.slow
def test_promo_list_fits_80_columns_with_every_figure_whole(terminal: Terminal) -> None:
    terminal.start("list", "--device", "sim-1", "--device", "sim-2=business")
    terminal.wait_for("EXIT=0")
    shown = assert_fits(terminal)
    header = row(shown, "Title", "ID", "Status", "Budget", "Spent", "Left", "Views", "Likes")
    assert "Per" in "\n".join(shown) and "views" in "\n".join(shown)  # "Per 1k views" wraps at its spaces
    assert header.split() == ["Title", "ID", "Status", "Budget", "Spent", "Left", "Views", "Likes", "views"]
    row(shown, "P-1001", "Active", "$50.00", "$21.40", "$28.60", "5,350", "428", "$4.00")
    row(shown, "P-1002", "$10.00/day", "$10.00", "$40.00", "2,500", "190", "$4.00")
    row(shown, "P-0990", "Completed", "$20.00", "5,000", "400")
    assert sum("sim-1 · @mia.creates · world default" in line for line in shown) == 1
    assert sum("sim-2 · @mia.creates · world business" in line for line in shown) == 1


@pytest.mark.slow
def test_promo_cancel_reads_plainly_at_80_columns(terminal: Terminal) -> None:
    terminal.start("cancel", "--all-active", "--reason", "budget", "--device", "sim-1", "--device", "sim-2=business")
    seen: list[str] = []
    prompt = terminal.wait_for("[y/N]", seen)
    # The live view (rich) is cleared before the question: no device still "working" above it.
    before = lines(prompt)
    assert not [line for line in before if line.split()[:1] == ["device"] or " working " in f" {line} "], prompt
    assert before[-1].endswith("Cancel 4 promotions on 2 devices? Spend so far is not refunded. [y/N]")
    row(before, "cancel", SUMMER, "P-1001", "$21.40", "$50.00", "5,350", "$4.00")
    terminal.type("y")
    terminal.wait_for("EXIT=0", seen)
    shown = assert_fits(terminal)
    text = "\n".join(shown)

    # One plain line per outcome.
    outcomes = [line for line in shown if line.startswith(("sim-1: \"", "sim-2: \""))]
    assert outcomes == [f'sim-1: "{SUMMER}" (P-1001) cancelled, $21.40 spent',
                        f'sim-1: "{LATTE}" (P-1002) cancelled, $10.00 spent',
                        f'sim-2: "{SUMMER}" (P-1001) cancelled, $21.40 spent',
                        f'sim-2: "{LATTE}" (P-1002) cancelled, $10.00 spent']
    assert "Canceled" not in text and " 0 not" not in text
    # A summary row per device.
    assert row(shown, "sim-1", "@mia.creates", "$31.40").split() == ["sim-1", "@mia.creates", "2", "0", "0", "$31.40",
                                                                     "0", "done"]
    assert row(shown, "sim-2", "@mia.creates", "$31.40").split() == ["sim-2", "@mia.creates", "2", "0", "0", "$31.40",
                                                                     "5", "done"]
    assert shown[-2] == "Done: 4 cancelled on 2 devices." and shown[-1] == "EXIT=0"
    # Drift said once, at the end, for the business release's device; never in the live view.
    fallback = [line for line in shown if "fallback locator" in line and line.startswith("sim-")]
    assert len(fallback) == 1 and fallback[0].startswith("sim-2: 5 targets found by a fallback locator")
    assert not [screen for screen in seen if "Locator drift" in screen]
    assert len(seen) > 3  # the screen was watched while the run went on
