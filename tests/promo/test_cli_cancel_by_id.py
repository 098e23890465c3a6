"""Choosing by ID on a long list: the list shows no IDs, so `promo` remembers the title each ID showed
(reports/promotion-ids.json) and opens only that title's rows; a remembered title that is wrong costs a
second look, never a wrong cancel. Costs are the virtual device's own command counts (`mobile: simStats`), taken
with screens at rest and every command timed at 1 ms (`one_ms_per_command`): with screens sliding in, or commands
timed on a loaded machine, the count of a walk moves by dozens with the load, not with what was remembered."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from runenv import clean_env, still_profile

from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.promo import cli
from tiktok_promo.promo.id_index import INDEX_FILE

CANCEL = ["cancel", "--yes", "--reason", "budget", "--world", "many", "--account", "mia.creates"]


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, one_ms_per_command: None) -> list[int]:
    """The commands each session of a command sent, recorded as it closes; runs in tmp_path (its reports/), with
    the virtual device's screens at rest (PROMO_CAPS)."""
    for name, value in clean_env().items():
        monkeypatch.setenv(name, value)
    for name in ("PROMO_TARGET", "PROMO_WORLD", "PROMO_SIM_FAULTS", "PROMO_DEVICES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROMO_CAPS", str(still_profile(tmp_path)))
    seen: list[int] = []
    close = AppiumSession.close

    def recording(session: AppiumSession) -> None:
        if session.driver is not None:
            seen.append(session.stats()["commands"])
        close(session)

    monkeypatch.setattr(AppiumSession, "close", recording)
    return seen


def promo(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(list(argv))
    assert code == 0, out.getvalue()[-2000:]
    return out.getvalue()


@pytest.mark.slow  # walks the 60 promotions' list, opening row after row: seconds
def test_after_a_list_an_id_deep_in_the_list_costs_about_what_its_title_costs(commands: list[int]) -> None:
    promo(*CANCEL, "--id", "P-3038")  # nothing remembered yet: the running rows' details until it shows
    promo("list", "--world", "many", "--account", "mia.creates")
    promo(*CANCEL, "--id", "P-3038")  # remembered: only the rows titled as P-3038 was
    promo(*CANCEL, "--title", "Dog tricks part 3")
    unknown, _, known, by_title = commands
    assert known <= by_title + 3  # at most one details read more (open, read, back)
    assert known < unknown / 2


@pytest.mark.slow  # walks the 60 promotions' list, opening row after row: seconds
def test_a_wrongly_remembered_title_still_cancels_the_promotion_with_that_id(commands: list[int],
                                                                            tmp_path: Path) -> None:
    index = tmp_path / "reports" / INDEX_FILE
    index.parent.mkdir(parents=True)
    index.write_text(json.dumps({"mia.creates": {"P-3038": "Sourdough part 1"}}), encoding="utf-8")
    said = promo(*CANCEL, "--id", "P-3038", "--json")
    assert '"Dog tricks part 3"' in said and "P-3038" in said
    assert json.loads(index.read_text(encoding="utf-8"))["mia.creates"]["P-3038"] == "Dog tricks part 3"
