"""How `promo` shows promotions, plans and results to a person (rich tables) or a program (JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.inventory import PromotionInfo
from harness.report import audit
from harness.run.adb import ListedDevice

_OUTCOME_STYLES = {
    audit.CANCELLED: "green", audit.ALREADY_CANCELLED: "green", audit.NOT_CANCELLED: "red",
    audit.FAILED: "red", audit.REFUSED: "yellow", audit.NOT_ATTEMPTED: "yellow",
}
_STATUS_STYLES = {"active": "green", "in review": "cyan", "cancelled": "yellow", "completed": "dim"}


def money(value: Decimal | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def budget(promo: PromotionInfo) -> str:
    if promo.budget is None:
        return "-"
    return f"${promo.budget.amount:,.2f}" + ("/day" if promo.budget.per_day else " total")


def promotions_table(promotions: Sequence[PromotionInfo]) -> Table:
    """Every promotion with the numbers people decide by."""
    table = Table()
    for name, justify in (("Title", "left"), ("ID", "left"), ("Status", "left"), ("Budget", "right"),
                          ("Spent", "right"), ("Remaining", "right"), ("Views", "right"), ("Likes", "right"),
                          ("Cost / 1,000 views", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for p in promotions:
        table.add_row(Text(p.title), Text(p.promotion_id or "-"),
                      Text(p.status_text, style=_STATUS_STYLES.get(p.status or "", "")),
                      budget(p), money(p.spent), money(p.remaining), count(p.views), count(p.likes),
                      money(p.cost_per_1k_views))
    return table


def device_heading(device: str, account: str | None, world: str | None) -> str:
    who = f"@{account}" if account else "account unknown"
    return f"{device} · {who}" + (f" · world {world}" if world else "")


def plan_table(to_cancel: Sequence[PromotionInfo], already: Sequence[PromotionInfo],
               ended: Sequence[PromotionInfo]) -> Table:
    """What a run will do on one device: cancel, or nothing because it is already cancelled or ended."""
    table = Table()
    for name, justify in (("Will", "left"), ("Title", "left"), ("ID", "left"), ("Status", "left"),
                          ("Spent", "right"), ("Budget", "right"), ("Views", "right"),
                          ("Cost / 1,000 views", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for action, style, promotions in (("cancel", "bold red", to_cancel),
                                      ("nothing: already cancelled", "green", already),
                                      ("nothing: ended", "dim", ended)):
        for p in promotions:
            table.add_row(Text(action, style=style), Text(p.title), Text(p.promotion_id or "-"), Text(p.status_text),
                          money(p.spent), budget(p), count(p.views), money(p.cost_per_1k_views))
    return table


def outcome_line(device: str, outcome: str, message: str) -> Text:
    text = Text(f"{device}: ")
    text.append(outcome, style=_OUTCOME_STYLES.get(outcome, ""))
    text.append(f" - {message}")
    return text


def devices_table(devices: Sequence[ListedDevice]) -> Table:
    table = Table()
    for name in ("Device", "Target", "Model", "Android", "State", "Note"):
        table.add_column(name)
    for d in devices:
        table.add_row(Text(d.id), d.target, Text(d.model or "-"), d.android or "-", d.state, Text(d.note))
    return table


def stdout_console(file: Any = None, no_color: bool = False) -> Console:
    """A console for results; not on a terminal it is wide and plain, so tables don't fold in logs."""
    console = Console(file=file, no_color=no_color, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=file, width=200, no_color=True, highlight=False, color_system=None)
    return console
