"""What each device is doing while a run goes on: a live table on a terminal, plain lines otherwise.

Plain lines ("sim-2: cancelled ...") are what a log file, a CI job or a scheduler wants; the live
table (rich) is for a person watching several phones at once. Both go to stderr, so stdout keeps only
the run's result (a table or JSON) for pipes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from enum import StrEnum
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text


class ProgressState(StrEnum):
    """How a device's line in the progress display reads: still at it, or how it ended."""

    WORKING = "working"
    DONE = "done"
    FAILED = "failed"
    REFUSED = "refused"
    INTERRUPTED = "interrupted"  # a person stopped the run: not a failure of the device


_STYLES: dict[str, str] = {ProgressState.WORKING: "cyan", ProgressState.DONE: "green", ProgressState.FAILED: "red",
           ProgressState.REFUSED: "yellow", ProgressState.INTERRUPTED: "magenta"}


class Progress:
    """Per-device progress; the base class shows nothing (for --json and tests)."""

    def update(self, device: str, message: str, state: str = ProgressState.WORKING) -> None:
        """A device moved on: what it does now, or how it ended."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        return None


class PlainProgress(Progress):
    """One line per event: `device: message`."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._lock = threading.Lock()  # lines from several device threads never interleave

    def update(self, device: str, message: str, state: str = ProgressState.WORKING) -> None:
        with self._lock:
            self.stream.write(f"{device}: {message}\n")
            self.stream.flush()


class LiveProgress(Progress):
    """A table with one row per device, redrawn in place, and cleared when the phase ends: what a phase
    found is printed after it (the plan, the outcomes), and no stale "working" row stays above a prompt."""

    def __init__(self, devices: Sequence[str], console: Console) -> None:
        self.console = console
        self.rows: dict[str, tuple[str, str]] = {device: (ProgressState.WORKING, "starting") for device in devices}
        self._lock = threading.Lock()
        self._live = Live(get_renderable=self._render, console=console, refresh_per_second=8, transient=True)

    def _render(self) -> Table:
        table = Table(show_header=True, header_style="bold", expand=False, box=None, padding=(0, 2, 0, 0))
        table.add_column("device", no_wrap=True)
        table.add_column("state", no_wrap=True)
        table.add_column("now")
        with self._lock:
            rows = list(self.rows.items())
        for device, (state, message) in rows:
            table.add_row(Text(device, style="bold"), Text(state, style=_STYLES.get(state, "")), Text(message))
        return table

    def update(self, device: str, message: str, state: str = ProgressState.WORKING) -> None:
        with self._lock:
            self.rows[device] = (state, message)

    def __enter__(self) -> LiveProgress:
        self._live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._live.refresh()
        self._live.stop()
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            # Stopped by a person: the rows stay on screen, each device saying it was interrupted (and how far
            # it got), since no plan or outcome table follows to say it.
            self.console.print(self._render())


def progress_for(devices: Sequence[str], console: Console, quiet: bool = False) -> Progress:
    """The display that suits where stderr goes: live on a terminal, plain lines otherwise."""
    if quiet:
        return Progress()
    if console.is_terminal:
        return LiveProgress(devices, console)
    return PlainProgress(console.file)
