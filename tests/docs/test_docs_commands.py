"""Every command of the README's and docs' shell blocks runs as pasted, against the virtual device.

The blocks are read from README.md and docs/*.md (```sh fences): each line (a trailing backslash joins the next)
is a command. A command that needs what this machine has not (a phone, an emulator, a Grid of phones, a cloud
account's keys, the Android SDK), that starts a server by hand for the next line, or that takes many minutes is
skipped, and the skip says which and why; `export` lines set the environment of the commands after them. The
others run in a copy of the repo (so their reports and recordings stay there), with the project's venv and Node
tools, each bounded in time, and must exit 0 (or the exit code the docs give them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^(\s*)```(\w*)\s*$")

# Why a command cannot run here, by what it contains: the first that matches is said in the skip.
NEEDS = [
    (re.compile(r"R58M12ABCDE|R5CT1234ABC|emulator-5554|android-phone|android-emulator|emulator -avd|\badb\b"),
     "needs a phone or an emulator"),
    (re.compile(r"--caps replay\b"), "needs your own recording of a phone (rec/walk) and your username"),
    (re.compile(r"GRID_HOST=|--caps grid(\s|$)|selenium-server-[\d.]+\.jar"), "needs a Selenium Grid of phones"),
    (re.compile(r"--caps grid(-ios)?-sim\b"), "starts a Selenium Grid 4 (Java) of virtual devices: "
                                        "tests/appium/test_features_through_grid.py runs it"),
    (re.compile(r"browserstack|BROWSERSTACK|saucelabs|SAUCE_|lambdatest|LT_"), "needs a cloud account's keys"),
    (re.compile(r"uiautomator2"), "needs the Android SDK (UiAutomator2 drives phones)"),
    (re.compile(r"xcuitest|xcrun|xcodebuild|--caps ios-(simulator|phone)\b|IOS_TEAM_ID|IOS_WDA_BUNDLE_ID"),
     "needs a Mac with Xcode (XCUITest drives iPhones and simulators)"),
    (re.compile(r"&\s*$"), "starts a server by hand, in the background, for the next line"),
    (re.compile(r"^make (test|run|report-sample|java|browser|node)\b|bench/|--runs \d+"),
     "takes minutes or installs system packages: make run and CI run it"),
    (re.compile(r"-n [48]\b"), "runs 4 or 8 workers: the whole feature suite several times over"),
    (re.compile(r"<[a-z][^>]*>|\.\.\.|example\.internal"), "has a placeholder to fill in"),
]
# Commands whose documented outcome is not exit 0.
EXPECTED_EXIT = {
    "--spent-over-pct 80 --views-under 1000": 3,  # "3 nothing matched" (README's exit codes)
}
SERVES = re.compile(r"-m tiktok_promo.simulator\b")  # serves until Ctrl+C: it must print its URL, then it is stopped
# A run of the whole feature suite, nothing narrowing it: what this test checks is that the command runs as pasted
# (its options, its target, its reports), not the scenarios, which tests/appium and `make run` run in full. With a
# phone's timing each scenario waits out its screens coming in, and five such commands, one through Appium, took
# many minutes one after another on a loaded 2-core machine; so these run the smoke scenarios (PYTEST_ADDOPTS, as a
# person may set it: the same command, two scenarios).
WHOLE_SUITE = re.compile(r"pytest features(?!\S)(?!.*(\s-[mkn]\s|--steps|::|\.feature))")


@dataclass(frozen=True)
class Command:
    """One command of a shell block, where the docs show it."""

    text: str
    where: str  # README.md:62

    def skip_reason(self) -> str | None:
        return next((why for pattern, why in NEEDS if pattern.search(self.text)), None)


def commands(path: Path) -> list[Command]:
    """The commands of a document's ```sh blocks, comments and prompts removed, continued lines joined."""
    found: list[Command] = []
    inside, pending, start = False, "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = _FENCE.match(line)
        if fence:
            inside = not inside and fence.group(2) in ("sh", "bash", "shell", "console")
            continue
        if not inside:
            continue
        text = line.strip()
        if not pending:
            start = number
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        text = pending + text
        pending = ""
        # A comment after the command (after whitespace: no command of the docs has a " #" of its own).
        command = text.split(" #", 1)[0].strip()
        if command and not command.startswith("#"):
            found.append(Command(command, f"{path.relative_to(ROOT)}:{start}"))
    return found


ALL = [command for path in DOCS for command in commands(path)]


def test_the_docs_commands_are_found_and_each_is_run_or_skipped_with_a_reason() -> None:
    assert len(ALL) > 40
    runnable = [c for c in ALL if c.skip_reason() is None and not c.text.startswith("export ")]
    assert len(runnable) >= 15, [c.text for c in runnable]


def test_no_documented_command_has_a_pitfall_when_pasted() -> None:
    for command in ALL:
        # pytest reads "@word" as a file of arguments: the account goes with "=".
        if "pytest" in command.text:
            assert not re.search(r"--account @", command.text), command
        # The venv's tools by their path (or `promo` after activating the venv, as the README says first).
        assert not re.match(r"(python3?|pytest) ", command.text), command
        # A report of its own: without --output, `allure generate` replaces the features' report.
        if "allure generate" in command.text:
            assert "--output" in command.text, command


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's files in a folder of their own, with the project's venv and Node tools linked in."""
    copy = tmp_path_factory.mktemp("repo")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_symlink():  # tiktok_promo/<layer> -> ../<layer>: the copy's package links to the copy's layers
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).symlink_to(os.readlink(source))
        elif source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    for linked in (".venv", "node_modules", ".appium"):
        if (ROOT / linked).exists():
            (copy / linked).symlink_to(ROOT / linked)
    (copy / "reports").mkdir(exist_ok=True)
    # What `promo check-locators rec/walk` reads: the README records it from a phone, here from the virtual device.
    subprocess.run([str(ROOT / ".venv" / "bin" / "promo"), "capture", "--walk", "rec/walk"], cwd=copy,
                   capture_output=True, timeout=300, check=True)
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("command", ALL, ids=[f"{c.where} {c.text[:60]}" for c in ALL])
def test_a_documented_command_runs_as_pasted(command: Command, repo_copy: Path) -> None:
    reason = command.skip_reason()
    if reason:
        pytest.skip(f"{command.where}: {reason}")
    if command.text.startswith("export "):
        pytest.skip(f"{command.where}: sets the environment of the commands after it")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "APPIUM_", "PYTEST_"))}
    env.update(APPIUM_HOME=str(repo_copy / ".appium"), PATH=f"{repo_copy / '.venv' / 'bin'}:{env.get('PATH', '')}",
               COLUMNS="100")
    if WHOLE_SUITE.search(command.text):
        env["PYTEST_ADDOPTS"] = "-m smoke"
    if SERVES.search(command.text):
        process = subprocess.Popen(["bash", "-c", f"exec {command.text}"], cwd=repo_copy, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = process.stdout.readline() if process.stdout else ""
        finally:
            process.terminate()
            process.wait(timeout=30)
        assert "http://" in first, f"{command.where}: {command.text} printed {first!r}"
        return
    done = subprocess.run(["bash", "-c", command.text], cwd=repo_copy, env=env, input="y\n", capture_output=True,
                          text=True, timeout=600, check=False)
    expected = next((code for part, code in EXPECTED_EXIT.items() if part in command.text), 0)
    assert done.returncode == expected, (f"{command.where}: `{command.text}` exited {done.returncode}:\n"
                                         + (done.stdout + done.stderr)[-3000:])
