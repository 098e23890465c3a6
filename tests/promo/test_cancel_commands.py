"""What `promo cancel --title` sends the device: the plan's page sources on a phone and on a flat device, and the
session's end before the report is written.

Runs in this process on the virtual device without latency, with every command timed at the phone model's median
for its kind (and a phone's session start), so that the finder chooses between finds and a page source as it does
on a phone, whatever the machine's load; screens at rest, so that no page source is read again while one slides in.
The commands counted are the ones the harness sent (CommandCosts.record sees each one).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from tiktok_promo.flows.selection import Selection
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.run.config import RunConfig, load_run_config
from tiktok_promo.harness.run.fleet import plan_devices
from tiktok_promo.harness.run.simhost import SimulatorHost
from tiktok_promo.harness.ui.costs import LAUNCH_S, CommandCosts, Kind, kind_of
from tiktok_promo.promo.device_job import JobState
from tiktok_promo.promo.hands_free import CancelRequest, HandsFreeRun
from tiktok_promo.promo.run_report import RunReport

SUMMER = "Summer haul try-on"
WORLDS = Path(__file__).resolve().parents[2] / "simulator" / "worlds"
# The phone model's medians (simulator/costs.py) as the harness times them.
PHONE_SECONDS = {Kind.SOURCE: 0.95, Kind.FIND_XPATH: 0.97, Kind.FIND: 0.11, Kind.READ: 0.045, Kind.TAP: 0.08}


@pytest.fixture
def timed_flat(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every command timed at 1 ms, as this device answers when the machine is idle (every kind costs the same);
    the commands sent."""
    sent: list[str] = []
    record = CommandCosts.record

    def flat(costs: CommandCosts, command: str, params: dict | None, seconds: float) -> None:
        sent.append(command)
        record(costs, command, params, 0.001)

    monkeypatch.setattr(CommandCosts, "record", flat)
    return sent


@pytest.fixture
def timed_as_a_phone(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every command timed at a phone's median for its kind, the session's start at a phone's; the commands sent."""
    sent: list[str] = []
    record = CommandCosts.record

    def as_a_phone(costs: CommandCosts, command: str, params: dict | None, seconds: float) -> None:
        sent.append(command)
        record(costs, command, params, PHONE_SECONDS.get(kind_of(command, params), seconds))

    monkeypatch.setattr(CommandCosts, "record", as_a_phone)
    launched = CommandCosts.launched
    monkeypatch.setattr(CommandCosts, "launched", lambda costs, seconds: launched(costs, LAUNCH_S))
    return sent


def at_rest(config: RunConfig) -> RunConfig:
    caps = {**config.profile.capabilities, "sim:transitions": False}
    return dataclasses.replace(config, profile=config.profile.model_copy(update={"capabilities": caps}))


def plan(url: str, world: str, title: str, reports: Path, dry_run: bool = True) -> tuple[HandsFreeRun, str]:
    """`promo cancel --title TITLE --yes`, by default a dry run (the plan only): the run and what it printed."""
    config = at_rest(load_run_config(target="sim", world=world))
    out = io.StringIO()
    run = HandsFreeRun(plan_devices(config, [], False, {}), url, out=Console(file=out, width=200),
                       err=Console(file=io.StringIO()), reports_dir=reports, command_line="promo cancel",
                       redactor=Redactor())
    try:
        run.cancel(CancelRequest(Selection(titles=(title,)), "mia.creates", "budget", dry_run=dry_run, yes=True))
    finally:
        run.close()
    return run, out.getvalue()


@pytest.fixture
def worlds_host(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A virtual device that may read world files from a folder of this test's, and that folder."""
    host = SimulatorHost()
    yield host.start([str(tmp_path)]), tmp_path
    host.stop()


def test_on_a_phone_one_title_is_planned_with_one_page_source_the_details(
        sim_url: str, tmp_path: Path, timed_as_a_phone: list[str]) -> None:
    run, printed = plan(sim_url, "default", SUMMER, tmp_path)
    [job] = run.jobs
    assert job.state == JobState.DRY_RUN
    assert [p.promotion_id for p in job.choice.to_cancel] == ["P-1001"]
    # What the plan prints is the details screen's: the ID, the spend, the budget and the views.
    assert "P-1001" in printed and "$21.40" in printed and "$50.00" in printed and "5,350" in printed
    # The list fits one screen and shows the title once: looked at by finds (the list's element, its rows, where they
    # end, the title); one page source in all, the details'. Before: a page source of the list as well.
    assert timed_as_a_phone.count("getPageSource") == 1
    assert timed_as_a_phone.count("getElementRect") == 2


def test_where_every_command_costs_the_same_the_list_is_read_from_the_page_source_that_confirmed_promotions(
        sim_url: str, tmp_path: Path, timed_flat: list[str]) -> None:
    # One page source beats the four finds and reads of a look by finds.
    run, _ = plan(sim_url, "default", SUMMER, tmp_path)
    assert [p.promotion_id for p in run.jobs[0].choice.to_cancel] == ["P-1001"]
    assert len(run.jobs[0].promotions) == 4  # every row of the list, read whole
    assert "getElementRect" not in timed_flat
    # After the Promotions tap (the plan's last element clicked: the row is tapped at its place) nothing is found: the
    # page source that confirmed the tap is the list's read. Before: a find of the list, then its page source.
    after_promotions = timed_flat[len(timed_flat) - timed_flat[::-1].index("clickElement"):]
    assert after_promotions[0] == "getPageSource" and "findElements" not in after_promotions


def test_on_a_phone_a_title_two_running_promotions_share_on_one_screen_is_refused(
        sim_url: str, tmp_path: Path, timed_as_a_phone: list[str]) -> None:
    run, _ = plan(sim_url, "duplicate-titles", "morning ROUTINE", tmp_path)
    [job] = run.jobs
    assert job.state == JobState.REFUSED
    assert "(IDs P-2001, P-2002); choose one with --id" in (job.error_sentence() or "")


def test_on_a_phone_a_title_shared_further_down_a_long_list_is_refused(
        worlds_host: tuple[str, Path], timed_as_a_phone: list[str]) -> None:
    url, folder = worlds_host
    world = yaml.safe_load((WORLDS / "many.yaml").read_text(encoding="utf-8"))
    first = world["promotions"][0]["title"]
    last = world["promotions"][-1]
    last.update(title=first, status="active")  # the same title at the list's end, running too
    path = folder / "many-shared.yaml"
    path.write_text(yaml.safe_dump({**world, "name": "many-shared"}, sort_keys=False), encoding="utf-8")

    run, _ = plan(url, str(path), first, folder)
    [job] = run.jobs
    # The first screen shows the title once; the list goes on below it, so the whole list is read and the refusal
    # stands, as on a list of one screen.
    assert job.state == JobState.REFUSED
    assert f"{world['promotions'][0]['id']}, {last['id']}" in (job.error_sentence() or "")


def test_the_sessions_end_before_the_report_is_written_and_after_every_record(
        sim_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_at_report: list[bool] = []
    write_report = RunReport.allure

    def allure(report: RunReport, allure_run, jobs, chart=None) -> None:  # type: ignore[no-untyped-def]
        open_at_report.extend(job.session.started for job in jobs)
        write_report(report, allure_run, jobs, chart)

    monkeypatch.setattr(RunReport, "allure", allure)
    run, _ = plan(sim_url, "default", SUMMER, tmp_path, dry_run=False)
    # The device is free while the Allure results, the chart and the outcomes are written (on a phone that took
    # 0.3-1.0 s of Python and disk inside the session); what the cancel left was recorded before.
    assert open_at_report == [False]
    [outcome] = run.jobs[0].outcomes
    assert outcome.outcome == "cancelled" and outcome.recorded and outcome.evidence and not outcome.evidence_error
    assert (tmp_path / "promo-audit.jsonl").read_text().count('"outcome": "evidence"') == 1
