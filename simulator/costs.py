"""What a command costs on a phone, by kind: the virtual device's phone-like latency model.

The flat model (`latency_ms`) charges every command the same. A phone through Appium 3 and the
UiAutomator2 server does not: a page source walks the whole accessibility tree and serialises it (a
TikTok home or profile screen is about 200 nodes, 100 KB of XML), and so does a find by XPath, which the
server answers by building that same document and querying it; a find by accessibility id, id or
UiSelector asks UiAutomator for the first match; a tap or a gesture waits for the app to be idle after
it (the server's waitForIdle); a screenshot is a capture and a PNG encode; a session start launches the
app. `sim:faults` `{"cost_model": "phone"}` charges each command its kind's median cost (base plus a
share per node of the screen it walks), times a seeded log-normal spread (`latency_sigma`, default
0.35 here), plus `latency_ms` as the network between client and Appium.

The table and its sources are in docs/performance.md ("The phone-like cost model"); the numbers are
medians for a mid-range phone over USB, calibrated from public reports, not measurements of ours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["PHONE", "PHONE_SCREEN_NODES", "CommandKind", "Cost", "kind_of", "phone_seconds"]

DEFAULT_SIGMA = 0.35
# A TikTok home or profile screen holds 190-220 nodes on a phone (docs/app-facts.md, seen); the
# virtual device draws its screens with fewer (28 on the feed). A walk is charged for at least this many
# nodes, so that reading a whole screen never looks cheaper here than on a phone.
PHONE_SCREEN_NODES = 200


class CommandKind(StrEnum):
    """What a command makes the UiAutomator2 server do, as far as its cost goes."""

    SOURCE = "source"  # dump and serialise the whole tree
    FIND_XPATH = "find by xpath"  # the same dump, then an XPath query over it
    FIND = "find"  # accessibility id, id, class name, UiSelector: UiAutomator's own search
    READ = "read"  # an element's text, attribute, rect, displayed: one cached node
    TAP = "tap"  # element click, a W3C pointer tap, mobile: clickGesture: then wait for idle
    GESTURE = "gesture"  # swipes, scrolls, flings, long presses: the motion, then wait for idle
    SCREENSHOT = "screenshot"  # capture and PNG-encode the screen
    KEY = "key"  # back, a key code: an input event, then wait for idle
    APP = "app"  # activate or terminate the app
    SESSION = "session start"  # launch the app and the instrumentation
    OTHER = "other"  # timeouts, contexts, settings, deviceInfo: a round trip and little work


@dataclass(frozen=True)
class Cost:
    """A kind's median cost: a base, a share per node of the screen, and the idle wait after it."""

    base_ms: float
    per_node_ms: float = 0.0
    settle_ms: float = 0.0

    def median_ms(self, nodes: int) -> float:
        return self.base_ms + self.per_node_ms * nodes + self.settle_ms


# Medians for a mid-range phone over USB through Appium 3 + UiAutomator2 (docs/performance.md: sources).
PHONE: dict[CommandKind, Cost] = {
    CommandKind.SOURCE: Cost(base_ms=150, per_node_ms=4.0),  # ~950 ms on a 200-node TikTok screen
    CommandKind.FIND_XPATH: Cost(base_ms=170, per_node_ms=4.0),
    CommandKind.FIND: Cost(base_ms=60, per_node_ms=0.25),  # UiAutomator stops at the first match
    CommandKind.READ: Cost(base_ms=45),
    # The idle wait after an element click is the device's own (Session.wait_for_idle: real time, up to the
    # waitForIdleTimeout setting: the rest of a transition, the whole timeout on the feed), not a median here.
    CommandKind.TAP: Cost(base_ms=60),
    CommandKind.GESTURE: Cost(base_ms=350, settle_ms=300),
    CommandKind.SCREENSHOT: Cost(base_ms=180),
    CommandKind.KEY: Cost(base_ms=60, settle_ms=300),
    CommandKind.APP: Cost(base_ms=900),
    CommandKind.SESSION: Cost(base_ms=2500),
    CommandKind.OTHER: Cost(base_ms=40),
}

_GESTURES = ("swipeGesture", "scrollGesture", "flingGesture", "longClickGesture", "dragGesture", "pinchOpenGesture",
             "pinchCloseGesture", "doubleClickGesture")
_TAPS = ("clickGesture",)
_APP = ("activateApp", "terminateApp", "startActivity", "backgroundApp")
_KEYS = ("pressKey",)


def _script_kind(body: Any) -> CommandKind:
    script = body.get("script", "") if isinstance(body, dict) else ""
    method = script.removeprefix("mobile:").strip() if isinstance(script, str) else ""
    if method in _TAPS:
        return CommandKind.TAP
    if method in _GESTURES:
        return CommandKind.GESTURE
    if method in _APP:
        return CommandKind.APP
    if method in _KEYS:
        return CommandKind.KEY
    return CommandKind.OTHER


def _actions_kind(body: Any) -> CommandKind:
    """A W3C actions chain: a tap when every pointer only goes down and up in place, else a gesture."""
    sources = body.get("actions", []) if isinstance(body, dict) else []
    for source in sources if isinstance(sources, list) else []:
        steps = source.get("actions", []) if isinstance(source, dict) else []
        moves = [s for s in steps if isinstance(s, dict) and s.get("type") == "pointerMove"]
        pauses = sum(s.get("duration", 0) or 0 for s in steps if isinstance(s, dict) and s.get("type") == "pause"
                     and isinstance(s.get("duration", 0), int | float))
        if len(moves) > 1 or pauses >= 500:
            return CommandKind.GESTURE
    return CommandKind.TAP


def kind_of(route: str, body: Any) -> CommandKind:
    """The kind of a session command, from its route template ("POST /session/:sid/element") and body."""
    method, _, template = route.partition(" ")
    tail = template.removeprefix("/session/:sid")
    if tail == "/source":
        return CommandKind.SOURCE
    if tail.endswith(("/element", "/elements")):
        using = body.get("using") if isinstance(body, dict) else None
        return CommandKind.FIND_XPATH if using == "xpath" else CommandKind.FIND
    if tail.endswith("/click"):
        return CommandKind.TAP
    if tail in ("/screenshot",) or tail.endswith("/screenshot"):
        return CommandKind.SCREENSHOT
    if tail == "/actions" and method == "POST":
        return _actions_kind(body)
    if tail == "/back":
        return CommandKind.KEY
    if tail.startswith("/execute"):
        return _script_kind(body)
    if tail.startswith("/element/:eid/") or tail.startswith("/appium/element/"):
        return CommandKind.READ
    if tail.startswith("/appium/device/") and ("activate" in tail or "terminate" in tail):
        return CommandKind.APP
    return CommandKind.OTHER


def phone_seconds(kind: CommandKind, nodes: int, sigma: float, rng: random.Random) -> float:
    """A command's cost in seconds: its kind's median on a screen of `nodes` nodes, log-normally spread."""
    median = PHONE[kind].median_ms(max(nodes, PHONE_SCREEN_NODES) if PHONE[kind].per_node_ms else 0) / 1000
    spread = sigma if sigma > 0 else DEFAULT_SIGMA
    return rng.lognormvariate(0, spread) * median
