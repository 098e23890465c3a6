"""The virtual device's errors: W3C WebDriver errors as an Appium 3 server with UiAutomator2 sends them, and
the three that become one of them or a sentence (a rule of the app, a world file, a UiSelector expression).

The client maps the `error` string to its exception class, so each error here carries the exact
string and HTTP status that Appium uses; the message is for the person reading the failure. The
simulator imports nothing of the harness, so its errors have their own base classes.
"""

from __future__ import annotations


class WebDriverError(Exception):
    """An error answer: W3C error code, HTTP status, and a message for people."""

    error = "unknown error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict:
        return {"value": {"error": self.error, "message": self.message, "stacktrace": ""}}


def _kind(name: str, error: str, status: int) -> type[WebDriverError]:
    return type(name, (WebDriverError,), {"error": error, "status": status, "__doc__": f"W3C `{error}`."})


NoSuchElement = _kind("NoSuchElement", "no such element", 404)
StaleElement = _kind("StaleElement", "stale element reference", 404)
InvalidSessionId = _kind("InvalidSessionId", "invalid session id", 404)
InvalidSelector = _kind("InvalidSelector", "invalid selector", 400)
InvalidArgument = _kind("InvalidArgument", "invalid argument", 400)
UnknownCommand = _kind("UnknownCommand", "unknown command", 404)
UnknownMethod = _kind("UnknownMethod", "unknown method", 405)
ElementNotInteractable = _kind("ElementNotInteractable", "element not interactable", 400)
InvalidElementState = _kind("InvalidElementState", "invalid element state", 400)
SessionNotCreated = _kind("SessionNotCreated", "session not created", 500)
Timeout = _kind("Timeout", "timeout", 408)  # base-driver TimeoutError: REQUEST_TIMEOUT
UnknownError = _kind("UnknownError", "unknown error", 500)
UnsupportedOperation = _kind("UnsupportedOperation", "unsupported operation", 500)
NoSuchContext = _kind("NoSuchContext", "no such context", 404)
NoSuchAlert = _kind("NoSuchAlert", "no such alert", 404)

NO_SUCH_ELEMENT_MESSAGE = "An element could not be located on the page using the given search parameters."


class RuleViolation(Exception):
    """An action the app does not allow (cancel twice, restart a cancelled promotion...)."""


class WorldError(ValueError):
    """A world file that cannot be used; the message names the file and the field."""


class ReplayError(ValueError):
    """A recording folder that cannot be replayed; the message names the folder and what is wrong."""


class MissingLabel(KeyError):
    """A screen asked for a label its release has no wording for in the phone's language."""


class UiSelectorSyntaxError(ValueError):
    """An expression UiAutomator2 would reject; the message names the problem and its column."""

    def __init__(self, message: str, expression: str, column: int) -> None:
        super().__init__(f"{message} at column {column} of: {expression}")
        self.column = column


class Refusal(Exception):
    """A request the device will not serve: the W3C error to answer, its HTTP status, and whether the
    connection must close (when the request's framing is broken, the next request cannot be found)."""

    def __init__(self, error: WebDriverError, status: int | None = None, close: bool = True) -> None:
        super().__init__(error.message)
        self.error = error
        self.status = status or error.status
        self.close = close


class LostAnswer(Exception):
    """The command ran, and its answer is never sent (sim:faults lost_answers / lost_answer_rate)."""
