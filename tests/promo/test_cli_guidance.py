"""What `promo` tells a person who is new to it: where a run's record went, the word they meant after a typo,
why a selection matched nothing, an exit code of its own for an operator's "no", progress that does not look
like an error, and what adb sees (or where to get it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clikit import Promo
from fake_adb import FakeAdbServer
from runenv import clean_env

pytestmark = pytest.mark.slow  # each test runs `promo` as a child process

SUMMER = "Summer haul try-on"


def test_a_cancel_names_the_audit_log_and_the_runs_evidence_folder(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes")
    assert run.code == 0, run.err
    said = " ".join(run.out.split())
    evidence = promo.results.relative_to(promo.workdir)
    assert f"Recorded in reports/promo-audit.jsonl; this run's pictures and Allure results are in {evidence}/." in said
    assert (promo.workdir / "reports" / "promo-audit.jsonl").is_file()
    as_json = promo("cancel", "--title", "Latte art in 30 seconds", "--reason", "budget", "--yes", "--json").json()
    assert as_json["audit_log"] == "reports/promo-audit.jsonl"
    assert as_json["evidence"] == f"reports/promo/{as_json['run']}"


def test_a_dry_run_names_no_record_it_did_not_write(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--dry-run")
    assert run.code == 0 and "Recorded in" not in run.out


def test_a_mistyped_command_gets_the_nearest_command(promo: Promo) -> None:
    run = promo("cancle", "--title", SUMMER)
    assert run.code == 2
    assert run.one_error_line().endswith("; did you mean cancel? (see promo --help).")


def test_a_mistyped_option_gets_the_nearest_option(promo: Promo) -> None:
    run = promo("cancel", "--titel", SUMMER, "--reason", "budget")
    assert run.code == 2
    assert "unrecognized arguments: --titel Summer haul try-on; did you mean --title?" in run.one_error_line()


def test_an_option_of_another_command_says_whose_it_is(promo: Promo) -> None:
    run = promo("list", "--titel", SUMMER)
    assert run.code == 2
    assert "--title is an option of promo cancel, not of promo list" in run.one_error_line()


def test_a_mistyped_reason_gets_the_nearest_reason(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budgte")
    assert run.code == 2
    assert "did you mean budget?" in run.one_error_line()


def test_nonsense_gets_no_suggestion(promo: Promo) -> None:
    run = promo("cancel", "--zzzzzz", "--title", SUMMER, "--reason", "budget")
    assert run.code == 2 and "did you mean" not in run.one_error_line()


def test_a_mistyped_title_gets_the_nearest_title(promo: Promo) -> None:
    run = promo("cancel", "--title", "Sumer haul", "--reason", "budget", "--yes")
    assert run.code == 2
    assert 'Did you mean "Summer haul try-on"?' in run.one_error_line()


def test_a_selection_that_matched_nothing_says_which_rule_left_out_which_promotion(promo: Promo) -> None:
    run = promo("cancel", "--dry-run", "--spent-over-pct", "80", "--views-under", "1000")
    assert run.code == 3
    said = " ".join(run.out.split())
    assert ('"Summer haul try-on" (P-1001): spent 42.8% of its budget, not over 80% (--spent-over-pct); 5,350 views, '
            "not under 1,000 (--views-under).") in said
    assert '"Spring recipes": Completed, not active.' in said
    dropped = promo("cancel", "--dry-run", "--views-under", "1000", "--json").json()
    why = {d["id"]: d["why"] for d in dropped["devices"][0]["plan"]["dropped"]}
    assert why["P-1002"] == "2,500 views, not under 1,000 (--views-under)"


def test_answering_no_exits_with_its_own_code_documented_in_help(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", stdin="n\n")
    assert run.code == 4
    help_text = " ".join(promo("--help").out.split())
    assert "4 not confirmed (answered no)" in help_text
    docs = (Path(__file__).resolve().parents[2] / "docs" / "hands-free.md").read_text(encoding="utf-8")
    assert "| `4` | not confirmed" in docs


def test_walk_progress_lines_do_not_look_like_errors(promo: Promo, tmp_path: Path) -> None:
    run = promo("capture", "--walk", "--world", "logged-out", str(tmp_path / "rec"))
    assert run.code == 0, run.err
    assert run.err.strip() and not [line for line in run.err.splitlines() if line.startswith("promo")]
    recorded = re.search(r"Recorded (\d+) (screens?)", run.out)
    assert recorded is not None
    assert recorded.group(2) == ("screen" if recorded.group(1) == "1" else "screens")


def test_devices_with_adb_and_no_phone_says_adb_sees_no_phones(promo: Promo) -> None:
    with FakeAdbServer([]) as adb:
        run = promo("devices", env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert run.code == 0 and run.err == ""
    assert "adb sees no phones or emulators" in run.out


def test_devices_without_adb_says_where_to_get_platform_tools(promo: Promo) -> None:
    run = promo("devices")
    assert "https://developer.android.com/tools/releases/platform-tools" in run.one_error_line()


def test_a_mistyped_profile_or_world_gets_the_nearest_name(promo: Promo) -> None:
    assert promo("list", "--caps", "android-phon").one_error_line().endswith("; did you mean android-phone?")
    assert promo("list", "--world", "defualt").one_error_line().endswith("; did you mean default?")
    assert "did you mean" not in promo("list", "--world", "atlantis").one_error_line()
