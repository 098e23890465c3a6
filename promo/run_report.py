"""What a hands-free run tells people and tools: the plan, the outcomes, the summary, JSON, Allure results.

Split out of the run itself (promo.hands_free), which decides what to do; this changes when what a
reader needs changes. Everything it prints or writes passes through the run's Redactor.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from allure_commons.model2 import Status
from rich.console import Console
from rich.text import Text

from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.harness.errors import category_of
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.allure_results import AllureRun, StepRecord, now_ms
from tiktok_promo.harness.report.audit import Outcome
from tiktok_promo.harness.report.scenario_results import drift_label
from tiktok_promo.promo.chart import as_cancelled, rows_of, write_chart
from tiktok_promo.promo.device_job import DeviceJob, JobState
from tiktok_promo.promo.fit import say
from tiktok_promo.promo.render import (
    DeviceSummary,
    device_heading,
    fallback_line,
    outcome_line,
    plan_table,
    promotions_table,
    sentences,
    summary_table,
)

CHART_FILE = "budget-chart.png"  # in each run's evidence folder, beside its Allure results


def exit_states(jobs: Sequence[DeviceJob]) -> list[str]:
    return [job.state for job in jobs]


class RunReport:
    """The console output (stdout: the result; stderr: one sentence per problem) and the Allure results."""

    def __init__(self, out: Console, redactor: Redactor, run_id: str) -> None:
        self.out = out
        self.redactor = redactor
        self.run_id = run_id

    # --- stderr -------------------------------------------------------------------------------------
    def error(self, where: str, message: str) -> None:
        say(f"promo: {where}: {self.redactor.clean(message)}")

    def device_errors(self, jobs: Sequence[DeviceJob]) -> None:
        for job in jobs:
            if job.error is not None and job.state in (JobState.REFUSED, JobState.FAILED):
                self.error(job.id, sentence(job.error))

    # --- stdout -------------------------------------------------------------------------------------
    def print_json(self, data: dict[str, Any]) -> None:
        self.out.file.write(json.dumps(self.redactor.clean_data(data), indent=2, ensure_ascii=False) + "\n")
        self.out.file.flush()

    def listing(self, jobs: Sequence[DeviceJob], as_json: bool, done: str) -> None:
        if as_json:
            self.print_json({"devices": [self.device_json(job, promotions=True) for job in jobs]})
            return
        for job in jobs:
            if job.state == done:
                self.out.print(device_heading(job.id, job.account, stem(job.world)), markup=False,
                               highlight=False, style="bold")
                self.out.print(promotions_table(job.promotions))

    def plan(self, jobs: Sequence[DeviceJob]) -> None:
        for job in jobs:
            if job.state not in (JobState.READY, JobState.NOTHING):
                continue
            heading = device_heading(job.id, job.account, stem(job.world))
            choice = job.choice
            matched = choice.to_cancel or choice.already_cancelled or choice.ended
            self.out.print(heading + ("" if matched else ": no promotion matches."), markup=False,
                           highlight=False, style="bold")
            if matched:
                self.out.print(plan_table(choice.to_cancel, choice.already_cancelled, choice.ended))
            elif choice.dropped:  # which rule left out which promotion: the selection may be what to change
                self.out.print(sentences([f"  {p.label()}: {why}." for p, why in choice.dropped], indent=2))

    def results(self, jobs: Sequence[DeviceJob], selection: str, dry_run: bool, reason: str | None,
                as_json: bool, code: int, stopped: str | None = None,
                records: tuple[Path, Path] | None = None) -> None:
        """The outcomes, the summary per device and the run's line; `records` is where the audit log and this run's
        evidence went (None on a dry run, which writes neither)."""
        if as_json:
            self.print_json({
                "run": self.run_id, "dry_run": dry_run, "reason": reason, "selection": selection,
                "exit_code": code, "stopped": stopped,
                "audit_log": str(records[0]) if records else None, "evidence": str(records[1]) if records else None,
                "devices": [self.device_json(job, promotions=False) for job in jobs],
            })
            return
        clean = self.redactor.clean
        for job in jobs:
            for outcome in job.outcomes:
                why = sentence(outcome.error) if outcome.error is not None else outcome.message
                self.out.print(outcome_line(job.id, outcome.outcome, outcome.promotion,
                                            spent=outcome.spend_at_cancel, why=clean(why)))
        if any(job.outcomes for job in jobs):
            self.out.print(summary_table([device_summary(job) for job in jobs]))
        for job in jobs:
            if job.session.drift:  # once, here: not in the live view, where an expected wording looked like a fault
                self.out.print(Text(clean(fallback_line(job.id, job.session.drift.events)), style="yellow"))
        self.out.print(summary(jobs, selection, dry_run), markup=False, highlight=False)
        if records is not None:
            audit_log, evidence = records
            self.out.print(sentences([f"Recorded in {audit_log}; this run's pictures and Allure results are in "
                                      f"{evidence}/."], indent=0))

    def device_json(self, job: DeviceJob, promotions: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "device": job.id, "world": stem(job.world), "account": job.account, "state": job.state,
            "error": job.error_sentence(), "failure_class": category_of(job.error) if job.error else None,
            "ports": job.ports,
        }
        if promotions:
            data["promotions"] = [p.to_json() for p in job.promotions]
        else:
            data["plan"] = {
                "to_cancel": [p.to_json() for p in job.choice.to_cancel],
                "already_cancelled": [p.to_json() for p in job.choice.already_cancelled],
                "ended": [p.to_json() for p in job.choice.ended],
                "dropped": [{"id": p.promotion_id, "title": p.title, "why": why} for p, why in job.choice.dropped],
            }
            data["outcomes"] = [o.to_json() for o in job.outcomes]
        return data

    # --- Allure -------------------------------------------------------------------------------------
    def allure(self, allure: AllureRun, jobs: Sequence[DeviceJob], chart: Path | None = None) -> None:
        """One result per device; a results folder that cannot be written is one sentence, not the run's end.
        With `chart`, the budget chart of how the run left the promotions is written there and attached to
        every device's result."""
        try:
            allure.results_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.error("reports", f"Could not write the Allure results to {allure.results_dir}: "
                                  f"{_why_not_a_folder(allure.results_dir, error)}.")
            return  # every result would fail the same way: one sentence is enough
        attached = self._run_chart(allure, jobs, chart) if chart is not None else None
        for job in jobs:
            if attached is not None and job.promotions:
                job.record.steps.append(StepRecord("Budget chart: spend against budget, cost per 1,000 views",
                                                   attachments=[("Budget chart", attached, "image/png")]))
            record = job.record
            record.stop = now_ms()
            if job.state == JobState.DECLINED:
                record.status, record.message = Status.SKIPPED, "Not confirmed: nothing was cancelled."
            elif job.state == JobState.NOTHING:
                record.message = "Nothing matched the selection; nothing was changed."
            record.drift = [drift_label(event) for event in job.session.drift.events]
            if record.drift and record.message is None:  # a pass on fallback locators says so, as a scenario does
                record.message = "Passed on a fallback locator:\n" + "\n".join(record.drift)
            try:
                allure.write(record, f"Hands-free cancel on {job.id}")
            except OSError as error:  # the report is evidence, not the job: say so, keep the exit code honest
                self.error(job.id, f"Could not write its Allure result: {error.strerror or error}.")


    def _run_chart(self, allure: AllureRun, jobs: Sequence[DeviceJob], path: Path) -> str | None:
        """The run's budget chart, as it left the promotions: a named file in the evidence folder and an Allure
        attachment (its file name); a chart that cannot be drawn is one sentence, never the run's end."""
        listed = [(job.id, as_cancelled(job.promotions, [(o.promotion, o.spend_at_cancel) for o in job.outcomes
                                                         if o.outcome == Outcome.CANCELLED]))
                  for job in jobs if job.promotions]
        if not listed:
            return None
        try:
            # In the results folder itself, under its own name: the attachment is that file, not a copy of it.
            write_chart(rows_of(listed), path, f"promo run {self.run_id}")
            return path.name if path.parent == allure.results_dir else allure.save_png(path.read_bytes())[0]
        except (OSError, ValueError, ImportError) as error:
            self.error("chart", f"Could not draw the budget chart into {path}: {error}.")
            return None

    def chart_file(self, path: Path, listed: Sequence[tuple[str, Sequence[PromotionInfo]]], as_json: bool) -> None:
        """promo list --chart: the chart of what was listed, and a line saying where it went."""
        rows = rows_of(listed)
        try:
            write_chart(rows, path, "promo list")
        except (OSError, ValueError, ImportError) as error:
            self.error("--chart", f"Could not write the chart to {path}: {error}.")
            return
        if not as_json:
            self.out.print(sentences([f"Chart of {len(rows)} promotion{'s' if len(rows) != 1 else ''} written to "
                                      f"{path}."], indent=0))


def summary(jobs: Sequence[DeviceJob], selection: str, dry_run: bool) -> str:
    """The one line under the outcomes."""
    outcomes = [o.outcome for job in jobs for o in job.outcomes]
    states = exit_states(jobs)
    devices = f" on {len(jobs)} devices" if len(jobs) > 1 else ""
    if dry_run:
        count = sum(len(job.choice.to_cancel) for job in jobs if job.state == JobState.DRY_RUN)
        plural = "s" if count != 1 else ""
        return f"Dry run: {count} promotion{plural} would be cancelled{devices}; nothing was changed."
    if JobState.DECLINED in states:
        return "Not confirmed: nothing was cancelled."
    if all(s == JobState.NOTHING for s in states):
        return f"Nothing matched {selection}{devices}; nothing was changed."
    if not outcomes and all(s in (JobState.FAILED, JobState.REFUSED, JobState.NOTHING) for s in states):
        return "Nothing was cancelled."
    parts = [f"{outcomes.count(Outcome.CANCELLED)} cancelled"]
    if Outcome.ALREADY_CANCELLED in outcomes:
        parts.append(f"{outcomes.count(Outcome.ALREADY_CANCELLED)} already cancelled")
    failed = len(outcomes) - outcomes.count(Outcome.CANCELLED) - outcomes.count(Outcome.ALREADY_CANCELLED)
    not_attempted = outcomes.count(Outcome.NOT_ATTEMPTED)
    if failed - not_attempted:
        parts.append(f"{failed - not_attempted} not cancelled")
    if not_attempted:
        parts.append(f"{not_attempted} not attempted")
    lost = sum(s in (JobState.FAILED, JobState.REFUSED) for s in states)
    if lost:
        parts.append(f"{lost} device{'s' if lost != 1 else ''} failed or refused")
    return "Done: " + ", ".join(parts) + f"{devices}."


def device_summary(job: DeviceJob) -> DeviceSummary:
    """A device's row in the summary table: its counts, its spend at cancel, how it ended."""
    outcomes = [o.outcome for o in job.outcomes]
    spends = [o.spend_at_cancel for o in job.outcomes
              if o.outcome == Outcome.CANCELLED and o.spend_at_cancel is not None]
    cancelled, already = outcomes.count(Outcome.CANCELLED), outcomes.count(Outcome.ALREADY_CANCELLED)
    return DeviceSummary(job.id, job.account, cancelled, already, len(outcomes) - cancelled - already,
                         sum(spends, Decimal(0)) if spends else None, job.state, len(job.session.drift.events))


def _why_not_a_folder(folder: Path, error: OSError) -> str:
    """Why `folder` could not be made: a file (or link) in its place or on its path, else the system's words."""
    blocker = next((p for p in (folder, *folder.parents) if p.is_symlink() or p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return "it is a file, not a folder" if blocker == folder else f"{blocker} is a file, not a folder"
    return error.strerror or str(error)


def stem(world: str | None) -> str | None:
    return Path(world).stem if world else None
