"""The evidence of a `promo cancel` outlives the test runs after it: it lives in reports/promo/<run id>/,
which `make run` (pytest features --alluredir reports/allure-results --clean-alluredir, then the report)
never cleans, and the audit log points there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import REPO, Promo, category_of
from runenv import clean_env

from tiktok_promo.harness.report.html import build_report

SUMMER = "Summer haul try-on"


def make_run(reports: Path) -> None:
    """What `make run` does, into `reports`: the features (the smoke ones, to keep it short) with a clean
    Allure results directory, then the HTML report."""
    results = reports / "allure-results"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "features", "-m", "smoke", "--alluredir",
         str(results), "--clean-alluredir", "--no-step-screenshots"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    build_report(results, reports / "allure-report")


@pytest.mark.slow
def test_the_first_runs_audit_evidence_still_opens_after_two_test_runs(promo: Promo) -> None:
    first = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes")
    assert first.code == 0, first.err
    second = promo("cancel", "--title", "Latte art in 30 seconds", "--reason", "budget", "--yes")
    assert second.code == 0, second.err
    entries = promo.audit
    assert [e["title"] for e in entries] == [SUMMER, "Latte art in 30 seconds"]
    assert entries[0]["run"] != entries[1]["run"]
    runs = promo.evidence_dirs
    assert [p.name for p in runs] == [e["run"] for e in entries]  # one folder per run, named by its id

    make_run(promo.reports)
    make_run(promo.reports)

    picture, video = promo.evidence(entries[0]["promotion_id"])  # the evidence line after the cancel names them
    assert Path(video).parent == Path(picture).parent and Path(video).stat().st_size > 0
    assert Path(picture).parent == (promo.reports / "promo" / entries[0]["run"]).resolve()
    assert Path(picture).read_bytes().startswith(b"\x89PNG")  # still there, still a picture
    assert list(runs[0].glob("*-result.json"))  # and the run's own Allure result beside it
    features = [json.loads(p.read_text(encoding="utf-8"))["name"]
                for p in (promo.reports / "allure-results").glob("*-result.json")]
    assert features and not [name for name in features if name.startswith("Hands-free cancel")]


@pytest.mark.slow
def test_a_cancel_on_fallback_locators_is_in_the_reports_drift_category(promo: Promo) -> None:
    run = promo("cancel", "--device", "sim-1=new-release", "--title", SUMMER, "--reason", "budget", "--yes")
    assert run.code == 0, run.err
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in promo.results.glob("*-result.json")]
    assert result["status"] == "passed" and category_of(result).startswith("Locator drift")
    assert '"Creator tools": matched accessibility id "Business Suite"' in result["statusDetails"]["message"]
    assert sum("found by a fallback locator" in line for line in run.out.splitlines()) == 1
