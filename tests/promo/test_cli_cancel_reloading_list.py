"""`promo cancel` of several promotions on a long list that reloads as the app comes back to it.

The virtual device's list is a RecyclerView that may reload (another order, back at its top) each time the app
comes back to it from a promotion's details (simulator/recycler.py). Each run's `--sim-ledger` file is the
device's true state at the end, so "exactly the asked ones" is checked against the world itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from clikit import Promo

from tiktok_promo.simulator.recycler import ListRefresh

WORLD = yaml.safe_load((Path(__file__).resolve().parents[2] / "simulator" / "worlds" / "many.yaml").read_text())
STATUSES = {p["id"]: p["status"] for p in WORLD["promotions"]}
# The video of each cancel is not what these check: drawn, it would be hundreds of screens of a long list (tens of
# seconds of the virtual device's painting, nothing a phone's screenrecord pays).
CANCEL = ["cancel", "--world", "many", "--account", "mia.creates", "--reason", "budget", "--yes", "--video", "off"]
# Each run opens and reads dozens of promotions' details, each sliding in over a phone's 300 ms: 28 s on an idle
# 2-core machine, so a guard against a hang well past that, not clikit's minute for one cancel.
RUN_TIMEOUT = 180


def _reloading_seed() -> int:
    """A session seed whose first two returns to the list both reload it, one sorted in place, one back at the
    top (the device's own draw): the reloads start with the first promotion read."""
    for seed in range(1000):
        draws = ListRefresh("many", seed)
        first, second = draws.on_return(after_cancel=False), draws.on_return(after_cancel=False)
        if first and first.sort_by_status and not first.to_top and second and second.to_top:
            return seed
    raise AssertionError("no seed below 1000 draws those reloads")


def _run(promo: Promo, *selection: str) -> tuple[dict[str, str], list[dict]]:
    faults = json.dumps({"seed": _reloading_seed()})
    run = promo(*CANCEL, *selection, "--sim-faults", f"sim-1={faults}", ledger=True, timeout=RUN_TIMEOUT)
    assert run.code == 0, run.err[-2000:]
    return run.statuses(), promo.audit


def _changed(statuses: dict[str, str]) -> dict[str, str]:
    return {pid: status for pid, status in statuses.items() if status != STATUSES[pid]}


@pytest.mark.slow
def test_several_titles_and_ids_on_a_reloading_list_cancel_exactly_those_and_each_is_recorded(promo: Promo) -> None:
    titles = {"Trail run part 1": "P-3002", "Coffee part 1": "P-3014", "Plant care part 3": "P-3037",
              "Coffee part 4": "P-3059"}
    ids = ["P-3016", "P-3049", "P-3022"]
    selection = [arg for title in titles for arg in ("--title", title)] + [arg for i in ids for arg in ("--id", i)]
    statuses, audit = _run(promo, *selection)
    asked = {*titles.values(), *ids}
    assert _changed(statuses) == dict.fromkeys(asked, "canceled")  # those, and nothing else
    assert sorted((line["promotion_id"], line["outcome"]) for line in audit) == sorted(
        (pid, "cancelled") for pid in asked)


@pytest.mark.slow
def test_every_active_promotion_over_a_spend_on_a_reloading_list_is_cancelled_and_recorded(promo: Promo) -> None:
    asked = {p["id"] for p in WORLD["promotions"] if p["status"] == "active" and p["spend"] > 40}
    assert len(asked) == 4  # deep in the list: the reads go past many reloads before the first cancel
    statuses, audit = _run(promo, "--all-active", "--spent-over", "40")
    assert _changed(statuses) == dict.fromkeys(asked, "canceled")
    assert sorted((line["promotion_id"], line["outcome"]) for line in audit) == sorted(
        (pid, "cancelled") for pid in asked)
