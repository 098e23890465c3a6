"""Help on every subcommand, and every mistake in a command line: one sentence, exit 2, no device touched.

The mistakes are caught before a device is reached, so most run `main()` in-process (fast); one runs the
installed `promo` script to show the console entry point does the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Promo
from runenv import DROPPED_PREFIXES, clean_env

from tiktok_promo.promo.cli import main

BIN = Path(sys.executable).parent / "promo"


@pytest.fixture(autouse=True)
def _no_developer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs see the same clean environment as the subprocess ones."""
    # The same names as clean_env drops, but the outer pytest's own (PYTEST_CURRENT_TEST is pytest's to set).
    for name in [n for n in os.environ if n.startswith(DROPPED_PREFIXES) and not n.startswith("PYTEST_")]:
        monkeypatch.delenv(name)
    for name, value in clean_env().items():
        monkeypatch.setenv(name, value)


@pytest.mark.slow
def test_the_promo_script_is_installed_and_helps() -> None:
    if not BIN.exists():
        pytest.skip("the promo console script is not installed in this environment (pip install -e .)")
    done = subprocess.run([str(BIN), "--help"], capture_output=True, text=True, env=clean_env(), timeout=60,
                          check=False)
    assert done.returncode == 0
    for word in ("devices", "list", "cancel", "Exit codes: 0 all done, 1 some failed"):
        assert word in done.stdout


@pytest.mark.parametrize(("command", "expected"), [
    ("devices", ["--json", "adb"]),
    ("list", ["--target", "--caps", "--appium-url", "--world", "--account", "--device", "--all-devices", "--udid",
              "PROMO_TARGET", "PROMO_CAPS", "APPIUM_URL", "PROMO_WORLD", "PROMO_ACCOUNT", "PROMO_DEVICES",
              "PROMO_UDID"]),
    ("cancel", ["--title", "--id", "--all-active", "--spent-over", "--spent-over-pct", "--cost-per-1k-views-over",
                "--views-under", "--reason", "budget,strategy,results,reallocation", "--yes", "--dry-run", "--json",
                "--reports", "PROMO_REASON", "PROMO_REPORTS"]),
])
def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str], command: str, expected: list[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for word in expected:
        assert word in text, word
    assert "--sim-faults" not in text  # developer options stay out of the help


def _usage(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    return lines[0]


@pytest.mark.parametrize(("argv", "says"), [
    (["cancel", "--spent-over", "-5", "--reason", "budget"], "--spent-over: needs an amount of dollars of 0 or more"),
    (["cancel", "--spent-over", "lots", "--reason", "budget"], "not 'lots'"),
    (["cancel", "--cost-per-1k-views-over", "-0.5", "--reason", "budget"], "--cost-per-1k-views-over: needs an amount"),
    (["cancel", "--spent-over-pct", "150", "--reason", "budget"], "needs a percentage from 0 to 100"),
    (["cancel", "--spent-over-pct", "NaN", "--reason", "budget"], "needs a percentage from 0 to 100"),
    (["cancel", "--views-under", "-1", "--reason", "budget"], "needs a whole number of views"),
    (["cancel", "--views-under", "1e3", "--reason", "budget"], "needs a whole number of views"),
    (["cancel", "--reason", "budget"], "say what to cancel with --title, --id, --all-active or a rule"),
    (["cancel", "--title", "X"], "say why with --reason (budget, strategy, results, reallocation)"),
    (["cancel", "--title", "X", "--reason", "boredom"], "argument --reason: invalid choice: 'boredom'"),
    (["cancel", "--title", " ", "--reason", "budget"], "--title and --id need a non-empty value"),
    (["list", "--target", "cloud"], "argument --target: invalid choice: 'cloud'"),
    (["list", "--world", "atlantis"], "Unknown world: world 'atlantis' is neither a shipped world"),
    (["list", "--caps", "no-such-profile"], "Caps file no-such-profile does not exist"),
    (["list", "--device", "R58M123"], "The virtual device takes --device sim-1, sim-2, ..."),
    (["list", "--device", "sim-1", "--device", "sim-1"], "The device sim-1 is named twice"),
    (["list", "--device", "sim-2=nowhere"], "Unknown world"),
    (["list", "--sim-faults", "sim-3=flaky"], "--sim-faults names sim-3, which is not a device of this run"),
    (["list", "--sim-faults", "sim-1={oops"], "--sim-faults for sim-1 is not valid JSON"),
    (["list", "--appium-url", "http://127.0.0.1:4723", "--target", "appium", "--device", "sim-2"],
     "'sim-2' is a virtual device"),
    (["list", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["list", "--dev", "sim-1"], "unrecognized arguments"),  # no abbreviations: a typo is not a guess
    (["explode"], "invalid choice: 'explode'"),
])
def test_a_bad_command_line_is_one_sentence_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                       says: str) -> None:
    assert says in _usage(capsys, *argv)


def test_a_malformed_caps_file_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    caps = tmp_path / "broken.yaml"
    caps.write_text("capabilities:\n  platformName: Android\n   bad: [indent\n", encoding="utf-8")
    line = _usage(capsys, "list", "--caps", str(caps))
    assert str(caps) in line and "is not valid YAML at line" in line


def test_cancel_without_any_account_to_check_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    caps = tmp_path / "anonymous.yaml"
    caps.write_text("capabilities:\n  platformName: Android\n  appium:automationName: UiAutomator2\n",
                    encoding="utf-8")
    line = _usage(capsys, "cancel", "--caps", str(caps), "--all-active", "--reason", "budget")
    assert "promo cancel needs the account that started the promotions" in line


def test_no_subcommand_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "devices,list,cancel" in capsys.readouterr().err


@pytest.mark.slow
def test_a_usage_error_in_the_real_process_is_one_line(promo: Promo) -> None:
    run = promo("cancel", "--all-active", "--spent-over", "-3", "--reason", "budget")
    assert run.code == 2
    assert run.one_error_line().startswith("promo cancel: argument --spent-over")
    assert run.out == ""


@pytest.mark.slow
def test_environment_fallbacks_choose_the_run(promo: Promo) -> None:
    env = clean_env(PROMO_WORLD="business", PROMO_DEVICES="sim-1,sim-2=current", PROMO_ACCOUNT="mia.creates",
                    PROMO_REASON="strategy", PROMO_REPORTS="elsewhere")
    run = promo("cancel", "--title", "Studio tour", "--yes", "--json", env=env)
    assert run.code == 0, run.err
    assert [(d["device"], d["world"]) for d in run.json()["devices"]] == [("sim-1", "business"), ("sim-2", "current")]
    assert run.json()["reason"] == "strategy"
    assert (promo.workdir / "elsewhere" / "promo-audit.jsonl").exists()
    assert not promo.reports.exists()


@pytest.mark.slow
def test_empty_variables_count_as_unset_and_a_udid_alone_is_the_device_driven(promo: Promo) -> None:
    # Before: --udid was ignored on the virtual device (sim-1 was driven whatever it named).
    env = clean_env(PROMO_WORLD="", PROMO_DEVICES=" ", PROMO_REPORTS="", PROMO_LANGUAGE="", PROMO_CAPS="")
    run = promo("list", "--udid", "sim-2", "--json", env=env)
    assert run.code == 0, run.err
    assert [(d["device"], d["world"]) for d in run.json()["devices"]] == [("sim-2", "default")]


def test_an_unwritable_audit_log_stops_the_run_before_any_device(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the reports folder should be", encoding="utf-8")
    line = _usage(capsys, "cancel", "--all-active", "--reason", "budget", "--yes", "--reports", str(blocker))
    assert line.startswith(f"promo: The audit log {blocker / 'promo-audit.jsonl'} cannot be written")


@pytest.mark.parametrize("option", ["--caps", "--world", "--account", "--language", "--udid", "--appium-url",
                                    "--reports", "--sim-ledger"])
def test_an_empty_option_is_refused_as_an_empty_target_is(capsys: pytest.CaptureFixture[str], option: str) -> None:
    # Before: --reports '' wrote into the current folder, the others quietly meant "the default".
    line = _usage(capsys, "cancel", "--all-active", "--reason", "budget", "--yes", "--account", "mia.creates",
                  option, "")
    assert line == f"promo: {option} is empty; give a value, or leave the option out for the default."


def test_an_empty_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _usage(capsys, "list", "--device", " ") == "promo list: --device needs a non-empty value."


@pytest.mark.parametrize(("argv", "says"), [
    (["--device", "sim-1", "--udid", "sim-2"], "promo list: --device and --udid both name the device to drive; "
                                               "give one (--udid X is the same as --device X)."),
    (["--all-devices", "--device", "sim-1"], "promo list: --all-devices and --device contradict each other: drive "
                                             "every ready device, or the ones named; give one."),
    (["--all-devices", "--udid", "sim-1"], "promo list: --all-devices and --udid contradict each other: drive "
                                           "every ready device, or the ones named; give one."),
])
def test_options_that_contradict_each_other_are_refused(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                        says: str) -> None:
    assert _usage(capsys, "list", *argv) == says


def test_promo_devices_and_promo_udid_both_set_are_refused(capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_DEVICES", "sim-1")
    monkeypatch.setenv("PROMO_UDID", "sim-2")
    assert _usage(capsys, "list") == "promo: PROMO_DEVICES and PROMO_UDID both name the devices to drive; unset one."


@pytest.mark.parametrize("devices", [",,,", "sim-1,,sim-2", " , "])
def test_promo_devices_with_an_empty_name_cancels_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, devices: str) -> None:
    # Before: ',,,' became sim-1 and the --yes cancel went ahead.
    monkeypatch.setenv("PROMO_DEVICES", devices)
    monkeypatch.chdir(tmp_path)
    line = _usage(capsys, "cancel", "--all-active", "--reason", "budget", "--yes", "--account", "mia.creates")
    assert line == (f"promo: PROMO_DEVICES {devices!r} has an empty device name between its commas; give ids like "
                    "sim-1,sim-2 (or unset it).")
    assert list(tmp_path.iterdir()) == []  # no audit log, no evidence: nothing started


@pytest.mark.parametrize(("argv", "option", "bad", "at"), [
    (["list", "--udid", "sim-1\nsim-2"], "--udid", "\\n", 6),
    (["list", "--udid", "\x1b[31msim-1"], "--udid", "\\x1b", 1),
    (["list", "--account", "mia\x1b]0;owned\x07"], "--account", "\\x1b", 4),
    (["list", "--world", "default\r"], "--world", "\\r", 8),
    (["list", "--device", "sim-1\x1b[2J"], "--device", "\\x1b", 6),
    (["cancel", "--title", "Summer\x1b[2J", "--reason", "budget"], "--title", "\\x1b", 7),
    (["cancel", "--all-active", "--reason", "budget", "--reports", "out\n"], "--reports", "\\n", 4),
])
def test_a_newline_or_an_escape_sequence_in_an_option_is_refused_and_never_reaches_the_terminal(
        capsys: pytest.CaptureFixture[str], argv: list[str], option: str, bad: str, at: int) -> None:
    line = _usage(capsys, *argv)
    assert line == (f"promo: {option} holds a control character ('{bad}' at position {at}); give the value on one "
                    "line, without tabs or escape sequences.")


def test_an_escape_sequence_argparse_echoes_back_is_shown_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    line = _usage(capsys, "list", "--frobnicate", "\x1b[2J")
    assert line == "promo: unrecognized arguments: --frobnicate \\x1b[2J (see promo --help)."


@pytest.mark.parametrize("argv", [["list", "--language", "xx"], ["check-locators", ".", "--language", "xx"],
                                  ["doctor", "--language", "xx"]])
def test_a_language_the_wordings_do_not_have_is_refused_before_any_wait(capsys: pytest.CaptureFixture[str],
                                                                        argv: list[str]) -> None:
    # Before: accepted; every wait then ran out after 10 s saying the screen showed the very word it waited for.
    assert _usage(capsys, *argv) == ("promo: --language (PROMO_LANGUAGE) 'xx' is not a language the app's wordings "
                                     "have (releases/ has en, fr).")


def test_a_sim_ledger_path_that_holds_someone_elses_file_is_never_written(capsys: pytest.CaptureFixture[str],
                                                                          tmp_path: Path) -> None:
    # Before: any file was replaced by JSON (as root: /etc/passwd).
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(passwd)
    other_json = tmp_path / "other.json"
    other_json.write_text('{"sim-1": null}', encoding="utf-8")  # a ledger's shape, but not one promo wrote
    for path in (passwd, link, other_json, Path("/dev/null")):
        line = _usage(capsys, "list", "--sim-ledger", str(path))
        assert line == (f"promo: --sim-ledger {path} already exists and is not a ledger promo wrote; it only "
                        "writes a new file or one of its own, so give another path.")
    assert passwd.read_text(encoding="utf-8") == "root:x:0:0:root:/root:/bin/bash\n"
    assert _usage(capsys, "list", "--sim-ledger", str(tmp_path / "nowhere" / "l.json")) == (
        f"promo: --sim-ledger {tmp_path / 'nowhere' / 'l.json'}: the folder {tmp_path / 'nowhere'} does not exist.")


@pytest.mark.slow
def test_a_ledger_file_an_earlier_run_wrote_is_written_again(promo: Promo) -> None:
    for _ in range(2):
        run = promo("list", "--sim-ledger", "truth.json")
        assert run.code == 0, run.err
    ledger = json.loads((promo.workdir / "truth.json").read_text(encoding="utf-8"))
    assert ledger["_written_by"] == "promo --sim-ledger" and ledger["sim-1"]["logged_in"] == "mia.creates"
    assert [p.name for p in promo.workdir.iterdir() if p.name.startswith(".truth")] == []  # no temporary left
