"""Worlds: the data a virtual device starts from, loaded from YAML or JSON and checked on load.

A world seeds the accounts, who is logged in, the app's release, the promotions, the clock and the
pop-ups that interrupt. Each session gets its own copy, so one test's cancel never leaks into another.
"""

from __future__ import annotations

import copy
import os
import re
import stat
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tiktok_promo.simulator.errors import WorldError
from tiktok_promo.simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, PAUSED, Account, AppModel, Promotion
from tiktok_promo.simulator.safe_input import (
    MAX_INPUT_BYTES,
    InputRefused,
    parse_yaml,
    read_text,
    shown,
)
from tiktok_promo.simulator.safe_input import cut as _cut
from tiktok_promo.simulator.ui.app_releases import release_names
from tiktok_promo.simulator.ui.localise import languages_of
from tiktok_promo.simulator.ui.screens import IOS_ONLY_POPUPS, POPUP_KINDS

WORLDS_DIR = Path(__file__).parent / "worlds"
MAX_WORLD_BYTES = MAX_INPUT_BYTES  # the one reader's limit (simulator.safe_input), as for every file a person gives
# A phone's clock: Android's date picker ends at 2100-12-31 (DatePicker's default maxDate) and nothing on a phone
# is dated before 1970. Bounding the world's clock here keeps every later date (an advance, a promotion's end)
# far from datetime's year 9999, where adding a day would overflow.
EARLIEST_CLOCK = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_CLOCK = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
MAX_SAFE_INT = 2**53 - 1  # the largest whole number a JavaScript client (Appium itself) reads exactly
MAX_BUDGET = Decimal(1_000_000_000)  # dollars; cents stay a safe integer
DEFAULT_PACKAGE = "com.zhiliaoapp.musically"
_DEFAULT_LOCALES = {"en": "en_US", "fr": "fr_FR"}  # the phone's locale when only its language is given
SCREENS = ("launch", "feed", "profile", "menu", "creator_tools", "promotions", "details", "confirm")
_STATUS_WORDS = {
    "active": ACTIVE,
    "in review": IN_REVIEW,
    "in_review": IN_REVIEW,
    "completed": COMPLETED,
    "canceled": CANCELED,
    "cancelled": CANCELED,
    "stopped": CANCELED,
    "paused": PAUSED,
}


def _on_a_phones_clock(moment: datetime) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if not EARLIEST_CLOCK <= moment <= LATEST_CLOCK:
        raise ValueError(f"{moment.isoformat()} is not a date a phone's clock can show "
                         f"({EARLIEST_CLOCK:%Y-%m-%d} to {LATEST_CLOCK:%Y-%m-%d})")
    return moment


def _one_of(value: str, known: tuple[str, ...], what: str) -> str:
    if value not in known:
        raise ValueError(f"unknown {what} {shown(value)}; choose one of {', '.join(known)}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class AppSpec(_Strict):
    # The app's release (its words, ids and screens); `variant`, its older name, is still read.
    release: str = Field(default="guide", validation_alias=AliasChoices("release", "variant"))
    # The versionName the app says (default: its release's): a later build that kept an older release's words.
    app_version: str | None = Field(default=None, pattern=r"^\d+(\.\d+)*$")
    package: str = DEFAULT_PACKAGE
    activity: str = "com.ss.android.ugc.aweme.splash.SplashActivity"

    @model_validator(mode="before")
    @classmethod
    def _one_spelling(cls, data: object) -> object:
        if isinstance(data, dict) and "release" in data and "variant" in data:
            raise ValueError("gives both release and variant (its older name); keep release only")
        return data

    @field_validator("release")
    @classmethod
    def _known_release(cls, value: str) -> str:
        return _one_of(value, release_names(), "release")


class AccountSpec(_Strict):
    username: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.]+$")
    display_name: str = ""
    followers: int = Field(default=0, ge=0, le=MAX_SAFE_INT)


class PopupSpec(_Strict):
    kind: str  # one of the device's pop-up kinds (simulator.ui.screens.POPUPS), or an iOS-only one
    on: Literal["launch", "feed", "profile", "menu", "creator_tools", "promotions", "details", "confirm"] = (
        "launch"
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return _one_of(value, (*POPUP_KINDS, *IOS_ONLY_POPUPS), "pop-up kind")


class PromotionSpec(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    owner: str | None = None
    status: str = "active"
    budget: Decimal = Field(gt=0, le=MAX_BUDGET, description="dollars")
    budget_kind: Literal["total", "daily"] = "total"
    duration_days: int = Field(default=7, ge=1, le=365)
    start: datetime | None = None
    spend: Decimal = Field(default=Decimal(0), ge=0, le=MAX_BUDGET * 365)
    views: int = Field(default=0, ge=0, le=MAX_SAFE_INT)
    likes: int = Field(default=0, ge=0, le=MAX_SAFE_INT)
    comments: int = Field(default=0, ge=0, le=MAX_SAFE_INT)
    shares: int = Field(default=0, ge=0, le=MAX_SAFE_INT)
    followers_gained: int = Field(default=0, ge=0, le=MAX_SAFE_INT)
    views_per_dollar: int = Field(default=250, ge=0, le=1_000_000)
    review_minutes: int = Field(default=30, ge=0, le=60 * 24 * 365)

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # The app lists a promotion by its video's title: a blank one is a row nobody can name or pick.
        if not value.strip():
            raise ValueError("is blank; a promotion needs a title the app can list it by")
        return value

    @field_validator("start")
    @classmethod
    def _start_on_a_phones_clock(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _on_a_phones_clock(value)

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        key = value.strip().lower()
        if key not in _STATUS_WORDS:
            raise ValueError(f"unknown status {shown(value)}; use active, in review, paused, completed or canceled")
        return _STATUS_WORDS[key]

    @model_validator(mode="after")
    def _spend_within_budget(self) -> PromotionSpec:
        total = self.budget * (self.duration_days if self.budget_kind == "daily" else 1)
        if self.spend > total:
            raise ValueError(f"spend {self.spend} is more than the whole budget {total}")
        return self


class WorldSpec(_Strict):
    """The schema of a world file."""

    name: str = ""
    description: str = ""
    app: AppSpec = AppSpec()
    clock: datetime = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    accounts: list[AccountSpec] = Field(min_length=1)
    logged_in: str | None = None
    promotions: list[PromotionSpec] = []
    popups: list[PopupSpec] = []
    locale: str = Field(default="en_US", pattern=r"^[a-z]{2}_[A-Z]{2}$", description="the phone's, e.g. fr_FR")
    time_zone: str = "UTC"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {shown(value)}; use an IANA name such as Europe/Paris") from None
        return value

    @model_validator(mode="after")
    def _language_of_release(self) -> WorldSpec:
        language = self.locale.split("_")[0]
        spoken = languages_of(self.app.release)
        if language not in spoken:
            raise ValueError(
                f"locale {self.locale}: the {self.app.release} release has wordings in {', '.join(spoken)} only"
            )
        return self

    @field_validator("clock")
    @classmethod
    def _clock_on_a_phones_clock(cls, value: datetime) -> datetime:
        return _on_a_phones_clock(value)

    @model_validator(mode="after")
    def _references(self) -> WorldSpec:
        names = [a.username for a in self.accounts]
        if self.logged_in is not None and self.logged_in not in names:
            raise ValueError(f"logged_in {shown(self.logged_in)} is not one of the accounts ({', '.join(names)})")
        ids = set()
        for promo in self.promotions:
            if promo.owner is not None and promo.owner not in names:
                raise ValueError(f"promotion {shown(promo.id)} has owner {shown(promo.owner)}, "
                                 "not one of the accounts")
            if promo.id in ids:
                raise ValueError(f"promotions: the id {shown(promo.id)} appears twice; each promotion needs its own")
            ids.add(promo.id)
        return self


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class World:
    """A validated world: a template from which each session builds its own app model."""

    def __init__(self, spec: WorldSpec, source: str) -> None:
        self.spec = spec
        self.source = source

    @property
    def name(self) -> str:
        return self.spec.name or Path(self.source).stem

    @property
    def release(self) -> str:
        return self.spec.app.release

    @property
    def package(self) -> str:
        return self.spec.app.package

    @property
    def activity(self) -> str:
        return self.spec.app.activity

    @property
    def locale(self) -> str:
        return self.spec.locale

    @property
    def time_zone(self) -> str:
        return self.spec.time_zone

    def speaking(self, language: object = None, locale: object = None) -> World:
        """This world on a phone set to another language or locale (XCUITest's `language` / `locale` caps, e.g.
        fr / fr_FR); itself when neither is given. WorldError names a language the release has no words in."""
        if language is None and locale is None:
            return self
        wanted = str(locale) if locale is not None else None
        if wanted is None or not re.fullmatch(r"[a-z]{2}_[A-Z]{2}", wanted):
            lang = str(language if language is not None else locale).split("_")[0].split("-")[0].lower()
            same = self.spec.locale.split("_")[0] == lang
            wanted = self.spec.locale if same else _DEFAULT_LOCALES.get(lang, f"{lang}_{lang.upper()}")
        spoken = languages_of(self.release)
        if wanted.split("_")[0] not in spoken:
            raise WorldError(f"locale {wanted}: the {self.release} release has wordings in {', '.join(spoken)} only")
        return World(self.spec.model_copy(update={"locale": wanted}), self.source)

    @property
    def popups(self) -> list[PopupSpec]:
        return copy.deepcopy(self.spec.popups)

    def build(self) -> AppModel:
        """A fresh app model from this world: a session's private copy."""
        spec = self.spec
        clock = _aware(spec.clock)
        first = spec.accounts[0].username
        promotions = []
        for p in spec.promotions:
            start = _aware(p.start) if p.start else clock
            promo = Promotion(
                id=p.id,
                owner=p.owner or first,
                title=p.title,
                status=p.status,
                budget_cents=int(p.budget * 100),
                budget_kind=p.budget_kind,
                duration_days=p.duration_days,
                start=start,
                spend_cents=int(p.spend * 100),
                views=p.views,
                likes=p.likes,
                comments=p.comments,
                shares=p.shares,
                followers_gained=p.followers_gained,
                views_per_dollar=p.views_per_dollar,
                review_minutes=p.review_minutes,
            )
            if promo.status == CANCELED:
                promo.canceled_at = clock
                promo.spend_at_cancel_cents = promo.spend_cents
            promotions.append(promo)
        accounts = {
            a.username: Account(a.username, a.display_name or a.username, a.followers) for a in spec.accounts
        }
        return AppModel(accounts=accounts, logged_in=spec.logged_in, promotions=promotions, clock=clock)


def _describe(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    where = _cut(".".join(str(part) for part in first["loc"]), 160)
    message = " ".join(first["msg"].removeprefix("Value error, ").split())
    if first["type"] == "extra_forbidden":
        message = "is not a field a world file has"
    # Checks across fields (logged_in, owners, ids) have no location; their sentence names the field.
    return f"world {source}: {where}: {message}" if where else f"world {source}: {message}"


def parse_world(data: object, source: str) -> World:
    """Check plain data against the world schema; raise WorldError naming the file and field."""
    source = _cut(source)
    if not isinstance(data, dict):
        raise WorldError(f"world {source}: the top level must be a mapping of fields, not {type(data).__name__}")
    try:
        return World(WorldSpec.model_validate(data), source)
    except ValidationError as error:
        raise WorldError(_describe(error, source)) from None
    except RecursionError:
        raise WorldError(f"world {source}: its values are nested too deeply to be a world") from None


def _parse_yaml(text: str, source: str) -> object:
    try:
        return parse_yaml(text, f"world file {source}")
    except InputRefused as refused:
        raise WorldError(str(refused)) from None


def _read_bounded(path: Path, shown_as: str) -> str:
    """The text of a regular file of at most MAX_WORLD_BYTES (simulator.safe_input's limits and refusals)."""
    try:
        return read_text(path, "world file", shown_as, MAX_WORLD_BYTES)
    except InputRefused as refused:
        raise WorldError(str(refused)) from None


def load_world_text(text: str, source: str) -> World:
    """Check the YAML or JSON text of a world; `source` names it in the one-sentence WorldError."""
    source = _cut(source)
    return parse_world(_parse_yaml(text, source), source)


def load_world_file(path: str | Path) -> World:
    """Read and check a YAML or JSON world file (a regular file of at most MAX_WORLD_BYTES)."""
    return load_world_text(_read_bounded(Path(path), _cut(str(path))), str(path))


def shipped_worlds() -> list[str]:
    """Names of the worlds that come with the simulator."""
    return sorted(p.stem for p in WORLDS_DIR.glob("*.yaml"))


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> World:
    return load_world_file(path)


class WorldLibrary:
    """Where one virtual device may read worlds from: its shipped worlds, the folders its operator allowed
    (`--worlds-dir`), and the files its operator named (`--world`).

    A session's `sim:world` comes from a client; anything else it names is refused with one sentence that
    is the same whether the path exists or not, so a client can neither read nor probe the device's files.
    """

    def __init__(self, folders: Iterable[str | Path] = (), files: Iterable[str | Path] = ()) -> None:
        self.folders = tuple(dict.fromkeys(Path(f).expanduser().resolve() for f in folders))
        self.files = frozenset(Path(f).expanduser().resolve() for f in files)

    def resolve(self, name_or_path: str | None, default: str = "default") -> World:
        """A shipped world by name ('many', 'logged-out'...) or an allowed world file by path."""
        ref = name_or_path or default
        if not isinstance(ref, str):
            raise WorldError(f"sim:world must be the name of a shipped world or a file path, not {type(ref).__name__}")
        if ref in shipped_worlds():
            return self._load(WORLDS_DIR / f"{ref}.yaml", ref)
        path = self._allowed(ref)
        if path is None:
            where = ", ".join(_cut(str(f), 100) for f in self.folders) or "none"
            raise WorldError(f"world {shown(ref)} is neither a shipped world ({', '.join(shipped_worlds())}) nor a "
                             f"file in a folder this device may read worlds from (--worlds-dir: {where})")
        return self._load(path, ref)

    def _allowed(self, ref: str) -> Path | None:
        try:
            path = Path(ref).expanduser().resolve()  # symlinks followed: a link out of a folder is outside it
        except (OSError, ValueError, RuntimeError):
            return None
        if path in self.files or any(path.is_relative_to(f) for f in (WORLDS_DIR.resolve(), *self.folders)):
            return path
        return None

    @staticmethod
    def _load(path: Path, ref: str) -> World:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return load_world_file(path)  # it says why in the world file's words
        if not stat.S_ISREG(info.st_mode):
            return load_world_file(path)  # refused before anything is read
        return _load_cached(str(path), info.st_mtime_ns, info.st_size)


def resolve_world(name_or_path: str | None, default: str = "default", folders: Iterable[str | Path] = ()) -> World:
    """A shipped world by name, or a world file in one of `folders` (see WorldLibrary)."""
    return WorldLibrary(folders).resolve(name_or_path, default)
