"""Recovery above the finder: begin a flow again, on the same session or a new one, within a budget.

The finder already recovers what is safe to repeat on the spot (a stale element, a pop-up, a spinner, a
hiccup on a command that only looks). What is left reaches here as a classified error, and `Recovery`
decides, per error, whether another attempt is safe and how it must begin:

- `SessionLost` (the session died): a new session; the flow begins again on the app's first screen.
- `DeviceHiccup`, `UnsureTap` (a server error outlived its retries): the app is closed and opened
  again, and the flow begins again.
- `TargetNotFound` (the screen did not show what a page expected): once, the same way; a second time
  it is the app (or a locator), not a passing state.
- `NotCancelled` without a status read (the outcome is unknown): the flow begins again and reads it.
- Never retried: `NotCancelled` with the status read (the app's own answer), `FlowRefused` (a check
  refused), `ConfigError` (a person's mistake), any other `DeviceError` (Appium unreachable, a
  session that cannot start: another try would say the same).

"Begins again" means from the first screen, with every check: the account on the profile, the list,
the chosen promotion and its ID. Nothing assumes where the app was. The confirm of a cancel is never
repeated here: a flow that begins again after a confirm may have reached the app reads the promotion's
status first (see `ConfirmCount` and flows.cancel_flow), and only a promotion the app still shows
running is cancelled again, at most `confirm_taps` confirms per promotion in all.

Every attempt counts against `RecoveryBudget` (attempts, new sessions, seconds); when it is spent the
last error is raised with what was tried appended to its sentence, so the report sorts it by its class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from tiktok_promo.flows.errors import FlowRefused, NotCancelled
from tiktok_promo.harness.errors import (
    ConfigError,
    DeviceError,
    DeviceHiccup,
    HarnessError,
    SessionLost,
    TargetNotFound,
    gave_up,
)
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.run.config import RecoveryBudget
from tiktok_promo.harness.ui.waits import Deadline
from tiktok_promo.pages.app import TikTokApp

if TYPE_CHECKING:
    from tiktok_promo.harness.run.session import AppiumSession
    from tiktok_promo.pages.feed import FeedPage

T = TypeVar("T")


@dataclass
class ConfirmCount:
    """The Confirm taps sent for one promotion in one run, across sessions.

    A tap is counted before it is sent: from then on a promotion the app shows cancelled was cancelled by
    this run (not "already cancelled"), and a promotion it shows running may get a new Cancel + Confirm
    only while taps are left. A tap proven not to have landed (the question was still on screen after a
    server error) is taken back from `sent`, but still counts in `tries`, which are bounded at twice the
    limit, so a server that fails every tap still ends the loop.
    """

    limit: int = 3
    sent: int = 0  # taps that may have reached the app
    tries: int = 0  # every tap

    @property
    def in_doubt(self) -> bool:
        """Whether a confirm of this run may have reached the app."""
        return self.sent > 0

    @property
    def left(self) -> int:
        return max(0, min(self.limit - self.sent, 2 * self.limit - self.tries))

    def count(self) -> None:
        self.sent += 1
        self.tries += 1

    def did_not_land(self) -> None:
        """The last tap is known not to have reached the app."""
        self.sent = max(0, self.sent - 1)


@dataclass(frozen=True)
class Attempt:
    """One try of an operation: its number (1 is the first), and how the previous one ended."""

    number: int
    new_session: bool = False  # the session was started again for this try

    @property
    def first(self) -> bool:
        return self.number == 1

    def begin(self, session: AppiumSession) -> FeedPage:
        """The screen a retry begins on: a new session's first screen, or the app closed and opened again."""
        app = TikTokApp.on(session)
        return app.home() if self.new_session else app.restart()


Note = Callable[[str], None]


class Recovery:
    """Runs an operation on one device session, recovering where it is safe, within a budget."""

    def __init__(self, session: AppiumSession, budget: RecoveryBudget | None = None, note: Note | None = None,
                 before_new_session: Callable[[AppiumSession, int], None] | None = None) -> None:
        self.session = session
        self.budget = budget or RecoveryBudget()
        self.note = note
        # Called with the session and how many sessions were started again so far (this one included), before
        # it starts (the soak uses it to give a new session of the virtual device its own fault draws).
        self.before_new_session = before_new_session
        self.new_sessions = 0  # in the current operation (the budget is per operation)
        self.sessions_started_again = 0  # in all operations of this device
        self.events: list[str] = []

    def _tell(self, text: str) -> None:
        self.events.append(text)
        if self.note is not None:
            self.note(text)

    def run(self, work: Callable[[Attempt], T]) -> T:
        """`work(attempt)` until it returns, or until the error is not worth another try or the budget is spent."""
        deadline = Deadline(self.budget.seconds)
        self.new_sessions = 0
        attempt = Attempt(1)
        missed = 0  # TargetNotFound so far: one retry covers a screen that was not ready; two is the app
        while True:
            try:
                return work(attempt)
            except (FlowRefused, ConfigError):
                raise
            except HarnessError as error:
                how = self._how(error, missed)
                if how is None:
                    raise
                if isinstance(error, TargetNotFound):
                    missed += 1
                if attempt.number >= self.budget.attempts:
                    raise gave_up(error, f"gave up after {attempt.number} attempts") from error
                if deadline.expired():
                    raise gave_up(error, f"gave up after {deadline.seconds:g} s and {attempt.number} attempts"
                                  ) from error
                if how == "session" and self.new_sessions >= self.budget.new_sessions:
                    raise gave_up(error, f"gave up after {self.new_sessions} new sessions") from error
                attempt = self._again(attempt, error, how)

    @staticmethod
    def _how(error: HarnessError, missed: int) -> str | None:
        """How the next attempt must begin ("session": a new one; "app": the app opened again), or None."""
        if isinstance(error, SessionLost):
            return "session"
        if isinstance(error, DeviceHiccup):  # UnsureTap included: a tap the server may not have received
            return "app"
        if isinstance(error, TargetNotFound):
            return "app" if missed == 0 else None
        if isinstance(error, NotCancelled):
            return "app" if error.shown is None else None  # unknown outcome: read it; known: it is the answer
        if isinstance(error, DeviceError):
            return None  # unreachable, refused a session: another try would say the same
        return None

    def _again(self, attempt: Attempt, error: HarnessError, how: str) -> Attempt:
        said = sentence(error)
        if how == "session":
            self.new_sessions += 1
            self.sessions_started_again += 1
            self._tell(f"{said} Starting a new session ({self.new_sessions} of {self.budget.new_sessions}) "
                       "and beginning again from the app's first screen.")
            self.session.close()
            if self.before_new_session is not None:
                self.before_new_session(self.session, self.sessions_started_again)
            return Attempt(attempt.number + 1, new_session=True)
        self._tell(f"{said} Opening the app again and beginning again from its first screen "
                   f"(attempt {attempt.number + 1} of {self.budget.attempts}).")
        return Attempt(attempt.number + 1)
