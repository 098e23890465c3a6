"""The environment a test gives the processes it starts (`promo`, `pytest features`, Appium, a device).

One definition for every test folder: a developer's own settings, cloud keys and outer pytest options must
not change what a child run does, nor reach its reports (a test that wants a key passes it in `extra`).
"""

from __future__ import annotations

import os
import socket

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
