"""One device's part of a hands-free run: its session, the account check, the reads and the cancels.

Every step that could change a promotion goes through `CancelFlow` (the same checked flow the
features use): the account on the profile and the promotion on screen are checked before Cancel is
tapped, and after the confirm only what the app shows counts. This module adds what a run around the
flow needs: the plan, the order of the cancels, the device's state and progress messages; what the
run leaves behind (audit lines first, then evidence, and the report's steps) is promo.job_record's.

Planning and each promotion's cancel run under `Recovery` (flows.recovery): a dead session is
started again and the flow begins again from the app's first screen, with every check, within the
profile's `recovery:` budget. Each recovery is a step in the report; a failure that outlives the
budget is reported with its class (device or session, app or locator, product rule) and the screen
and page source at that moment.
"""

from __future__ import annotations

import dataclasses
import threading
import traceback
from decimal import Decimal
from enum import StrEnum

from allure_commons.model2 import Status

from tiktok_promo.flows.cancel_flow import CancelFlow, CancelResult
from tiktok_promo.flows.errors import FlowRefused, NotCancelled
from tiktok_promo.flows.inventory import PromotionInfo, read_promotions, read_titled
from tiktok_promo.flows.recovery import Attempt, ConfirmCount, Recovery
from tiktok_promo.flows.selection import Choice, Selection
from tiktok_promo.harness.errors import AuditUnwritable, DeviceError, HarnessError
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.report.allure_results import DeviceRecord, StepRecord
from tiktok_promo.harness.report.audit import AuditLog, Outcome
from tiktok_promo.harness.run import doctor
from tiktok_promo.harness.run.fleet import DeviceSpec
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui.locators import IOS
from tiktok_promo.harness.ui.waits import WaitAbandoned, give_up_waits_when
from tiktok_promo.pages.app import TIKTOK, TikTokApp
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.promotion_details import PromotionDetailsPage
from tiktok_promo.pages.promotions_list import PromotionsListPage
from tiktok_promo.pages.values import dollars
from tiktok_promo.promo.job_record import Evidence, JobRecord, PromotionOutcome, SourceEvidence, Who
from tiktok_promo.promo.progress import Progress, ProgressState


class JobState(StrEnum):
    """Where a device's run ended up (see promo.hands_free.exit_code)."""

    READY = "ready"  # planned: something to cancel
    NOTHING = "nothing-matched"
    DONE = "done"
    PARTLY = "partly-failed"  # some promotions were not cancelled (or a cancel could not be recorded)
    FAILED = "failed"  # the device or session failed
    REFUSED = "refused"  # a check refused: wrong account, logged out, unknown or ambiguous title
    DECLINED = "not-confirmed"
    DRY_RUN = "dry-run"
    INTERRUPTED = "interrupted"  # a person stopped the run (Ctrl+C, SIGTERM, SIGHUP) before this device was done


__all__ = ["DeviceJob", "JobState", "PromotionOutcome", "RunStop"]


def _money(value: Decimal | None) -> str:
    return "unknown" if value is None else dollars(value)


class RunStop:
    """Why every device of a run stops before its next promotion: Ctrl+C (or SIGTERM, SIGHUP), or an audit
    log that can no longer be written. The first reason given is the one kept."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self.reason: str | None = None
        self.error: BaseException | None = None  # what made the run stop, when it was not a person

    def set(self, reason: str = "the run was interrupted", error: BaseException | None = None) -> None:
        with self._lock:
            if self.reason is None:
                self.reason, self.error = reason, error
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    @property
    def event(self) -> threading.Event:
        """Set once the run stops: the waits of a device that only reads end on it (harness.ui.waits)."""
        return self._event

    @property
    def by_person(self) -> bool:
        """The run was stopped by a person's signal, not by a failure (an audit log it could not write)."""
        return self.is_set() and self.error is None


class DeviceJob:
    """A device's session and what it did in the run; one thread drives it at a time."""

    def __init__(self, spec: DeviceSpec, server_url: str, progress: Progress, evidence: Evidence | None = None,
                 audit_log: AuditLog | None = None, run_id: str = "", debug: bool = False,
                 stop: RunStop | None = None, source_evidence: SourceEvidence | None = None,
                 video_evidence: Evidence | None = None) -> None:
        self.spec = spec
        self.stop = stop if stop is not None else RunStop()
        self.progress = progress
        self.debug = debug
        self.session = AppiumSession(spec.config, server_url, TIKTOK, observer=self._observe)
        if spec.world:
            self.session.use_world(spec.world)
        if spec.faults is not None:
            self.session.use_faults(spec.faults)
        # promo keeps the video of each cancel with its evidence unless told otherwise (--video, PROMO_VIDEO).
        keep_videos = spec.config.video or "always"
        if video_evidence is not None and keep_videos != "off":
            self.session.record_video()
        self.account: str | None = None
        self.expected_account: str | None = None
        self.records = JobRecord(Who(run_id, spec.id, lambda: self.account, lambda: self.expected_account,
                                     self._facts, self._platform),
                                 self.session, spec.config.target, audit_log, evidence, source_evidence,
                                 on_unwritable=self._audit_failed, video_evidence=video_evidence,
                                 keep_videos=keep_videos)
        self.budget = spec.config.profile.recovery
        self.recovery = Recovery(self.session, self.budget, note=self._recovered)
        self.flow: CancelFlow | None = None
        self.listing: PromotionsListPage | None = None
        self.promotions: list[PromotionInfo] = []
        self.choice = Choice()
        self.outcomes: list[PromotionOutcome] = []
        self.state = JobState.READY
        self.error: BaseException | None = None
        self.ports: dict[str, int] = spec.ports
        self._page: PromotionDetailsPage | None = None  # the details screen the last cancel left the app on
        self._left_on: PromotionDetailsPage | None = None  # the details screen the reading left the app on
        self._reading = 0  # how the plan reads the list: whole (0), or by a look by finds (PromotionsListPage.LOOK)

    @property
    def record(self) -> DeviceRecord:
        """The device's steps and verdict, for the Allure result."""
        return self.records.record

    # --- identity ------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def world(self) -> str | None:
        return self.session.world_name

    def _observe(self, kind: str, message: str) -> None:
        if kind == "recovery":
            self._recovered(message)
        elif kind == "drift":
            return  # shown once, in the run's summary: a release's expected wording is not news mid-run
        else:
            self.progress.update(self.id, message)

    def _recovered(self, sentence: str) -> None:
        """A recovery (new session, app opened again, confirm repeated after a fresh read): a report step."""
        self.progress.update(self.id, f"recovering: {sentence}")
        self.records.recovered(sentence)

    def _new_flow(self, expected_account: str | None, confirms: ConfirmCount | None = None) -> CancelFlow:
        return CancelFlow(TikTokApp.on(self.session), expected_account, self.spec.config.profile.status_timeout,
                          self.budget, confirms, note=self._recovered)

    # --- reading ------------------------------------------------------------------------------
    def connect(self, expected_account: str | None, attempt: Attempt | None = None) -> str | None:
        """Open the app and the promotions list, checking the account on the profile on the way.

        With an expected account, a different one (or nobody logged in) is refused here, before
        anything could change a promotion. A retry (`attempt` after the first) begins on the app's first
        screen: a new session's, or the app closed and opened again.
        """
        self.progress.update(self.id, "opening the app")
        with self.record.step("Open the app and check the account on the profile",
                              expected=f"@{expected_account}" if expected_account else "any"):
            self.flow = self._new_flow(expected_account)
            start = attempt.begin(self.session) if attempt is not None and not attempt.first else None
            # The list is read next: whole, or for one title, by a look by finds where those cost less (see read()).
            self.listing = self.flow.open_promotions(start, check_account=True, read_next=self._reading)
        self._confirm_ports()
        self.account = self.flow.checked_account
        self.progress.update(self.id, f"logged in as @{self.account}")
        return self.account

    def read(self, selection: Selection | None = None) -> list[PromotionInfo]:
        """Every promotion in the list; details (ID, views, likes) for all, or for what `selection` needs."""
        assert self.listing is not None, "connect() first"
        self.progress.update(self.id, "reading the promotions")
        wants = selection.wants_details if selection is not None else (lambda row, read: True)
        enough = selection.settled_by if selection is not None else None
        with self.record.step("Read the promotions list") as step:
            # The app may stay on the details read last: the first cancel can go on from there.
            title = selection.one_title if selection is not None else None
            quick = read_titled(self.listing, title) if title is not None else None
            if quick is not None:  # a list of one screen showing the title once: that row is all there is to read
                self.promotions = quick
            else:
                self.promotions, self.listing = read_promotions(self.listing, wants, stay=True, enough=enough)
            if selection is not None and selection.ids_missing(self.promotions) and not selection.ids_on_any_row:
                # An ID not where its status or its remembered title said: read every row's details (from the top).
                wider = dataclasses.replace(selection, ids_on_any_row=True, id_titles=())
                self.promotions, self.listing = read_promotions(self.listing, wider.wants_details, stay=True,
                                                                enough=wider.settled_by)
            self._left_on = self.listing.leave()
            step.parameters["promotions"] = str(len(self.promotions))
        self.progress.update(self.id, f"{len(self.promotions)} promotions read")
        return self.promotions

    def plan(self, expected_account: str, selection: Selection, reason: str | None = None) -> Choice:
        """Connect, read and choose; the device's state says whether there is anything to do."""
        self.expected_account = expected_account
        self._reading = PromotionsListPage.LOOK if selection.one_title is not None else 0

        def plan_once(attempt: Attempt) -> None:
            self.connect(expected_account, attempt)
            self.read(selection)

        try:
            with give_up_waits_when(self.stop.event):  # planning only reads: a stop need not wait for the list
                self.recovery.run(plan_once)
            with self.record.step(f"Select {selection.describe()}") as step:
                self.choice = selection.choose(self.promotions)
                step.parameters["to cancel"] = ", ".join(p.label() for p in self.choice.to_cancel) or "none"
        except WaitAbandoned:
            self.interrupted("while reading the list; nothing was cancelled")
            return self.choice
        except Exception as error:
            self.fail(error, reason)
            return self.choice
        self.state = JobState.READY if self.choice.matched else JobState.NOTHING
        count = len(self.choice.to_cancel)
        self.progress.update(self.id, f"{count} to cancel" if count else "nothing to cancel",
                             ProgressState.DONE if not count else ProgressState.WORKING)
        return self.choice

    def list_all(self) -> list[PromotionInfo]:
        """Connect (any account) and read every promotion with its details."""
        def list_once(attempt: Attempt) -> None:
            self.connect(None, attempt)
            self.read(None)

        try:
            with give_up_waits_when(self.stop.event):
                self.recovery.run(list_once)
        except WaitAbandoned:
            self.interrupted("while reading the list")
            return []
        except Exception as error:
            self.fail(error, None, audit_it=False)
            return []
        self.state = JobState.DONE
        self.progress.update(self.id, "done", ProgressState.DONE)
        return self.promotions

    # --- cancelling ---------------------------------------------------------------------------
    def cancel_selected(self, reason: str | None) -> list[PromotionOutcome]:
        """Cancel every chosen promotion, one after the other; each outcome is what the app shows.

        Each outcome is recorded (audit line) the moment it is known, before its evidence is taken. When
        the run stops (Ctrl+C, or an audit log that can no longer be written) or the device is lost, every
        promotion left is reported as not attempted.
        """
        lost: BaseException | None = None
        # Each cancel's video starts where its cancel does: the plan's reading of the list (half a minute on a long
        # one) is dropped unencoded, not made into the first cancel's proof, which a Ctrl+C then waited for.
        self.session.restart_recording()
        for promo in self.choice.already_cancelled + self.choice.to_cancel:
            if lost is not None or self.stop.is_set():
                why = f"the device was lost earlier ({sentence(lost)})" if lost else (self.stop.reason or "")
                skipped = PromotionOutcome(promo, Outcome.NOT_ATTEMPTED, f"Not attempted: {why}.")
                self.outcomes.append(skipped)
                self.records.outcome(skipped, reason)
                continue
            outcome, step, evidence_of = self._cancel_one(promo, reason)
            if isinstance(self.error, DeviceError):
                lost = self.error
            self.outcomes.append(outcome)
            if self.records.outcome(outcome, reason):  # the record first; the evidence only after it
                self.records.evidence_for(outcome, step, evidence_of)
        failed = [o for o in self.outcomes if not o.ok]
        # Promotions left because a person stopped the run are not failures: the device reads "interrupted".
        left = [o for o in failed if o.outcome == Outcome.NOT_ATTEMPTED and lost is None and self.stop.by_person]
        if lost is not None and len(failed) == len(self.outcomes):
            self.state = JobState.FAILED
        elif left and len(left) == len(failed) and all(o.recorded for o in self.outcomes):
            self.state = JobState.INTERRUPTED
        else:
            self.state = JobState.PARTLY if failed or not all(o.recorded for o in self.outcomes) else JobState.DONE
        cancelled = sum(o.outcome == Outcome.CANCELLED for o in self.outcomes)
        if self.state == JobState.INTERRUPTED:
            self.progress.update(self.id, f"interrupted: {cancelled} cancelled, {len(left)} not attempted",
                                 ProgressState.INTERRUPTED)
            return self.outcomes
        self.progress.update(self.id, f"{cancelled} cancelled" + (f", {len(failed)} not cancelled" if failed else ""),
                             ProgressState.FAILED if failed else ProgressState.DONE)
        return self.outcomes

    def _audit_failed(self, error: AuditUnwritable) -> None:
        self.stop.set(f"the audit log {error.path} cannot be written", error)

    def _cancel_one(self, promo: PromotionInfo, reason: str | None) -> tuple[PromotionOutcome, StepRecord | None, str]:
        """One promotion's checked cancel: its outcome, the report step it was in, and what the evidence shows."""
        assert self.flow is not None, "plan() first"
        self.progress.update(self.id, f"cancelling {promo.label()}")
        confirms = ConfirmCount(self.budget.confirm_taps)  # this promotion's, across every attempt below

        def cancel_once(attempt: Attempt) -> CancelResult:
            if attempt.first:
                # The account was checked in this session while planning: go on from the list.
                assert self.flow is not None
                self.flow.confirms = confirms
                start: BasePage | None = self._left_on or self._back_to_list()
                self._left_on = None
            else:
                # Begin again from the first screen with every check; a confirm that may have landed makes
                # the flow read the promotion before anything else (see CancelFlow.cancel).
                self._page, self.listing, self._left_on = None, None, None
                self.flow = self._new_flow(self.expected_account, confirms)
                start = attempt.begin(self.session)
            return self.flow.cancel(promo.title, promo.promotion_id, start=start)

        step: StepRecord | None = None
        try:
            with self.record.step(f"Cancel {promo.label()}", reason=reason or "not given",
                                  **{"spent before": _money(promo.spent)}) as step:
                result = self.recovery.run(cancel_once)
                self._page = result.page
                step.parameters["status after"] = result.after.status_text or "unknown"
                step.parameters["spent at cancel"] = _money(result.spent_at_cancel)
                if result.confirms > 1:
                    step.parameters["confirms"] = str(result.confirms)
        except NotCancelled as error:
            self.record.fail(error)
            failed = PromotionOutcome(promo, Outcome.NOT_CANCELLED, sentence(error), error=error,
                                      confirms=confirms.sent)
            return failed, step, "the app after the confirm"
        except Exception as error:
            self._page = None
            self.record.fail(error)
            if isinstance(error, DeviceError):
                self.error = error
            kind = Outcome.FAILED if not isinstance(error, FlowRefused) else Outcome.REFUSED
            return PromotionOutcome(promo, kind, sentence(error), error=error, confirms=confirms.sent), step, "the app"
        if result.already_cancelled:
            message = f"{promo.label()} was already cancelled; nothing was tapped."
            self.progress.update(self.id, f"already cancelled: {promo.label()}")
            return (PromotionOutcome(promo, Outcome.ALREADY_CANCELLED, message, result.spent_at_cancel,
                                     result.after.status_text), step, "the app after the cancel")
        message = (f"Cancelled {promo.label()}: the app shows it {result.after.status_text}; "
                   f"spent {_money(result.spent_at_cancel)} at cancel.")
        self.progress.update(self.id, f"cancelled {promo.label()} (spent {_money(result.spent_at_cancel)})")
        return (PromotionOutcome(promo, Outcome.CANCELLED, message, result.spent_at_cancel, result.after.status_text,
                                 confirms=result.confirms), step, "the app after the cancel")

    def _back_to_list(self) -> PromotionsListPage | None:
        """The list to start the next cancel from: back from the last details screen, or where reading ended.

        None lets the flow start over from the app's first screen (after a failure, where the app is
        is not known for sure).
        """
        page, self._page = self._page, None
        if page is None:
            listing, self.listing = self.listing, None
            return listing
        try:
            return PromotionsListPage.back_from(page)
        except HarnessError:
            return None

    def _confirm_ports(self) -> None:
        # The ports the session really got (Appium answers capabilities without the appium: prefix).
        caps = self.session.driver.capabilities if self.session.driver is not None else {}
        confirmed = {name: int(caps[name]) for name in self.ports if isinstance(caps.get(name), int)}
        self.ports = {**self.ports, **confirmed}

    # --- outcomes -----------------------------------------------------------------------------
    def fail(self, error: BaseException, reason: str | None, audit_it: bool = True) -> None:
        """The device could not go on: refused by a check, or failed; recorded, the others go on."""
        self.error = error
        self.record.fail(error)
        refused = isinstance(error, FlowRefused)
        self.state = JobState.REFUSED if refused else JobState.FAILED
        self.progress.update(self.id, "refused" if refused else "failed",
                             ProgressState.REFUSED if refused else ProgressState.FAILED)
        if self.debug and not isinstance(error, HarnessError):
            traceback.print_exception(error)
        # The record first; what the phone showed (the other account, the log-in screen) after it.
        self.records.stopped(error, reason, refused, getattr(error, "shown", None) or self.account, audit_it)

    def interrupted(self, how: str) -> None:
        """A person stopped the run before this device was done reading: nothing was changed on it, so there
        is nothing to record in the audit log; its report says it was interrupted, not failed."""
        self.state = JobState.INTERRUPTED
        self.record.status, self.record.message = Status.SKIPPED, f"Interrupted {how}."
        self.progress.update(self.id, f"interrupted {how}", ProgressState.INTERRUPTED)

    def _facts(self) -> dict[str, str]:
        """Android, app version and locale of this job's device, from its session's capabilities."""
        if self.session.driver is None:
            return {}
        return doctor.facts_from_session(self.session.driver.capabilities, self.spec.config).labels()

    def _platform(self) -> str:
        """The platform this job's device runs, as people name it (the session's, else the profile's)."""
        return "iOS" if self.session.platform == IOS else "Android"

    def mark(self, state: JobState) -> None:
        """A state decided by the run, not the device (dry run, not confirmed)."""
        self.state = state

    def error_sentence(self) -> str | None:
        return sentence(self.error) if self.error is not None else None

    def close(self) -> None:
        self.session.close()
