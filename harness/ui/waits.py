"""Waiting on conditions with a monotonic deadline; no fixed sleeps.

Every wait in the harness is "until this shows, or this much time has passed". The pause between
two looks uses an Event that nobody sets: the same as sleeping, but it reads as what it is, a bounded
wait, and it cannot be mistaken for a fixed delay someone added to make a test pass.
"""

from __future__ import annotations

import threading
import time


class WaitTally:
    """The time a session's waits spent pausing between two looks at the screen: time spent on what was not
    there (yet). A device that answers at once should leave it near zero; on a phone each pause is paid
    again, so a wait on something that will never show costs its whole timeout."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.pauses = 0

    def add(self, seconds: float) -> None:
        self.seconds += seconds
        self.pauses += 1


class Deadline:
    """A moment in monotonic time by which a condition must hold."""

    def __init__(self, seconds: float, tally: WaitTally | None = None) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._never_set = threading.Event()
        self._tally = tally

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def pause(self, interval: float) -> None:
        """Let `interval` seconds pass between two looks, never past the deadline (counted in the tally as
        asked, not as the clock measured it: a loaded machine does not make a wait look longer)."""
        seconds = min(interval, self.remaining())
        if self._tally is not None:
            self._tally.add(seconds)
        self._never_set.wait(seconds)


def pause(seconds: float) -> None:
    """Let a bounded moment pass (a back-off between two tries of one command)."""
    threading.Event().wait(seconds)

