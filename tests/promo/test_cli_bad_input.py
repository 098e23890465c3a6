"""Every bad input a careless operator gives `promo` ends in one sentence naming the option, variable or file,
and exit 2 (or the documented code), quickly: no traceback, no `promo: unexpected ...`, no hang.

The subprocess timeout (clikit.RUN_TIMEOUT) is the bound on time; each case runs in a few seconds on an
idle machine, most of it Python starting.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clikit import Promo
from runenv import clean_env

# Nine levels of nine: 9**9 (387 million) strings once walked; a few hundred bytes on disk.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.fixture
def promo(tmp_path: Path) -> Promo:
    return Promo(tmp_path)


def refused(run, sentence: str) -> None:
    assert run.code == 2, run.err
    line = run.one_error_line()
    assert "unexpected" not in line
    assert line == sentence, line


@pytest.mark.slow
def test_a_caps_file_with_a_yaml_alias_bomb_is_refused_at_once(promo: Promo) -> None:
    (promo.workdir / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.monotonic()
    run = promo("list", "--caps", "bomb.yaml")
    refused(run, "promo: Caps file bomb.yaml expands to more than 100,000 values through YAML aliases (or an alias "
                 "refers to itself); no settings file needs that many.")
    assert time.monotonic() - started < 30  # a walked bomb takes hours


@pytest.mark.parametrize(("url", "why"), [
    ("http://127.0.0.1:99999", "Port out of range 0-65535"),
    ("http://127.0.0.1:abc", "Port could not be cast to integer value as 'abc'"),
    ("http://[::1:4723", "Invalid IPv6 URL"),
])
@pytest.mark.slow
def test_an_appium_url_that_does_not_parse_is_named(promo: Promo, url: str, why: str) -> None:
    run = promo("list", "--target", "appium", "--appium-url", url)
    refused(run, f"promo: Appium URL '{url}' is not a valid URL ({why}); fix --appium-url (APPIUM_URL).")


@pytest.mark.slow
def test_a_binary_world_and_a_device_as_world_are_refused_before_anything_reads_them(promo: Promo) -> None:
    (promo.workdir / "binary.yaml").write_bytes(b"name: x\n\xa3\x00\xff" * 10)
    refused(promo("list", "--world", "binary.yaml"), "promo: World file binary.yaml is not UTF-8 text (a byte at "
                                                      "offset 8 is not).")
    refused(promo("list", "--world", "/dev/zero"),
            "promo: World file /dev/zero is a device, pipe or socket, not a regular file.")
    refused(promo("list", "--world", "w" * 5000),
            "promo: --world (PROMO_WORLD) is 5,000 characters long; give a world name or a file path.")


@pytest.mark.slow
def test_a_caps_file_that_is_a_device_or_binary_is_refused(promo: Promo) -> None:
    refused(promo("list", "--caps", "/dev/zero"), "promo: Caps file /dev/zero is not a file.")
    (promo.workdir / "binary.yaml").write_bytes(b"\xff\xfe\x00" * 100)
    refused(promo("list", "--caps", "binary.yaml"),
            "promo: Caps file binary.yaml is not UTF-8 text (a byte at offset 0 is not).")


@pytest.mark.parametrize("command", [["devices"], ["list", "--target", "appium", "--device", "emulator-5554"]])
@pytest.mark.slow
def test_an_adb_port_that_is_not_a_number_is_named(promo: Promo, command: list[str]) -> None:
    run = promo(*command, env=clean_env(ANDROID_ADB_SERVER_PORT="abc"))
    refused(run, "promo: ANDROID_ADB_SERVER_PORT must be a port number from 1 to 65535, not 'abc'.")


@pytest.mark.slow
def test_an_on_off_variable_takes_only_on_or_off_words(promo: Promo) -> None:
    run = promo("list", env=clean_env(PROMO_STEP_SCREENSHOTS="maybe"))
    refused(run, "promo: PROMO_STEP_SCREENSHOTS must be one of 1, 0, true, false, yes, no, on, off; not 'maybe'.")


@pytest.mark.slow
def test_title_with_all_active_is_refused_not_taken_as_a_union(promo: Promo) -> None:
    run = promo("cancel", "--title", "Summer haul try-on", "--all-active", "--reason", "budget", "--yes", ledger=True)
    refused(run, "promo cancel: --all-active cannot be combined with --title or --id: it would cancel every active "
                 "promotion, not only the ones named; give one or the other.")
    assert promo.audit == []


@pytest.mark.slow
def test_a_folder_as_sim_ledger_is_refused_before_the_run(promo: Promo) -> None:
    (promo.workdir / "ledgers").mkdir()
    refused(promo("list", "--sim-ledger", "ledgers"),
            "promo: --sim-ledger ledgers is a folder; give the path of a file to write.")


@pytest.mark.slow
def test_a_100000_character_title_is_one_short_sentence(promo: Promo) -> None:
    title = "a" * 100_000
    run = promo("cancel", "--title", title, "--reason", "budget", "--yes")
    assert run.code == 2
    line = run.one_error_line()
    assert line.startswith(f'promo: sim-1: No promotion is called "{"a" * 120}... (100,000 characters)"; the active')
    assert len(line) < 400


@pytest.mark.slow
def test_a_closed_stdin_at_the_question_counts_as_no(promo: Promo) -> None:
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--all-active", "--reason",
                           "budget"], cwd=promo.workdir, env=clean_env(), capture_output=True, text=True, timeout=60,
                          stdin=None, preexec_fn=lambda: os.close(0), check=False)
    assert done.returncode == 4, done.stderr  # not confirmed
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    assert "(no answer on standard input; give --yes to cancel without asking)" in done.stderr
    assert "Not confirmed: nothing was cancelled." in done.stdout
    assert promo.audit == []
