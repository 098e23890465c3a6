"""Worlds: the data a virtual device starts from, loaded from YAML or JSON and checked on load.

A world seeds the accounts, who is logged in, the app's UI variant, the promotions, the clock and the
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
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.errors import WorldError
from simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, PAUSED, Account, AppModel, Promotion
from simulator.ui.localise import languages_of
from simulator.ui.variants import VARIANTS

WORLDS_DIR = Path(__file__).parent / "worlds"
MAX_WORLD_BYTES = 1 << 20  # the biggest shipped world is 14 KB; a world file of more is a mistake or an attack
MAX_YAML_VALUES = 100_000  # values after YAML aliases are expanded: a few hundred bytes can otherwise mean billions
# A phone's clock: Android's date picker ends at 2100-12-31 (DatePicker's default maxDate) and nothing on a phone
# is dated before 1970. Bounding the world's clock here keeps every later date (an advance, a promotion's end)
# far from datetime's year 9999, where adding a day would overflow.
EARLIEST_CLOCK = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_CLOCK = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
MAX_SAFE_INT = 2**53 - 1  # the largest whole number a JavaScript client (Appium itself) reads exactly
MAX_BUDGET = Decimal(1_000_000_000)  # dollars; cents stay a safe integer
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


def shown(text: str, limit: int = 120) -> str:
    """`text` quoted and cut short enough for one sentence (a 5,000-character name is not repeated whole)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def _on_a_phones_clock(moment: datetime) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if not EARLIEST_CLOCK <= moment <= LATEST_CLOCK:
        raise ValueError(f"{moment.isoformat()} is not a date a phone's clock can show "
                         f"({EARLIEST_CLOCK:%Y-%m-%d} to {LATEST_CLOCK:%Y-%m-%d})")
    return moment


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class AppSpec(_Strict):
    variant: str = "guide"
    # The versionName the app says (default: its release's): a later build that kept an older release's words.
    app_version: str | None = Field(default=None, pattern=r"^\d+(\.\d+)*$")
    package: str = DEFAULT_PACKAGE
    activity: str = "com.ss.android.ugc.aweme.splash.SplashActivity"

    @field_validator("variant")
    @classmethod
    def _known_variant(cls, value: str) -> str:
        if value not in VARIANTS:
            raise ValueError(f"unknown UI variant {shown(value)}; choose one of {', '.join(VARIANTS)}")
        return value


class AccountSpec(_Strict):
    username: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.]+$")
    display_name: str = ""
    followers: int = Field(default=0, ge=0, le=MAX_SAFE_INT)


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
        spoken = languages_of(self.app.variant)
        if language not in spoken:
            raise ValueError(
                f"locale {self.locale}: the {self.app.variant} release has wordings in {', '.join(spoken)} only"
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


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


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


# libyaml's parser when PyYAML has it (its wheels do): it stops at 1,000 levels of nesting in microseconds,
# where the pure-Python scanner takes seconds on a few thousand `[` (it rescans every open bracket per token).
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _WorldLoader(_SafeLoader):
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
                raise yaml.constructor.ConstructorError(None, None, f"the key {shown(str(key), 60)} appears twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_BOOL = "tag:yaml.org,2002:bool"
_WorldLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WorldLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the document holds once every alias is expanded, counting no further than `limit`.

    An alias is a reference to a node already read, so nine lines of nine aliases each stand for 9**9 values:
    PyYAML shares them, but anything that walks the result (validation, a copy, an error message) pays for all.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if not children_done:
            if id(node) in open_nodes:
                return limit + 1  # an alias inside its own anchor: a value that never ends
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(child), 0) for child in children))
    return sizes[id(root)]


def _parse_yaml(text: str, source: str) -> object:
    try:
        loader = _WorldLoader(text)  # a SafeLoader; JSON is YAML too
    except yaml.YAMLError as error:  # the pure-Python reader checks every character up front
        raise WorldError(f"world file {source} is not valid YAML: {_yaml_problem(error)}") from None
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root, MAX_YAML_VALUES) > MAX_YAML_VALUES:
            raise WorldError(f"world file {source} expands to more than {MAX_YAML_VALUES:,} values through "
                             "YAML aliases (or an alias refers to itself); no world needs that many")
        return loader.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise WorldError(f"world file {source} is not valid YAML{where}: {_yaml_problem(error)}") from None
    except RecursionError:
        raise WorldError(f"world file {source} is nested too deeply to be a world") from None
    except (ValueError, TypeError, OverflowError) as error:  # a value YAML can spell but not build: 0000-01-01
        if isinstance(error, WorldError):
            raise
        raise WorldError(f"world file {source} has a value that cannot be read: {_cut(str(error), 120)}") from None
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return f"the character U+{code:04X} at position {error.position} is not allowed in YAML"
    return _cut(" ".join(str(getattr(error, "problem", None) or "malformed").split()), 160)


def _read_bounded(path: Path, shown_as: str) -> str:
    """The text of a regular file of at most MAX_WORLD_BYTES, read without waiting and without reading more.

    O_NONBLOCK makes opening a FIFO return at once (and reading a regular file is unaffected); the type and
    size are checked on the open file, so what is read is what was checked.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise WorldError(f"world file {shown_as} does not exist") from None
    except (OSError, ValueError) as error:
        raise WorldError(f"world file {shown_as} cannot be read: {getattr(error, 'strerror', None) or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
            raise WorldError(f"world file {shown_as} is {kind}, not a regular file")
        if info.st_size > MAX_WORLD_BYTES:
            raise WorldError(f"world file {shown_as} is {info.st_size:,} bytes; a world file may have at most "
                             f"{MAX_WORLD_BYTES:,}")
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_WORLD_BYTES:  # a file that grows while read is still cut off at the limit
            chunk = os.read(fd, MAX_WORLD_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise WorldError(f"world file {shown_as} cannot be read: {error.strerror}") from None
    finally:
        os.close(fd)
    if total > MAX_WORLD_BYTES:
        raise WorldError(f"world file {shown_as} is more than {MAX_WORLD_BYTES:,} bytes, the most a world file "
                         "may have")
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorldError(f"world file {shown_as} is not UTF-8 text (a byte at offset {error.start} is not); "
                         "a world file is YAML or JSON") from None


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
