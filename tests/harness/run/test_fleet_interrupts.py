"""Ctrl+C while `promo` starts one worker per device: every worker started is told to stop at its next safe point.

The signal used to escape from the loop that started the workers: none was told, and the ones started went on to
cancel every promotion they were given."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from tiktok_promo.harness.run.fleet import run_parallel


class _CtrlCWhileStarting(list[int]):
    """Devices whose listing is interrupted by a Ctrl+C once the first worker is under way."""

    def __iter__(self) -> Iterator[int]:
        for index, item in enumerate(super().__iter__()):
            if index == 1:
                os.kill(os.getpid(), signal.SIGINT)
            yield item


def test_ctrl_c_while_the_workers_start_tells_every_started_worker_to_stop() -> None:
    stop = threading.Event()
    told: list[int] = []

    def work(device: int) -> str:
        # A device job between two promotions: it goes on until told to stop (bounded, so a bug cannot hang).
        stopped = stop.wait(timeout=10)
        told.append(device)
        return "stopped" if stopped else "went on"

    with pytest.raises(KeyboardInterrupt):
        run_parallel(_CtrlCWhileStarting([1, 2, 3]), work, on_interrupt=stop.set)
    assert stop.is_set(), "the Ctrl+C was never passed on to the workers"
    assert told == [1], "a device was started after the Ctrl+C, or the one started was not waited for"

