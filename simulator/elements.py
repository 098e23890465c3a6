"""Element ids and finds, whatever the platform: the registry of ids handed to a client, and the implicit wait.

An element id points at a node's key, never at the node: a view that disappears (navigation, a recycled row, a
re-render) makes the id stale, as on a phone. The find loop is the Appium base driver's: look, and if nothing
is there, look again every half second until the implicit wait runs out (base-driver implicitWaitForCondition).
Each platform's session says how one look is made (`locate`) and what it answers when nothing was found.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from tiktok_promo.simulator.errors import NO_SUCH_ELEMENT_MESSAGE, NoSuchElement

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
# The driver polls an implicit wait every 500 ms (base-driver implicitWaitForCondition), not faster.
POLL_SECONDS = 0.5


def element_ref(element_id: str) -> dict[str, str]:
    """An element as the W3C protocol (and Appium's JSONWP compatibility key) sends it."""
    return {ELEMENT_KEY: element_id, "ELEMENT": element_id}


def element_id_of(value: Any) -> str | None:
    """The id inside an element reference (W3C or JSONWP key), or None when `value` is none."""
    if isinstance(value, dict):
        found = value.get(ELEMENT_KEY) or value.get("ELEMENT")
        return found if isinstance(found, str) else None
    return None


class Keyed(Protocol):
    """Anything on screen an element id can point at: it has a key, stable while it stays on screen."""

    key: str


class ElementIds:
    """The ids one session handed out, each bound to the key of what it was found as."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._keys: dict[str, str] = {}

    def id_for(self, node: Keyed) -> str:
        element_id = self._ids.get(node.key)
        if element_id is None:
            element_id = str(uuid.uuid4())
            self._ids[node.key] = element_id
            self._keys[element_id] = node.key
        return element_id

    def key_of(self, element_id: str) -> str | None:
        return self._keys.get(element_id)

    @staticmethod
    def find_key(key: str, roots: Iterable[Any]) -> Any | None:
        """The node with this key under any of `roots` (which walk() themselves), or None."""
        for root in roots:
            for node in root.walk():
                if node.key == key:
                    return node
        return None


class FindWaits(Protocol):
    """What the find loop needs of its session: its lock, its implicit wait and where it counts the waiting."""

    lock: threading.RLock
    implicit_wait_ms: int

    def count_find_wait(self, seconds: float) -> None: ...


def wait_for(session: FindWaits, look: Callable[[], list[Any] | None]) -> list[Any]:
    """Look (under the session's lock) until `look` answers something or the implicit wait is over.

    What the find spent waiting is counted from its first miss to its end, the looks between naps included (on
    a real-size screen a look takes a few milliseconds of the implicit wait)."""
    deadline = time.monotonic() + session.implicit_wait_ms / 1000
    first_miss: float | None = None  # the end of the first look, when it missed
    try:
        while True:
            with session.lock:
                found = look()
                if found:
                    return found
            now = time.monotonic()
            first_miss = now if first_miss is None else first_miss
            if now >= deadline:
                return []
            time.sleep(min(POLL_SECONDS, deadline - now))
    finally:
        if first_miss is not None:
            session.count_find_wait(time.monotonic() - first_miss)


def find_answer(session: FindWaits, look: Callable[[], list[dict[str, str]]], multiple: bool) -> Any:
    """A find's answer: the element references `look` gives under the implicit wait, all of them or the first;
    nothing found is an empty list, or `no such element` for one."""
    refs = wait_for(session, look)
    if refs:
        return refs if multiple else refs[0]
    if multiple:
        return []
    raise NoSuchElement(NO_SUCH_ELEMENT_MESSAGE)
