"""Processes seen from /proc, for tests that check what a run left running."""

from __future__ import annotations

from pathlib import Path


def alive(entry: Path) -> bool:
    """Whether the process at /proc/PID is still running."""
    stat = (entry / "stat").read_text()
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has ended; only its parent's wait is missing


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live direct children of `pid`."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
            if parent == pid and alive(entry):
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                kids.append((int(entry.name), cmdline))
        except (OSError, ValueError, IndexError):
            continue
    return kids
