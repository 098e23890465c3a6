"""The failures the harness reports, each one clear sentence, each in one class a report can sort by.

Three families matter to a reader of the report:
- device or session (`DeviceError`): the phone, the Appium server or the session failed us;
- app or locator (`TargetNotFound`): the screen did not show what a page expected (drift, wrong screen);
- product rule (`FlowRefused`, `NotCancelled`): the app's state makes a cancel unsafe, or it did not happen.
`ConfigError` is a mistake in how the run was asked for; it never reaches a device.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Base of every harness failure; its message is one sentence a person can act on."""

    category = "harness"

    def __str__(self) -> str:
        return self.args[0] if self.args else self.__class__.__name__


class ConfigError(HarnessError):
    """The run was asked for with a bad target, profile, caps file, world or URL."""

    category = "configuration"


class DeviceError(HarnessError):
    """The device, the Appium server or the session failed (unreachable, crashed, ended)."""

    category = "device or session"


class TargetNotFound(HarnessError):
    """A screen element did not show in time: locator drift, a wrong screen, or a slow app."""

    category = "locator drift"


class FlowRefused(HarnessError):
    """The app's state makes the cancel unsafe or impossible; nothing was cancelled."""

    category = "product rule"


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
    """After confirming, the app does not show the promotion cancelled."""

    category = "product rule"
