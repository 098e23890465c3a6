"""`promo list` and `promo cancel` in a real 80-column terminal (tmux), read off the screen as a person
sees it: tables that fit without a cut figure or header, the live view gone before the [y/N] prompt,
one plain line per outcome, a summary per device, drift said once at the end and never mid-run.

The `terminal` fixture (conftest.py) is a tmux window of 80 columns (tmuxkit.py). Needs tmux (`make browser`).
"""

from __future__ import annotations

import pytest
from tmuxkit import WIDTH, Terminal, lines

SUMMER = "Summer haul try-on"
LATTE = "Latte art in 30 seconds"


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
    terminal.start("cancel", "--all-active", "--reason", "budget", "--device", "sim-1", "--device", "sim-2=new-release")
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
    # sim-2's build (48.0.0, a studio version) kept the business words: 3 targets on a fallback
    assert row(shown, "sim-2", "@mia.creates", "$31.40").split() == ["sim-2", "@mia.creates", "2", "0", "0", "$31.40",
                                                                     "3", "done"]
    done = shown.index("Done: 4 cancelled on 2 devices.")
    assert " ".join(shown[done + 1:-1]).startswith("Recorded in reports/promo-audit.jsonl;") and shown[-1] == "EXIT=0"
    # Drift said once, at the end, for the device that kept another release's words; never in the live view.
    fallback = [line for line in shown if "fallback locator" in line and line.startswith("sim-")]
    assert len(fallback) == 1 and fallback[0].startswith("sim-2: 3 targets found by a fallback locator")
    assert not [screen for screen in seen if "Locator drift" in screen]
    assert len(seen) > 3  # the screen was watched while the run went on


@pytest.mark.slow
def test_ctrl_c_while_the_list_loads_leaves_the_device_reading_interrupted_not_working(terminal: Terminal) -> None:
    # Before: the live view kept saying "working" for 45 s, then the device read "failed".
    terminal.start("cancel", "--all-active", "--reason", "budget", "--yes", "--sim-faults",
                   'sim-1={"slow_list_ms": 60000}')
    terminal.wait_for("reading the promotions")  # the list shows its spinner for a minute from here
    terminal.tmux("send-keys", "-t", "0", "C-c")
    shown = lines(terminal.wait_for("EXIT=130"))
    row(shown, "sim-1", "interrupted", "while reading the list; nothing was cancelled")
    assert "promo: interrupted; nothing was cancelled." in shown
    assert not [line for line in shown if " working " in f" {line} " or "failed" in line], shown
