"""Waiting on conditions with a monotonic deadline; no fixed sleeps.

Every wait in the harness is "until this shows, or this much time has passed". The pause between
two looks uses an Event that nobody sets: the same as sleeping, but it reads as what it is, a bounded
wait, and it cannot be mistaken for a fixed delay someone added to make a test pass. A run that is stopping
can end the waits of the threads that only read at once (`give_up_waits_when`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_given_up = threading.local()  # the Event that ends this thread's waits early (see `give_up_waits_when`)


class WaitAbandoned(Exception):
    """A wait ended early because the run is stopping (Ctrl+C while it only reads): not a failure of the device
    or the app, so no recovery retries it (it is not a HarnessError) and no report files it as one."""


@contextmanager
def give_up_waits_when(stopping: threading.Event) -> Iterator[None]:
    """In this thread, every wait below ends at once with WaitAbandoned once `stopping` is set.

    For work that only reads (opening the app, reading the list): a stop need not wait out a slow list's
    spinner. Never around a cancel, whose confirm must be followed by the read that records what the app shows.
    """
    before = getattr(_given_up, "event", None)
    _given_up.event = stopping
    try:
        yield
    finally:
        _given_up.event = before


def _wait(pause_for: float, never_set: threading.Event) -> None:
    stopping: threading.Event | None = getattr(_given_up, "event", None)
    if stopping is None:
        never_set.wait(pause_for)
    elif stopping.is_set() or stopping.wait(pause_for):
        raise WaitAbandoned("the run is stopping")


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
        _wait(seconds, self._never_set)


def pause(seconds: float) -> None:
    """Let a bounded moment pass (a back-off between two tries of one command)."""
    _wait(seconds, threading.Event())

