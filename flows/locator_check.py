"""Offline: which locator still finds its target on recorded screens, which fell back, which is gone.

For each recorded page source (a `promo capture` folder), the screen is recognised by its anchors
(pages.catalog) and every target of that screen is resolved with the finder's own locator engine
(harness.ui.snapshot over the XML, candidates in the phone's language, memory carried from screen
to screen as a session carries it). A target is:
  ok         one element, found by its primary candidate;
  fallback   one element, found by a later candidate (drift: the primary no longer matches);
  ambiguous  more than one element, or one in another package (Android's system bar, a system dialog);
  missing    no candidate matches.
The check passes only when every target the cancel flow needs on each screen is ok or fallback.

It also names the traps of the real app it sees (facts file, "Traps in real screens"): an avatar whose
content-desc contains the profile tab's word ("dance.daily profile"), and labelled buttons of Android's
own navigation bar (a bare "Home" or "Back" there leaves the app or the screen).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import ConfigError
from harness.ui.locators import Candidate, LocatorMemory, Target
from harness.ui.snapshot import ScreenNode, Snapshot
from pages import catalog, wordings
from pages.base import PACKAGE

OK, FALLBACK, AMBIGUOUS, MISSING = "ok", "fallback", "ambiguous", "missing"
SYSTEM_BAR = "com.android.systemui"


@dataclass(frozen=True)
class TargetCheck:
    """How one target resolved on one recorded screen."""

    target: str
    needed: bool
    verdict: str
    candidate: str | None = None
    elements: int = 0
    packages: tuple[str, ...] = ()
    note: str = ""


@dataclass
class ScreenCheck:
    """One recorded screen: the page it is, its targets, and the traps seen on it."""

    screen: str
    page: str | None
    targets: list[TargetCheck] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[TargetCheck]:
        return [t for t in self.targets if t.needed and t.verdict in (AMBIGUOUS, MISSING)]


@dataclass
class CaptureCheck:
    """Every screen of a capture folder, checked."""

    folder: str
    locale: str | None
    package: str
    screens: list[ScreenCheck]

    @property
    def ok(self) -> bool:
        return not any(s.failures for s in self.screens)

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "locale": self.locale, "package": self.package, "ok": self.ok,
                "screens": [{**asdict(s), "failures": len(s.failures)} for s in self.screens]}


def _resolve(snap: Snapshot, target: Target, package: str, needed: bool, many: bool = False) -> TargetCheck:
    memory = snap.memory
    for candidate in memory.ordered(target):
        nodes = snap.matched_by(candidate)
        if nodes:
            memory.remember(target, candidate)
            return _verdict(target, candidate, nodes, memory.primary(target), package, needed, many)
    tried = ", ".join(c.describe() for c in memory.ordered(target)[:3])
    return TargetCheck(target.name, needed, MISSING, note=f"tried {tried}" if tried else "no candidate in its language")


def _verdict(target: Target, candidate: Candidate, nodes: list[ScreenNode], primary: Candidate, package: str,
             needed: bool, many: bool) -> TargetCheck:
    packages = tuple(sorted({n.package for n in nodes if n.package}))
    foreign = [p for p in packages if p != package]
    if foreign:
        verdict, note = AMBIGUOUS, f"matches a view of {', '.join(foreign)}, not only the app's"
    elif len(nodes) > 1 and not many:
        verdict, note = AMBIGUOUS, f"{len(nodes)} views match; a find takes the first, silently"
    elif candidate != primary:
        verdict, note = FALLBACK, f"drift: the primary {primary.describe()} no longer matches"
    else:
        verdict, note = OK, ""
    return TargetCheck(target.name, needed, verdict, candidate.describe(), len(nodes), packages, note)


def traps_on(snap: Snapshot, package: str) -> list[str]:
    """The real app's known traps present on this screen, each in one sentence."""
    found = []
    tab_words = wordings.phrases("profile_tab", snap.memory.language)
    look_alikes: dict[str, list[str]] = {}
    for node in snap.all_nodes():
        desc = node.description
        if node.package == SYSTEM_BAR and desc:
            found.append(f'Android\'s navigation bar ({SYSTEM_BAR}) has a button "{desc}": a bare accessibility '
                         f'id "{desc}" can press it instead of the app\'s own.')
            continue
        for word in tab_words:
            if desc and desc != word and re.search(rf"\b{re.escape(word)}\b", desc, re.IGNORECASE):
                look_alikes.setdefault(word, []).append(desc)
    for word, descs in look_alikes.items():
        shown = ", ".join(f'"{d}"' for d in descs)
        found.append(f'content-desc {shown} contain(s) the profile tab\'s word "{word}": a locator "content-desc '
                     f'contains {word}" would take one of them (a creator\'s avatar in the feed) for the tab.')
    return found


def check_screen(xml: str, name: str, memory: LocatorMemory, package: str = PACKAGE) -> ScreenCheck:
    """Check one page source with the memory of the screens before it."""
    snap = Snapshot(xml, memory)
    screen = catalog.recognise(snap)
    result = ScreenCheck(name, screen.name if screen else None, traps=traps_on(snap, package))
    if screen is None:
        return result
    needed = screen.needs(snap)
    for target in needed:
        result.targets.append(_resolve(snap, target, package, needed=True))
    for target in (*screen.optional, *screen.many):
        if target not in needed:
            result.targets.append(_resolve(snap, target, package, needed=False, many=target in screen.many))
    if screen is catalog.PROMOTIONS:
        result.targets += [_resolve(snap, row, package, needed=False) for row in catalog.row_targets(snap)]
    return result


def load_manifest(folder: Path) -> dict[str, Any]:
    """A capture folder's manifest; ConfigError in one sentence when it is not one."""
    path = folder / "manifest.json"
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder (give the folder `promo capture` wrote).")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{folder} has no manifest.json: it is not a folder written by `promo capture`.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("screens"), list) or not manifest["screens"]:
        raise ConfigError(f"{path} lists no screens.")
    return manifest


def check_capture(folder: str | Path, language: str | None = None) -> CaptureCheck:
    """Check every screen of a capture folder, in the phone's language (or the one given)."""
    folder = Path(folder)
    manifest = load_manifest(folder)
    locale = language or (manifest.get("device") or {}).get("locale")
    package = (manifest.get("app") or {}).get("package") or PACKAGE
    memory = LocatorMemory(locale=locale)
    screens = []
    for i, entry in enumerate(manifest["screens"]):
        source = entry.get("source") if isinstance(entry, dict) else None
        if not isinstance(source, str) or not (folder / source).is_file():
            raise ConfigError(f"{folder / 'manifest.json'}: screen {i} names no page source in the folder.")
        xml = (folder / source).read_text(encoding="utf-8")
        screens.append(check_screen(xml, str(entry.get("name") or source), memory, package))
    return CaptureCheck(str(folder), locale, package, screens)
