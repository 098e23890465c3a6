"""The releases of TikTok as data: one YAML file per release in this folder, with a block per language.

Both the virtual device (simulator/) and the page objects (pages/) read these files, so a renamed label is one
line in one file and a new release is one file. This package sits below both and imports nothing of the project.

`common.yaml` holds the words every release shares; each release file (guide.yaml, current.yaml, business.yaml,
real.yaml, studio.yaml, ...) holds what that release says differently:
- `app_versions`: the app versions that show it (the first is the one the virtual device reports);
- `ids`: the resource-ids the pages look for, named after the view that carries them, written as a phone shows
  them (the short opaque names of an R8-shortened build), not computed;
- `languages`: per language its `labels` (key -> a word or a list, the first being the one the app shows), the
  keys of them `seen` on a real phone (every other word is from a guide or ours, not verified), its `statuses`
  (status -> the words shown for it), and the words that qualify numbers (`per_day`, `days`);
- `shapes`: Android's structural XPaths, where `{key}` stands for this language's word of that key;
- `ios`: what TikTok for iOS shows differently (its own `shapes`, `languages` of words replacing Android's, and
  what of them was `seen` on an iPhone);
- `device`: what only the virtual device needs (the ids of its views no page looks for). A release without it
  (`real`) is known to the pages only: no virtual device shows it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent
MAX_FILE_BYTES = 64 * 1024  # the biggest release file is 6 KB: more is a mistake
SHARED = ""  # the name of the block every release shares (common.yaml)


_FILE_KEYS = {"release", "order", "app_versions", "ids", "languages", "shapes", "ios", "device"}
_BLOCK_KEYS = {"seen", "labels", "statuses", "per_day", "days"}
_DEVICE_KEYS = {"ids"}


class ReleaseFileError(ValueError):
    """A release file that does not say what the device or the pages need (a developer's mistake, found at load)."""


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
class IosWords:
    """What a release shows differently on iOS: structural XPaths over WDA's elements, words per language that
    replace the Android ones, and the keys of both that were seen on an iPhone (the rest are guesses)."""

    shapes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # language -> key -> words
    seen: frozenset[str] = frozenset()

    def guesses(self) -> list[str]:
        """The iOS entries not seen on an iPhone, as `shape:key` and `language:key`."""
        return sorted([f"shape:{key}" for key in self.shapes if key not in self.seen]
                      + [f"{language}:{key}" for language, words in self.labels.items() for key in words
                         if key not in self.seen])


@dataclass(frozen=True)
class Release:
    """A release of the app as its file describes it: versions, resource-ids, words per language, structure."""

    name: str
    order: int
    app_versions: str
    ids: dict[str, str]  # view name -> resource-id, the ones the pages look for
    blocks: dict[str, Block]
    shapes: dict[str, str] = field(default_factory=dict)  # Android's structural XPaths, {key} = a word of it
    ios: IosWords = field(default_factory=IosWords)
    device_ids: dict[str, str] | None = None  # the virtual device's other view ids; None: no virtual device

    @property
    def on_device(self) -> bool:
        """Whether the virtual device can be this release."""
        return self.device_ids is not None

    def word(self, key: str, language: str, shared: Release | None = None) -> str | None:
        """The word this release shows for `key` in a language (its own, else the `shared` release's)."""
        for block in (self.blocks.get(language), shared.blocks.get(language) if shared else None):
            if block is not None and key in block.labels:
                return block.labels[key][0]
        return None


def words_of(value: object, where: str) -> tuple[str, ...]:
    """A word or a list of words of a release file, as a tuple."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ReleaseFileError(f"{where}: a word or a list of words is expected, not {value!r}")


def _mapping(value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReleaseFileError(f"{where}: a mapping is expected, not {value!r}")
    return value


def _known(data: dict, keys: set[str], where: str) -> dict:
    """`data` when it holds only `keys`: a misspelt key would otherwise be read as nothing, silently."""
    unknown = sorted(str(key) for key in data if key not in keys)
    if unknown:
        raise ReleaseFileError(f"{where}: unknown {'key' if len(unknown) == 1 else 'keys'} {', '.join(unknown)}; "
                               f"a release file knows {', '.join(sorted(keys))}")
    return data


def _ids(value: object, where: str) -> dict[str, str]:
    ids = _mapping(value, where)
    wrong = sorted(str(key) for key, rid in ids.items() if not isinstance(rid, str) or not rid)
    if wrong:
        raise ReleaseFileError(f"{where}: every resource-id is a name; these are not: {wrong}")
    return {str(key): rid for key, rid in ids.items()}


def load(path: Path) -> Release:
    """One release file, checked: ReleaseFileError names the file and what is wrong in it."""
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)  # no more than the limit is read, whatever the file holds
    if len(raw) > MAX_FILE_BYTES:
        raise ReleaseFileError(f"{path.name} is more than {MAX_FILE_BYTES:,} bytes, the most a release file may have")
    try:
        data = _known(_mapping(yaml.safe_load(raw.decode("utf-8")), path.name), _FILE_KEYS, path.name)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ReleaseFileError(f"{path.name} is not UTF-8 YAML: {error}") from None
    name = str(data.get("release", path.stem))
    blocks = {}
    for language, block in _mapping(data.get("languages"), f"{path.name}: languages").items():
        where = f"{path.name}: {language}"
        block = _known(_mapping(block, where), _BLOCK_KEYS, where)
        labels = {key: words_of(words, f"{where}: {key}")
                  for key, words in _mapping(block.get("labels"), where).items()}
        unknown_seen = set(block.get("seen") or ()) - set(labels)
        if unknown_seen:
            raise ReleaseFileError(f"{where}: 'seen' names keys it has no words for: {sorted(unknown_seen)}")
        blocks[language] = Block(
            release=name, language=language, labels=labels, seen=frozenset(block.get("seen") or ()),
            statuses={status: words_of(words, f"{where}: statuses: {status}")
                      for status, words in _mapping(block.get("statuses"), f"{where}: statuses").items()},
            per_day=tuple(block.get("per_day") or ()), days=tuple(block.get("days") or ()),
        )
    device = data.get("device")
    device_ids = None if device is None else _ids(
        _known(_mapping(device, f"{path.name}: device"), _DEVICE_KEYS, f"{path.name}: device").get("ids"),
        f"{path.name}: device: ids")
    ids = _ids(data.get("ids"), f"{path.name}: ids")
    if device_ids is not None and set(ids) & set(device_ids):
        raise ReleaseFileError(f"{path.name}: device: ids names views the pages' ids already name: "
                               f"{sorted(set(ids) & set(device_ids))} (one view, one line)")
    return Release(name, int(data.get("order", 99)), str(data.get("app_versions", "")), ids, blocks,
                   {key: str(value) for key, value in _mapping(data.get("shapes"), f"{path.name}: shapes").items()},
                   load_ios(_mapping(data.get("ios"), f"{path.name}: ios"), path.name), device_ids)


def load_ios(data: dict, where: str) -> IosWords:
    """A file's `ios:` block, checked."""
    labels = {language: {key: words_of(words, f"{where}: ios: {language}: {key}")
                         for key, words in (block or {}).items()}
              for language, block in (data.get("languages") or {}).items()}
    shapes = {key: str(value) for key, value in (data.get("shapes") or {}).items()}
    seen = frozenset(data.get("seen") or ())
    known = set(shapes) | {key for words in labels.values() for key in words}
    if seen - known:
        raise ReleaseFileError(f"{where}: ios: 'seen' names entries it does not have: {sorted(seen - known)}")
    return IosWords(shapes, labels, seen)


@functools.cache
def _read(folder: Path) -> tuple[Release, ...]:
    found = sorted((load(path) for path in sorted(folder.glob("*.yaml"))), key=lambda r: (r.order, r.name))
    if not any(r.name == SHARED for r in found):
        raise ReleaseFileError(f"{folder}: no file of the words every release shares (release: \"\")")
    return tuple(found)


def releases(folder: Path | None = None) -> tuple[Release, ...]:
    """Every release the folder (this package's, by default) describes: the shared words first, then in their
    `order`. Read once per folder."""
    return _read(folder or FOLDER)


def shared(folder: Path | None = None) -> Release:
    """The words every release shares (common.yaml)."""
    return next(r for r in releases(folder) if r.name == SHARED)


def release(name: str, folder: Path | None = None) -> Release:
    """The release called `name` (KeyError when no file describes it)."""
    for found in releases(folder):
        if found.name == name and name != SHARED:
            return found
    raise KeyError(name)
