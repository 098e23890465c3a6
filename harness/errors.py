"""The failures a person can meet, each one clear sentence, each in one class a report can sort by.

Every one derives from `HarnessError` and carries its category, the class a report sorts it into:
- device or session (`DeviceError`, `AppiumServerError`, `AdbUnavailable`): the phone, the Appium server
  or the session failed us;
- app or locator (`TargetNotFound`): the screen did not show what a page expected (drift, wrong screen);
- product rule (flows.errors: `FlowRefused`, `NotCancelled`): the app's state makes a cancel unsafe, or
  it did not happen;
- configuration (`ConfigError`, and promo.errors.UsageError, steps.errors.WrongScreen): a mistake in how
  the run was asked for (an option, a profile, a command line, a feature file); it never reaches a device.

This module holds the base and the engine's own errors; each layer above that raises errors of its own
has one module for them (flows.errors, promo.errors, steps.errors), and nowhere else defines one.

Two device errors are told apart because recovery treats them differently (flows.recovery): a lost
session (`SessionLost`: start a new one and begin again) and a server that kept answering errors
(`DeviceHiccup`: begin the flow again on the same session).
"""

from __future__ import annotations

from pathlib import Path

# The classes a failure is sorted into (promo's --json failure_class, the soak's table, Allure's categories).
DEVICE = "device or session"
APP = "app or locator"
PRODUCT = "product rule"
EXPECTATION = "feature expectation"  # a value the feature itself wrote (a table, a count) differs from the app's
CONFIGURATION = "configuration"
UNEXPECTED = "unexpected"


class HarnessError(Exception):
    """Base of every failure a person can meet; its message is one sentence a person can act on."""

    category = "harness"

    def __str__(self) -> str:
        return self.args[0] if self.args else self.__class__.__name__

    @property
    def sentence(self) -> str:
        """What a console or a report line shows of it (the message; some errors add detail after it)."""
        return str(self)


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


class UnsureTap(DeviceHiccup):
    """A tap failed in a way that leaves open whether the app received it."""


class PopupInTheWay(HarnessError):
    """A pop-up with nothing safe to tap covers the app and BACK does not close it: a person must."""

    category = APP


class TargetNotFound(HarnessError):
    """A screen element did not show in time: locator drift, a wrong screen, or a slow app."""

    category = APP


class AppiumServerError(HarnessError):
    """The Appium server this run starts could not be started, or died.

    The message is one clear sentence, sometimes followed by the server's last log lines; `sentence` is
    the first part alone, for a console or a report line.
    """

    category = DEVICE

    @property
    def sentence(self) -> str:
        """The message without the log lines after it."""
        first = str(self).split("\n", 1)[0].strip()
        return first.removesuffix("; last log lines:") + ("." if not first.endswith(".") else "")


class AppiumNotInstalled(AppiumServerError):
    """The Appium 3 server (or its TikTokSim driver) is not installed here: a person runs `npm ci` first."""

    category = CONFIGURATION


class AdbUnavailable(HarnessError):
    """adb is not installed, or its server does not answer; the message is one sentence."""

    category = DEVICE


class ReportError(HarnessError):
    """The HTML report could not be built (Allure or Node missing, no results, Allure failed)."""

    category = CONFIGURATION


class AuditUnwritable(HarnessError):
    """The audit file could not be written mid-run (disk full, removed, made read-only): the run must stop."""

    category = CONFIGURATION

    def __init__(self, path: Path, error: OSError, kept_in: Path | None = None) -> None:
        kept = (f"the line is kept in {kept_in} and on stderr, and the next run adds it to the log"
                if kept_in is not None else "the line is kept on stderr only (no fallback file could be written)")
        super().__init__(f"The audit log {path} cannot be written ({error.strerror or error}); the run stopped "
                         f"before the next cancel; {kept}.")
        self.path = path
        self.kept_in = kept_in  # the fallback file that holds the line the log refused (None: stderr only)


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
