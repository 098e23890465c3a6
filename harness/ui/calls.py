"""One driver call and what its failure means: the transient ones retried where that is safe, the rest
classified into the error tree (harness.errors) in one sentence.

A transient server error (HTTP 500 `unknown error`, which the client raises as the generic
WebDriverException) is worth another try for a command that only looks; a lost connection or an
ended session is not: it becomes `SessionLost`, `DeviceHiccup` or `DeviceError`, which recovery above
the pages (flows.recovery) knows how to treat.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from typing import TypeVar

from selenium.common.exceptions import InvalidSessionIdException, WebDriverException
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from tiktok_promo.harness.errors import DeviceError, DeviceHiccup, SessionLost, UnsureTap
from tiktok_promo.harness.messages import without_help_link
from tiktok_promo.harness.ui.waits import pause

R = TypeVar("R")

TRANSIENT_RETRIES = 4  # a server hiccup is retried this often, backing off, for commands that only look
_BACKOFF = 0.05
# Failures that say the device or its session is out of reach: never retried on the spot.
CONTACT_LOST = (InvalidSessionIdException, Urllib3Error, http.client.HTTPException, ConnectionError)


def first_line(error: BaseException) -> str:
    """The first line of an error's message (Appium's messages run to stack traces)."""
    text = getattr(error, "msg", None) or str(error) or error.__class__.__name__
    line = text.strip().splitlines()[0] if text.strip() else error.__class__.__name__
    return without_help_link(line)


def is_transient(error: BaseException) -> bool:
    """Whether the server hiccuped: the generic class is what an "unknown error" (HTTP 500) becomes."""
    return type(error) is WebDriverException


def device_error(error: BaseException) -> DeviceError:
    """The error-tree class of a failure that reached the device side, with its first line."""
    if isinstance(error, InvalidSessionIdException):
        return SessionLost(f"The Appium session ended unexpectedly: {first_line(error)}")
    if isinstance(error, WebDriverException) and is_transient(error):
        return DeviceHiccup(f"The device kept answering an error: {first_line(error)}")
    return DeviceError(f"Lost contact with the device: {first_line(error)}")


def unsure_tap(name: str, error: BaseException) -> UnsureTap:
    """A tap on `name` that got a transient error: whether it reached the app is open."""
    return UnsureTap(f'The tap on "{name}" may not have reached the app: {first_line(error)}')


def answer_lost(error: BaseException) -> bool:
    """Whether the request went out and its answer never came: the connection was closed before an answer
    (urllib3 does not resend a POST then: urllib3/util/retry.py retries a read error only for idempotent
    methods), or the answer took longer than the client's timeout. The command may have run on the device;
    only the app's screen can say."""
    return isinstance(error, ProtocolError | ReadTimeoutError | http.client.RemoteDisconnected | ConnectionResetError)


def lost_answer_tap(name: str, error: BaseException) -> UnsureTap:
    """A tap on `name` whose answer was lost: it may well have reached the app."""
    return UnsureTap(f'The tap on "{name}" may have reached the app, but its answer was lost: {first_line(error)}')


def call(action: Callable[[], R], retries: int = TRANSIENT_RETRIES) -> R:
    """Run one driver call; retry a transient server error `retries` times (only for calls that merely look),
    backing off; classify what is left."""
    attempt = 0
    while True:
        try:
            return action()
        except CONTACT_LOST as error:
            raise device_error(error) from error
        except WebDriverException as error:
            if is_transient(error) and attempt < retries:
                attempt += 1
                pause(_BACKOFF * attempt)
                continue
            if is_transient(error):
                raise device_error(error) from error
            raise
