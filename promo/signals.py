"""Ctrl+C, SIGTERM and SIGHUP during one `promo` run, and the last line and exit code of a stopped run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

from tiktok_promo.promo.errors import ExitCode, Stopped
from tiktok_promo.promo.fit import say


class RunSignals:
    """Ctrl+C, SIGTERM and SIGHUP for one `promo` run: the first stops it, the ones after only say what it
    still does; once the run is over, none interrupts anything (the output and the audit are complete).

    The first raises `Stopped` (a KeyboardInterrupt) in the main thread while the run is armed. A second must
    not cut a cancel short between the confirm and its audit line, nor kill the process while it prints what
    was done: it never raises, and once the run is over the signals are ignored until the process ends (when
    promo is the process). A signal the process was started with ignored (nohup, a background job) stays ignored.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self.armed = True  # the first signal raises Stopped; after the run, signals are only counted
        self.doing: Callable[[], str] = lambda: "stopping; nothing more is attempted."
        self._before: dict[int, Any] = {}

    def install(self) -> RunSignals:
        if threading.current_thread() is not threading.main_thread():
            return self  # signals reach the main thread only (and only it may install handlers)
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                self._before[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        if len(self.received) == 1 and self.armed:
            raise Stopped(signum)
        if len(self.received) == 2 and self.armed:
            say(f"promo: {self.doing()}")

    def restore(self) -> None:
        """The handlers from before (for a caller that runs promo inside its own process, such as a test)."""
        for number, handler in self._before.items():
            signal.signal(number, handler)

    def ignore_from_now(self) -> None:
        """The run is over and its exit code chosen: the signals it handled are ignored until the process ends.

        Python puts back the default action of every signal that has a Python handler while it shuts down
        (a few hundred milliseconds after the last line): a signal then would kill the process by the signal,
        not with the exit code. An ignored signal keeps being ignored.
        """
        for number in self._before:
            signal.signal(number, signal.SIG_IGN)


def interrupted(stop: KeyboardInterrupt) -> int:
    """The last line of a stopped run and its exit code: 130 for Ctrl+C, 128 + the signal for the others."""
    signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
    how = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
    done = getattr(stop, "done", None) or "promotions not yet confirmed were left as they were"
    say(f"promo: {how}; {done}.")
    return ExitCode.INTERRUPTED if signum == signal.SIGINT else 128 + signum
