"""The child processes a run starts (Appium servers, the Grid's JVMs): tied to this process's life, and
stopped with everything they left in their process group."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping

__all__ = ["parent_death_hook", "run_briefly", "stop_process"]

_PR_SET_PDEATHSIG = 1


def parent_death_hook() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook that has the kernel send SIGTERM to the server when this process dies.

    So a test run that is killed (timeout, Ctrl+C twice, SIGKILL) leaves no Appium server behind.
    libc is loaded here, in the parent: the hook itself only makes one system call after fork.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    return hook


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """SIGTERM, SIGKILL after `timeout`, then whatever is left in its process group (a child it started)."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group outlives its leader only through leftovers


def run_briefly(argv: list[str], timeout: float, env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """(exit code, stdout+stderr) of a short command that only reads (a version, a device list); 127 when it is
    missing, 124 when it does not answer within `timeout` seconds: a hung tool must not hang a check."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              env=dict(env) if env is not None else None, check=False)
    except FileNotFoundError:
        return 127, ""
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]} did not answer within {timeout:g} s"
    except OSError as error:
        return 126, str(error)
    return done.returncode, (done.stdout + done.stderr).strip()
