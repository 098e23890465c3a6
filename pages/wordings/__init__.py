"""The app's words as data: one YAML file per release in this folder, with a block per language.

`common.yaml` holds the words every release shares; each release file (guide.yaml, current.yaml,
business.yaml, real.yaml, studio.yaml, ...) holds what that release says differently, and its
resource-ids. A page builds each of its targets from a key ("profile_tab") and the ways to look for
it (accessibility id, text, ...): one candidate per distinct word, tagged with the releases that use
it and the language it is in. So a new release or a new language is a file or a block here, not code.

Each language block says which of its keys were `seen` on a real phone (the facts file); every other
word comes from a how-to guide or is ours, and is not verified.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from harness.ui.locators import (
    ACCESSIBILITY_ID,
    SCROLL_TO_DESCRIPTION,
    SCROLL_TO_TEXT,
    TEXT,
    TEXT_CONTAINS,
    TEXT_STARTS_WITH,
    Candidate,
    Target,
    resource_id,
)
from pages.base import app_id

FOLDER = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"
_KINDS = (ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, TEXT_STARTS_WITH, SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION)


class WordingError(ValueError):
    """A wording file that does not say what the pages need (a developer's mistake, found at import)."""


@dataclass(frozen=True)
class Block:
    """One release's words in one language."""

    release: str  # "" for the words every release shares
    language: str
    labels: dict[str, tuple[str, ...]]
    seen: frozenset[str]
    statuses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    per_day: tuple[str, ...] = ()
    days: tuple[str, ...] = ()


@dataclass(frozen=True)
class Release:
    """A release of the app as the wording files describe it: its blocks and its resource-ids."""

    name: str
    order: int
    app_versions: str
    ids: dict[str, str]
    blocks: dict[str, Block]


def _words(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise WordingError(f"{where}: a word or a list of words is expected, not {value!r}")


def _load(path: Path) -> Release:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    name = str(data.get("release", path.stem))
    blocks = {}
    for language, block in (data.get("languages") or {}).items():
        where = f"{path.name}: {language}"
        labels = {key: _words(words, f"{where}: {key}") for key, words in (block.get("labels") or {}).items()}
        unknown_seen = set(block.get("seen") or ()) - set(labels)
        if unknown_seen:
            raise WordingError(f"{where}: 'seen' names keys it has no words for: {sorted(unknown_seen)}")
        blocks[language] = Block(
            release=name, language=language, labels=labels, seen=frozenset(block.get("seen") or ()),
            statuses={status: _words(words, f"{where}: statuses: {status}")
                      for status, words in (block.get("statuses") or {}).items()},
            per_day=tuple(block.get("per_day") or ()), days=tuple(block.get("days") or ()),
        )
    return Release(name, int(data.get("order", 99)), str(data.get("app_versions", "")),
                   {key: str(value) for key, value in (data.get("ids") or {}).items()}, blocks)


@functools.cache
def releases() -> tuple[Release, ...]:
    """Every release this folder describes, the shared words first, then in their `order`."""
    return tuple(sorted((_load(path) for path in sorted(FOLDER.glob("*.yaml"))), key=lambda r: (r.order, r.name)))


def release_names() -> list[str]:
    return [r.name for r in releases() if r.name]


def languages() -> list[str]:
    """The languages some release has words in."""
    return sorted({language for r in releases() for language in r.blocks})


def _blocks(language: str | None = None) -> Iterable[Block]:
    for release in releases():
        for lang, block in release.blocks.items():
            if language is None or lang == language:
                yield block


def words(key: str, language: str | None = None) -> list[tuple[str, str, frozenset[str]]]:
    """(word, language, releases) for every distinct word of `key`; releases empty when it is shared."""
    found: dict[tuple[str, str], set[str]] = {}
    shared: set[tuple[str, str]] = set()
    for block in _blocks(language):
        for word in block.labels.get(key, ()):
            found.setdefault((word, block.language), set()).add(block.release)
            if not block.release:
                shared.add((word, block.language))
    return [(word, lang, frozenset() if (word, lang) in shared else frozenset(tags))
            for (word, lang), tags in found.items()]


def target(name: str, key: str | None, *kinds: str, ids: str | None = None, lead: Iterable[Candidate] = (),
           extra: Iterable[Candidate] = ()) -> Target:
    """A target from the words of `key`: `lead` candidates first (a shape every release shares), then for
    each kind in turn one candidate per word (every language), then `extra` candidates (structural
    ones), then each release's resource-id named `ids`."""
    for kind in kinds:
        if kind not in _KINDS:
            raise WordingError(f"target {name!r}: {kind!r} does not look for a word")
    found = words(key) if key else []
    if key and not found:
        raise WordingError(f"target {name!r}: no release has words for {key!r}")
    candidates = [*lead, *(Candidate(kind, word, tags, lang) for kind in kinds for word, lang, tags in found), *extra]
    if ids:
        candidates += [resource_id(app_id(r.ids[ids]), r.name) for r in releases() if ids in r.ids]
    return Target(name, tuple(candidates))


def candidates(key: str, *kinds: str) -> tuple[Candidate, ...]:
    """The candidates of `key`'s words alone (to add to another target as `extra`)."""
    return tuple(c for c in target(key, key, *kinds).candidates)


def phrases(key: str, language: str | None) -> list[str]:
    """The words of `key` in one language (every language when it is unknown), shared words first."""
    return list(dict.fromkeys(word for word, _, _ in words(key, language)))


def statuses(language: str | None) -> dict[str, str]:
    """Status word (lower case) -> status, over every release in that language (every language if unknown)."""
    table: dict[str, str] = {}
    for block in _blocks(language):
        for status, shown in block.statuses.items():
            for word in shown:
                table.setdefault(word.strip().lower(), status)
    return table


def number_words(language: str | None, pick: Callable[[Block], tuple[str, ...]]) -> list[str]:
    """Words that qualify numbers ('/day', 'days') in one language, every language when it is unknown."""
    return list(dict.fromkeys(word for block in _blocks(language) for word in pick(block)))
