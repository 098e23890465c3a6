"""Locators as data: a named `Target` with ordered `Candidate`s, and the memory of what matched.

A page lists, for each thing it looks for, every way the app releases we know name it, in every
language the app speaks (the releases and their words are data, releases/, which the pages read;
the engine knows none of them). Candidates go in the order accessibility id, then text, then resource-id
(the ids are opaque and change every release). A candidate's `releases` are free tags (the releases
whose words it carries) and its `language` the language of those words (None: any language).

A candidate is written once for both platforms: its kind says what it looks for (a label, a text), and
`appium(platform=...)` turns that into the platform's own strategy: on Android an accessibility id is the
content-desc and a text a UiSelector; on iOS (XCUITest, WebDriverAgent) an accessibility id is the element's
`name` and a text an `-ios predicate string` on its label or value. A resource-id exists only on Android, so
it never matches on iOS; a candidate that only one platform understands (an XPath over Android's classes or
over XCUIElementType*) says so in its `platform` (None: both).

`LocatorMemory` makes the list cheap: a target tries first the candidate that worked for it before,
then the candidates of the app release that matched last on any target. A session on the `current`
release pays for a fallback once, not on every find.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

# How a candidate finds its element. Appium strategies, plus UiSelector forms that need no XPath.
ACCESSIBILITY_ID = "accessibility id"
TEXT = "text"
TEXT_CONTAINS = "text contains"
TEXT_STARTS_WITH = "text starts with"
TEXT_MATCHES = "text matches"  # a regular expression the whole text matches (Java's on Android, ICU's on iOS)
RESOURCE_ID = "resource-id"
SCROLL_TO_TEXT = "scroll to text"
SCROLL_TO_DESCRIPTION = "scroll to accessibility id"
XPATH = "xpath"
ANDROID = "android"
IOS = "ios"
PLATFORMS = (ANDROID, IOS)
KINDS = (ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, TEXT_STARTS_WITH, TEXT_MATCHES, RESOURCE_ID, SCROLL_TO_TEXT,
         SCROLL_TO_DESCRIPTION, XPATH)

_UIAUTOMATOR = "-android uiautomator"
_PREDICATE = "-ios predicate string"
# What an accessibility id finds on iOS, in a page source: named so, and not a text that merely shows those words.
_IOS_NAMED = "//*[@name=$v][not(self::XCUIElementTypeStaticText and @value=$v)]"
# What each kind looks for in a page source, as (Android's XPath, iOS's XPath), $v being the value; None: it
# cannot match there (iOS has no resource-ids). An XPath candidate is its own form on both.
_LOCAL_XPATHS: dict[str, tuple[str | None, str | None]] = {
    ACCESSIBILITY_ID: ("//*[@content-desc=$v]", _IOS_NAMED),
    SCROLL_TO_DESCRIPTION: ("//*[@content-desc=$v]", _IOS_NAMED),
    TEXT: ("//*[@text=$v]", "//*[@label=$v or @value=$v]"),
    SCROLL_TO_TEXT: ("//*[@text=$v]", "//*[@label=$v or @value=$v]"),
    TEXT_CONTAINS: ("//*[contains(@text, $v)]", "//*[contains(@label, $v) or contains(@value, $v)]"),
    TEXT_STARTS_WITH: ("//*[starts-with(@text, $v)]", "//*[starts-with(@label, $v) or starts-with(@value, $v)]"),
    RESOURCE_ID: ("//*[@resource-id=$v]", None),
    # XPath 1.0 has no regular expressions: a page source is read by the kinds above; this kind looks on the device.
    TEXT_MATCHES: (None, None),
}
# The NSPredicate operator each text kind compares label and value with (WDA evaluates it on the device).
_IOS_OPERATORS = {ACCESSIBILITY_ID: "==", SCROLL_TO_DESCRIPTION: "==", TEXT: "==", SCROLL_TO_TEXT: "==",
                  TEXT_CONTAINS: "CONTAINS", TEXT_STARTS_WITH: "BEGINSWITH", TEXT_MATCHES: "MATCHES"}
# The list to scroll, by what it is: a real screen's first scrollable view is often a full-screen pager or a
# strip that scrolls sideways, which a vertical scrollIntoView would swipe in vain.
_SCROLLABLE = ('new UiScrollable(new UiSelector().scrollable(true)'
               '.classNameMatches(".*(RecyclerView|ListView|WebView)"))')


def xpath_string(value: str) -> str:
    """An XPath 1.0 string literal for any text, quotes included ("J'aime" -> "J'aime")."""
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in value.split('"')) + ")"


def predicate_string(value: str) -> str:
    """An NSPredicate string literal for any text (double quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def platform_of(capabilities: dict) -> str:
    """The platform a session runs on, from its capabilities: 'ios' for platformName iOS (or an XCUITest
    automation), else 'android'."""
    name = str(capabilities.get("platformName") or capabilities.get("platform_name") or "").strip().lower()
    automation = str(capabilities.get("automationName") or capabilities.get("appium:automationName") or "").lower()
    return IOS if name in ("ios", "tvos") or automation == "xcuitest" else ANDROID


def java_string(value: str) -> str:
    """A Java string literal for a UiSelector argument."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Candidate:
    """One way to find an element: a kind, a value, the app releases whose words it carries (empty: any) and the
    language of its words (None: the same in every language, like a resource-id or a structure)."""

    kind: str
    value: str
    releases: frozenset[str] = frozenset()
    language: str | None = None
    platform: str | None = None  # the one platform it is written for (None: both)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown candidate kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if self.platform is not None and self.platform not in PLATFORMS:
            raise ValueError(f"unknown platform {self.platform!r}; use one of {', '.join(PLATFORMS)}")

    def runs_on(self, platform: str | None) -> bool:
        """Whether this candidate can match on the platform (None: not known yet, any can)."""
        if platform is None:
            return True
        if self.kind == RESOURCE_ID and platform == IOS:
            return False  # iOS has no resource-ids
        return self.platform is None or self.platform == platform

    def appium(self, first_only: bool = False, platform: str = ANDROID) -> tuple[str, str]:
        """The (strategy, selector) pair sent to Appium's find command.

        `first_only` (a caller that uses the first view found): a UiSelector picks `instance(0)`, so that the
        UiAutomator2 server searches once; asked for every view, it looks for instance 0, 1, 2... until one is
        missing, a search each (appium-uiautomator2-server, utils/ByUiAutomatorFinder.java). Accessibility id,
        id and XPath finds walk the screen once either way.

        On iOS a word is an NSPredicate on the label or the value (WDA's StaticText shows its text in both),
        and a scrolling kind looks like its plain kind: XCUITest has no find that scrolls (the finder scrolls
        with `mobile: scroll` when such a find misses).
        """
        if platform == IOS:
            return self._xcuitest()
        if self.kind == ACCESSIBILITY_ID:
            return ACCESSIBILITY_ID, self.value
        if self.kind == RESOURCE_ID:
            return "id", self.value
        if self.kind == XPATH:
            return XPATH, self.value
        method = {TEXT: "text", TEXT_CONTAINS: "textContains", TEXT_STARTS_WITH: "textStartsWith",
                  TEXT_MATCHES: "textMatches", SCROLL_TO_TEXT: "text", SCROLL_TO_DESCRIPTION: "description"}[self.kind]
        # The server's UiSelector parser turns \" into " and keeps every other backslash (appium-uiautomator2-server,
        # UiExpressionParser): a regular expression goes as written, its quotes escaped.
        argument = f'"{self.value.replace(chr(34), chr(92) + chr(34))}"' if self.kind == TEXT_MATCHES else None
        selector = f"new UiSelector().{method}({argument or java_string(self.value)})"
        if self.kind in (SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION):
            # One command: UiAutomator2 scrolls the list on the device until the row shows.
            return _UIAUTOMATOR, f"{_SCROLLABLE}.scrollIntoView({selector})"
        return _UIAUTOMATOR, f"{selector}.instance(0)" if first_only else selector

    def _xcuitest(self) -> tuple[str, str]:
        if self.kind in (ACCESSIBILITY_ID, SCROLL_TO_DESCRIPTION):
            # WDA's `name` (the identifier, else the label), as Android's content-desc: what describes a view, not
            # what a text shows. On iOS every text is named by its words, so a caption "Budget" beside the value
            # described as "Budget" has the same name; only a StaticText whose value is its name is a caption.
            literal = predicate_string(self.value)
            return _PREDICATE, (f'name == {literal} AND NOT (type == "XCUIElementTypeStaticText" '
                                f"AND value == {literal})")
        if self.kind == XPATH:
            return XPATH, self.value
        if self.kind == RESOURCE_ID:
            raise ValueError(f"{self.describe()} has no iOS form: iOS has no resource-ids")
        operator, literal = _IOS_OPERATORS[self.kind], predicate_string(self.value)
        return _PREDICATE, f"label {operator} {literal} OR value {operator} {literal}"

    def local_xpath(self, platform: str = ANDROID) -> str | None:
        """The XPath that finds the same element in a page-source snapshot ($v is the value); None when the
        candidate cannot match on that platform's page source."""
        if self.kind == XPATH:
            return self.value
        android, ios = _LOCAL_XPATHS[self.kind]
        return ios if platform == IOS else android

    def filled(self, values: dict[str, str]) -> Candidate:
        """This candidate with {placeholders} replaced (a row's title, say)."""
        value = self.value
        for key, text in values.items():
            value = value.replace("{" + key + "}", text)
        return replace(self, value=value)

    def describe(self) -> str:
        return f'{self.kind} "{self.value}"'

    def speaks(self, language: str | None) -> bool:
        """Whether this candidate can match on a screen in `language` (None: language unknown, any can)."""
        return language is None or self.language is None or self.language == language


@dataclass(frozen=True)
class Target:
    """A named thing on a screen and the ordered candidates that find it; the first is the primary."""

    name: str
    candidates: tuple[Candidate, ...]

    def __post_init__(self) -> None:
        if not self.candidates:
            raise ValueError(f"target {self.name!r} needs at least one candidate")

    @property
    def primary(self) -> Candidate:
        return self.candidates[0]

    def filled(self, **values: str) -> Target:
        """The target with placeholders filled, e.g. ROW.filled(title="Studio tour")."""
        return replace(self, candidates=tuple(c.filled(values) for c in self.candidates))

    def index_of(self, candidate: Candidate) -> int:
        return self.candidates.index(candidate)


def _candidate(kind: str, value: str, releases: tuple[str, ...]) -> Candidate:
    return Candidate(kind, value, frozenset(releases))


def language_of(locale: str | None) -> str | None:
    """The language part of a device locale: 'fr_FR' -> 'fr', 'en-US' -> 'en'; None when unknown."""
    if not locale or not locale.strip():
        return None
    return locale.strip().replace("-", "_").split("_")[0].lower() or None


def accessibility_id(value: str, *releases: str) -> Candidate:
    """Matches the content-desc (what TalkBack reads); the most stable name an element has."""
    return _candidate(ACCESSIBILITY_ID, value, releases)


def text(value: str, *releases: str) -> Candidate:
    """Matches the exact text a person reads."""
    return _candidate(TEXT, value, releases)


def text_contains(value: str, *releases: str) -> Candidate:
    return _candidate(TEXT_CONTAINS, value, releases)


def text_starts_with(value: str, *releases: str) -> Candidate:
    return _candidate(TEXT_STARTS_WITH, value, releases)


def text_matches(pattern: str, *releases: str) -> Candidate:
    """A view whose whole text matches the regular expression (looked for on the device only: no page source)."""
    return _candidate(TEXT_MATCHES, pattern, releases)


def resource_id(value: str, *releases: str) -> Candidate:
    """Matches the Android resource-id; last resort, the app renames them each release."""
    return _candidate(RESOURCE_ID, value, releases)


def scroll_to_text(value: str, *releases: str) -> Candidate:
    """Scrolls the screen's list until an element with this text shows (one command)."""
    return _candidate(SCROLL_TO_TEXT, value, releases)


def scroll_to_description(value: str, *releases: str) -> Candidate:
    return _candidate(SCROLL_TO_DESCRIPTION, value, releases)


def xpath(value: str, *releases: str) -> Candidate:
    """A structural locator (e.g. the rows of the scrollable list) when no label exists."""
    return _candidate(XPATH, value, releases)


def android_xpath(value: str, *releases: str) -> Candidate:
    """A structural locator over Android's classes (android.widget.*): never tried on iOS."""
    return Candidate(XPATH, value, frozenset(releases), platform=ANDROID)


def ios_xpath(value: str, *releases: str) -> Candidate:
    """A structural locator over WDA's XCUIElementType* elements: never tried on Android."""
    return Candidate(XPATH, value, frozenset(releases), platform=IOS)


def target(name: str, *candidates: Candidate) -> Target:
    return Target(name, tuple(candidates))


def names_of(targets: tuple[Target, ...]) -> str:
    """The targets' names as an error's sentence says them: '"Promotions" or "Profile"'."""
    return " or ".join(f'"{t.name}"' for t in targets)


class LocatorMemory:
    """What matched before: the candidate per target, the app releases the screen's words match, and its locale.

    Shared by every find of a session (and by sessions on the same device and world), so the cost
    of a fallback is paid once. With a `locale` (the device's, or the one the run was told), only the
    candidates in its language (and those of no language) are tried: a French phone is never searched
    for English words.

    The device's locale costs a command to ask (`locale_source`), and the words need only the language,
    which the screen itself tells: a match by a word only one language has (English "Profile", French
    "Profil") says the app speaks that language. So the locale is asked when a value needs its region
    (an amount, a count: `locale`), or when a find in the language seen so far misses (`ask_locale`):
    a phone in another language pays one find more, never a search in every language.
    """

    def __init__(self, by_target: dict[str, int] | None = None, matched_releases: frozenset[str] = frozenset(),
                 locale: str | None = None) -> None:
        self.by_target = by_target if by_target is not None else {}
        self.matched_releases = matched_releases
        self._locale, self._locale_known = locale, locale is not None
        self._seen_language: str | None = None  # told by the words matched while the locale is not known
        self._tried_first: set[str] = set()  # targets last matched by a release's id tried before their XPath
        # The app release its version names (a session sets it before the first find; None: unknown).
        self.release: str | None = None
        # The platform the app runs on (android, ios), from the session's capabilities; None: unknown, any.
        self.platform: str | None = None
        # Asked once, when a value or a miss needs it (a session sets it): the device's locale.
        self.locale_source: Callable[[], str | None] | None = None

    @property
    def locale(self) -> str | None:
        """The device's locale, for reading amounts and counts (None: unknown; asked of the device once)."""
        self.ask_locale()
        return self._locale

    @locale.setter
    def locale(self, value: str | None) -> None:
        self._locale, self._locale_known = value, True

    @property
    def locale_known(self) -> bool:
        return self._locale_known

    def ask_locale(self) -> bool:
        """Ask the device its locale now, if nobody has yet; whether this asked (the language may have changed)."""
        if self._locale_known or self.locale_source is None:
            return False
        source, self.locale_source = self.locale_source, None
        self._locale, self._locale_known = source(), True
        return True

    @property
    def language(self) -> str | None:
        """The language the screen's words are in: the locale's, else the one its words showed (None: any)."""
        if self._locale_known or self.locale_source is None:
            return language_of(self._locale)
        return self._seen_language

    def allowed(self, target: Target) -> list[Candidate]:
        """The target's candidates that can match a screen in this memory's language and platform, in list order."""
        language, platform = self.language, self.platform
        return [c for c in target.candidates if c.speaks(language) and c.runs_on(platform)]

    def primary(self, target: Target) -> Candidate:
        """The candidate a target is meant to match in this language (a match by any other is drift).

        On an app whose release is known (its version names one), the release's own words are meant: the one
        that matched when it is of that release (or of every release), since a release's screens answer to its
        words by whatever they carry (a web page has no content-desc), else the release's first. A match by
        another release's words only is drift. Release unknown: the target's first candidate in the language.
        """
        allowed = self.allowed(target)
        known = self.by_target.get(target.name)
        remembered = target.candidates[known] if known is not None and known < len(target.candidates) else None
        if self.release is not None:
            ours = [c for c in allowed if not c.releases or self.release in c.releases]
            if remembered is not None and remembered in ours:
                return remembered
            meant = ours[0] if ours else allowed[0] if allowed else target.primary
        else:
            meant = allowed[0] if allowed else target.primary
        # `ordered` tries the matched releases' ids before an XPath of any release: a match by such an id says
        # nothing of the XPath, which was never tried, so it is no drift.
        if remembered is not None and meant.kind == XPATH and not meant.releases and target.name in self._tried_first:
            return remembered
        return meant

    def ordered(self, target: Target) -> list[Candidate]:
        """The candidates in the order to try them now."""
        candidates = self.allowed(target)
        known = self.by_target.get(target.name)
        remembered = target.candidates[known] if known is not None and known < len(target.candidates) else None
        first = [remembered] if remembered is not None and remembered in candidates else []
        rest = [c for c in candidates if c not in first]
        if self.matched_releases:
            # Stable sort: candidates of the matched releases (or of any release) first, list order otherwise. An
            # XPath of any release comes after those of the matched releases: UiAutomator2 answers an XPath by
            # building the whole tree, as a page source does (a second on a phone), where an id of the release the
            # app has shown it is is one search; the XPath stays for a release not known yet.
            rest.sort(key=lambda c: 0 if c.releases & self.matched_releases else
                      (1 if c.kind == XPATH else 0) if not c.releases else 2)
        return first + rest

    def may_show(self, target: Target) -> bool:
        """Whether the app, as far as its matches so far tell its release, can show this target at all.

        False only when every candidate belongs to releases that the matches so far rule out (a
        "TikTok Studio" entry on an app that answered to the guide's "Me"): an optional look that is bound
        to miss need not be made.
        """
        if not self.matched_releases:
            return True
        return any(not c.releases or c.releases & self.matched_releases for c in self.allowed(target))

    def remember(self, target: Target, candidate: Candidate) -> None:
        self.by_target[target.name] = target.index_of(candidate)
        # Whether `ordered` put this candidate before an XPath of any release (judged before the match narrows
        # the releases): then the XPath was not tried and the match is no drift.
        if candidate.releases & self.matched_releases:
            self._tried_first.add(target.name)
        else:
            self._tried_first.discard(target.name)
        if (not self._locale_known and candidate.language is not None
                and not any(c.value == candidate.value and c.language != candidate.language
                            for c in target.candidates)):
            self._seen_language = candidate.language  # a word of one language only: the app speaks it
        if candidate.releases:
            # Narrow to the releases every recent match agrees on; start over when they disagree.
            self.matched_releases = (self.matched_releases & candidate.releases) or candidate.releases


class MemoryBank:
    """One LocatorMemory per device and app release (key), kept for the whole test run."""

    def __init__(self) -> None:
        self._memories: dict[str, LocatorMemory] = {}

    def for_key(self, key: str) -> LocatorMemory:
        return self._memories.setdefault(key, LocatorMemory())
