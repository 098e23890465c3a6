"""`promo cancel` keeps the screen recording of each cancel with its evidence (reports/promo/<run id>/, the audit
log's evidence line and the device's Allure result); --video (PROMO_VIDEO) keeps fewer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import Promo
from runenv import clean_env

SUMMER, LATTE = "Summer haul try-on", "Latte art in 30 seconds"


def videos(paths: list[str]) -> list[Path]:
    return [Path(p) for p in paths if p.endswith(".mp4")]


@pytest.mark.slow
def test_each_cancel_keeps_its_own_video_beside_its_picture_and_in_the_report(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--title", LATTE, "--reason", "budget", "--yes")
    assert run.code == 0, run.err
    first, second = videos(promo.evidence("P-1001")), videos(promo.evidence("P-1002"))
    assert len(first) == len(second) == 1 and first != second
    for video in first + second:
        assert video.read_bytes()[4:8] == b"ftyp" and video.parent == promo.results.resolve()
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in promo.results.glob("*-result.json")]
    attached = [a for step in result["steps"] for a in step.get("attachments", []) if a["type"] == "video/mp4"]
    assert sorted(a["source"] for a in attached) == sorted(v.name for v in first + second)


@pytest.mark.parametrize(("how", "env"), [(["--video", "off"], {}), (["--video", "on-failure"], {}),
                                          ([], {"PROMO_VIDEO": "off"})], ids=["off", "on-failure", "env-off"])
@pytest.mark.slow
def test_a_cancel_that_went_as_asked_keeps_no_video_when_told(promo: Promo, how: list[str], env: dict) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", *how, env=clean_env(**env))
    assert run.code == 0, run.err
    evidence = promo.evidence("P-1001")
    assert evidence and videos(evidence) == []
    assert not list(promo.results.glob("*.mp4"))


@pytest.mark.slow
def test_a_video_setting_that_is_not_one_is_one_sentence(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", "--video", "sometimes")
    assert run.code == 2
    assert run.one_error_line() == "promo: --video (PROMO_VIDEO) 'sometimes' is not one of on-failure, always, off."
    assert promo.audit == []
