"""What `promo` prints fits an 80-column terminal with every word whole: read off a real tmux window and
compared, word by word, with the same command's output at 400 columns (where nothing needs to wrap). A word
the terminal or a table cut in two (`fallbac|k`, `JAVA_HOME=/usr/lib/jvm/j|ava-17`) is not a word of the
wide output, and fails the test. The `terminal` (tmux, 80 columns) and `walked` fixtures are conftest.py's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Promo
from runenv import clean_env, still_profile
from tmuxkit import WIDTH, Terminal, lines

from tiktok_promo.promo.fit import units, wrap

# What differs from one run to the next: a port, a run id.
_VOLATILE = [(re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"), (re.compile(r"\b[0-9a-f]{12}\b"), "RUNID")]


def _words(text: str) -> set[str]:
    """The words of `text`; a table's rule (as wide as its table) is no word."""
    for pattern, stand_in in _VOLATILE:
        text = pattern.sub(stand_in, text)
    return {word for word in text.split() if word.strip("─")}


def wide(workdir: Path, *argv: str, stdin: str = "") -> str:
    """The command's whole output (stdout and stderr) at 400 columns: nothing there needs to wrap."""
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", *argv], cwd=workdir, input=stdin, text=True,
                          capture_output=True, env=clean_env(COLUMNS="400"), timeout=120, check=False)
    return done.stdout + done.stderr


def on_screen(terminal: Terminal, *argv: str, answer: str | None = None) -> list[str]:
    """The 80-column screen after the command ended (answering its [y/N] question when `answer`)."""
    terminal.start(*argv)
    if answer is not None:
        terminal.wait_for("[y/N]")
        terminal.type(answer)
    terminal.wait_for("EXIT=")
    shown = lines(terminal.screen())
    assert shown == lines(terminal.screen(joined=True)), "a line was wider than the terminal and wrapped"
    assert all(len(line) <= WIDTH for line in shown)
    return [line for line in shown if not line.startswith("EXIT=")]


def assert_no_word_broken(shown: list[str], reference: str) -> None:
    broken = sorted(_words("\n".join(shown)) - _words(reference))
    assert not broken, "words cut at 80 columns: " + ", ".join(broken) + "\n" + "\n".join(shown)


@pytest.mark.slow
def test_check_locators_at_80_columns_is_a_short_line_per_target_and_detail_only_for_drift(
        terminal: Terminal, walked: Path, tmp_path: Path) -> None:
    shown = on_screen(terminal, "check-locators", str(walked))
    assert_no_word_broken(shown, wide(tmp_path, "check-locators", str(walked)))
    text = "\n".join(shown)
    assert "fallback   Cancel button  (needed)" in text
    assert 'found by accessibility id "Stop promotion" (1 element); drift: the' in text  # its detail, under it
    assert "found by" not in "\n".join(line for line in shown if line.lstrip().startswith("ok "))
    targets = [line for line in shown if line.startswith("  ") and line.split()[0] in ("ok", "fallback", "missing")]
    details = [line for line in shown if line.startswith(" " * 13)]
    assert len(details) < len(targets) / 2  # the ok ones have no detail line


@pytest.mark.slow
def test_check_locators_verbose_shows_every_targets_candidate(promo: Promo, walked: Path) -> None:
    quiet, verbose = promo("check-locators", str(walked)), promo("check-locators", "--verbose", str(walked))
    assert quiet.code == verbose.code == 0
    assert 'found by accessibility id "Status" (1 element)' in verbose.out
    assert 'found by accessibility id "Status"' not in quiet.out


@pytest.mark.slow
def test_check_locators_piped_is_no_wider_than_100_columns(walked: Path, tmp_path: Path) -> None:
    env = clean_env()
    env.pop("COLUMNS")
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", "check-locators", str(walked)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 100


@pytest.mark.slow
def test_doctor_at_80_columns_keeps_each_fix_command_on_one_line(terminal: Terminal, tmp_path: Path) -> None:
    argv = ("doctor", "--target", "appium", "--caps", "android-phone", "--udid", "R58M12ABCDE",
            "--appium-url", "http://127.0.0.1:9")
    shown = on_screen(terminal, *argv)
    assert_no_word_broken(shown, wide(tmp_path, *argv))
    text = "\n".join(shown)
    assert "apt-get install adb," in text  # the adb row's fix: the command whole
    assert any(line.startswith("BROKEN  adb") for line in shown)


@pytest.mark.slow
def test_doctor_on_the_virtual_device_fits_80_columns(terminal: Terminal, tmp_path: Path) -> None:
    shown = on_screen(terminal, "doctor")
    assert_no_word_broken(shown, wide(tmp_path, "doctor"))
    assert shown[-1] == "The chain can run."


@pytest.mark.slow
def test_devices_at_80_columns_puts_the_note_under_the_table(terminal: Terminal, tmp_path: Path) -> None:
    shown = on_screen(terminal, "devices")
    assert_no_word_broken(shown, wide(tmp_path, "devices"))
    assert any(line.startswith("sim-1: name sim-2, sim-3, ... for more;") for line in shown)
    assert len([line for line in shown if not line.startswith(("promo:", "  "))]) <= 5  # was 9 lines for one device


@pytest.mark.slow
def test_list_at_80_columns_breaks_no_word(terminal: Terminal, tmp_path: Path) -> None:
    # The table is what is checked, so the device's screens are at rest: with them coming in, the two walks of the
    # long list mostly waited on them (67 s in CI).
    argv = ("list", "--world", "many", "--caps", str(still_profile(tmp_path)))
    shown = on_screen(terminal, *argv)
    assert_no_word_broken(shown, wide(tmp_path, *argv))


@pytest.mark.slow
def test_cancel_plan_and_summary_at_80_columns_break_no_word(terminal: Terminal, tmp_path: Path) -> None:
    argv = ("cancel", "--all-active", "--reason", "budget", "--device", "sim-1", "--device", "sim-2=business")
    shown = on_screen(terminal, *argv, answer="y")
    (tmp_path / "wide").mkdir()
    assert_no_word_broken(shown, "y\n" + wide(tmp_path / "wide", *argv, stdin="y\n"))  # with the answer typed
    assert any(line.startswith("Done: 4 cancelled on 2 devices.") for line in shown)


@pytest.mark.slow
def test_an_error_sentence_at_80_columns_wraps_between_words(terminal: Terminal, tmp_path: Path) -> None:
    argv = ("cancel", "--title", "x", "--reason", "budget", "--caps", "no-such-profile-anywhere")
    shown = on_screen(terminal, *argv)
    assert len(shown) > 1  # it needed more than one line
    assert_no_word_broken(shown, wide(tmp_path, *argv))


@pytest.mark.slow
def test_help_at_80_columns_breaks_no_word_nor_a_profile_name(terminal: Terminal, tmp_path: Path) -> None:
    shown = on_screen(terminal, "cancel", "--help")
    assert_no_word_broken(shown, wide(tmp_path, "cancel", "--help"))
    assert "android-emulator," in "\n".join(shown)


@pytest.mark.parametrize("text", [
    "start it: APPIUM_HOME=$PWD/.appium npx appium --port 4723",
    "apt-get install default-jdk-headless, then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64",
    "connect it with USB debugging on, or start the emulator (emulator -avd NAME); then adb devices",
    "unrecognized arguments: --titel x; did you mean --title? (see promo --help).",
])
@pytest.mark.parametrize("width", [20, 40, 60])
def test_a_pasted_command_is_never_split_across_lines(text: str, width: int) -> None:
    shown = wrap(text, width, indent=2)
    commands = [piece for piece in units(text) if " " in piece]
    assert commands
    for command in commands:
        assert any(command in line for line in shown), (command, shown)
    assert " ".join(" ".join(shown).split()) == text
