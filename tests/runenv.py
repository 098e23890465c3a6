"""The environment a test gives the processes it starts (`promo`, `pytest features`, Appium, a device), how it
starts a server it needs (`started`), and the virtual device's profiles with screens at rest (`still_profile`).

One definition for every test folder: a developer's own settings, cloud keys and outer pytest options must
not change what a child run does, nor reach its reports (a test that wants a key passes it in `extra`).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import pytest
import yaml

PROFILES = Path(__file__).resolve().parents[1] / "harness" / "run" / "profiles"

Running = TypeVar("Running")

# PROMO_/APPIUM_: the harness's own settings; PYTEST_: the outer run's (PYTEST_ADDOPTS, PYTEST_XDIST_WORKER);
# the cloud services' keys the profiles read (${SAUCE_ACCESS_KEY}, ...); ANDROID_ADB*: the machine's adb.
DROPPED_PREFIXES = ("PROMO_", "APPIUM_", "PYTEST_", "BROWSERSTACK_", "SAUCE_", "LT_", "ANDROID_ADB")


def free_port() -> int:
    """A TCP port nothing listens on at this moment, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the settings above, with `extra` on top.

    adb is pointed at a missing binary and a port nobody listens on, so a test never starts (or depends on)
    an adb server of the machine; output is unbuffered, uncoloured and 200 columns wide.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(DROPPED_PREFIXES)}
    env.update(ADBUTILS_ADB_PATH="/nonexistent/adb", ANDROID_ADB_SERVER_PORT=str(free_port()),
               PYTHONUNBUFFERED="1", NO_COLOR="1", COLUMNS="200")
    env.update(extra)
    return env


def still_profile(directory: Path, name: str = "sim") -> Path:
    """A copy of the shipped profile `name` in `directory`, under the same name, asking the virtual device for
    screens at rest (`sim:transitions: false`); for `--caps` or PROMO_CAPS.

    For a test whose claim is not about a phone's timing (a channel, a table's layout, a count of commands): with
    screens coming in over a few hundred ms, a run mostly waits them out, and a find made mid-slide is made again
    as many times as the machine's load decides.
    """
    profile = yaml.safe_load((PROFILES / f"{name}.yaml").read_text(encoding="utf-8"))
    profile["capabilities"]["sim:transitions"] = False
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return path


@contextlib.contextmanager
def started(server: AbstractContextManager[Running], refused: type[Exception]) -> Iterator[Running]:
    """`server` (an Appium server, a Selenium Grid, a Chromium: entering it starts it) running for a test, stopped
    after it whatever the test did.

    When it cannot start, the server's own error (`refused`: one sentence naming what is missing and how to get
    it) fails the test as that sentence alone, with no traceback, in a fixture as in a test.
    """
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(server)
        except refused as error:
            pytest.fail(str(error), pytrace=False)
        yield running
