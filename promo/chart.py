"""The budget chart: each promotion's spend against its budget, and its cost per 1,000 views, in one picture.

What the guide asks an operator to watch ("monitor your budget", "use analytics") is easier seen than read
for more than a handful of promotions. matplotlib draws it headless (its Agg renderer through a bare
Figure: no pyplot, no window, no display needed), as PNG or SVG by the file's suffix. Cancelled promotions
are hatched and say so; ended ones are grey. Rows are in the order the app lists them, top to bottom.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.pages.values import CANCELLED, dollars

FORMATS = (".png", ".svg")
_ROW_INCHES = 0.32  # the height of one promotion's row: 60 rows still leave room for a 9 pt label
_COLORS = {"ok": "#2e7d32", "high": "#ef6c00", "over": "#c62828", "ended": "#9e9e9e", "budget": "#e0e0e0"}


@dataclass(frozen=True)
class ChartRow:
    """One promotion as the chart draws it."""

    label: str
    spent: float
    budget: float | None  # the whole budget; None for a per-day budget of unknown duration
    cost_per_1k: float | None
    cancelled: bool
    ended: bool

    @classmethod
    def of(cls, promo: PromotionInfo, device: str | None = None) -> ChartRow:
        name = promo.title if len(promo.title) <= 34 else promo.title[:33] + "…"
        ident = f" ({promo.promotion_id})" if promo.promotion_id else ""
        where = f"{device}: " if device else ""
        status = " · cancelled" if promo.is_cancelled else ("" if promo.can_cancel else f" · {promo.status_text}")
        return cls(label=f"{where}{name}{ident}{status}", spent=float(promo.spent or Decimal(0)),
                   budget=float(promo.total_budget) if promo.total_budget else None,
                   cost_per_1k=float(promo.cost_per_1k_views) if promo.cost_per_1k_views is not None else None,
                   cancelled=promo.is_cancelled, ended=not promo.can_cancel and not promo.is_cancelled)

    @property
    def color(self) -> str:
        if self.cancelled or self.ended:
            return _COLORS["ended"]
        share = self.spent / self.budget if self.budget else 0.0
        return _COLORS["over"] if share >= 0.9 else _COLORS["high"] if share >= 0.6 else _COLORS["ok"]


def write_chart(rows: Sequence[ChartRow], path: Path, title: str) -> Path:
    """Draw the chart of `rows` into `path` (PNG or SVG by its suffix); returns the path."""
    # Imported here: a second to load, and only a chart needs it.
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    count = max(1, len(rows))
    figure = Figure(figsize=(12, 1.6 + _ROW_INCHES * count), layout="constrained")
    spend, cost = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
    places = list(range(count))
    labels = [row.label for row in rows] or ["no promotions"]
    budgets = [row.budget if row.budget is not None else row.spent for row in rows]
    hatches = ["///" if row.cancelled else "" for row in rows]
    spend.barh(places[:len(rows)], budgets, color=_COLORS["budget"], edgecolor="#757575", linewidth=0.6,
               label="budget")
    spend.barh(places[:len(rows)], [row.spent for row in rows], color=[row.color for row in rows],
               hatch=hatches, edgecolor="white", linewidth=0, label="spent")
    most = max([*budgets, 1.0])
    for place, row in zip(places, rows, strict=False):
        share = f" ({row.spent / row.budget:.0%})" if row.budget else " (per day)"
        budget_text = dollars(Decimal(str(row.budget))) if row.budget is not None else "?"
        spend.text(max(row.budget or 0.0, row.spent) + most * 0.01, place,
                   f"{dollars(Decimal(str(row.spent)))} of {budget_text}{share}", va="center", fontsize=8,
                   parse_math=False)
    spend.set_xlim(0, most * 1.35)
    # "$" starts matplotlib's math mode: a title with one is shown as typed.
    spend.set_yticks(places, [label.replace("$", r"\$") for label in labels], fontsize=9)
    spend.set_ylim(count - 0.5, -0.5)  # the app's order, top to bottom, without empty rows around it
    spend.set_xlabel("dollars: spent (coloured) against the whole budget (grey)")
    spend.set_title("Spend against budget", loc="left", fontsize=11)
    spend.grid(axis="x", color="#eeeeee")
    spend.set_axisbelow(True)

    costs = [row.cost_per_1k if row.cost_per_1k is not None else 0.0 for row in rows]
    cost.barh(places[:len(rows)], costs, color=[row.color for row in rows], hatch=hatches, edgecolor="white",
              linewidth=0)
    top = max([*costs, 1.0])
    for place, row in zip(places, rows, strict=False):
        said = dollars(Decimal(str(row.cost_per_1k))) if row.cost_per_1k is not None else "no views yet"
        cost.text((row.cost_per_1k or 0.0) + top * 0.01, place, said, va="center", fontsize=8, parse_math=False)
    cost.set_xlim(0, top * 1.3)
    cost.set_xlabel("dollars per 1,000 views")
    cost.set_title("Cost per 1,000 views", loc="left", fontsize=11)
    cost.grid(axis="x", color="#eeeeee")
    cost.set_axisbelow(True)
    cost.tick_params(axis="y", left=False)
    figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    figure.legend(handles=[Patch(color=_COLORS["ok"], label="under 60% of budget spent"),
                           Patch(color=_COLORS["high"], label="60-90% spent"),
                           Patch(color=_COLORS["over"], label="over 90% spent"),
                           Patch(facecolor=_COLORS["ended"], hatch="///", edgecolor="white", label="cancelled"),
                           Patch(color=_COLORS["ended"], label="ended"),
                           Patch(facecolor=_COLORS["budget"], edgecolor="#757575", label="whole budget")],
                  loc="outside upper right", ncols=6, fontsize=8, frameon=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with rc_context({"svg.fonttype": "none"}):  # an SVG keeps its words as text: searchable, read aloud
        figure.savefig(path, dpi=110)
    return path


def rows_of(promotions_by_device: Sequence[tuple[str, Sequence[PromotionInfo]]]) -> list[ChartRow]:
    """Every device's promotions as rows; the device is named only when there are several."""
    several = len(promotions_by_device) > 1
    return [ChartRow.of(promo, device if several else None) for device, promotions in promotions_by_device
            for promo in promotions]


def as_cancelled(promotions: Sequence[PromotionInfo], cancelled: Sequence[tuple[PromotionInfo, Decimal | None]]
                 ) -> list[PromotionInfo]:
    """The promotions as read before the cancel, with the ones this run cancelled marked so (and their spend
    at the cancel), for a chart of how the run left them."""
    done = {id(promo): spent for promo, spent in cancelled}
    return [dataclasses.replace(promo, status=CANCELLED, status_text="Cancelled",
                                spent=done[id(promo)] if done[id(promo)] is not None else promo.spent)
            if id(promo) in done else promo for promo in promotions]


def chart_path(text: str) -> Path:
    """argparse type of --chart: a .png or .svg file to write."""
    import argparse

    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(f"the chart is written as PNG or SVG; give a file ending in .png or .svg, "
                                         f"not {text!r}")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give the path of a .png or .svg file to write")
    return path
