"""The failures the harness reports, each one clear sentence, each in one class a report can sort by.

Three families matter to a reader of the report:
- device or session (`DeviceError`): the phone, the Appium server or the session failed us;
- app or locator (`TargetNotFound`): the screen did not show what a page expected (drift, wrong screen);
- product rule (`FlowRefused`, `NotCancelled`): the app's state makes a cancel unsafe, or it did not happen.
`ConfigError` is a mistake in how the run was asked for; it never reaches a device.

Two device errors are told apart because recovery treats them differently (flows.recovery): a lost
session (`SessionLost`: start a new one and begin again) and a server that kept answering errors
(`DeviceHiccup`: begin the flow again on the same session).
"""

from __future__ import annotations

from typing import Any

# The classes a failure is sorted into (promo's --json failure_class, the soak's table, Allure's categories).
DEVICE = "device or session"
APP = "app or locator"
PRODUCT = "product rule"
CONFIGURATION = "configuration"
UNEXPECTED = "unexpected"


class HarnessError(Exception):
    """Base of every harness failure; its message is one sentence a person can act on."""

    category = "harness"

    def __str__(self) -> str:
        return self.args[0] if self.args else self.__class__.__name__


class ConfigError(HarnessError):
    """The run was asked for with a bad target, profile, caps file, world or URL."""

    category = CONFIGURATION


class DeviceError(HarnessError):
    """The device, the Appium server or the session failed (unreachable, crashed, ended)."""

    category = DEVICE


class SessionLost(DeviceError):
    """The Appium session is gone (`invalid session id`: the instrumentation crashed or the session ended)."""


class DeviceHiccup(DeviceError):
    """The server kept answering a transient error (HTTP 500 `unknown error`) to a command, past its retries."""


class TargetNotFound(HarnessError):
    """A screen element did not show in time: locator drift, a wrong screen, or a slow app."""

    category = APP


class FlowRefused(HarnessError):
    """The app's state makes the cancel unsafe or impossible; nothing was cancelled."""

    category = PRODUCT


class LoggedOut(FlowRefused):
    """Nobody is logged in to the app."""


class WrongAccount(FlowRefused):
    """The app is logged in to a different account than the one that started the promotion."""

    def __init__(self, expected: str, shown: str) -> None:
        super().__init__(
            f"Refused to cancel: the app is logged in as @{shown}, not @{expected}; nothing was changed."
        )
        self.expected = expected
        self.shown = shown


class NothingToCancel(FlowRefused):
    """The account has no active promotion at all."""


class UnknownPromotion(FlowRefused):
    """No promotion has the asked-for title or id; the message lists the active ones."""

    def __init__(self, wanted: str, active_titles: list[str]) -> None:
        listed = ", ".join(f'"{t}"' for t in active_titles) or "none"
        super().__init__(f'No promotion is called "{wanted}"; the active promotions are: {listed}.')
        self.wanted = wanted
        self.active_titles = list(active_titles)


class AmbiguousPromotion(FlowRefused):
    """More than one promotion has the asked-for title; cancelling either could be the wrong one."""

    def __init__(self, title: str, count: int) -> None:
        super().__init__(
            f'Refused as ambiguous: {count} promotions are called "{title}"; '
            "choose one by its promotion ID. Nothing was changed."
        )
        self.title = title
        self.count = count


class WrongPromotion(FlowRefused):
    """The details screen shows a different promotion than the one chosen."""


class NotCancellable(FlowRefused):
    """The promotion exists but has ended or is not running, so there is nothing to cancel."""


class UncheckedCancel(FlowRefused):
    """A Cancel was asked for before the account or the promotion on screen was checked."""


class NotCancelled(HarnessError):
    """After confirming, the app does not show the promotion cancelled.

    `shown` is what the details screen showed at the end (None when the status could not be read at all:
    then the outcome is unknown and a re-read from the start may still settle it).
    """

    category = PRODUCT

    def __init__(self, message: str, shown: Any = None) -> None:
        super().__init__(message)
        self.shown = shown


def category_of(error: BaseException) -> str:
    """The class a failure is sorted into: device or session, app or locator, product rule, configuration."""
    if isinstance(error, HarnessError):
        return error.category
    return UNEXPECTED


def gave_up(error: HarnessError, note: str) -> HarnessError:
    """The same failure (class, fields) with what recovery tried appended to its sentence."""
    text = str(error).rstrip()
    error.args = (f"{text[:-1] if text.endswith('.') else text} ({note}).", *error.args[1:])
    return error
