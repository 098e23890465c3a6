"""What a command costs on this device, learned while the session runs: how the finder chooses to read a screen.

A screen can be read two ways. One page source answers every question about it at once, but the
UiAutomator2 server builds it by walking and serialising the whole accessibility tree: on a phone
that is the most expensive command there is (about a second on a 200-node TikTok screen). A find by
accessibility id or UiSelector, then a read of the element found, asks for one view only. Which way
is cheaper depends on how many values a step needs, on the screen's size and on where the time goes:
on a phone over USB the device's own work dominates, so two values are cheaper by finds; through a
slow network every command costs about the same round trip, so one page source beats two finds.

So the finder does not guess: every command's wall time is recorded here with its kind, and the
costs are modelled as `network + speed x work(kind)`, where `work` is a phone's median for that kind
(WORK below; docs/performance.md has the figures and their sources) and `network` and `speed` are
fitted by least squares (both at least 0) to the median time of each kind in this session (a median,
so that the odd slow moment of the machine or the network says nothing of the device). The fit only
has to predict the page source, which a session reading by finds never times; finds and reads cost what
they have cost.
Without its start timed, and before two kinds have been timed, the device is taken for a phone over USB
(network 0, speed 1), the costly case to get wrong.

The session's start says early what kind of device answers: a phone's UiAutomator2 session launches the app and
its instrumentation (about 2.5 s, LAUNCH_S), a virtual device answers in one round trip. The first kinds timed
(a find, a tap, a read: a tenth of a second of work apart) say little of the speed, the slope between them drowned
in a moment's noise (one seed in four took a phone for a flat round trip at the profile). So once the start is
timed, the fit leans toward the speed it suggests by as much as PRIOR_SPREAD of spread in work would weigh (a
ridge fit); a kind that a whole screen's work sets apart (a page source, an XPath find) soon outweighs it. The
start tells a kind of device, not its speed: a start of PHONE_START_S or more launched an app, which no virtual
device and no round trip takes, and suggests a phone's speed (1) however much longer it took (a cloud allocates a
device first) or shorter (a phone's start varies as each of its commands does: one that started in 1.8 s, seed 3
of the phone model, read a details screen by one page source of 1.1 s where finds cost 0.6 s, when the start
counted as 0.7 of a phone's speed); a quicker start suggests a speed in proportion.
The model only ranks two ways of reading; a wrong rank costs time, never a wrong answer.

A find by UiSelector is left out of the medians, and so is every read and tap of an element it found:
the UiAutomator2 server looks for instance 0, 1, 2... of a UiSelector until one is missing (a find of
one view searches twice; appium-uiautomator2-server, utils/ByUiAutomatorFinder.java), and the element
it returns is a UiObject, which searches the screen again for each read and tap (model/UiObjectElement.java).
Their times say nothing of the finds by accessibility id and the reads a look at a details screen makes.
"""

from __future__ import annotations

import statistics
from enum import StrEnum
from typing import Any

__all__ = ["CommandCosts", "Kind", "kind_of"]

SCREEN_NODES = 200  # a TikTok home or profile screen on a phone (docs/app-facts.md, seen)
MARGIN_S = 0.025  # how much cheaper finds must be than a page source to be chosen
KEPT = 25  # recent times kept per kind
LAUNCH_S = 2.5  # a phone's session start: the app and UiAutomator2's instrumentation launched (simulator/costs.py)
PHONE_START_S = 1.0  # a start this slow launched an app: a phone's (or a cloud's), never a round trip's
PRIOR_SPREAD = 0.01  # s^2: how much the start's hint weighs, as a kind 0.1 s of work from the others would


class Kind(StrEnum):
    """The kinds of command whose cost differs on a phone."""

    SOURCE = "page source"  # the whole tree, walked and serialised
    FIND = "find"  # UiAutomator's own search: accessibility id, id, UiSelector
    FIND_XPATH = "find by xpath"  # the server builds the whole tree's XML, then queries it
    READ = "read"  # one element's text, attribute or state
    TAP = "tap"  # a tap, then the server waits for the app to be idle
    OTHER = "other"  # gestures, screenshots, settings, scripts: timed, not modelled


# A phone's median work in ms, as (base, per node of the screen); docs/performance.md, "The phone-like cost model".
WORK: dict[Kind, tuple[float, float]] = {
    Kind.SOURCE: (150.0, 4.0),
    Kind.FIND_XPATH: (170.0, 4.0),
    Kind.FIND: (60.0, 0.25),
    Kind.READ: (45.0, 0.0),
    Kind.TAP: (60.0, 0.0),  # the session runs at waitForIdleTimeout 0: a tap waits for no idle app
}
_FINDS = {"findElement", "findElements", "findChildElement", "findChildElements"}
# Scripts that only ask the device a fact: a round trip and little work, as an element read is.
_ASKS = {"mobile: deviceInfo", "mobile: getCurrentActivity", "mobile: getCurrentPackage", "mobile: queryAppState"}
_READS = {"getElementText", "getElementAttribute", "getElementProperty", "getElementRect", "isElementDisplayed",
          "isElementEnabled", "isElementSelected", "getElementTagName"}


def kind_of(command: str, params: dict[str, Any] | None) -> Kind:
    """The kind of a WebDriver command, by its name (Selenium's command names) and parameters."""
    if command == "getPageSource":
        return Kind.SOURCE
    if command in _FINDS:
        return Kind.FIND_XPATH if (params or {}).get("using") == "xpath" else Kind.FIND
    if command in _READS:
        return Kind.READ
    if command == "clickElement":
        return Kind.TAP
    if command in ("w3cExecuteScript", "executeScript"):
        script = str((params or {}).get("script", "")).strip()
        if script in ("mobile: clickGesture", "mobile: tap"):
            return Kind.TAP
        return Kind.READ if script in _ASKS else Kind.OTHER
    return Kind.OTHER


class CommandCosts:
    """This session's commands, timed by kind, and what each way of reading a screen would cost on it."""

    def __init__(self) -> None:
        self.nodes = SCREEN_NODES  # the screen's size: the last page source's, at least a TikTok screen's
        # Each kind's recent times (its work then, its seconds): their median is the kind's own cost, untouched
        # by the odd slow moment of the machine or the network.
        self._times: dict[Kind, list[tuple[float, float]]] = {}
        self.selector_found: set[str] = set()  # ids of the elements a UiSelector found (see the module's note)
        self.hinted_speed: float | None = None  # what the session's start suggests of the speed (see launched())

    def launched(self, seconds: float) -> None:
        """How long the session took to start: the speed it suggests leans the fit while few kinds are timed."""
        self.hinted_speed = min(1.0, max(0.0, seconds) / PHONE_START_S)

    @property
    def timed(self) -> dict[Kind, int]:
        """How many commands of each kind have been timed (the most recent KEPT of each count)."""
        return {kind: len(times) for kind, times in self._times.items()}

    def saw(self, nodes: int) -> None:
        """The size of the screen a page source just showed (never taken below a real TikTok screen's)."""
        self.nodes = max(nodes, SCREEN_NODES)

    def work(self, kind: Kind, nodes: int | None = None) -> float:
        """A phone's median work for a command of this kind, in seconds, on a screen of `nodes` views."""
        base, per_node = WORK[kind]
        return (base + per_node * (self.nodes if nodes is None else nodes)) / 1000

    def record(self, command: str, params: dict[str, Any] | None, seconds: float) -> None:
        """One command's wall time (the driver calls this after each command)."""
        kind = kind_of(command, params)
        if kind is Kind.OTHER or self._by_selector(command, params or {}):
            return
        times = self._times.setdefault(kind, [])
        times.append((self.work(kind), seconds))
        del times[:-KEPT]

    def found(self, using: str, ids: list[str]) -> None:
        """The elements one find returned, and how: those of a UiSelector cost more to read and tap."""
        if using == "-android uiautomator":
            self.selector_found.update(ids)
        else:
            self.selector_found.difference_update(ids)

    def _by_selector(self, command: str, params: dict[str, Any]) -> bool:
        if command in _FINDS:
            return params.get("using") == "-android uiautomator"
        return params.get("id") in self.selector_found

    def typical(self, kind: Kind) -> float | None:
        """The median time of this kind's commands so far (None: none timed)."""
        times = self._times.get(kind)
        return statistics.median(m for _, m in times) if times else None

    def fit(self) -> tuple[float, float]:
        """(network seconds per command, speed against a phone), by least squares over each kind's median."""
        points = [(statistics.median(w for w, _ in times), statistics.median(m for _, m in times))
                  for times in self._times.values()]
        hint = self.hinted_speed
        if len(points) < (1 if hint is not None else 2):
            return 0.0, 1.0 if hint is None else hint
        n = len(points)
        sw, sm = sum(w for w, _ in points), sum(m for _, m in points)
        sww, swm = sum(w * w for w, _ in points), sum(w * m for w, m in points)
        spread = sww - sw * sw / n
        if hint is not None:  # ridge: the slope pulled toward the start's hint, as far as the points leave it free
            speed = (swm - sw * sm / n + PRIOR_SPREAD * hint) / (spread + PRIOR_SPREAD)
            network = (sm - speed * sw) / n
            return (network, speed) if network >= 0 else (0.0, swm / sww if sww > 0 else hint)
        if spread <= 1e-12:
            return 0.0, 1.0
        speed = (swm - sw * sm / n) / spread
        network = (sm - speed * sw) / n
        if speed < 0:  # every kind costs about the same: the round trip is all there is
            return sm / n, 0.0
        if network < 0:  # no fixed part: scale a phone's costs alone
            return 0.0, swm / sww
        return network, speed

    def estimate(self, kind: Kind, nodes: int | None = None) -> float:
        """What one command of this kind is expected to cost here, in seconds: as the fit predicts it."""
        network, speed = self.fit()
        return network + speed * self.work(kind, nodes)

    def expected(self, kind: Kind) -> float:
        """What one command of this kind costs here: its own median once timed, else the fit's prediction."""
        typical = self.typical(kind)
        return typical if typical is not None else self.estimate(kind)

    def source_estimate(self) -> float:
        """What a page source of this screen should cost: a page source's own median once one was timed on a
        screen this size; else what a find costs here plus the extra work of walking and writing the whole tree
        (the find's time holds whatever each command costs beyond the device's work, a page source pays it too)."""
        typical, find = self.typical(Kind.SOURCE), self.typical(Kind.FIND)
        if typical is not None:
            return typical
        if find is None:
            return self.estimate(Kind.SOURCE)
        _, speed = self.fit()
        return max(self.estimate(Kind.SOURCE), find + speed * (self.work(Kind.SOURCE) - self.work(Kind.FIND)))

    def source_is_cheaper(self, finds: int, reads: int) -> bool:
        """Whether one page source is the way to read a screen rather than `finds` finds and `reads` reads.

        Finds and reads cost what they have cost in this session; a page source, see source_estimate().
        Finds must be cheaper by MARGIN_S to be chosen: where every command takes a few milliseconds (a
        virtual device in this process) the choice is the one with fewer commands, whatever a slow moment
        made one kind look.
        """
        source = self.source_estimate()
        by_finds = finds * self.expected(Kind.FIND) + reads * self.expected(Kind.READ)
        return source - by_finds < MARGIN_S
