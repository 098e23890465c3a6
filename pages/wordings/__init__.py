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
import re
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
    XPATH,
    Candidate,
    Target,
    resource_id,
    xpath,
    xpath_string,
)
from pages.base import app_id

FOLDER = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
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
    shapes: dict[str, str] = field(default_factory=dict)  # structural XPaths, {key} = a word of this release


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
                   {key: str(value) for key, value in (data.get("ids") or {}).items()}, blocks,
                   {key: str(value) for key, value in (data.get("shapes") or {}).items()})


@functools.cache
def releases() -> tuple[Release, ...]:
    """Every release this folder describes, the shared words first, then in their `order`."""
    return tuple(sorted((_load(path) for path in sorted(FOLDER.glob("*.yaml"))), key=lambda r: (r.order, r.name)))


def release_names() -> list[str]:
    return [r.name for r in releases() if r.name]


def _version(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split(".")
    return tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else None


def release_of_version(version: str) -> str | None:
    """The release whose words an app version shows: the one that lists it in `app_versions`, else the latest
    release before it (a newer build keeps its release's words until a drift says otherwise); None for a
    version older than every release, or one that is not a dotted number."""
    wanted = _version(version)
    if wanted is None:
        return None
    known = [(found, release.name) for release in releases() if release.name
             for found in (_version(v) for v in release.app_versions.split(",") if v.strip()) if found is not None]
    earlier = [(found, name) for found, name in known if found <= wanted]
    return max(earlier)[1] if earlier else None


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


def _word(release: Release, language: str, key: str) -> str:
    """The word a release uses for `key` in a language: its own, else the shared one."""
    for block in (release.blocks.get(language), _shared().blocks.get(language)):
        if block is not None and key in block.labels:
            return block.labels[key][0]
    raise WordingError(f"{release.name}: a shape needs the {language} word for {key!r}, which no block has")


def _shared() -> Release:
    return next(r for r in releases() if not r.name)


def _fill(pattern: str, words: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: words[match.group(1)], pattern)


def shape_candidates(shape: str) -> list[Candidate]:
    """Each release's structural locator named `shape`, one per language when it holds words."""
    found: list[Candidate] = []
    for release in releases():
        pattern = release.shapes.get(shape)
        if pattern is None:
            continue
        keys = _PLACEHOLDER.findall(pattern)
        if not keys:
            found.append(xpath(pattern, release.name))
            continue
        for language in release.blocks:
            words = {key: xpath_string(_word(release, language, key)) for key in keys}
            filled = _fill(pattern, words)
            found.append(Candidate(XPATH, filled, frozenset({release.name}), language))
    return found


def target(name: str, key: str | None, *kinds: str, ids: str | None = None, shape: str | None = None,
           lead: Iterable[Candidate] = (), extra: Iterable[Candidate] = (), any_language: bool = False) -> Target:
    """A target from the words of `key`: `lead` candidates first (a shape every release shares), then for
    each kind in turn one candidate per word (every language), then `extra` candidates, then the
    releases' structural locators named `shape`, then each release's resource-id named `ids`.

    With `any_language`, its words are looked for whatever the app's language (a pop-up may come from
    Android, in the system's language, or from a part of the app that is not translated)."""
    for kind in kinds:
        if kind not in _KINDS:
            raise WordingError(f"target {name!r}: {kind!r} does not look for a word")
    found = words(key) if key else []
    if key and not found:
        raise WordingError(f"target {name!r}: no release has words for {key!r}")
    if shape and not any(shape in r.shapes for r in releases()):
        raise WordingError(f"target {name!r}: no release has a shape {shape!r}")
    candidates = [*lead, *(Candidate(kind, word, tags, None if any_language else lang)
                           for kind in kinds for word, lang, tags in found), *extra]
    if shape:
        candidates += shape_candidates(shape)
    if ids:
        candidates += [resource_id(app_id(r.ids[ids]), r.name) for r in releases() if ids in r.ids]
    return Target(name, tuple(candidates))


def candidates(key: str, *kinds: str, any_language: bool = False) -> tuple[Candidate, ...]:
    """The candidates of `key`'s words alone (to add to another target as `extra`)."""
    return target(key, key, *kinds, any_language=any_language).candidates


def phrases(key: str, language: str | None) -> list[str]:
    """The words of `key` in one language (every language when it is unknown), shared words first."""
    return list(dict.fromkeys(word for word, _, _ in words(key, language)))


def template_match(templates: Iterable[str], line: str) -> bool:
    """Whether a line reads as one of the templates ("{amount} spent" matches "$21.40 spent")."""
    for template in templates:
        parts = _PLACEHOLDER.split(template)
        pattern = "".join(re.escape(part) if i % 2 == 0 else ".+" for i, part in enumerate(parts))
        if re.fullmatch(pattern, line.strip(), re.IGNORECASE | re.DOTALL):
            return True
    return False


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
