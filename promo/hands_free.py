"""A hands-free run over one or more devices: `promo list` and `promo cancel` without the argument parsing.

`cancel` goes in two phases so a person (or --yes) decides between them:
1. plan, every device in parallel: open the app, check the account, read the promotions, choose;
2. after the plan is shown and confirmed, cancel, every device in parallel, each through CancelFlow.
A device that fails or is refused drops out; the others go on. Sessions stay open between the
phases (on the virtual device a new session would be a new world).

Exit codes, for schedulers: 0 all done, 1 some failed, 2 bad usage or input (every device refused: wrong
account, logged out, unknown or ambiguous title), 3 nothing matched, 4 not confirmed.
"""

from __future__ import annotations

import dataclasses
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from tiktok_promo.flows.selection import Selection
from tiktok_promo.harness.errors import ConfigError, HarnessError
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.allure_results import AllureRun
from tiktok_promo.harness.report.audit import AUDIT_FILE, AuditLog
from tiktok_promo.harness.run.fleet import DeviceSpec, run_parallel
from tiktok_promo.promo import id_index
from tiktok_promo.promo.device_job import DeviceJob, JobState, RunStop
from tiktok_promo.promo.errors import ExitCode
from tiktok_promo.promo.fit import say
from tiktok_promo.promo.progress import ProgressState, progress_for
from tiktok_promo.promo.run_report import CHART_FILE, RunReport
from tiktok_promo.promo.sim_ledger import write_ledger_file

EVIDENCE_DIR = "promo"  # under the reports folder: one subfolder per run, named by its run id


def exit_code(states: Sequence[str]) -> ExitCode:
    """The run's exit code from the states its devices ended in."""
    if not states:
        return ExitCode.USAGE
    if any(s in (JobState.FAILED, JobState.PARTLY, JobState.INTERRUPTED) for s in states):  # not all done
        return ExitCode.FAILED
    if all(s == JobState.REFUSED for s in states):
        return ExitCode.USAGE
    if JobState.REFUSED in states:
        return ExitCode.FAILED
    if JobState.DECLINED in states:
        return ExitCode.DECLINED  # the operator's "no": a scheduler tells it from a failure
    if all(s == JobState.NOTHING for s in states):
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
    """One `promo list` or `promo cancel` over the run's devices: the phases, the question, the sessions.

    What it prints and writes is `RunReport`'s (promo.run_report); what each device does is its
    `DeviceJob`'s. A stop (Ctrl+C, SIGTERM, SIGHUP, an audit log that became unwritable) reaches every
    device before its next promotion; what was done before it is still shown, recorded and reported.
    """

    def __init__(self, specs: Sequence[DeviceSpec], server_url: str, out: Console, err: Console,
                 reports_dir: Path, command_line: str, redactor: Redactor, stdin: IO[str] | None = None,
                 debug: bool = False, ledger_file: Path | None = None) -> None:
        self.specs = list(specs)
        self.server_url = server_url
        self.err = err
        self.reports_dir = reports_dir
        self.command_line = command_line
        self.redactor = redactor
        self.stdin = stdin if stdin is not None else sys.stdin
        self.debug = debug
        self.ledger_file = ledger_file
        self.run_id = uuid.uuid4().hex[:12]
        self.report = RunReport(out, redactor, self.run_id)
        self.jobs: list[DeviceJob] = []
        self.stop = RunStop()  # every device stops before its next promotion once it is set
        self.doing = "starting"  # what the run does now (reading, cancelling): what a second Ctrl+C is told
        self._closed = False

    @property
    def evidence_dir(self) -> Path:
        """Where this run's pictures, page sources and Allure results go: reports/promo/<run id>/."""
        return self.reports_dir / EVIDENCE_DIR / self.run_id

    # --- plumbing ------------------------------------------------------------------------------------
    def _jobs(self, audit_log: AuditLog | None = None, allure: AllureRun | None = None) -> list[DeviceJob]:
        evidence = allure.save_png if allure is not None else None
        sources = allure.save_xml if allure is not None else None
        videos = allure.save_mp4 if allure is not None else None
        silent = progress_for([], self.err, quiet=True)
        self.jobs = [DeviceJob(spec, self.server_url, silent, evidence, audit_log, self.run_id, self.debug,
                               self.stop, source_evidence=sources, video_evidence=videos) for spec in self.specs]
        return self.jobs

    def _phase(self, jobs: Sequence[DeviceJob], work: Any, doing: str) -> None:
        """Run `work(job)` on every job in parallel under one progress display; `doing` is "reading" or
        "cancelling"."""
        self.doing = doing
        with progress_for([j.id for j in jobs], self.err) as display:
            for job in jobs:
                job.progress = display

            def interrupted() -> None:
                self.stop.set()
                for job in jobs:  # the live view says so at once, not "working" until each device is done
                    display.update(job.id, "interrupted: " + ("stopping" if doing == "reading" else
                                                              "finishing the cancel in flight"),
                                   ProgressState.INTERRUPTED)

            try:
                results = run_parallel(jobs, work, on_interrupt=interrupted, on_waiting=self._still_finishing)
            finally:
                self.doing = "finishing"
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, Exception):  # a bug outside the job's own guards: still that device's failure
                job.fail(result, None, audit_it=False)

    def _still_finishing(self) -> None:
        say(f"promo: {self.stopping_sentence()}")

    def stopping_sentence(self) -> str:
        """What a second Ctrl+C is told: what the run still does before it ends, in one sentence."""
        if self.doing == "cancelling":
            return ("stopping: finishing the cancel in flight to record what the app shows; nothing more is "
                    "attempted.")
        if self.doing == "reading":
            return "stopping: the devices were only reading the promotions; nothing has been cancelled."
        return "stopping: closing the sessions; nothing more is attempted."

    def _dump_ledgers(self) -> None:
        """Developer option (--sim-ledger): the virtual devices' true state at the end, for tests (promo.sim_ledger)."""
        if self.ledger_file is None:
            return
        ledgers: dict[str, Any] = {}
        for job in self.jobs:
            try:
                ledgers[job.id] = job.session.ledger() if job.session.started else None
            except Exception:  # a crashed session has no ledger to give
                ledgers[job.id] = None
        try:
            write_ledger_file(self.ledger_file, ledgers)
        except OSError as error:
            self.report.error("--sim-ledger", f"Could not write {self.ledger_file}: {error.strerror or error}.")
        except ConfigError as error:  # the path changed into something not ours during the run
            self.report.error("--sim-ledger", error.sentence)

    def close(self) -> None:
        """End every device's session (the virtual devices' ledgers dumped first); once: a second call does nothing."""
        if self._closed:
            return
        self._closed = True
        try:
            self._dump_ledgers()
        finally:
            for job in self.jobs:
                job.close()

    # --- promo list ---------------------------------------------------------------------------------
    def list(self, as_json: bool, expected_account: str | None = None, chart: Path | None = None) -> int:
        jobs = self._jobs()
        try:
            self._phase(jobs, lambda job: job.list_all(), "reading")
        except KeyboardInterrupt as stop:
            stop.done = "nothing was changed (promo list only reads)"  # type: ignore[attr-defined]  # cli says it
            raise
        for job in jobs:
            id_index.remember(self.reports_dir, job.account, job.promotions)
        for job in jobs:
            if expected_account and job.account and job.account.lower() != expected_account.lower():
                # Listing is allowed on any account; cancelling there would be refused, so say it now.
                say(f"promo: note: {job.id} is logged in as @{job.account}, not @{expected_account}; "
                    "promo cancel would refuse there.")
        self.report.listing(jobs, as_json, JobState.DONE)
        self.report.device_errors(jobs)
        listed = [(job.id, job.promotions) for job in jobs if job.state == JobState.DONE]
        if chart is not None and listed:
            self.report.chart_file(chart, listed, as_json)
        return exit_code([job.state for job in jobs])

    # --- promo cancel -------------------------------------------------------------------------------
    def cancel(self, request: CancelRequest) -> int:
        """Plan, ask, cancel; the outcomes are shown (and the report written) also after a stop."""
        writing = not request.dry_run
        audit_log = AuditLog(self.reports_dir / AUDIT_FILE, self.redactor, self.run_id, sys.stderr) if writing else None
        if audit_log is not None:
            # Before the first tap: a real line appended and synced (and what an earlier run left in its
            # fallback added first), or the run ends here with one sentence and nothing tapped.
            for said in audit_log.prepare([spec.id for spec in self.specs]):
                say(f"promo: note: {self.redactor.clean(said)}.")
        # The run's evidence and Allure results in a folder of its own, which no test run cleans (features use
        # reports/allure-results): the audit log's evidence paths stay valid.
        allure = AllureRun(self.evidence_dir, self.command_line, self.redactor) if writing else None
        jobs = self._jobs(audit_log, allure)
        for job in jobs:
            job.record.parameters.update({"selection": request.selection.describe(),
                                          "reason": request.reason or "not given"})
        interrupted = True
        try:
            self._plan_and_cancel(jobs, request)
            interrupted = False
        except KeyboardInterrupt as stop:
            if not any(job.outcomes for job in jobs):
                stop.done = "nothing was cancelled"  # type: ignore[attr-defined]  # promo.cli says it
            raise
        finally:
            # The devices are done: their sessions end before the report is written (Allure results, the chart, the
            # outcomes), which needs nothing more of them. Every audit line and picture was taken before this.
            self.close()
            if allure is not None:  # also after Ctrl+C: the report shows what was done before it
                # The chart only after a whole run: a stop is not kept waiting a second for a picture.
                self.report.allure(allure, jobs, None if interrupted else self.evidence_dir / CHART_FILE)
            code = self._exit_code(jobs)
            if not interrupted or any(job.outcomes for job in jobs):
                records = (audit_log.path, self.evidence_dir) if audit_log is not None else None
                self.report.results(jobs, request.selection.describe(), request.dry_run, request.reason,
                                    request.as_json, code, self.stop.reason, records)
            self.report.device_errors(jobs)
            if isinstance(self.stop.error, HarnessError):
                say(f"promo: {self.redactor.clean(sentence(self.stop.error))}")
        return code

    def _exit_code(self, jobs: Sequence[DeviceJob]) -> ExitCode:
        code = exit_code([job.state for job in jobs])
        if self.stop.error is not None and code == ExitCode.OK:
            return ExitCode.FAILED  # the run stopped short (an audit log it could not write): not all done
        return code

    def _plan_and_cancel(self, jobs: Sequence[DeviceJob], request: CancelRequest) -> None:
        selection = request.selection
        if selection.ids:  # the titles the IDs showed last time: only their rows' details are opened
            known = id_index.titles_of_ids(self.reports_dir, request.account)
            hints = ((wanted.casefold(), known[wanted.casefold()]) for wanted in selection.ids
                     if wanted.casefold() in known)
            selection = dataclasses.replace(selection, id_titles=tuple(hints))
        self._phase(jobs, lambda job: job.plan(request.account, selection, request.reason), "reading")
        for job in jobs:
            id_index.remember(self.reports_dir, job.account, job.promotions)
        ready = [job for job in jobs if job.state == JobState.READY]
        if not request.as_json:
            self.report.plan(jobs)
        to_cancel = sum(len(job.choice.to_cancel) for job in ready)
        if request.dry_run:
            for job in ready:
                job.mark(JobState.DRY_RUN)
        elif ready and to_cancel and not request.yes and not self._confirmed(to_cancel, len(ready)):
            for job in ready:
                job.mark(JobState.DECLINED)
        elif ready:
            self._phase(ready, lambda job: job.cancel_selected(request.reason), "cancelling")

    def _confirmed(self, count: int, devices: int) -> bool:
        where = f" on {devices} devices" if devices > 1 else ""
        plural = "s" if count != 1 else ""
        sys.stderr.write(f"Cancel {count} promotion{plural}{where}? Spend so far is not refunded. [y/N] ")
        sys.stderr.flush()
        try:
            answer = self.stdin.readline() if self.stdin is not None else ""
        except (OSError, ValueError, UnicodeDecodeError):  # closed or unreadable: no answer
            answer = ""
        if not answer.endswith("\n"):
            # No answer (end of input, or no input at all) counts as no.
            sys.stderr.write("\n(no answer on standard input; give --yes to cancel without asking)\n")
        return answer.strip().lower() in ("y", "yes")
