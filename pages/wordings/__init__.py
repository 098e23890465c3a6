"""The app's words as the pages look for them, from the release files (the tiktok_promo.releases package).

A page builds each of its targets from a key ("profile_tab") and the ways to look for it (accessibility id,
text, ...): one candidate per distinct word, tagged with the releases that use it and the language it is in,
then the releases' structural locators and resource-ids. So a new release or a new language is a file or a
block of tiktok_promo.releases, not code here; the virtual device reads the same files.

The words are the same on both platforms (the app's strings are shared): a target built here looks for them
on Android and on iOS alike, each platform its own way (harness.ui.locators). What TikTok for iOS says or
builds differently is an `ios:` block of a release file: `shapes` (structural XPaths over XCUIElementType*) and
per language `labels` that replace a word on iOS (iOS's own system alerts, "Back" for Android's "Navigate up").
Its `seen` lists what was seen on an iPhone: nothing yet (no page source of TikTok for iOS is known), so
every iOS entry is a guess. A file's plain `shapes` are Android's (XPaths over android.* classes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tiktok_promo.harness.ui.locators import (
    ACCESSIBILITY_ID,
    ANDROID,
    IOS,
    SCROLL_TO_DESCRIPTION,
    SCROLL_TO_TEXT,
    TEXT,
    TEXT_CONTAINS,
    TEXT_STARTS_WITH,
    XPATH,
    Candidate,
    Target,
    resource_id,
    xpath_string,
)
from tiktok_promo.pages.base import app_id
from tiktok_promo.releases import Block, Release, releases, shared

DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_KINDS = (ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, TEXT_STARTS_WITH, SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION)


class WordingError(ValueError):
    """A target that asks the release files for what they do not hold (a developer's mistake, found at import)."""


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


def _ios_languages(language: str | None) -> Iterable[tuple[Release, str]]:
    """(release, language) of every iOS block with no Android block of its own (words only iOS shows)."""
    for release in releases():
        for lang in release.ios.labels:
            if lang not in release.blocks and (language is None or lang == language):
                yield release, lang


def _block_words(release: Release, language: str, key: str, platform: str) -> tuple[str, ...]:
    """The words of `key` a release shows in a language on a platform. On iOS: the release's iOS word, else
    the shared iOS word for a key the release words itself, else the release's word (the shared strings)."""
    own = release.blocks[language].labels.get(key, ()) if language in release.blocks else ()
    if platform != IOS:
        return own
    ios_own = release.ios.labels.get(language, {}).get(key)
    if ios_own:
        return ios_own
    shared_ios = _shared().ios.labels.get(language, {}).get(key) if release.name else None
    return shared_ios if own and shared_ios else own


def words(key: str, language: str | None = None,
          platform: str = ANDROID) -> list[tuple[str, str, frozenset[str]]]:
    """(word, language, releases) for every distinct word of `key` on a platform; releases empty when shared."""
    found: dict[tuple[str, str], set[str]] = {}
    shared: set[tuple[str, str]] = set()
    places = [(r, lang) for r in releases() for lang in r.blocks if language is None or lang == language]
    if platform == IOS:
        places += list(_ios_languages(language))
    for release, lang in places:
        for word in _block_words(release, lang, key, platform):
            found.setdefault((word, lang), set()).add(release.name)
            if not release.name:
                shared.add((word, lang))
    return [(word, lang, frozenset() if (word, lang) in shared else frozenset(tags))
            for (word, lang), tags in found.items()]


def _both_platforms(key: str) -> list[tuple[str, str, frozenset[str], str | None]]:
    """(word, language, releases, platform) for `key`: a word both platforms show alike once (platform None),
    a word only one shows (or shows in other releases) tagged with that platform."""
    android, ios = words(key, platform=ANDROID), words(key, platform=IOS)
    # Android's order stays as it was (its first word is the expected one); iOS's own words come after.
    return [(w, lang, tags, None if (w, lang, tags) in ios else ANDROID) for w, lang, tags in android] + [
        (w, lang, tags, IOS) for w, lang, tags in ios if (w, lang, tags) not in android]


def _word(release: Release, language: str, key: str) -> str:
    """The word a release uses for `key` in a language: its own, else the shared one."""
    word = release.word(key, language, _shared())
    if word is not None:
        return word
    raise WordingError(f"{release.name}: a shape needs the {language} word for {key!r}, which no block has")


def _shared() -> Release:
    return shared()


def _fill(pattern: str, words: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: words[match.group(1)], pattern)


def shape_candidates(shape: str) -> list[Candidate]:
    """Each release's structural locator named `shape` (Android's, then iOS's), one per language when it holds
    words. A shape of the shared file belongs to every release."""
    found: list[Candidate] = []
    for platform in (ANDROID, IOS):
        for release in releases():
            pattern = (release.ios.shapes if platform == IOS else release.shapes).get(shape)
            if pattern is None:
                continue
            tags = frozenset({release.name} if release.name else ())
            keys = _PLACEHOLDER.findall(pattern)
            if not keys:
                found.append(Candidate(XPATH, pattern, tags, platform=platform))
                continue
            for language in release.blocks:
                words = {key: xpath_string(_word(release, language, key)) for key in keys}
                found.append(Candidate(XPATH, _fill(pattern, words), tags, language, platform))
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
    found = _both_platforms(key) if key else []
    if key and not found:
        raise WordingError(f"target {name!r}: no release has words for {key!r}")
    if shape and not any(shape in r.shapes or shape in r.ios.shapes for r in releases()):
        raise WordingError(f"target {name!r}: no release has a shape {shape!r}")
    candidates = [*lead, *(Candidate(kind, word, tags, None if any_language else lang, platform)
                           for kind in kinds for word, lang, tags, platform in found), *extra]
    if shape:
        candidates += shape_candidates(shape)
    if ids:
        candidates += [resource_id(app_id(r.ids[ids]), r.name) for r in releases() if ids in r.ids]
    return Target(name, tuple(candidates))


def candidates(key: str, *kinds: str, any_language: bool = False) -> tuple[Candidate, ...]:
    """The candidates of `key`'s words alone (to add to another target as `extra`)."""
    return target(key, key, *kinds, any_language=any_language).candidates


def phrases(key: str, language: str | None) -> list[str]:
    """The words of `key` in one language (every language when it is unknown), shared words first; on either
    platform (a message is read, not found: a word of the other platform does no harm)."""
    return list(dict.fromkeys(word for platform in (ANDROID, IOS) for word, _, _ in words(key, language, platform)))


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
