"""Offline: which locator still finds its target on recorded screens, which fell back, which is gone.

For each recorded page source (a `promo capture` folder), the screen is recognised by its anchors
(pages.catalog) and every target of that screen is resolved with the finder's own locator engine
(harness.ui.snapshot over the XML, candidates in the phone's language, memory carried from screen
to screen as a session carries it). A target is:
  ok         one element, found by its primary candidate;
  fallback   one element, found by a later candidate (drift: the primary no longer matches);
  ambiguous  more than one element, or one in another package (Android's system bar, a system dialog);
  missing    no candidate matches.
The check passes only when the recording shows every screen of the cancel flow (feed, profile, the
menu sheet unless the profile has the TikTok Studio entry, creator tools, the promotions list, a
promotion's details), every recorded screen is recognised (a known pop-up aside) as the screen the tap
before it leads to, and every target the cancel flow needs on each screen is ok or fallback. A screen
that is not recognised is said with why: which anchors of the screen expected there did not match.
The folder is read by the replay's own reader (harness.run.recording): what the replay refuses, the
check refuses, in the same sentence naming the file.

It also names the traps of the real app it sees (facts file, "Traps in real screens"): an avatar whose
content-desc contains the profile tab's word ("dance.daily profile"), and labelled buttons of Android's
own navigation bar (a bare "Home" or "Back" there leaves the app or the screen).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tiktok_promo.harness.run.recording import RecordedScreen, read_recording
from tiktok_promo.harness.ui.locators import IOS, Candidate, LocatorMemory, Target
from tiktok_promo.harness.ui.snapshot import ScreenNode, Snapshot
from tiktok_promo.pages import catalog, creator_tools, feed, menu_sheet, profile, wordings
from tiktok_promo.pages import promotion_details as details
from tiktok_promo.pages import promotions_list as listing
from tiktok_promo.pages.app import KNOWN_POPUPS
from tiktok_promo.pages.base import PACKAGE

OK, FALLBACK, AMBIGUOUS, MISSING = "ok", "fallback", "ambiguous", "missing"
SYSTEM_BAR = "com.android.systemui"

# The screen a tap on each target the walk (and the cancel flow) taps opens.
LEADS_TO: dict[str, tuple[catalog.Screen, ...]] = {
    feed.PROFILE_TAB.name: (catalog.PROFILE, catalog.LOGGED_OUT),
    profile.STUDIO_ENTRY.name: (catalog.CREATOR_TOOLS,),
    profile.MENU_BUTTON.name: (catalog.MENU,),
    menu_sheet.CREATOR_TOOLS.name: (catalog.CREATOR_TOOLS,),
    creator_tools.PROMOTIONS.name: (catalog.PROMOTIONS,),
    listing.ROW.name: (catalog.DETAILS,),
    details.BACK.name: (catalog.PROMOTIONS,),
}
# The screens the cancel flow passes on its way to a Stop button (the menu sheet only without a Studio entry).
FLOW = (catalog.FEED, catalog.PROFILE, catalog.MENU, catalog.CREATOR_TOOLS, catalog.PROMOTIONS, catalog.DETAILS)


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
    popup: str | None = None  # a known pop-up the finder closes, when the screen is one
    problem: str = ""  # why this screen fails the check besides its targets: not recognised, not the one expected

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
    problems: list[str] = field(default_factory=list)  # of the recording as a whole: screens never recorded

    @property
    def ok(self) -> bool:
        return not self.problems and not any(s.failures or s.problem for s in self.screens)

    def sentences(self) -> list[str]:
        """Every reason the check fails, one sentence each (empty: it passes)."""
        found = [s.problem for s in self.screens if s.problem]
        found += [f'{s.screen}: "{t.target}" is {t.verdict} ({t.note or "no candidate matches"}).'
                  for s in self.screens for t in s.failures]
        return found + self.problems

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "locale": self.locale, "package": self.package, "ok": self.ok,
                "problems": self.sentences(),
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
    said = "label" if snap.platform == IOS else "content-desc"  # the attribute the app's words are in
    for word, descs in look_alikes.items():
        shown = ", ".join(f'"{d}"' for d in descs)
        found.append(f'{said} {shown} contain(s) the profile tab\'s word "{word}": a locator "{said} '
                     f'contains {word}" would take one of them (a creator\'s avatar in the feed) for the tab.')
    return found


def check_screen(xml: str, name: str, memory: LocatorMemory, package: str = PACKAGE) -> ScreenCheck:
    """Check one page source with the memory of the screens before it."""
    snap = Snapshot(xml, memory)
    screen = catalog.recognise(snap)
    result = ScreenCheck(name, screen.name if screen else None, traps=traps_on(snap, package))
    if screen is None:
        result.popup = next((p.name for p in KNOWN_POPUPS if snap.has(p.identify)), None)
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


def _quoted(targets: tuple[Target, ...]) -> str:
    return ", ".join(f'"{t.name}"' for t in targets)


def why_not(snap: Snapshot, screen: catalog.Screen) -> str:
    """Why a snapshot is not `screen`: its anchors that did not match, or what it shows that it must not."""
    missed = tuple(a for a in screen.anchors if not snap.has(a))
    shown = tuple(u for u in screen.unless if snap.has(u))
    if missed:
        return f"the anchor(s) {_quoted(missed)} of the {screen.name} did not match"
    return f'it shows {_quoted(shown)}, which the {screen.name} does not' if shown else f"it is the {screen.name}"


def _expected(screen: RecordedScreen) -> tuple[catalog.Screen, ...]:
    step = screen.reached_by
    if step is None:
        return (catalog.FEED, catalog.PROFILE, catalog.LOGGED_OUT)  # where the app opens
    return LEADS_TO.get(step.target, ()) if step.action == "tap" else ()


def _judge(check: ScreenCheck, recorded: RecordedScreen, memory: LocatorMemory) -> None:
    """Say why a recorded screen fails the check, if it does: not recognised, or not where the tap leads."""
    expected = _expected(recorded)
    if check.page is not None and (not expected or check.page in {e.name for e in expected}):
        return
    if check.page is None and check.popup is not None:
        return  # a pop-up over the app: the finder closes it; the screens around it are checked
    fresh = LocatorMemory(locale=memory.language)
    fresh.platform = memory.platform
    snap = Snapshot(recorded.source, fresh)
    reasons = "; ".join(why_not(snap, e) for e in (expected or catalog.SCREENS))
    step = recorded.reached_by
    how = (f'was reached by tapping "{step.target}" on {step.source}, which opens the '
           f'{" or the ".join(e.name for e in expected)}, ' if step is not None and expected else "")
    if check.page is None:
        check.problem = f"{recorded.file} {how}is not recognised: {reasons}."
    else:
        check.problem = f"{recorded.file} {how}but reads as the {check.page}: {reasons}."


def _never_shown(checks: list[ScreenCheck]) -> list[catalog.Screen]:
    pages = {c.page for c in checks}
    with_studio = any(c.page == catalog.PROFILE.name and any(t.target == profile.STUDIO_ENTRY.name
                                                             and t.verdict in (OK, FALLBACK) for t in c.targets)
                      for c in checks)
    return [s for s in FLOW if s.name not in pages and not (s is catalog.MENU and with_studio)]


def check_capture(folder: str | Path, language: str | None = None) -> CaptureCheck:
    """Check a capture folder, in the phone's language (or the one given): every screen and the whole walk."""
    recording = read_recording(folder)
    locale = language or recording.locale
    package = recording.package or PACKAGE
    memory = LocatorMemory(locale=locale)
    # An iPhone's recording is checked with the candidates an iPhone answers (and Android's with Android's): a match
    # by the other platform's candidate could not happen on the phone, and its miss is no drift.
    memory.platform = recording.platform
    screens = []
    for recorded in recording.screens:
        check = check_screen(recorded.source, recorded.name, memory, package)
        _judge(check, recorded, memory)
        screens.append(check)
    result = CaptureCheck(str(recording.folder), locale, package, screens)
    missing = _never_shown(screens)
    if missing:
        names = ", the ".join(s.name for s in missing)
        logged_out = any(c.page == catalog.LOGGED_OUT.name for c in screens)
        result.problems.append(
            f"{recording.folder / 'manifest.json'}: the recording never shows the {names}, so the cancel flow's "
            "targets there were never checked" + (" (it ends at the log-in screen: nobody was logged in)."
                                                  if logged_out else "." if any(c.problem for c in screens)
                                                  else "; record the whole walk: promo capture --walk."))
    return result
