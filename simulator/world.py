"""Worlds: the data a virtual device starts from, loaded from YAML or JSON and checked on load.

A world seeds the accounts, who is logged in, the app's UI variant, the promotions, the clock and the
pop-ups that interrupt. Each session gets its own copy, so one test's cancel never leaks into another.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.errors import WorldError
from simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, PAUSED, Account, AppModel, Promotion
from simulator.ui.localise import languages_of
from simulator.ui.variants import VARIANTS

WORLDS_DIR = Path(__file__).parent / "worlds"
DEFAULT_PACKAGE = "com.zhiliaoapp.musically"
POPUP_KINDS = ("update", "notifications", "swipe_up", "contacts")
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppSpec(_Strict):
    variant: str = "guide"
    package: str = DEFAULT_PACKAGE
    activity: str = "com.ss.android.ugc.aweme.splash.SplashActivity"

    @field_validator("variant")
    @classmethod
    def _known_variant(cls, value: str) -> str:
        if value not in VARIANTS:
            raise ValueError(f"unknown UI variant {value!r}; choose one of {', '.join(VARIANTS)}")
        return value


class AccountSpec(_Strict):
    username: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.]+$")
    display_name: str = ""
    followers: int = Field(default=0, ge=0)


class PopupSpec(_Strict):
    kind: Literal["update", "notifications", "swipe_up", "contacts"]
    on: Literal["launch", "feed", "profile", "menu", "creator_tools", "promotions", "details", "confirm"] = (
        "launch"
    )


class PromotionSpec(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    owner: str | None = None
    status: str = "active"
    budget: Decimal = Field(gt=0, description="dollars")
    budget_kind: Literal["total", "daily"] = "total"
    duration_days: int = Field(default=7, ge=1, le=365)
    start: datetime | None = None
    spend: Decimal = Field(default=Decimal(0), ge=0)
    views: int = Field(default=0, ge=0)
    likes: int = Field(default=0, ge=0)
    comments: int = Field(default=0, ge=0)
    shares: int = Field(default=0, ge=0)
    followers_gained: int = Field(default=0, ge=0)
    views_per_dollar: int = Field(default=250, ge=0)
    review_minutes: int = Field(default=30, ge=0)

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        key = value.strip().lower()
        if key not in _STATUS_WORDS:
            raise ValueError(f"unknown status {value!r}; use active, in review, paused, completed or canceled")
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
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Paris") from None
        return value

    @model_validator(mode="after")
    def _language_of_release(self) -> WorldSpec:
        language = self.locale.split("_")[0]
        spoken = languages_of(self.app.variant)
        if language not in spoken:
            raise ValueError(
                f"locale {self.locale}: the {self.app.variant} release has wordings in {', '.join(spoken)} only"
            )
        return self

    @model_validator(mode="after")
    def _references(self) -> WorldSpec:
        names = [a.username for a in self.accounts]
        if self.logged_in is not None and self.logged_in not in names:
            raise ValueError(f"logged_in {self.logged_in!r} is not one of the accounts ({', '.join(names)})")
        ids = set()
        for promo in self.promotions:
            if promo.owner is not None and promo.owner not in names:
                raise ValueError(f"promotion {promo.id!r} has owner {promo.owner!r}, not one of the accounts")
            if promo.id in ids:
                raise ValueError(f"promotions: the id {promo.id!r} appears twice; each promotion needs its own")
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
    def variant(self) -> str:
        return self.spec.app.variant

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
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a field a world file has"
    # Checks across fields (logged_in, owners, ids) have no location; their sentence names the field.
    return f"world {source}: {where}: {message}" if where else f"world {source}: {message}"


def parse_world(data: object, source: str) -> World:
    """Check plain data against the world schema; raise WorldError naming the file and field."""
    if not isinstance(data, dict):
        raise WorldError(f"world {source}: the top level must be a mapping of fields, not {type(data).__name__}")
    try:
        return World(WorldSpec.model_validate(data), source)
    except ValidationError as error:
        raise WorldError(_describe(error, source)) from None


class _WorldLoader(yaml.SafeLoader):
    """YAML with only true/false as booleans (as YAML 1.2 has it).

    PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans too: a pop-up's
    `on: feed` would load as `True: feed` and fail validation with a baffling message.
    A key given twice is refused: PyYAML would silently keep the last one (a second
    `promotions:` section would drop the first one's promotions without a word).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:  # before merge keys (<<) are flattened: overriding them is fine
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # a list or mapping as a key: no world field is one, and it is not hashable
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_BOOL = "tag:yaml.org,2002:bool"
_WorldLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WorldLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_world_file(path: str | Path) -> World:
    """Read and check a YAML or JSON world file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorldError(f"world file {path} does not exist") from None
    except OSError as error:
        raise WorldError(f"world file {path} cannot be read: {error.strerror}") from None
    try:
        data = yaml.load(text, Loader=_WorldLoader)  # a SafeLoader; JSON is YAML too
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "malformed"
        raise WorldError(f"world file {path} is not valid YAML{where}: {problem}") from None
    return parse_world(data, str(path))


def shipped_worlds() -> list[str]:
    """Names of the worlds that come with the simulator."""
    return sorted(p.stem for p in WORLDS_DIR.glob("*.yaml"))


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime: float) -> World:
    return load_world_file(path)


def resolve_world(name_or_path: str | None, default: str = "default") -> World:
    """A shipped world by name ('many', 'logged-out'...) or a world file by path."""
    ref = name_or_path or default
    path = WORLDS_DIR / f"{ref}.yaml"
    if not path.exists():
        path = Path(ref)
        if not path.exists():
            raise WorldError(
                f"world {ref!r} is neither a shipped world ({', '.join(shipped_worlds())}) nor an existing file"
            )
    return _load_cached(str(path.resolve()), path.stat().st_mtime)
