"""`promo cancel` on the virtual device: selection, confirmation, checks, idempotency, records, exit codes.

Each run's `--sim-ledger` file is the virtual device's true state at the end of the run (not what the
app showed), so "nothing was changed" and "cancelled" are checked against the world itself.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from clikit import Promo, write_world
from runenv import clean_env

SUMMER = "Summer haul try-on"
DEFAULT_STATUSES = {"P-1001": "active", "P-1002": "active", "P-1003": "in_review", "P-0990": "completed"}


# --- a world whose numbers make every rule pick a different set ----------------------------------------
RULES_WORLD: dict[str, Any] = {
    "name": "rules",
    "clock": "2026-11-20T10:00:00Z",
    "accounts": [{"username": "mia.creates"}],
    "logged_in": "mia.creates",
    "promotions": [
        # id, title: spend of budget (share), views -> cost per 1,000 views
        {"id": "P-A", "title": "Alpha", "budget": 100, "spend": 80, "views": 40000,  # 80%, $2.00
         "start": "2026-11-18T10:00:00Z"},
        {"id": "P-B", "title": "Bravo", "budget": 20, "spend": 15, "views": 1000,  # 75%, $15.00
         "start": "2026-11-18T10:00:00Z"},
        {"id": "P-C", "title": "Charlie", "budget": 50, "spend": 5, "views": 500,  # 10%, $10.00
         "start": "2026-11-18T10:00:00Z"},
        {"id": "P-D", "title": "Delta", "budget": 10, "budget_kind": "daily", "duration_days": 5,  # 60%, $2.50
         "spend": 30, "views": 12000, "start": "2026-11-18T10:00:00Z"},
        {"id": "P-E", "title": "Echo", "status": "in review", "budget": 30, "start": "2026-11-20T09:50:00Z"},
        {"id": "P-F", "title": "Foxtrot", "status": "completed", "budget": 20, "spend": 20, "views": 100,
         "duration_days": 2, "start": "2026-10-01T10:00:00Z"},
    ],
}


@pytest.fixture
def rules_world(tmp_path: Path) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(RULES_WORLD, sort_keys=False), encoding="utf-8")
    return str(path)


def planned(run) -> list[str]:
    return [p["id"] for p in run.device()["plan"]["to_cancel"]]


@pytest.mark.parametrize(("rule", "expected"), [
    (["--all-active"], ["P-A", "P-B", "P-C", "P-D"]),
    (["--spent-over", "20"], ["P-A", "P-D"]),
    (["--spent-over", "$29.99"], ["P-A", "P-D"]),
    (["--spent-over-pct", "70"], ["P-A", "P-B"]),
    (["--cost-per-1k-views-over", "5"], ["P-B", "P-C"]),
    (["--views-under", "1000"], ["P-C"]),
    (["--spent-over-pct", "50", "--views-under", "20,000"], ["P-B", "P-D"]),
    (["--title", "charlie"], ["P-C"]),
    (["--title", "Echo"], ["P-E"]),  # in review: only a name picks it
    (["--id", "P-D", "--id", "P-B"], ["P-D", "P-B"]),
    (["--title", "Alpha", "--spent-over", "50"], ["P-A"]),
], ids=["all-active", "spent-over", "spent-over-dollar", "spent-over-pct", "cost-per-1k", "views-under",
        "two-rules", "title-any-case", "title-in-review", "ids", "title-and-rule"])
@pytest.mark.slow
def test_each_selection_rule_picks_its_promotions(promo: Promo, rules_world: str, rule: list[str],
                                                  expected: list[str]) -> None:
    run = promo("cancel", "--world", rules_world, *rule, "--dry-run", "--json", ledger=True)
    assert run.code == 0, run.err
    assert planned(run) == expected
    assert run.json()["dry_run"] is True
    assert all(status in ("active", "in_review", "completed") for status in run.statuses().values())
    assert promo.audit == []  # a dry run records nothing: it did nothing


@pytest.mark.slow
def test_dry_run_shows_the_plan_and_changes_nothing(promo: Promo) -> None:
    run = promo("cancel", "--all-active", "--dry-run", ledger=True)
    assert run.code == 0, run.err
    plan = [line for line in run.out.splitlines() if line.startswith("cancel ")]
    assert len(plan) == 2 and SUMMER in plan[0] and "$21.40" in plan[0]
    assert "Dry run: 2 promotions would be cancelled; nothing was changed." in run.out
    assert run.statuses() == DEFAULT_STATUSES
    assert not promo.evidence_dirs and not (promo.reports / "allure-results").exists()


@pytest.mark.slow
def test_a_rule_that_matches_nothing_exits_3(promo: Promo, rules_world: str) -> None:
    run = promo("cancel", "--world", rules_world, "--title", "Alpha", "--spent-over", "99", "--reason", "budget",
                "--yes", ledger=True)
    assert run.code == 3, run.err
    assert 'Nothing matched "Alpha" where spend > $99.00; nothing was changed.' in run.out
    assert "P-A" not in [e["promotion_id"] for e in promo.audit]
    assert run.statuses()["P-A"] == "active"
    none_active = promo("cancel", "--world", "none-active", "--all-active", "--reason", "budget", "--yes")
    assert none_active.code == 3, none_active.err


# --- asking first ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_confirmation_answered_yes_cancels_and_records_it(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", stdin="y\n", ledger=True)
    assert run.code == 0, run.err
    assert "Cancel 1 promotion? Spend so far is not refunded. [y/N]" in run.err
    assert f'sim-1: "{SUMMER}" (P-1001) cancelled, $21.40 spent' in run.out
    assert run.statuses() == {**DEFAULT_STATUSES, "P-1001": "canceled"}
    ledger = {p["id"]: p for p in run.ledger["sim-1"]["promotions"]}
    assert ledger["P-1001"]["spend_at_cancel_cents"] == 2140

    [entry] = promo.audit
    assert entry["outcome"] == "cancelled"
    assert (entry["device"], entry["account"], entry["expected_account"]) == ("sim-1", "mia.creates", "mia.creates")
    assert (entry["promotion_id"], entry["title"], entry["reason"]) == ("P-1001", SUMMER, "budget")
    assert (entry["status_before"], entry["spend_before"], entry["spend_at_cancel"]) == ("Active", 21.4, 21.4)
    assert entry["time"].endswith("+00:00") and entry["run"] and entry["world"] == "default"
    assert entry["platform"] == "Android"
    assert entry["evidence"] == []  # the record comes first; its evidence follows in a line of its own
    assert [line["outcome"] for line in promo.audit_lines] == ["cancelled", "evidence"]
    picture, video = promo.evidence("P-1001")
    assert Path(picture).read_bytes().startswith(b"\x89PNG")
    assert Path(picture).parent == promo.results.resolve()
    assert Path(video).read_bytes()[4:8] == b"ftyp" and Path(video).parent == Path(picture).parent  # the MP4


@pytest.mark.parametrize("answer", ["n\n", "\n", "maybe\n", ""], ids=["no", "enter", "other", "end-of-input"])
@pytest.mark.slow
def test_confirmation_not_answered_yes_changes_nothing(promo: Promo, answer: str) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", stdin=answer, ledger=True)
    assert run.code == 4, run.err  # its own code: a scheduler tells an operator's "no" from a failure
    assert "Not confirmed: nothing was cancelled." in run.out
    assert run.statuses() == DEFAULT_STATUSES
    assert promo.audit == []


# --- refusals: one sentence, exit 2, nothing changed ----------------------------------------------------
@pytest.mark.slow
def test_account_mismatch_is_refused_before_anything_changes(promo: Promo) -> None:
    run = promo("cancel", "--all-active", "--account", "@other.brand", "--reason", "budget", "--yes", ledger=True)
    assert run.code == 2
    assert run.one_error_line() == ("promo: sim-1: Refused to cancel: the app is logged in as @mia.creates, not "
                                    "@other.brand; nothing was changed.")
    assert run.statuses() == DEFAULT_STATUSES
    assert run.ledger["sim-1"]["charges"] == []
    [entry] = promo.audit
    assert entry["outcome"] == "refused"
    assert (entry["account"], entry["expected_account"], entry["promotion_id"]) == ("mia.creates", "other.brand",
                                                                                    None)
    picture, video = promo.evidence()  # the profile that showed the other account, in the line after the refusal
    assert Path(picture).read_bytes().startswith(b"\x89PNG")
    assert video.endswith(".mp4")  # and how the app got there


@pytest.mark.slow
def test_logged_out_app_is_refused(promo: Promo) -> None:
    run = promo("cancel", "--world", "logged-out", "--title", SUMMER, "--reason", "budget", "--yes", ledger=True)
    assert run.code == 2
    assert "Nobody is logged in to the TikTok app" in run.one_error_line()
    assert run.statuses() == {"P-1001": "active"}


@pytest.mark.slow
def test_unknown_title_lists_the_active_ones_and_cancels_nothing(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--title", "Winter haul", "--reason", "budget", "--yes", ledger=True)
    assert run.code == 2
    assert run.one_error_line() == ('promo: sim-1: No promotion is called "Winter haul"; the active promotions are: '
                                    f'"{SUMMER}", "Latte art in 30 seconds".')
    assert run.statuses() == DEFAULT_STATUSES  # not half of what was asked: the known title is not cancelled either


@pytest.mark.slow
def test_a_shared_title_is_refused_as_ambiguous_until_an_id_decides(promo: Promo) -> None:
    run = promo("cancel", "--world", "duplicate-titles", "--title", "Morning routine", "--reason", "strategy",
                "--yes", ledger=True)
    assert run.code == 2
    assert "(IDs P-2001, P-2002); choose one with --id" in run.one_error_line()
    assert set(run.statuses().values()) == {"active"}

    run = promo("cancel", "--world", "duplicate-titles", "--title", "Morning routine", "--id", "P-2002",
                "--reason", "strategy", "--yes", ledger=True)
    assert run.code == 0, run.err
    assert run.statuses() == {"P-2001": "active", "P-2002": "canceled", "P-2003": "active"}


# --- idempotency ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_same_promotion_named_twice_in_one_run_is_cancelled_once(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--title", SUMMER.lower(), "--id", "P-1001", "--reason", "budget",
                "--yes", "--json", ledger=True)
    assert run.code == 0, run.err
    assert [o["outcome"] for o in run.device()["outcomes"]] == ["cancelled"]
    assert len(run.ledger["sim-1"]["promotions"]) == 4


@pytest.mark.slow
def test_running_the_same_cancel_twice_cancels_once(promo: Promo, tmp_path: Path) -> None:
    """A phone keeps its state between runs; a virtual device session starts from its world file. So the
    second run starts from a world file that holds what the first run left: the first run's ledger."""
    world = write_world(tmp_path / "phone.yaml")
    first = promo("cancel", "--world", str(world), "--title", SUMMER, "--reason", "budget", "--yes", ledger=True)
    assert first.code == 0, first.err
    left = {p["id"]: p for p in first.ledger["sim-1"]["promotions"]}
    assert left["P-1001"]["status"] == "canceled"
    write_world(world, **{pid.replace("-", "_"): {"status": p["status"], "spend": p["spend_cents"] / 100}
                          for pid, p in left.items()})

    second = promo("cancel", "--world", str(world), "--title", SUMMER, "--reason", "budget", "--yes", "--json",
                   ledger=True)
    assert second.code == 0, second.err
    [outcome] = second.device()["outcomes"]
    assert outcome["outcome"] == "already-cancelled"
    assert outcome["message"] == f'"{SUMMER}" (P-1001) was already cancelled; nothing was tapped.'
    assert second.ledger["sim-1"]["charges"] == [] and second.statuses()["P-1001"] == "canceled"
    assert [e["outcome"] for e in promo.audit] == ["cancelled", "already-cancelled"]


# --- records ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_allure_results_show_the_run_with_a_picture_after_each_cancel(promo: Promo) -> None:
    run = promo("cancel", "--all-active", "--reason", "results", "--yes")
    assert run.code == 0, run.err
    results = [json.loads(p.read_text()) for p in promo.results.glob("*-result.json")]
    [result] = results
    assert result["name"] == "Hands-free cancel on sim-1" and result["status"] == "passed"
    labels = {label["name"]: label["value"] for label in result["labels"]}
    assert labels["suite"] == "Hands-free cancels (promo)" and labels["tag"] == "hands-free"
    params = {p["name"]: p["value"] for p in result["parameters"]}
    assert params["reason"] == "results" and params["world"] == "default"
    cancels = [s for s in result["steps"] if s["name"].startswith("Cancel ")]
    assert [s["name"] for s in cancels] == [f'Cancel "{SUMMER}" (P-1001)', 'Cancel "Latte art in 30 seconds" (P-1002)']
    for step in cancels:
        picture, video = step["attachments"]
        assert picture["type"] == "image/png"
        assert (promo.results / picture["source"]).read_bytes().startswith(b"\x89PNG")
        assert video["type"] == "video/mp4" and video["name"].startswith("screen recording")
    assert "promo cancel --all-active" in result["description"]


@pytest.mark.slow
def test_no_secret_reaches_the_output_or_the_records(promo: Promo, tmp_path: Path) -> None:
    secret = "s3cr3t-Cl0ud-K3y"
    profile_file = Path(__file__).resolve().parents[2] / "harness" / "run" / "profiles" / "sim.yaml"
    caps = yaml.safe_load(profile_file.read_text())
    caps["capabilities"]["sauce:options"] = {"accessKey": "${SAUCE_ACCESS_KEY}"}
    caps_file = tmp_path / "cloud-sim.yaml"
    caps_file.write_text(yaml.safe_dump(caps), encoding="utf-8")
    env = clean_env(SAUCE_ACCESS_KEY=secret)
    run = promo("cancel", "--caps", str(caps_file), "--title", SUMMER, "--reason", "budget", "--yes", env=env)
    assert run.code == 0, run.err
    refused = promo("cancel", "--caps", str(caps_file), "--account", secret, "--title", SUMMER, "--reason", "budget",
                    "--yes", env=env)
    assert refused.code == 2
    for text in (run.out, run.err, refused.out, refused.err):
        assert secret not in text
    for path in promo.reports.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_ctrl_c_finishes_the_cancel_in_flight_and_attempts_no_more(promo: Promo) -> None:
    titles = ["Sourdough part 1", "Desk setup part 1", "Trail run part 1", "Thrift flip part 1", "Skincare part 1",
              "Plant care part 1"]
    argv = [sys.executable, "-m", "tiktok_promo.promo.cli", "cancel", "--world", "many", "--reason", "budget", "--yes",
            "--sim-faults", 'sim-1={"latency_ms": 30}']
    for title in titles:
        argv += ["--title", title]
    # A test run started in the background (nohup, `&` in a script) inherits SIGINT ignored, and Python
    # keeps it ignored: give the child the default disposition, as a terminal would.
    run = subprocess.Popen(argv, cwd=promo.workdir, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert run.stderr is not None
    seen = ""
    while "sim-1: cancelled" not in seen:  # wait for the first cancel to be done and read back
        line = run.stderr.readline()
        assert line, seen
        seen += line
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130
    assert "promo: interrupted; promotions not yet confirmed were left as they were." in err
    assert "Traceback" not in err
    outcomes = [e["outcome"] for e in promo.audit]
    assert len(outcomes) == len(titles)
    done = outcomes.count("cancelled")
    assert 1 <= done < len(titles) and outcomes == ["cancelled"] * done + ["not-attempted"] * (len(titles) - done)
    [result] = list(promo.results.glob("*-result.json"))  # the report shows the interrupted run
    assert json.loads(result.read_text())["name"] == "Hands-free cancel on sim-1"
