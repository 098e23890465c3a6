"""The budget chart: `promo list --chart FILE` draws it, and every `promo cancel` leaves it in its evidence
folder and its Allure results; each promotion's spend against its budget and its cost per 1,000 views,
cancelled ones marked. Drawn headless (matplotlib's Agg), as a person would look at it in a browser."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from clikit import Promo

from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.promo.chart import ChartRow, as_cancelled
from tiktok_promo.promo.run_report import CHART_FILE

SUMMER = "Summer haul try-on"


@pytest.mark.slow
def test_promo_list_draws_the_chart_of_sixty_promotions_as_svg_with_every_title(promo: Promo, tmp_path: Path) -> None:
    run = promo("list", "--world", "many", "--chart", str(tmp_path / "charts" / "many.svg"))
    assert run.code == 0, run.err
    assert f"Chart of 60 promotions written to {tmp_path / 'charts' / 'many.svg'}." in " ".join(run.out.split())
    svg = (tmp_path / "charts" / "many.svg").read_text(encoding="utf-8")
    assert "Spend against budget" in svg and "Cost per 1,000 views" in svg
    assert "Meal prep part 1 (P-3006) · cancelled" in svg and "Coffee part 4 (P-3059)" in svg
    assert "$77.90 of $100.00 (78%)" in svg  # a "$" is shown as typed, not as the start of math


@pytest.mark.slow
def test_promo_list_draws_a_png_chart(promo: Promo, tmp_path: Path) -> None:
    run = promo("list", "--chart", str(tmp_path / "budget.png"))
    assert run.code == 0, run.err
    assert (tmp_path / "budget.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_a_chart_file_that_is_neither_png_nor_svg_is_one_sentence(promo: Promo, tmp_path: Path) -> None:
    run = promo("list", "--chart", str(tmp_path / "budget.pdf"))
    assert run.code == 2
    assert "give a file ending in .png or .svg" in run.one_error_line()
    assert not (tmp_path / "budget.pdf").exists()


@pytest.mark.slow
def test_every_cancel_leaves_the_chart_in_its_evidence_and_its_report(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes")
    assert run.code == 0, run.err
    chart = promo.results / CHART_FILE
    assert chart.read_bytes().startswith(b"\x89PNG")
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in promo.results.glob("*-result.json")]
    [step] = [s for s in result["steps"] if s["name"].startswith("Budget chart")]
    [attachment] = step["attachments"]
    assert attachment["type"] == "image/png"
    assert attachment["source"] == CHART_FILE  # the chart itself, not a second copy of it


def test_a_promotion_the_run_cancelled_is_marked_cancelled_with_its_spend_at_the_cancel() -> None:
    summer = PromotionInfo(SUMMER, "active", "Active", "P-1001", total_budget=Decimal(50), spent=Decimal("21.00"),
                           views=5000)
    latte = PromotionInfo("Latte", "active", "Active", "P-1002", total_budget=Decimal(40), spent=Decimal(10))
    after = as_cancelled([summer, latte], [(summer, Decimal("21.40"))])
    rows = [ChartRow.of(p) for p in after]
    assert rows[0].cancelled and rows[0].label.endswith("· cancelled") and rows[0].spent == 21.40
    assert not rows[1].cancelled and rows[1].label == "Latte (P-1002)"
