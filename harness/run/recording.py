"""A recording (the folder `promo capture` writes), read by the same reader the replaying device uses.

The reader lives in the simulator (simulator.recording), because the simulator imports nothing of ours
and must read recordings itself; harness.run is the one room of the engine allowed to import the
simulator, so check-locators (flows) reaches the reader through here. One reader means one set of
limits and refusals: a folder the replay refuses, check-locators refuses with the same sentence.
"""

from __future__ import annotations

from pathlib import Path

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.simulator.errors import ReplayError
from tiktok_promo.simulator.recording import RecordedScreen, Recording, load_recording

__all__ = ["RecordedScreen", "Recording", "read_recording"]


def read_recording(folder: str | Path) -> Recording:
    """The recording in `folder`, checked; ConfigError (one sentence naming the folder and file) if refused."""
    try:
        return load_recording(folder)
    except ReplayError as error:
        raise ConfigError(f"{error}.") from None
