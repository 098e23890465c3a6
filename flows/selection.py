"""Which promotions a `promo cancel` run cancels: by title, by promotion ID, all active, or by a rule.

The rules are the numbers people cancel for (the guide's "budget" and "results" reasons): spend over
an amount, spend over a share of the budget, cost per 1,000 views over an amount, views under a count.

- Titles and IDs name promotions; each must name one the app shows (else a refusal listing the active
  ones), and a title shared by several running promotions must be told apart by --id.
- `--all-active` or a rule alone picks from the running ("Active") promotions; a promotion still in
  review has no spend or views yet, so only a title or ID picks it.
- Rules narrow what titles, IDs or --all-active picked: every rule given must hold.
- A named promotion that is already cancelled is reported as such (a second run is harmless); one
  that has ended on its own has nothing to cancel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_promo.flows.errors import AmbiguousTitle, UnknownPromotionId, UnknownTitle
from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.pages.promotions_list import PromotionRow, typed_key
from tiktok_promo.pages.values import CANCELLABLE, dollars

REASONS = ("budget", "strategy", "results", "reallocation")
_MONEY = re.compile(r"^\$?\s*(\d+(?:\.\d+)?|\.\d+)$")


# --- rule values: a bad value is one sentence (ValueError), which promo turns into a usage error ------
def amount(text: str) -> Decimal:
    """A dollar amount >= 0: '20', '12.50' or '$20'."""
    match = _MONEY.match(text.strip())
    if not match:
        raise ValueError(f"needs an amount of dollars of 0 or more, like 20 or 12.50, not {text!r}")
    return Decimal(match.group(1))


def percent(text: str) -> Decimal:
    """A percentage from 0 to 100: '80' or '80%'."""
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"needs a percentage from 0 to 100, like 80, not {text!r}")
    return value


def views(text: str) -> int:
    """A whole number of views >= 0: '1000' or '1,000'."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned.isdigit():
        raise ValueError(f"needs a whole number of views of 0 or more, like 1000, not {text!r}")
    return int(cleaned)


@dataclass(frozen=True)
class Rule:
    """One condition on a promotion's numbers."""

    option: str
    describe: str
    holds: Callable[[PromotionInfo], bool]
    # What a promotion it does not hold for has instead, e.g. "5,350 views, not under 1,000".
    falls_short: Callable[[PromotionInfo], str] = lambda _p: "does not hold"


@dataclass(frozen=True)
class RuleKind:
    """One kind of rule `promo cancel` offers: its Selection field, its option and help, how its value is read,
    and the Rule it makes of a value. The command line's rule options are built from RULE_KINDS."""

    field: str  # the Selection field holding the value, and the option's argparse dest
    option: str
    metavar: str
    help: str
    parse: Callable[[str], Any]  # ValueError with one sentence for a value that is not one
    make: Callable[[Any], Rule]


RULE_KINDS: tuple[RuleKind, ...] = (
    RuleKind("spent_over", "--spent-over", "AMOUNT", "active promotions that spent more than AMOUNT dollars", amount,
             lambda limit: Rule("--spent-over", f"spend > {dollars(limit)}",
                                lambda p: p.spent is not None and p.spent > limit,
                                lambda p: f"spent {_or_unknown(p.spent, dollars)}, not over {dollars(limit)}")),
    RuleKind("spent_over_pct", "--spent-over-pct", "PCT",
             "active promotions that spent more than PCT %% of their whole budget", percent,
             lambda pct: Rule("--spent-over-pct", f"spend > {pct:g}% of budget",
                              lambda p: p.spent_pct is not None and p.spent_pct > pct,
                              lambda p: f"spent {_or_unknown(p.spent_pct, lambda v: f'{v:g}%')} of its budget, "
                                        f"not over {pct:g}%")),
    RuleKind("cost_per_1k_views_over", "--cost-per-1k-views-over", "AMOUNT",
             "active promotions whose cost per 1,000 views is over AMOUNT dollars", amount,
             lambda cost: Rule("--cost-per-1k-views-over", f"cost per 1,000 views > {dollars(cost)}",
                               lambda p: _costs_over(p, cost),
                               lambda p: f"costs {_or_unknown(p.cost_per_1k_views, dollars)} per 1,000 views, "
                                         f"not over {dollars(cost)}")),
    RuleKind("views_under", "--views-under", "N", "active promotions with fewer than N views", views,
             lambda count: Rule("--views-under", f"views < {count:,}",
                                lambda p: p.views is not None and p.views < count,
                                lambda p: f"{_or_unknown(p.views, lambda v: f'{v:,}')} views, not under {count:,}")),
)


@dataclass
class Choice:
    """What one device's promotions give for a selection."""

    to_cancel: list[PromotionInfo] = field(default_factory=list)
    already_cancelled: list[PromotionInfo] = field(default_factory=list)
    ended: list[PromotionInfo] = field(default_factory=list)  # named, but over on their own: nothing to cancel
    # Every promotion the selection left out, with why: not active, or the rules it does not meet.
    dropped: list[tuple[PromotionInfo, str]] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.to_cancel or self.already_cancelled)


@dataclass(frozen=True)
class Selection:
    """The promotions asked for on the command line."""

    titles: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    all_active: bool = False
    spent_over: Decimal | None = None
    spent_over_pct: Decimal | None = None
    cost_per_1k_views_over: Decimal | None = None
    views_under: int | None = None
    # An ID asked for is looked for first on the rows that can still be cancelled (the list shows each row's
    # status); only when one is not found there are the other rows' details read (an ID of a promotion that
    # already ended, or of none).
    ids_on_any_row: bool = False
    # The title each ID showed when last read (promo.id_index), as (ID case-folded, title) pairs: with one for
    # every ID still missing, only the rows of those titles are opened. A hint only: the details decide.
    id_titles: tuple[tuple[str, str], ...] = ()

    @property
    def rules(self) -> list[Rule]:
        return [kind.make(getattr(self, kind.field)) for kind in RULE_KINDS if getattr(self, kind.field) is not None]

    @property
    def names(self) -> bool:
        return bool(self.titles or self.ids)

    @property
    def one_title(self) -> str | None:
        """The title, when one title alone names what to cancel (no ID, not every active one): the list need only
        say whether that title shows once, and its row's details decide the rest."""
        return self.titles[0] if len(self.titles) == 1 and not self.ids and not self.all_active else None

    def is_empty(self) -> bool:
        return not (self.names or self.all_active or self.rules)

    def describe(self) -> str:
        """The selection in words, for the plan shown before asking."""
        parts = [f'"{t}"' for t in self.titles] + [f"ID {i}" for i in self.ids]
        if self.all_active:
            parts.append("every active promotion")
        elif not parts:
            parts.append("active promotions")
        rules = [r.describe for r in self.rules]
        return " or ".join(parts) + (f" where {' and '.join(rules)}" if rules else "")

    def wants_details(self, row: PromotionRow, read: Sequence[PromotionInfo] = ()) -> bool:
        """Whether a list row's details screen must be read to decide (and to confirm it by its ID), given the
        promotions `read` so far from the top of the list."""
        missing = self._missing(read)
        if missing:
            # The ID only shows on the details screen: the rows its remembered title names, else each running
            # row's (every row's on a second look), until every ID asked is found.
            hints = dict(self.id_titles)
            if not self.ids_on_any_row and all(wanted in hints for wanted in missing):
                if typed_key(row.title) in {typed_key(hints[wanted]) for wanted in missing}:
                    return True
            elif self.ids_on_any_row or row.status in CANCELLABLE:
                return True
        named = bool(self.titles) and typed_key(row.title) in {typed_key(t) for t in self.titles}
        return named or (row.is_active and (self.all_active or not self.names))

    def settled_by(self, read: Sequence[PromotionInfo]) -> bool:
        """Whether the promotions read so far settle the choice, so the rest of the list need not be read:
        only IDs were asked for (an ID names one promotion), and every one is found. A title may show
        again further down (two running promotions of one title are refused), so titles and rules read on."""
        return bool(self.ids) and not self.titles and not self.all_active and not self.ids_missing(read)

    def ids_missing(self, read: Sequence[PromotionInfo]) -> bool:
        """Whether an ID asked for is not among the promotions read."""
        return bool(self._missing(read))

    def _missing(self, read: Sequence[PromotionInfo]) -> list[str]:
        found = {p.promotion_id.casefold() for p in read if p.promotion_id}
        return [wanted.casefold() for wanted in self.ids if wanted.casefold() not in found]

    def choose(self, promotions: Sequence[PromotionInfo]) -> Choice:
        """The promotions to cancel on one device; a FlowRefused sentence when a name matches nothing
        or is ambiguous (then nothing on that device is cancelled: never half of what was asked)."""
        active = [p for p in promotions if p.is_active]
        picked = self._named(promotions, active) if self.names else []
        if self.all_active or not self.names:
            picked += [p for p in active if not any(p is q for q in picked)]
        rules = self.rules
        choice = Choice()
        for promo in picked:
            if promo.is_cancelled:
                choice.already_cancelled.append(promo)
            elif not promo.can_cancel:
                choice.ended.append(promo)
            elif all(rule.holds(promo) for rule in rules):
                choice.to_cancel.append(promo)
            else:
                choice.dropped.append((promo, "; ".join(f"{r.falls_short(promo)} ({r.option})" for r in rules
                                                        if not r.holds(promo))))
        if not self.names:  # the rules look at active promotions only: say so of the others
            choice.dropped += [(p, f"{p.status_text}, not active") for p in promotions if not p.is_active]
        return choice

    def _named(self, promotions: Sequence[PromotionInfo], active: list[PromotionInfo]) -> list[PromotionInfo]:
        picked: list[PromotionInfo] = []

        def add(promo: PromotionInfo) -> None:
            if not any(promo is p for p in picked):  # --title X --title X is one promotion, cancelled once
                picked.append(promo)

        for title in self.titles:
            same = [p for p in promotions if typed_key(p.title) == typed_key(title)]
            if not same:
                raise UnknownTitle(title, promotions)
            running = [p for p in same if p.can_cancel]
            if len(running) > 1:
                # --title "Morning routine" --id P-2002 names one of them: the ID decides.
                ids = {typed_key(i) for i in self.ids}
                running = [p for p in running if typed_key(p.promotion_id or "") in ids] or running
            if len(running) > 1:
                raise AmbiguousTitle(running)
            # The running one if any; else every ended one, so the report says what became of it.
            for promo in running or same:
                add(promo)
        for wanted in self.ids:
            match = [p for p in promotions if p.promotion_id and p.promotion_id.casefold() == wanted.casefold()]
            if not match:
                raise UnknownPromotionId(wanted, active)
            add(match[0])
        return picked


def _or_unknown(value: Any, shown: Callable[[Any], str]) -> str:
    return "unknown" if value is None else shown(value)


def _costs_over(promo: PromotionInfo, limit: Decimal) -> bool:
    if promo.spent is None or promo.views is None:
        return False
    if promo.views == 0:
        return promo.spent > 0  # money spent for no view at all costs more than any limit
    cost = promo.cost_per_1k_views
    return cost is not None and cost > limit
