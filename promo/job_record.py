"""What one device's part of a hands-free run leaves behind: audit lines, report steps, evidence files.

Split out of the device job because it changes for other reasons (what an auditor or a report reader
needs) than driving the app does. Its one rule is the order: the line saying what became of a
promotion is appended to the audit log *before* any evidence is taken, and whatever fails while taking
or saving the evidence (a crashed session, a results folder that is a file, a full disk) is noted in
an `evidence` line of its own and in the report step. Nothing in the evidence path is retried, and no
failure there can erase or hide the record before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from allure_commons.types import AttachmentType

from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.harness.errors import AuditUnwritable, category_of
from tiktok_promo.harness.messages import sentence
from tiktok_promo.harness.report.allure_results import DeviceRecord, StepRecord
from tiktok_promo.harness.report.audit import EVIDENCE, AuditEntry, AuditLog, Outcome

Evidence = Callable[[bytes], tuple[str, Path]]
SourceEvidence = Callable[[str], tuple[str, Path]]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


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
    evidence_error: str | None = None  # why the evidence after it could not be taken or saved
    recorded: bool = False  # its audit line was written

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.CANCELLED, Outcome.ALREADY_CANCELLED)

    @property
    def category(self) -> str | None:
        """The class of the failure (device or session, app or locator, product rule); None when ok."""
        return category_of(self.error) if self.error is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.promotion.promotion_id, "title": self.promotion.title, "outcome": self.outcome,
            "message": self.message, "status_after": self.status_after,
            "spend_before": _number(self.promotion.spent), "spend_at_cancel": _number(self.spend_at_cancel),
            "evidence": self.evidence, "evidence_error": self.evidence_error, "recorded": self.recorded,
            "failure_class": self.category, "confirms": self.confirms,
        }


class Screen(Protocol):
    """What evidence is taken from: the device's session."""

    @property
    def started(self) -> bool: ...

    @property
    def world_name(self) -> str | None: ...

    def screenshot(self, reuse: bool = False) -> bytes | None: ...

    def page_source(self) -> str | None: ...

    @property
    def recording(self) -> bool: ...

    def stop_recording(self) -> bytes | None: ...

    def record_video(self) -> None: ...

    def restart_recording(self) -> None: ...


@dataclass
class Who:
    """Whose lines they are: the run, the device, and the accounts (read when a line is written)."""

    run_id: str
    device: str
    account: Callable[[], str | None]
    expected_account: Callable[[], str | None]
    facts: Callable[[], dict[str, str]] = dict  # what the device says of itself (Android, app version, locale)
    platform: Callable[[], str | None] = lambda: None  # Android or iOS


class JobRecord:
    """The audit lines, the report steps and the evidence of one device's part of a run.

    An audit log that cannot be written is handed to `on_unwritable` (the run stops before its next
    cancel); it is never raised into the device's work.
    """

    def __init__(self, who: Who, screen: Screen, target: str, audit_log: AuditLog | None = None,
                 evidence: Evidence | None = None, source_evidence: SourceEvidence | None = None,
                 on_unwritable: Callable[[AuditUnwritable], None] | None = None,
                 video_evidence: Evidence | None = None, keep_videos: str = "always") -> None:
        self.who = who
        self.screen = screen
        self.audit_log = audit_log
        self.evidence = evidence
        self.source_evidence = source_evidence
        self.on_unwritable = on_unwritable
        self.video_evidence = video_evidence
        self.keep_videos = keep_videos  # harness.run.config.VIDEO_MODES: which cancels keep their video
        parameters = {"device": who.device, "target": target}
        if self.world():
            parameters["world"] = self.world() or ""
        self.record = DeviceRecord(who.device, parameters=parameters)

    def world(self) -> str | None:
        world = self.screen.world_name
        return Path(world).stem if world else None

    def recovered(self, sentence: str) -> None:
        """A recovery (new session, app opened again, confirm repeated after a fresh read): a report step."""
        with self.record.step("Recovery", what=sentence):
            pass

    # --- the audit log: first -------------------------------------------------------------------
    def _append(self, **fields: Any) -> bool:
        if self.audit_log is None:
            return False
        who = self.who
        try:
            self.audit_log.append(AuditEntry(run=who.run_id, device=who.device, world=self.world(),
                                             platform=who.platform(), expected_account=who.expected_account(),
                                             device_facts=who.facts(), **fields))
        except AuditUnwritable as error:
            if self.on_unwritable is None:
                raise
            self.on_unwritable(error)
            return False
        return True

    def outcome(self, outcome: PromotionOutcome, reason: str | None) -> bool:
        """The line of one promotion's outcome, before anything else; whether it was written."""
        promo = outcome.promotion
        outcome.recorded = self._append(
            outcome=outcome.outcome, account=self.who.account(), promotion_id=promo.promotion_id, title=promo.title,
            status_before=promo.status_text, spend_before=_number(promo.spent),
            spend_at_cancel=_number(outcome.spend_at_cancel), reason=reason, message=outcome.message)
        return outcome.recorded or self.audit_log is None

    def evidence_for(self, outcome: PromotionOutcome, step: StepRecord | None, name: str) -> None:
        """The picture (and, after a failure, the page source) of a recorded outcome, in a line after it.

        When evidence is kept, that line always follows: the files, or the sentence saying why there are
        none (a session or an Appium server that died right after the cancel gives no picture).
        """
        if self.evidence is None:
            return
        if self.screen.started:
            paths, problem = self.screenshot(step, name)
            if not outcome.ok:
                problem = self.page_source(step, name) or problem
            videos, unsaved = self.video(step, name, keep=self.keep_videos == "always" or not outcome.ok)
            paths, problem = paths + videos, problem or unsaved
        else:
            paths, problem = [], self._no_picture(step, name, "the device's session had already ended")
        outcome.evidence, outcome.evidence_error = paths, problem
        promo = outcome.promotion
        self._append(outcome=EVIDENCE, account=self.who.account(), promotion_id=promo.promotion_id,
                     title=promo.title, evidence=paths, evidence_error=problem)

    def stopped(self, error: BaseException, reason: str | None, refused: bool, account: str | None,
                audit_it: bool = True) -> None:
        """A device that could not go on (refused by a check, or failed): its line, then what the phone showed."""
        if audit_it and not self._append(outcome=Outcome.REFUSED if refused else Outcome.FAILED, account=account,
                                         reason=reason, message=sentence(error)) and self.audit_log is not None:
            return  # the log failed: the run stops; no evidence line could follow
        if not self.screen.started:
            return
        step = self.record.steps[-1] if self.record.steps else None
        name = "the app when it stopped"
        paths, problem = self.screenshot(step, name)
        problem = self.page_source(step, name) or problem
        videos, unsaved = self.video(step, name, keep=True)
        paths, problem = paths + videos, problem or unsaved
        if audit_it and (paths or problem):
            self._append(outcome=EVIDENCE, account=account, evidence=paths, evidence_error=problem)

    # --- evidence: after, and never in the way --------------------------------------------------
    def screenshot(self, step: StepRecord | None, name: str) -> tuple[list[str], str | None]:
        """A picture of the phone, attached to the step: its path, or the sentence saying why there is none.

        One try: a failure here is noted, not retried and not raised.
        """
        if self.evidence is None:
            return [], None
        try:
            png = self.screen.screenshot()
            if not png:  # the session swallows why (a dead session, an Appium server that is gone)
                return [], self._no_picture(step, name, "the device did not answer (its session or the Appium "
                                                        "server may have died)")
            file_name, path = self.evidence(png)
        except Exception as error:  # evidence is never worth losing the record for
            return [], self._could_not(step, f"the screenshot of {name}", error)
        if step is not None:
            step.attachments.append((name, file_name, AttachmentType.PNG.mime_type))
        return [str(path)], None

    def page_source(self, step: StepRecord | None, name: str) -> str | None:
        """The page source attached to the step (what a person needs to see why); why not, or None."""
        if self.source_evidence is None or step is None:
            return None
        try:
            source = self.screen.page_source()
            if not source:
                return None
            file_name, _ = self.source_evidence(source)
        except Exception as error:
            return self._could_not(step, f"the page source of {name}", error)
        step.attachments.append((f"page source: {name}", file_name, AttachmentType.XML.mime_type))
        return None

    def video(self, step: StepRecord | None, name: str, keep: bool) -> tuple[list[str], str | None]:
        """The screen recording since the last one (the start of the cancels, or the cancel before), attached to the
        step when kept; a recording starts again for what comes next. Its path, or why it could not be saved."""
        if self.video_evidence is None or not self.screen.recording:
            return [], None
        if not keep:
            self.screen.restart_recording()  # a cancel that went as asked: its video is dropped, never encoded
            return [], None
        mp4 = self.screen.stop_recording()
        self.screen.record_video()
        if not mp4:  # the device gave none (a session that died takes its recording with it)
            return [], None
        try:
            file_name, path = self.video_evidence(mp4)
        except Exception as error:  # evidence is never worth losing the record for
            return [], self._could_not(step, f"the screen recording of {name}", error)
        if step is not None:
            step.attachments.append((f"screen recording: {name}", file_name, AttachmentType.MP4.mime_type))
        return [str(path)], None

    @staticmethod
    def _no_picture(step: StepRecord | None, name: str, why: str) -> str:
        problem = f"Could not take the screenshot of {name}: {why}."
        if step is not None:
            step.parameters["evidence"] = problem
        return problem

    @staticmethod
    def _could_not(step: StepRecord | None, what: str, error: BaseException) -> str:
        said = error.strerror if isinstance(error, OSError) and error.strerror else sentence(error)
        where = f" to {error.filename}" if isinstance(error, OSError) and error.filename else ""
        problem = f"Could not save {what}{where}: {said}."
        if step is not None:
            step.parameters["evidence"] = problem
        return problem
