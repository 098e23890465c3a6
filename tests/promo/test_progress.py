"""What `promo` shows while it works (promo.progress): one plain line per event, or a live table row per device."""

from __future__ import annotations

import io

from rich.console import Console

from tiktok_promo.promo.progress import LiveProgress, PlainProgress, ProgressState


def test_plain_progress_is_one_line_per_event() -> None:
    stream = io.StringIO()
    display = PlainProgress(stream)
    display.update("sim-1", "opening the app")
    display.update("sim-2", "failed", ProgressState.FAILED)
    assert stream.getvalue() == "sim-1: opening the app\nsim-2: failed\n"


def test_live_progress_is_a_table_row_per_device() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=80, color_system="standard")
    with LiveProgress(["sim-1", "sim-2"], console) as display:
        display.update("sim-1", "cancelled \"Summer haul try-on\"", ProgressState.DONE)
        display.update("sim-2", "failed", ProgressState.FAILED)
    shown = stream.getvalue()
    assert "\x1b[" in shown
    for text in ("device", "state", "sim-1", "sim-2", "Summer haul try-on", "done", "failed"):
        assert text in shown
