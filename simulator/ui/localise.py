"""The phone's locale on screen: labels of a release in the phone's language, and numbers, money and
dates formatted as Android formats them for that locale (CLDR data, through Babel).

A release's words are first its release file's (releases/<release>.yaml, which the pages read too):
a screen asks for a key of it ("profile_tab", "stop_button") and gets that release's word in the phone's
language, or the one every release shares (common.yaml). What only the virtual device draws is worded in
`simulator/ui/lang/`, one YAML file per release and language (`studio-en.yaml`, `studio-fr.yaml`,
`current-fr.yaml`, and `shared-fr.yaml` for what every release shows alike). A label is a string with
`{named}` fields, or a mapping of CLDR plural categories (`one`, `other`...) to such strings. The classic
releases' screens were written in English, so they have no English file: their other keys are the English
words ("Home", "{amount}/day"), and a language file maps those to its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_skeleton, format_time, get_timezone
from babel.numbers import format_compact_decimal, format_currency, format_decimal, get_territory_currencies

from tiktok_promo import releases
from tiktok_promo.simulator.errors import MissingLabel
from tiktok_promo.simulator.model import CANCELED, IN_REVIEW

LANG_DIR = Path(__file__).parent / "lang"
# The model's status names that the release files spell otherwise.
_STATUS_NAMES = {IN_REVIEW: "in review", CANCELED: "cancelled"}
SHARED = "shared"  # the wording file of what every release shows alike


@lru_cache(maxsize=16)
def _catalogue(release: str, language: str) -> dict[str, Any]:
    path = LANG_DIR / f"{release}-{language}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the top level must be a mapping of label names to wordings")
    return data


@lru_cache(maxsize=32)
def _has_catalogue(release: str, language: str) -> bool:
    return (LANG_DIR / f"{release}-{language}.yaml").exists()


@lru_cache(maxsize=1)
def _shared_keys() -> frozenset[str]:
    """The shared wordings' keys: English texts, shown as they are on an English phone."""
    return frozenset(k for p in LANG_DIR.glob(f"{SHARED}-*.yaml") for k in _catalogue(SHARED, p.stem.split("-", 1)[1]))


def languages_of(release: str) -> tuple[str, ...]:
    """The languages a release has wordings for. A release without an English file (the classic
    ones) is written in English: its label keys are its English wordings."""
    found = {p.stem.removeprefix(f"{release}-") for p in LANG_DIR.glob(f"{release}-*.yaml")}
    return tuple(sorted(found | {"en"}))


@dataclass(frozen=True)
class Localiser:
    """One phone's locale: the labels of one release in its language, and CLDR formatting."""

    release: str
    locale: str = "en_US"
    time_zone: str = "UTC"

    @property
    def language(self) -> str:
        return Locale.parse(self.locale).language

    @property
    def tz(self) -> tzinfo:
        return get_timezone(self.time_zone)

    @property
    def currency(self) -> str:
        territory = Locale.parse(self.locale).territory or "US"
        return (get_territory_currencies(territory) or ["USD"])[0]

    def label(self, key: str, plural: int | None = None, **fields: Any) -> str:
        """The wording `key` in the phone's language, its `{fields}` filled in; a wording with plural
        forms takes the CLDR category of `plural` ('one' for 1 in English, for 0 and 1 in French)."""
        wording = self._wording(key)
        if wording is None:
            raise MissingLabel(f"release {self.release!r} has no {self.language!r} wording for {key!r}")
        if isinstance(wording, dict):
            category = Locale.parse(self.locale).plural_form(plural if plural is not None else 0)
            wording = wording.get(category, wording["other"])
        return str(wording).format(**fields)

    def status(self, status: str) -> str:
        """The word this release shows for a promotion's status (the model's name of it: "canceled" is "Canceled",
        "Stopped" or "Arrêtée" as the release file says)."""
        name = _STATUS_NAMES.get(status, status)
        for block in self._blocks():
            if name in block.statuses:
                return block.statuses[name][0]
        raise MissingLabel(f"release {self.release!r} has no {self.language!r} word for the status {name!r}")

    def _blocks(self) -> list[releases.Block]:
        """The release file's words in the phone's language, then the ones every release shares."""
        found = (releases.release(self.release), releases.shared())
        return [r.blocks[self.language] for r in found if self.language in r.blocks]

    def _wording(self, key: str) -> Any:
        # The release's own file, its release file's words, then what all releases share (pop-ups, log-in,
        # toasts); in English a key without a wording is its own English text (the classic screens are written
        # in English).
        if _has_catalogue(self.release, self.language) and key in _catalogue(self.release, self.language):
            return _catalogue(self.release, self.language)[key]
        for block in self._blocks():
            if key in block.labels:
                return block.labels[key][0]
        if _has_catalogue(SHARED, self.language) and key in _catalogue(SHARED, self.language):
            return _catalogue(SHARED, self.language)[key]
        if self.language == "en" and (not _has_catalogue(self.release, "en") or key in _shared_keys()):
            return key
        return None

    def money(self, cents: int) -> str:
        """'$21.40' on an American phone, '21,40 €' (no-break space) on a French one."""
        return format_currency(Decimal(cents) / 100, self.currency, locale=self.locale)

    def number(self, value: int) -> str:
        """A count in full: '5,350'; '5 350' with a narrow no-break space in French."""
        return format_decimal(value, locale=self.locale)

    def compact(self, value: int) -> str:
        """A count as lists show it: '5.3K', '5,3 k'. Truncated, not rounded (5,350 is 5.3K, as the app shows)."""
        if value < 1000:
            return format_decimal(value, locale=self.locale)
        magnitude = 10 ** ((len(str(value)) - 1) // 3 * 3)
        shown = (Decimal(value) / magnitude).quantize(Decimal("0.1"), rounding=ROUND_FLOOR) * magnitude
        return format_compact_decimal(shown, locale=self.locale, fraction_digits=1)

    def day_month(self, moment: datetime) -> str:
        """'Nov 17' / '17 nov.'."""
        return format_skeleton("MMMd", moment, tzinfo=self.tz, locale=self.locale)

    def date(self, moment: datetime) -> str:
        """'Nov 17, 2026' / '17 nov. 2026'."""
        return format_skeleton("yMMMd", moment, tzinfo=self.tz, locale=self.locale)

    def date_hm(self, moment: datetime) -> str:
        """'Nov 20, 2026 10:00' / '20 nov. 2026 11:00': a date and a 24-hour time, in the phone's time zone."""
        return f"{self.date(moment)} {format_time(moment, 'HH:mm', tzinfo=self.tz, locale=self.locale)}"

    def date_time(self, moment: datetime) -> str:
        """'Nov 20, 2026, 10:00 AM' / '20 nov. 2026, 11:00' in the phone's time zone."""
        time = format_time(moment, "short", tzinfo=self.tz, locale=self.locale)
        pattern = Locale.parse(self.locale).datetime_formats["medium"]
        return str(pattern).replace("'", "").format(time, self.date(moment))
