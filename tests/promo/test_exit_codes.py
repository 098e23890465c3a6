"""The exit codes of `promo` (promo.hands_free.exit_code), one per outcome a scheduler can act on."""

from __future__ import annotations

import pytest

from tiktok_promo.promo.device_job import JobState
from tiktok_promo.promo.hands_free import exit_code


@pytest.mark.parametrize(("states", "code"), [
    ([JobState.DONE], 0),
    ([JobState.DONE, JobState.NOTHING], 0),
    ([JobState.DRY_RUN, JobState.NOTHING], 0),
    ([JobState.NOTHING, JobState.NOTHING], 3),
    ([JobState.REFUSED], 2),
    ([JobState.REFUSED, JobState.REFUSED], 2),
    ([JobState.REFUSED, JobState.DONE], 1),
    ([JobState.FAILED, JobState.DONE], 1),
    ([JobState.PARTLY], 1),
    ([JobState.FAILED, JobState.REFUSED], 1),
    ([JobState.DECLINED], 4),
    ([JobState.DECLINED, JobState.NOTHING], 4),
    ([JobState.DECLINED, JobState.REFUSED], 1),
    ([], 2),
])
def test_exit_codes_a_scheduler_can_act_on(states: list[str], code: int) -> None:
    assert exit_code(states) == code
