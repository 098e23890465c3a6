"""Fuzz of `promo cancel`'s selection options (Hypothesis): any combination of options and values gives
either a plan or one usage sentence with exit 2, never another exception, and a plan never cancels a
promotion that was not asked for.

Bounded: a fixed number of examples and a deadline per example, no shrinking database on disk.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_promo.flows.errors import FlowRefused
from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.pages.values import Budget
from tiktok_promo.promo.cli import main
from tiktok_promo.promo.commands import reason_of, selection_of
from tiktok_promo.promo.errors import UsageError
from tiktok_promo.promo.parser import build_parser

FUZZ = settings(max_examples=200, deadline=timedelta(seconds=2), database=None,
                suppress_health_check=[HealthCheck.too_slow])


def _promotion(title: str, pid: str, status: str, spent: str, budget: str, views: int | None) -> PromotionInfo:
    words = {"active": "Active", "in review": "In review", "completed": "Completed", "cancelled": "Canceled"}
    return PromotionInfo(title=title, status=status, status_text=words[status], promotion_id=pid,
                         budget=Budget(Decimal(budget), per_day=False), total_budget=Decimal(budget),
                         spent=Decimal(spent), views=views, likes=0, detailed=True)


WORLD = [
    _promotion("Alpha", "P-A", "active", "80", "100", 40000),
    _promotion("Bravo", "P-B", "active", "15", "20", 1000),
    _promotion("Bravo", "P-B2", "completed", "20", "20", 900),
    _promotion("Charlie", "P-C", "in review", "0", "50", None),
    _promotion("Delta", "P-D", "cancelled", "5", "10", 100),
    _promotion("Echo", "P-E", "active", "0", "10", 0),
]
TITLES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "alpha", "Nope", "", " ", "A" * 300, "<title>", "--all-active"]
IDS = ["P-A", "P-B", "P-B2", "P-C", "P-D", "P-E", "p-a", "P-Z", "", "\x00"]
NUMBERS = ["0", "20", "12.50", "$20", "-1", "abc", "1e999", "NaN", "Infinity", "80%", "101", "1,000", "", "  5 "]

_option = st.one_of(
    st.tuples(st.just("--title"), st.sampled_from(TITLES) | st.text(max_size=40)),
    st.tuples(st.just("--id"), st.sampled_from(IDS) | st.text(max_size=12)),
    st.tuples(st.sampled_from(["--spent-over", "--spent-over-pct", "--cost-per-1k-views-over", "--views-under"]),
              st.sampled_from(NUMBERS) | st.text(max_size=8)),
    st.tuples(st.just("--reason"), st.sampled_from(["budget", "strategy", "results", "reallocation", "nope", ""])),
    st.tuples(st.sampled_from(["--all-active", "--dry-run", "--yes", "--json", "--bogus", "-x", "extra"])),
)
argv_lists = st.lists(_option, max_size=8).map(lambda options: ["cancel"] + [word for o in options for word in o])


def _asked_for(argv: list[str], promo: PromotionInfo) -> bool:
    """Whether the command line named this promotion, or (without names) picked the active ones."""
    args = build_parser().parse_args(argv)
    titles = {" ".join(t.split()).casefold() for t in args.title}
    ids = {i.strip().casefold() for i in args.ids}
    if titles or ids:
        return " ".join(promo.title.split()).casefold() in titles or (promo.promotion_id or "").casefold() in ids
    return promo.is_active


@FUZZ
@given(argv_lists)
def test_any_selection_is_a_plan_or_one_usage_sentence_and_cancels_only_what_was_asked(argv: list[str]) -> None:
    try:
        args = build_parser().parse_args(argv)
        selection = selection_of(args)
        reason_of(args)
    except UsageError as error:  # said as "<command>: <sentence>" by promo.errors.error_line
        text = str(error)
        assert error.command.startswith("promo") and "\n" not in text and text.endswith("."), text
        return
    try:
        choice = selection.choose(WORLD)
    except FlowRefused as refusal:  # an unknown or shared title: refused on the device, nothing cancelled
        assert "\n" not in str(refusal)
        return
    rules = selection.rules
    for promo in choice.to_cancel:
        assert promo.can_cancel and _asked_for(argv, promo), (argv, promo.promotion_id)
        assert all(rule.holds(promo) for rule in rules), (argv, promo.promotion_id)
    assert not (args.all_active and (args.title or args.ids))  # never taken as a union


@settings(max_examples=40, deadline=timedelta(seconds=2), database=None)
@given(argv_lists)
def test_the_command_itself_answers_a_usage_mistake_with_exit_2_before_any_device(
        argv: list[str]) -> None:
    # Only the command lines that fail as usage: those must stop in main() with 2, before a device starts.
    try:
        reason_of(args := build_parser().parse_args(argv))
        selection_of(args)
    except UsageError:
        assert main(argv) == 2
    except argparse.ArgumentError:  # pragma: no cover - _Parser turns these into UsageError
        pytest.fail(f"argparse error escaped for {argv}")
