"""The drift record: which targets were found by a fallback candidate instead of their primary one.

A fallback match still finds the element, so the test passes; the record makes the change visible
in the report (an Allure step, an attachment and a category) long before the fallback disappears too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tiktok_promo.harness.ui.locators import Candidate, Target


@dataclass(frozen=True)
class DriftEvent:
    """One target that matched a fallback: what was expected and what matched instead."""

    target: str
    expected: str
    matched: str
    releases: tuple[str, ...]

    def sentence(self) -> str:
        release = f" ({', '.join(self.releases)} release)" if self.releases else ""
        return f'Locator drift: "{self.target}" matched {self.matched}{release}, not its primary {self.expected}'


class DriftRecord:
    """The drift events of one session, each target recorded once."""

    def __init__(self, on_drift: Callable[[DriftEvent], None] | None = None) -> None:
        self.events: list[DriftEvent] = []
        self.on_drift = on_drift
        self._seen: set[str] = set()

    def note(self, target: Target, candidate: Candidate, primary: Candidate | None = None) -> DriftEvent | None:
        """Record a match; returns the drift event when it is a new fallback match.

        `primary` is the candidate meant to match in the screen's language (default: the target's first).
        """
        primary = primary or target.primary
        if candidate == primary or target.name in self._seen:
            return None
        self._seen.add(target.name)
        event = DriftEvent(target.name, primary.describe(), candidate.describe(),
                           tuple(sorted(candidate.releases)))
        self.events.append(event)
        if self.on_drift is not None:
            self.on_drift(event)
        return event

    def summary(self) -> str:
        """All events as lines of text, for an attachment or a status message."""
        return "\n".join(event.sentence() for event in self.events)

    def __bool__(self) -> bool:
        return bool(self.events)
