"""How the app writes numbers and states on screen, and how to read them back as values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ACTIVE, IN_REVIEW, COMPLETED, CANCELLED = "active", "in review", "completed", "cancelled"
# Status words of every app release we know, to one status each.
STATUS_WORDS = {
    "active": ACTIVE,
    "running": ACTIVE,
    "in review": IN_REVIEW,
    "under review": IN_REVIEW,
    "completed": COMPLETED,
    "ended": COMPLETED,
    "canceled": CANCELLED,
    "cancelled": CANCELLED,
    "stopped": CANCELLED,
}
CANCELLABLE = (ACTIVE, IN_REVIEW)

_MONEY = re.compile(r"\$\s?([\d,]+(?:\.\d+)?)")
_COUNT = re.compile(r"^([\d,]+(?:\.\d+)?)\s*([KkMmBb]?)$")
_DAYS = re.compile(r"(\d+)\s+days?\b")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def dollars(amount: Decimal) -> str:
    """An amount as the app (and every report of ours) writes it: Decimal('1021.4') -> '$1,021.40'."""
    return f"${amount:,.2f}"


def status_of(word: str | None) -> str | None:
    """The status a status word means ('Stopped' -> cancelled), or None for an unknown word."""
    if not word:
        return None
    return STATUS_WORDS.get(word.strip().lower())


def money(text: str | None) -> Decimal | None:
    """The first dollar amount in a text: 'Spent $1,021.40' -> Decimal('1021.40')."""
    match = _MONEY.search(text or "")
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def count(text: str | None) -> int | None:
    """A count as the app shows it: '5,350' -> 5350, '12.3K' -> 12300."""
    match = _COUNT.match((text or "").strip())
    if not match:
        return None
    number = Decimal(match.group(1).replace(",", ""))
    return int(number * _SCALE[match.group(2).lower()])


@dataclass(frozen=True)
class Budget:
    """A promotion's budget: an amount, either in total or per day."""

    amount: Decimal
    per_day: bool

    def total(self, days: int | None) -> Decimal:
        """The most the promotion can spend over its duration."""
        return self.amount * (days or 1) if self.per_day else self.amount

    def __str__(self) -> str:
        return dollars(self.amount) + ("/day" if self.per_day else " total")


def budget(text: str | None) -> Budget | None:
    """'$10.00/day' or 'Budget $50.00 total' as a Budget."""
    amount = money(text)
    if amount is None:
        return None
    return Budget(amount, per_day="/day" in (text or "") or "daily" in (text or "").lower())


def duration_days(text: str | None) -> int | None:
    """'7 days · Nov 17 - Nov 24, 2026' -> 7."""
    match = _DAYS.search(text or "")
    return int(match.group(1)) if match else None


class ShownAmounts:
    """Parses what a list row and a details screen both show of a promotion: status, budget, spend.

    A mix-in for the frozen dataclasses that hold the texts as the app shows them
    (`status_text`, `budget_text`, `spent_text`).
    """

    status_text: str | None
    budget_text: str | None
    spent_text: str | None

    @property
    def status(self) -> str | None:
        return status_of(self.status_text)

    @property
    def budget(self) -> Budget | None:
        return budget(self.budget_text)

    @property
    def spent(self) -> Decimal | None:
        return money(self.spent_text)
