"""A hands-free run over one or more devices: `promo list` and `promo cancel` without the argument parsing.

`cancel` goes in two phases so a person (or --yes) decides between them:
1. plan, every device in parallel: open the app, check the account, read the promotions, choose;
2. after the plan is shown and confirmed, cancel, every device in parallel, each through CancelFlow.
A device that fails or is refused drops out; the others go on. Sessions stay open between the
phases (on the virtual device a new session would be a new world).

Exit codes, for schedulers: 0 all done, 1 some failed (or not confirmed), 2 bad usage or input
(every device refused: wrong account, logged out, unknown or ambiguous title), 3 nothing matched.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from allure_commons.model2 import Status
from rich.console import Console

from flows.selection import Selection
from harness.errors import category_of
from harness.messages import sentence
from harness.redact import Redactor
from harness.report import audit
from harness.report.allure_results import AllureRun, now_ms
from harness.report.audit import AUDIT_FILE, AuditLog
from harness.run.fleet import DeviceSpec, run_parallel
from promo.device_job import (
    DECLINED,
    DONE_STATE,
    DRY_RUN,
    FAILED_STATE,
    NOTHING,
    PARTLY,
    READY,
    REFUSED_STATE,
    DeviceJob,
)
from promo.errors import ExitCode
from promo.progress import progress_for
from promo.render import device_heading, outcome_line, plan_table, promotions_table


def exit_code(states: Sequence[str]) -> ExitCode:
    """The run's exit code from the states its devices ended in."""
    if not states:
        return ExitCode.USAGE
    if any(s in (FAILED_STATE, PARTLY) for s in states):
        return ExitCode.FAILED
    if all(s == REFUSED_STATE for s in states):
        return ExitCode.USAGE
    if any(s in (REFUSED_STATE, DECLINED) for s in states):
        return ExitCode.FAILED
    if all(s == NOTHING for s in states):
        return ExitCode.NOTHING
    return ExitCode.OK


@dataclass(frozen=True)
class CancelRequest:
    """What `promo cancel` was asked to do."""

    selection: Selection
    account: str
    reason: str | None
    dry_run: bool = False
    yes: bool = False
    as_json: bool = False


class HandsFreeRun:
    """One `promo list` or `promo cancel` over the run's devices."""

    def __init__(self, specs: Sequence[DeviceSpec], server_url: str, out: Console, err: Console,
                 reports_dir: Path, command_line: str, redactor: Redactor, stdin: IO[str] | None = None,
                 debug: bool = False, ledger_file: Path | None = None) -> None:
        self.specs = list(specs)
        self.server_url = server_url
        self.out = out
        self.err = err
        self.reports_dir = reports_dir
        self.command_line = command_line
        self.redactor = redactor
        self.stdin = stdin if stdin is not None else sys.stdin
        self.debug = debug
        self.ledger_file = ledger_file
        self.run_id = uuid.uuid4().hex[:12]
        self.jobs: list[DeviceJob] = []
        self.interrupted = threading.Event()  # Ctrl+C: every device stops before its next promotion

    # --- plumbing ------------------------------------------------------------------------------------
    def _jobs(self, audit_log: AuditLog | None = None, allure: AllureRun | None = None) -> list[DeviceJob]:
        evidence = allure.save_png if allure is not None else None
        sources = allure.save_xml if allure is not None else None
        silent = progress_for([], self.err, quiet=True)
        self.jobs = [DeviceJob(spec, self.server_url, silent, evidence, audit_log, self.run_id, self.debug,
                               self.interrupted, source_evidence=sources) for spec in self.specs]
        return self.jobs

    def _phase(self, jobs: Sequence[DeviceJob], work: Any) -> None:
        """Run `work(job)` on every job in parallel under one progress display."""
        with progress_for([j.id for j in jobs], self.err) as display:
            for job in jobs:
                job.progress = display
            results = run_parallel(jobs, work, on_interrupt=self.interrupted.set)
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, Exception):  # a bug outside the job's own guards: still that device's failure
                job.fail(result, None, audit_it=False)

    def _error(self, device: str, message: str) -> None:
        print(f"promo: {device}: {self.redactor.clean(message)}", file=sys.stderr)

    def _report_device_errors(self) -> None:
        for job in self.jobs:
            if job.error is not None and job.state in (REFUSED_STATE, FAILED_STATE):
                self._error(job.id, sentence(job.error))

    def _print_json(self, data: dict[str, Any]) -> None:
        self.out.file.write(json.dumps(self.redactor.clean_data(data), indent=2, ensure_ascii=False) + "\n")

    def _dump_ledgers(self) -> None:
        """Developer option (--sim-ledger): the virtual devices' true state at the end, for tests."""
        if self.ledger_file is None:
            return
        ledgers: dict[str, Any] = {}
        for job in self.jobs:
            try:
                ledgers[job.id] = job.session.ledger() if job.session.started else None
            except Exception:  # a crashed session has no ledger to give
                ledgers[job.id] = None
        self.ledger_file.parent.mkdir(parents=True, exist_ok=True)
        self.ledger_file.write_text(json.dumps(ledgers, indent=2), encoding="utf-8")

    def close(self) -> None:
        try:
            self._dump_ledgers()
        finally:
            for job in self.jobs:
                job.close()

    # --- promo list ---------------------------------------------------------------------------------
    def list(self, as_json: bool, expected_account: str | None = None) -> int:
        jobs = self._jobs()
        self._phase(jobs, lambda job: job.list_all())
        for job in jobs:
            if expected_account and job.account and job.account.lower() != expected_account.lower():
                # Listing is allowed on any account; cancelling there would be refused, so say it now.
                print(f"promo: note: {job.id} is logged in as @{job.account}, not @{expected_account}; "
                      "promo cancel would refuse there.", file=sys.stderr)
        if as_json:
            self._print_json({"devices": [self._device_json(job, promotions=True) for job in jobs]})
        else:
            for job in jobs:
                if job.state == DONE_STATE:
                    self.out.print(device_heading(job.id, job.account, _stem(job.world)), markup=False,
                                   highlight=False, style="bold")
                    self.out.print(promotions_table(job.promotions))
        self._report_device_errors()
        return exit_code([job.state for job in jobs])

    # --- promo cancel -------------------------------------------------------------------------------
    def cancel(self, request: CancelRequest) -> int:
        writing = not request.dry_run
        audit_log = AuditLog(self.reports_dir / AUDIT_FILE, self.redactor) if writing else None
        if audit_log is not None:
            audit_log.check_writable()
        allure = AllureRun(self.reports_dir / "allure-results", self.command_line, self.redactor) if writing else None
        jobs = self._jobs(audit_log, allure)
        for job in jobs:
            job.record.parameters.update({"selection": request.selection.describe(),
                                          "reason": request.reason or "not given"})
        try:
            self._plan_and_cancel(jobs, request)
        finally:
            if allure is not None:  # also after Ctrl+C: the report shows what was done before it
                self._write_allure(allure, jobs)
        self._show_results(jobs, request)
        self._report_device_errors()
        return exit_code([job.state for job in jobs])

    def _plan_and_cancel(self, jobs: Sequence[DeviceJob], request: CancelRequest) -> None:
        self._phase(jobs, lambda job: job.plan(request.account, request.selection, request.reason))
        ready = [job for job in jobs if job.state == READY]
        if not request.as_json:
            self._show_plan(jobs)
        to_cancel = sum(len(job.choice.to_cancel) for job in ready)
        if request.dry_run:
            for job in ready:
                job.mark(DRY_RUN)
        elif ready and to_cancel and not request.yes and not self._confirmed(to_cancel, len(ready)):
            for job in ready:
                job.mark(DECLINED)
        elif ready:
            self._phase(ready, lambda job: job.cancel_selected(request.reason))

    def _confirmed(self, count: int, devices: int) -> bool:
        where = f" on {devices} devices" if devices > 1 else ""
        plural = "s" if count != 1 else ""
        sys.stderr.write(f"Cancel {count} promotion{plural}{where}? Spend so far is not refunded. [y/N] ")
        sys.stderr.flush()
        answer = self.stdin.readline()
        if not answer.endswith("\n"):
            sys.stderr.write("\n")  # no answer (end of input) counts as no
        return answer.strip().lower() in ("y", "yes")

    def _show_plan(self, jobs: Sequence[DeviceJob]) -> None:
        for job in jobs:
            if job.state not in (READY, NOTHING):
                continue
            heading = device_heading(job.id, job.account, _stem(job.world))
            choice = job.choice
            matched = choice.to_cancel or choice.already_cancelled or choice.ended
            self.out.print(heading + ("" if matched else ": no promotion matches."), markup=False,
                           highlight=False, style="bold")
            if matched:
                self.out.print(plan_table(choice.to_cancel, choice.already_cancelled, choice.ended))

    def _show_results(self, jobs: Sequence[DeviceJob], request: CancelRequest) -> None:
        if request.as_json:
            self._print_json({
                "run": self.run_id, "dry_run": request.dry_run, "reason": request.reason,
                "selection": request.selection.describe(),
                "exit_code": exit_code([job.state for job in jobs]),
                "devices": [self._device_json(job, promotions=False) for job in jobs],
            })
            return
        for job in jobs:
            for outcome in job.outcomes:
                self.out.print(outcome_line(job.id, outcome.outcome, self.redactor.clean(outcome.message)))
        self.out.print(self._summary(jobs, request), markup=False, highlight=False)

    @staticmethod
    def _summary(jobs: Sequence[DeviceJob], request: CancelRequest) -> str:
        outcomes = [o.outcome for job in jobs for o in job.outcomes]
        states = [job.state for job in jobs]
        devices = f" on {len(jobs)} devices" if len(jobs) > 1 else ""
        if request.dry_run:
            count = sum(len(job.choice.to_cancel) for job in jobs if job.state == DRY_RUN)
            plural = "s" if count != 1 else ""
            return f"Dry run: {count} promotion{plural} would be cancelled{devices}; nothing was changed."
        if DECLINED in states:
            return "Not confirmed: nothing was cancelled."
        if all(s == NOTHING for s in states):
            return f"Nothing matched {request.selection.describe()}{devices}; nothing was changed."
        if not outcomes and all(s in (FAILED_STATE, REFUSED_STATE, NOTHING) for s in states):
            return "Nothing was cancelled."
        parts = [f"{outcomes.count(audit.CANCELLED)} cancelled",
                 f"{outcomes.count(audit.ALREADY_CANCELLED)} already cancelled"]
        failed = len(outcomes) - outcomes.count(audit.CANCELLED) - outcomes.count(audit.ALREADY_CANCELLED)
        if failed:
            parts.append(f"{failed} not cancelled")
        lost = sum(s in (FAILED_STATE, REFUSED_STATE) for s in states)
        if lost:
            parts.append(f"{lost} device{'s' if lost != 1 else ''} failed or refused")
        return "Done: " + ", ".join(parts) + f"{devices}."

    def _device_json(self, job: DeviceJob, promotions: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "device": job.id, "world": _stem(job.world), "account": job.account, "state": job.state,
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
            }
            data["outcomes"] = [o.to_json() for o in job.outcomes]
        return data

    def _write_allure(self, allure: AllureRun, jobs: Sequence[DeviceJob]) -> None:
        from harness.report.evidence import write_categories  # the features' categories, so failures sort the same

        try:
            write_categories(allure.results_dir)
        except OSError as error:
            self._error("reports", f"Could not write the Allure categories: {error}.")
        for job in jobs:
            record = job.record
            record.stop = now_ms()
            if job.state == DECLINED:
                record.status, record.message = Status.SKIPPED, "Not confirmed: nothing was cancelled."
            elif job.state == NOTHING:
                record.message = "Nothing matched the selection; nothing was changed."
            try:
                allure.write(record, f"Hands-free cancel on {job.id}")
            except OSError as error:  # the report is evidence, not the job: say so, keep the exit code honest
                self._error(job.id, f"Could not write its Allure result: {error}.")


def _stem(world: str | None) -> str | None:
    return Path(world).stem if world else None
