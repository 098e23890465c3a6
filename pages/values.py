"""How the app writes numbers and states on screen, and how to read them back as values.

Numbers are read in the phone's locale with Babel (CLDR's number symbols and compact forms), so
"$1,021.40" on an English phone and "1 021,40 €" on a French one are the same amount, and "5.3K"
and "5,3 k" the same count. Status and unit words come from the release files (releases/).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, parse_decimal

from tiktok_promo.harness.ui.locators import language_of
from tiktok_promo.pages import wordings

ACTIVE, IN_REVIEW, COMPLETED, CANCELLED, PAUSED = "active", "in review", "completed", "cancelled", "paused"
CANCELLABLE = (ACTIVE, IN_REVIEW, PAUSED)  # a paused promotion is not stopped: it can resume and spend
DEFAULT_LOCALE = "en_US"

# A number as any locale writes it: digits, with group and decimal marks between them.
_NUMBER = r"\d(?:[\d.,'\u00a0\u202f ]*\d)?"
_CURRENCY = r"(?:[$€£¥₹]|\b[A-Z]{3}\b)"
_MONEY = re.compile(rf"{_CURRENCY}\s?({_NUMBER})|({_NUMBER})\s?{_CURRENCY}")


def dollars(amount: Decimal) -> str:
    """An amount as the app (and every report of ours) writes it: Decimal('1021.4') -> '$1,021.40'."""
    return f"${amount:,.2f}"


@functools.cache
def _locale(locale: str | None) -> Locale:
    try:
        return Locale.parse((locale or DEFAULT_LOCALE).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def number(text: str | None, locale: str | None = None) -> Decimal | None:
    """A number written in the locale's way ('1,021.40' in en, '1 021,40' in fr), or None."""
    if not text:
        return None
    try:
        return parse_decimal(text.strip(), locale=_locale(locale), strict=True)
    except (NumberFormatError, ValueError):
        return None


def status_of(word: str | None, locale: str | None = None) -> str | None:
    """The status a status word means ('Stopped', 'Arrêtée' -> cancelled), or None for an unknown word."""
    if not word:
        return None
    return wordings.statuses(language_of(locale)).get(word.strip().lower())


def money(text: str | None, locale: str | None = None) -> Decimal | None:
    """The first amount with a currency sign in a text: 'Spent $1,021.40', 'Dépensé 1 021,40 €'."""
    match = _MONEY.search(text or "")
    if not match:
        return None
    return number(match.group(1) or match.group(2), locale)


@functools.cache
def _compact_scales(locale: str | None) -> dict[str, int]:
    """The locale's compact-number suffixes ('K', 'k', 'M', 'Md') and what they multiply by, from CLDR."""
    scales: dict[str, int] = {}
    for patterns in _locale(locale).compact_decimal_formats.get("short", {}).values():
        for magnitude, pattern in patterns.items():
            zeros = pattern.pattern.count("0")
            suffix = pattern.pattern.replace("0", "").replace("\u00a0", "").strip().lower()
            if suffix and zeros:
                scales.setdefault(suffix, int(magnitude) // 10 ** (zeros - 1))
    return scales


def count(text: str | None, locale: str | None = None) -> int | None:
    """A count as the app shows it: '5,350' -> 5350, '12.3K' -> 12300; '5 350', '5,3 k' on a French phone."""
    match = re.match(rf"^({_NUMBER})\s*([^\d\s]*)", (text or "").strip())
    if not match:
        return None
    value = number(match.group(1), locale)
    suffix = match.group(2).strip().lower()
    scale = _compact_scales(locale).get(suffix, 1) if suffix else 1
    if value is None:
        return None
    return int(value * scale)


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


def budget(text: str | None, locale: str | None = None) -> Budget | None:
    """'$10.00/day', 'Budget $50.00 total' or '10,00 €/jour' as a Budget."""
    amount = money(text, locale)
    if amount is None:
        return None
    lowered = (text or "").lower()
    markers = wordings.number_words(language_of(locale), lambda block: block.per_day)
    return Budget(amount, per_day=any(marker.lower() in lowered for marker in markers))


def duration_days(text: str | None, locale: str | None = None) -> int | None:
    """'7 days · Nov 17 - Nov 24, 2026' -> 7 ('7 jours · ...' on a French phone)."""
    units = wordings.number_words(language_of(locale), lambda block: block.days)
    if not units:
        return None
    pattern = "|".join(re.escape(unit) for unit in sorted(units, key=len, reverse=True))
    match = re.search(rf"(\d+)\s+(?:{pattern})\b", text or "", re.IGNORECASE)
    return int(match.group(1)) if match else None


class ShownAmounts:
    """Parses what a list row and a details screen both show of a promotion: status, budget, spend.

    A mix-in for what holds the texts as the app shows them (`status_text`, `budget_text`, `spent_text`)
    and the `locale` they are written in: a list row's fields, or a details screen's values.
    """

    if TYPE_CHECKING:  # given by the class that mixes this in, as fields or as values read on demand
        @property
        def locale(self) -> str | None: ...

        @property
        def status_text(self) -> str | None: ...

        @property
        def budget_text(self) -> str | None: ...

        @property
        def spent_text(self) -> str | None: ...

    @property
    def language(self) -> str | None:
        """The language of the words (None: any); a status word needs no more than this, an amount its locale."""
        return language_of(self.locale)

    @property
    def status(self) -> str | None:
        shown = status_of(self.status_text, self.language)
        if shown is None and self.status_text:
            return status_of(self.status_text, self.locale)  # a word of another language: the locale decides
        return shown

    @property
    def budget(self) -> Budget | None:
        return budget(self.budget_text, self.locale)

    @property
    def spent(self) -> Decimal | None:
        return money(self.spent_text, self.locale)
