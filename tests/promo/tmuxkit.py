"""A real terminal for `promo`: a tmux window of a chosen size running one command, read off as a person sees it.

Each Terminal runs its own tmux server (its own socket), which it ends itself. Needs tmux (`make browser`).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

from runenv import clean_env

WIDTH, HEIGHT = 80, 100
SCREEN_TIMEOUT = 90.0


class Terminal:
    """A tmux window of WIDTH x HEIGHT running one command; the window stays after the command ends."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"promo-screen-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30,
                              check=True)
        return done.stdout

    def start(self, *argv: str) -> None:
        env = clean_env()
        env.pop("COLUMNS", None)  # the terminal's own width, as a person's shell has it
        env.pop("NO_COLOR", None)
        env["TERM"] = "xterm-256color"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.isidentifier())
        python = f"{shlex.quote(sys.executable)} -m tiktok_promo.promo.cli"
        command = f"env -i {exports} {python} {shlex.join(argv)}; echo EXIT=$?"
        # Ctrl+C reaches the whole foreground group: the shell traps it (so it lives on to say EXIT=), and a
        # trapped signal is back to its default in promo, as from a person's shell.
        command = f"trap : INT; {command}"
        self.tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(self.workdir),
                  "sh", "-c", f"{command}; sleep 600")

    def screen(self, joined: bool = False) -> str:
        """What the window shows, top to bottom (joined: lines the terminal wrapped put back together)."""
        return self.tmux("capture-pane", "-p", *(["-J"] if joined else []), "-t", "0")

    def wait_for(self, text: str, seen: list[str] | None = None) -> str:
        """Poll the screen until it shows `text`; every screen seen on the way goes into `seen`."""
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if seen is not None:
                seen.append(screen)
            if text in screen:
                return screen
        raise AssertionError(f"the terminal did not show {text!r} within {SCREEN_TIMEOUT:g} s:\n{self.screen()}")

    def type(self, keys: str) -> None:
        self.tmux("send-keys", "-t", "0", keys, "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30, check=False)


def lines(screen: str) -> list[str]:
    return [line.rstrip() for line in screen.splitlines() if line.strip()]
