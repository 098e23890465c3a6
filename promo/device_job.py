"""One device's part of a hands-free run: its session, the account check, the reads and the cancels.

Every step that could change a promotion goes through `CancelFlow` (the same checked flow the
features use): the account on the profile and the promotion on screen are checked before Cancel is
tapped, and after the confirm only what the app shows counts. This module adds what a run around the
flow needs: timing and evidence for the report, an audit line per promotion, and progress messages.

Planning and each promotion's cancel run under `Recovery` (flows.recovery): a dead session is
started again and the flow begins again from the app's first screen, with every check, within the
profile's `recovery:` budget. Each recovery is a step in the report; a failure that outlives the
budget is reported with its class (device or session, app or locator, product rule) and the screen
and page source at that moment.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from allure_commons.types import AttachmentType

from flows.cancel_flow import CancelFlow, CancelResult
from flows.errors import FlowRefused, NotCancelled
from flows.inventory import PromotionInfo, read_promotions
from flows.recovery import Attempt, ConfirmCount, Recovery
from flows.selection import Choice, Selection
from harness.errors import DeviceError, HarnessError, category_of
from harness.messages import sentence
from harness.report import audit
from harness.report.allure_results import DeviceRecord, StepRecord
from harness.report.audit import AuditEntry, AuditLog
from harness.run.fleet import DeviceSpec
from harness.run.session import AppiumSession
from pages.app import TIKTOK, TikTokApp
from pages.base import BasePage
from pages.promotion_details import PromotionDetailsPage
from pages.promotions_list import PromotionsListPage
from promo.progress import DONE, FAILED, REFUSED, WORKING, Progress

# Where a device's run ended up (see promo.hands_free.exit_code).
READY = "ready"  # planned: something to cancel
NOTHING = "nothing-matched"
DONE_STATE = "done"
PARTLY = "partly-failed"  # some promotions were not cancelled
FAILED_STATE = "failed"  # the device or session failed
REFUSED_STATE = "refused"  # a check refused: wrong account, logged out, unknown or ambiguous title
DECLINED = "not-confirmed"
DRY_RUN = "dry-run"

Evidence = Callable[[bytes], tuple[str, Path]]
SourceEvidence = Callable[[str], tuple[str, Path]]


def _money(value: Decimal | None) -> str:
    return "unknown" if value is None else f"${value:,.2f}"


@dataclass
class PromotionOutcome:
    """What became of one selected promotion."""

    promotion: PromotionInfo
    outcome: str
    message: str
    spend_at_cancel: Decimal | None = None
    status_after: str | None = None
    evidence: list[str] = field(default_factory=list)
    error: BaseException | None = field(default=None, repr=False)  # why it is not ok, when it is not
    confirms: int = 0  # Confirm taps sent for it (more than 1: a failed confirm was recovered)

    @property
    def ok(self) -> bool:
        return self.outcome in (audit.CANCELLED, audit.ALREADY_CANCELLED)

    @property
    def category(self) -> str | None:
        """The class of the failure (device or session, app or locator, product rule); None when ok."""
        return category_of(self.error) if self.error is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.promotion.promotion_id, "title": self.promotion.title, "outcome": self.outcome,
            "message": self.message, "status_after": self.status_after,
            "spend_before": None if self.promotion.spent is None else float(self.promotion.spent),
            "spend_at_cancel": None if self.spend_at_cancel is None else float(self.spend_at_cancel),
            "evidence": self.evidence, "failure_class": self.category, "confirms": self.confirms,
        }


class DeviceJob:
    """A device's session and what it did in the run; one thread drives it at a time."""

    def __init__(self, spec: DeviceSpec, server_url: str, progress: Progress, evidence: Evidence | None = None,
                 audit_log: AuditLog | None = None, run_id: str = "", debug: bool = False,
                 interrupted: threading.Event | None = None, source_evidence: SourceEvidence | None = None) -> None:
        self.spec = spec
        self.interrupted = interrupted if interrupted is not None else threading.Event()
        self.progress = progress
        self.evidence = evidence
        self.source_evidence = source_evidence
        self.audit_log = audit_log
        self.run_id = run_id
        self.debug = debug
        self.session = AppiumSession(spec.config, server_url, TIKTOK, observer=self._observe)
        if spec.world:
            self.session.use_world(spec.world)
        if spec.faults is not None:
            self.session.use_faults(spec.faults)
        self.record = DeviceRecord(spec.id, parameters=self._parameters())
        self.budget = spec.config.profile.recovery
        self.recovery = Recovery(self.session, self.budget, note=self._recovered)
        self.flow: CancelFlow | None = None
        self.listing: PromotionsListPage | None = None
        self.account: str | None = None
        self.promotions: list[PromotionInfo] = []
        self.choice = Choice()
        self.outcomes: list[PromotionOutcome] = []
        self.state = READY
        self.error: BaseException | None = None
        self.ports: dict[str, int] = spec.ports
        self.expected_account: str | None = None
        self._page: PromotionDetailsPage | None = None  # the details screen the last cancel left the app on

    # --- identity ------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def world(self) -> str | None:
        return self.session.world_name

    def _parameters(self) -> dict[str, str]:
        params = {"device": self.spec.id, "target": self.spec.config.target}
        if self.session.world_name:
            params["world"] = Path(self.session.world_name).stem
        return params

    def _observe(self, kind: str, message: str) -> None:
        if kind == "recovery":
            self._recovered(message)
        else:
            self.progress.update(self.id, message)

    def _recovered(self, sentence: str) -> None:
        """A recovery (new session, app opened again, confirm repeated after a fresh read): a report step."""
        self.progress.update(self.id, f"recovering: {sentence}")
        with self.record.step("Recovery", what=sentence):
            pass

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
            self.listing = self.flow.open_promotions(start, check_account=True)
        self._confirm_ports()
        self.account = self.flow.checked_account
        self.progress.update(self.id, f"logged in as @{self.account}")
        return self.account

    def read(self, selection: Selection | None = None) -> list[PromotionInfo]:
        """Every promotion in the list; details (ID, views, likes) for all, or for what `selection` needs."""
        assert self.listing is not None, "connect() first"
        self.progress.update(self.id, "reading the promotions")
        wants = selection.wants_details if selection is not None else (lambda row: True)
        with self.record.step("Read the promotions list") as step:
            self.promotions, self.listing = read_promotions(self.listing, wants)
            step.parameters["promotions"] = str(len(self.promotions))
        self.progress.update(self.id, f"{len(self.promotions)} promotions read")
        return self.promotions

    def plan(self, expected_account: str, selection: Selection, reason: str | None = None) -> Choice:
        """Connect, read and choose; the device's state says whether there is anything to do."""
        self.expected_account = expected_account

        def plan_once(attempt: Attempt) -> None:
            self.connect(expected_account, attempt)
            self.read(selection)

        try:
            self.recovery.run(plan_once)
            with self.record.step(f"Select {selection.describe()}") as step:
                self.choice = selection.choose(self.promotions)
                step.parameters["to cancel"] = ", ".join(p.label() for p in self.choice.to_cancel) or "none"
        except Exception as error:
            self.fail(error, reason)
            return self.choice
        self.state = READY if self.choice.matched else NOTHING
        count = len(self.choice.to_cancel)
        self.progress.update(self.id, f"{count} to cancel" if count else "nothing to cancel",
                             DONE if not count else WORKING)
        return self.choice

    def list_all(self) -> list[PromotionInfo]:
        """Connect (any account) and read every promotion with its details."""
        def list_once(attempt: Attempt) -> None:
            self.connect(None, attempt)
            self.read(None)

        try:
            self.recovery.run(list_once)
        except Exception as error:
            self.fail(error, None, audit_it=False)
            return []
        self.state = DONE_STATE
        self.progress.update(self.id, "done", DONE)
        return self.promotions

    # --- cancelling ---------------------------------------------------------------------------
    def cancel_selected(self, reason: str | None) -> list[PromotionOutcome]:
        """Cancel every chosen promotion, one after the other; each outcome is what the app shows."""
        lost: BaseException | None = None
        for promo in self.choice.already_cancelled + self.choice.to_cancel:
            if lost is not None or self.interrupted.is_set():
                why = f"the device was lost earlier ({sentence(lost)})" if lost else "the run was interrupted"
                self._outcome(PromotionOutcome(promo, audit.NOT_ATTEMPTED, f"Not attempted: {why}."), reason)
                continue
            outcome = self._cancel_one(promo, reason)
            if isinstance(self.error, DeviceError):
                lost = self.error
            self._outcome(outcome, reason)
        failed = [o for o in self.outcomes if not o.ok]
        if lost is not None and len(failed) == len(self.outcomes):
            self.state = FAILED_STATE
        else:
            self.state = PARTLY if failed else DONE_STATE
        cancelled = sum(o.outcome == audit.CANCELLED for o in self.outcomes)
        self.progress.update(self.id, f"{cancelled} cancelled, {len(failed)} not", FAILED if failed else DONE)
        return self.outcomes

    def _cancel_one(self, promo: PromotionInfo, reason: str | None) -> PromotionOutcome:
        assert self.flow is not None, "plan() first"
        self.progress.update(self.id, f"cancelling {promo.label()}")
        confirms = ConfirmCount(self.budget.confirm_taps)  # this promotion's, across every attempt below

        def cancel_once(attempt: Attempt) -> CancelResult:
            if attempt.first:
                # The account was checked in this session while planning: go on from the list.
                assert self.flow is not None
                self.flow.confirms = confirms
                start: BasePage | None = self._back_to_list()
            else:
                # Begin again from the first screen with every check; a confirm that may have landed makes
                # the flow read the promotion before anything else (see CancelFlow.cancel).
                self._page, self.listing = None, None
                self.flow = self._new_flow(self.expected_account, confirms)
                start = attempt.begin(self.session)
            return self.flow.cancel(promo.title, promo.promotion_id, start=start)

        step: StepRecord | None = None
        try:
            with self.record.step(f"Cancel {promo.label()}", reason=reason or "not given",
                                  **{"spent before": _money(promo.spent)}) as step:
                result = self.recovery.run(cancel_once)
                self._page = result.page
                evidence = self._screenshot(step, "the app after the cancel")
                step.parameters["status after"] = result.after.status_text or "unknown"
                step.parameters["spent at cancel"] = _money(result.spent_at_cancel)
                if result.confirms > 1:
                    step.parameters["confirms"] = str(result.confirms)
        except NotCancelled as error:
            self.record.fail(error)
            return PromotionOutcome(promo, audit.NOT_CANCELLED, sentence(error), error=error, confirms=confirms.sent,
                                    evidence=self._failure_evidence(step, "the app after the confirm"))
        except Exception as error:
            self._page = None
            self.record.fail(error)
            if isinstance(error, DeviceError):
                self.error = error
            kind = audit.FAILED if not isinstance(error, FlowRefused) else audit.REFUSED
            return PromotionOutcome(promo, kind, sentence(error), error=error, confirms=confirms.sent,
                                    evidence=self._failure_evidence(step, "the app"))
        if result.already_cancelled:
            message = f"{promo.label()} was already cancelled; nothing was tapped."
            self.progress.update(self.id, f"already cancelled: {promo.label()}")
            return PromotionOutcome(promo, audit.ALREADY_CANCELLED, message, result.spent_at_cancel,
                                    result.after.status_text, evidence)
        message = (f"Cancelled {promo.label()}: the app shows it {result.after.status_text}; "
                   f"spent {_money(result.spent_at_cancel)} at cancel.")
        self.progress.update(self.id, f"cancelled {promo.label()} (spent {_money(result.spent_at_cancel)})")
        return PromotionOutcome(promo, audit.CANCELLED, message, result.spent_at_cancel, result.after.status_text,
                                evidence, confirms=result.confirms)

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
            return page.back()
        except HarnessError:
            return None

    def _screenshot(self, step: StepRecord | None, name: str) -> list[str]:
        """A picture of the phone as evidence: attached to the step, its path for the audit log."""
        if self.evidence is None or not self.session.started:
            return []
        png = self.session.screenshot()
        if not png:
            return []
        file_name, path = self.evidence(png)
        if step is not None:
            step.attachments.append((name, file_name, AttachmentType.PNG.mime_type))
        return [str(path)]

    def _failure_evidence(self, step: StepRecord | None, name: str) -> list[str]:
        """The screen and its page source when something failed (what a person needs to see why)."""
        pictures = self._screenshot(step, name)
        if self.source_evidence is None or step is None or not self.session.started:
            return pictures
        source = self.session.page_source()
        if source:
            file_name, _ = self.source_evidence(source)
            step.attachments.append((f"page source: {name}", file_name, AttachmentType.XML.mime_type))
        return pictures

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
        self.state = REFUSED_STATE if refused else FAILED_STATE
        self.progress.update(self.id, "refused" if refused else "failed", REFUSED if refused else FAILED)
        # What the phone showed when it was refused (the other account, the log-in screen) is the evidence.
        evidence = self._failure_evidence(self.record.steps[-1] if self.record.steps else None,
                                          "the app when it stopped")
        if self.debug and not isinstance(error, HarnessError):
            traceback.print_exception(error)
        if audit_it and self.audit_log is not None:
            self.audit_log.append(AuditEntry(
                run=self.run_id, device=self.id, world=self._world_label(),
                outcome=audit.REFUSED if refused else audit.FAILED,
                account=getattr(error, "shown", None) or self.account, expected_account=self.expected_account,
                reason=reason, message=sentence(error), evidence=evidence,
            ))

    def _world_label(self) -> str | None:
        world = self.session.world_name
        return Path(world).stem if world else None

    def _outcome(self, outcome: PromotionOutcome, reason: str | None) -> None:
        self.outcomes.append(outcome)
        if self.audit_log is None:
            return
        promo = outcome.promotion
        self.audit_log.append(AuditEntry(
            run=self.run_id, device=self.id, world=self._world_label(), outcome=outcome.outcome,
            account=self.account, expected_account=self.expected_account, promotion_id=promo.promotion_id,
            title=promo.title,
            status_before=promo.status_text, spend_before=None if promo.spent is None else float(promo.spent),
            spend_at_cancel=None if outcome.spend_at_cancel is None else float(outcome.spend_at_cancel),
            reason=reason, message=outcome.message, evidence=outcome.evidence,
        ))

    def mark(self, state: str) -> None:
        """A state decided by the run, not the device (dry run, not confirmed)."""
        self.state = state

    def error_sentence(self) -> str | None:
        return sentence(self.error) if self.error is not None else None

    def close(self) -> None:
        self.session.close()
