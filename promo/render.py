"""How `promo` shows promotions, plans and results to a person (rich tables) or a program (JSON).

Tables are made to fit an 80-column terminal without losing a figure: no frame lines between columns,
short headers that wrap at their spaces, titles and statuses wrap at theirs, and a money or count cell
never wraps or is cut (a column is as wide as its widest figure). Wider terminals just get more room.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.harness.report.audit import Outcome
from tiktok_promo.harness.run.adb import ListedDevice
from tiktok_promo.harness.run.doctor import Checkup
from tiktok_promo.harness.ui.drift import DriftEvent
from tiktok_promo.pages.values import ACTIVE, CANCELLED, COMPLETED, IN_REVIEW, dollars
from tiktok_promo.promo.fit import output_width, units, wrap

_OUTCOME_STYLES: dict[str, str] = {
    Outcome.CANCELLED: "green", Outcome.ALREADY_CANCELLED: "green", Outcome.NOT_CANCELLED: "red",
    Outcome.FAILED: "red", Outcome.REFUSED: "yellow", Outcome.NOT_ATTEMPTED: "yellow",
}
_STATUS_STYLES = {ACTIVE: "green", IN_REVIEW: "cyan", CANCELLED: "yellow", COMPLETED: "dim"}


def money(value: Decimal | None) -> str:
    return "-" if value is None else dollars(value)


def count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def budget(promo: PromotionInfo) -> str:
    return "-" if promo.budget is None else str(promo.budget)


@dataclass
class _Column:
    header: str
    cells: list[Any] = field(default_factory=list)
    figures: bool = False  # money or counts: right-aligned, never cut (a unit after a space may wrap)


def _words(value: Any) -> list[str]:
    return str(value.plain if isinstance(value, Text) else value).split() or [""]


_GAP = 2  # between two columns: one space of padding and the box's blank separator
_MAX_WORD = 14  # a text column is at least as wide as its longest word, up to this (longer ones fold)


@dataclass
class _FitTable:
    """A frameless table laid out for the width it is printed in: every figure column exactly as wide as
    its widest figure, text columns as wide as their longest word, and what room is left goes to the text
    columns in order (the title first), up to their longest cell."""

    columns: Sequence[_Column]

    def widths(self, room: int) -> list[int]:
        def header_word(column: _Column) -> int:
            return max(len(word) for word in column.header.split())

        least, most = [], []
        for column in self.columns:
            longest_word = max([len(w) for cell in column.cells for w in _words(cell)] or [1])
            longest = max([len(" ".join(_words(cell))) for cell in column.cells] or [1])
            if column.figures:
                least.append(max(longest_word, header_word(column)))
            else:
                least.append(max(min(longest_word, _MAX_WORD), header_word(column)))
            most.append(max(longest, len(column.header), least[-1]))
        widths = list(least)
        spare = room - sum(widths) - _GAP * (len(widths) - 1)
        # The room left: to the text columns first (the title before all), then to figures' units and headers.
        order = [i for i, c in enumerate(self.columns) if not c.figures] + [
            i for i, c in enumerate(self.columns) if c.figures]
        for index in order:
            grow = max(0, min(spare, most[index] - widths[index]))
            widths[index] += grow
            spare -= grow
        return widths

    def __rich_console__(self, console: Console, options: Any) -> Any:
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False,
                      header_style="bold", expand=False)
        for column, width in zip(self.columns, self.widths(options.max_width), strict=True):
            table.add_column(column.header, justify="right" if column.figures else "left", overflow="fold",
                             width=width)
        for index in range(max((len(column.cells) for column in self.columns), default=0)):
            table.add_row(*(column.cells[index] for column in self.columns))
        yield table


def _table(columns: Sequence[_Column]) -> _FitTable:
    return _FitTable(columns)


def promotions_table(promotions: Sequence[PromotionInfo]) -> _FitTable:
    """Every promotion with the numbers people decide by."""
    columns = [_Column("Title"), _Column("ID"), _Column("Status"), _Column("Budget", figures=True),
               _Column("Spent", figures=True), _Column("Left", figures=True), _Column("Views", figures=True),
               _Column("Likes", figures=True), _Column("Per 1k views", figures=True)]
    for p in promotions:
        cells = [Text(p.title), Text(p.promotion_id or "-"),
                 Text(p.status_text, style=_STATUS_STYLES.get(p.status or "", "")),
                 budget(p), money(p.spent), money(p.remaining), count(p.views), count(p.likes),
                 money(p.cost_per_1k_views)]
        for column, cell in zip(columns, cells, strict=True):
            column.cells.append(cell)
    return _table(columns)


def device_heading(device: str, account: str | None, world: str | None) -> str:
    who = f"@{account}" if account else "account unknown"
    return f"{device} · {who}" + (f" · world {world}" if world else "")


def plan_table(to_cancel: Sequence[PromotionInfo], already: Sequence[PromotionInfo],
               ended: Sequence[PromotionInfo]) -> _FitTable:
    """What a run will do on one device: cancel, or nothing because it is already cancelled or ended."""
    columns = [_Column("Will"), _Column("Title"), _Column("ID"), _Column("Status"), _Column("Spent", figures=True),
               _Column("Budget", figures=True), _Column("Views", figures=True),
               _Column("Per 1k views", figures=True)]
    for action, style, promotions in (("cancel", "bold red", to_cancel),
                                      ("skip: already cancelled", "green", already),
                                      ("skip: ended", "dim", ended)):
        for p in promotions:
            cells = [Text(action, style=style), Text(p.title), Text(p.promotion_id or "-"), Text(p.status_text),
                     money(p.spent), budget(p), count(p.views), money(p.cost_per_1k_views)]
            for column, cell in zip(columns, cells, strict=True):
                column.cells.append(cell)
    return _table(columns)


def _without_prefix(message: str, *prefixes: str) -> str:
    for prefix in prefixes:
        if message.lower().startswith(prefix.lower()):
            return message[len(prefix):].lstrip(" :")
    return message


def outcome_line(device: str, outcome: str, promotion: PromotionInfo, *, spent: Decimal | None = None,
                 why: str | None = None) -> Text:
    """One promotion's outcome in plain words, e.g. `sim-1: "Summer haul try-on" (P-1001) cancelled, $21.40 spent`.

    `why` is the sentence of what went wrong, for an outcome that is not a cancel.
    """
    words: dict[str, str] = {
        Outcome.CANCELLED: "cancelled",
        Outcome.ALREADY_CANCELLED: "was already cancelled; nothing tapped",
        Outcome.NOT_CANCELLED: "NOT cancelled",
        Outcome.FAILED: "failed",
        Outcome.REFUSED: "refused",
        Outcome.NOT_ATTEMPTED: "not attempted",
    }
    text = Text(f"{device}: {promotion.label()} ")
    text.append(words.get(outcome, outcome), style=_OUTCOME_STYLES.get(outcome, ""))
    if outcome == Outcome.CANCELLED:
        text.append(f", {money(spent)} spent" if spent is not None else "")
    elif why and outcome != Outcome.ALREADY_CANCELLED:
        text.append(": " + _without_prefix(why, "Not attempted", "Not cancelled", "Refused to cancel"))
    return text


def fallback_line(device: str, events: Sequence[DriftEvent]) -> str:
    """The targets a device found by a fallback locator, in one line (the report has each candidate)."""
    shared = set.intersection(*(set(event.releases) for event in events)) if events else set()
    release = f" (the {', '.join(sorted(shared))} release)" if shared else ""
    plural = "s" if len(events) != 1 else ""
    names = ", ".join(event.target for event in events)
    return f"{device}: {len(events)} target{plural} found by a fallback locator{release}: {names}."


@dataclass(frozen=True)
class DeviceSummary:
    """One device's line in the summary at the end of a cancel."""

    device: str
    account: str | None
    cancelled: int
    already: int
    not_cancelled: int
    spent_at_cancel: Decimal | None
    state: str
    fallbacks: int = 0  # targets found by a fallback locator (locator drift) during the run


def summary_table(rows: Sequence[DeviceSummary]) -> _FitTable:
    """A row per device: what was cancelled, what not, the spend at cancel and how the device ended."""
    columns = [_Column("Device"), _Column("Account"), _Column("Cancelled", figures=True),
               _Column("Already", figures=True), _Column("Not cancelled", figures=True),
               _Column("Spent at cancel", figures=True), _Column("Fallback locators", figures=True),
               _Column("Ended")]
    for row in rows:
        cells = [Text(row.device), Text(f"@{row.account}" if row.account else "-"), count(row.cancelled),
                 count(row.already), count(row.not_cancelled), money(row.spent_at_cancel), count(row.fallbacks),
                 Text(row.state.replace("-", " "))]
        for column, cell in zip(columns, cells, strict=True):
            column.cells.append(cell)
    return _table(columns)


def devices_table(devices: Sequence[ListedDevice], adb_answered: bool = False) -> Group:
    """Every device promo can drive, and under the table the notes on them, as sentences that wrap whole; when
    adb answered with no phone at all, a sentence says so (the table alone looked like adb was never asked)."""
    columns = [_Column("Device"), _Column("Target"), _Column("Model"), _Column("Android"), _Column("State")]
    for d in devices:
        cells = [Text(d.id), Text(d.target), Text(d.model or "-"), Text(d.android or "-"), Text(d.state)]
        for column, cell in zip(columns, cells, strict=True):
            column.cells.append(cell)
    notes = [_Sentences([f"{d.id}: {d.note}"]) for d in devices if d.note]
    if adb_answered and not [d for d in devices if d.target != "sim"]:
        notes.append(_Sentences(["adb sees no phones or emulators: connect a phone with USB debugging on (or start an "
                                 "emulator), then check with adb devices."]))
    return Group(_table(columns), *notes)


_HEALTH_MARK = {"ok": "ok", "warn": "warn", "broken": "BROKEN", "not checked": "-"}
_HEALTH_STYLE = {"ok": "green", "warn": "yellow", "broken": "bold red", "not checked": "dim"}
_OWN_LINE = 4  # the indent of a text put under its row because a path or a command in it is too wide beside it


def hanging(prefix: int, text: str, width: int) -> list[str]:
    """`text` wrapped to start `prefix` columns in, continuation lines aligned under its start; when one of its
    pieces (a path, a command) does not fit there, it starts on the next line, `_OWN_LINE` columns in."""
    room = width - prefix
    if all(len(piece) <= room for piece in units(text)):
        lines = wrap(text, room, 0)
        return [lines[0], *(" " * prefix + line for line in lines[1:])]
    return ["", *(" " * _OWN_LINE + line for line in wrap(text, width - _OWN_LINE, 0))]


@dataclass
class _Sentences:
    """Sentences that wrap at the width they are printed in, each piece whole (fit.units), with a hanging indent."""

    sentences: Sequence[str]
    style: str = ""
    indent: int = 2

    def __rich_console__(self, console: Console, options: Any) -> Any:
        for sentence in self.sentences:
            for line in wrap(sentence, options.max_width, self.indent):
                yield Text(line, style=self.style, no_wrap=True, overflow="ignore")


def sentences(said: Sequence[str], style: str = "", indent: int = 2) -> _Sentences:
    """Sentences printed one after the other, each wrapped between its words (a command kept whole)."""
    return _Sentences(said, style, indent)


@dataclass
class DoctorTable:
    """promo doctor: a line per link of the chain (state, link, what was found) and, under a broken one,
    its fix; laid out for the width it is printed in, every path and command whole on one line."""

    checkup: Checkup

    def __rich_console__(self, console: Console, options: Any) -> Any:
        width = options.max_width
        links = self.checkup.links
        name_width = max([len(link.name) for link in links] + [4])
        prefix = 6 + 2 + name_width + 2
        yield Text(f"{'state':<6}  {'link':<{name_width}}  found, and the fix of a broken link", style="bold")
        yield Text("─" * min(width, 80), style="dim")
        for link in links:
            health = link.health.value
            lines = hanging(prefix, link.found or "-", width)
            first = Text(f"{_HEALTH_MARK[health]:<6}", style=_HEALTH_STYLE[health])
            first.append(f"  {link.name:<{name_width}}  {lines[0]}")
            yield first
            yield from (Text(line, no_wrap=True, overflow="ignore") for line in lines[1:])
            if link.fix:
                fix = hanging(prefix + 5, link.fix, width)
                yield Text(" " * prefix + "fix: " + fix[0], no_wrap=True, overflow="ignore")
                yield from (Text(line, no_wrap=True, overflow="ignore") for line in fix[1:])


def doctor_table(checkup: Checkup) -> DoctorTable:
    """promo doctor: one line per link of the chain, with the fix of a broken one."""
    return DoctorTable(checkup)


def stdout_console(file: Any = None, no_color: bool = False) -> Console:
    """A console for results; not on a terminal it is plain and PIPE_WIDTH wide (or COLUMNS), so a log reads
    as the screen does."""
    console = Console(file=file, no_color=no_color, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=file, width=output_width(console.file), no_color=True, highlight=False,
                          color_system=None)
    return console
