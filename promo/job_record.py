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
from typing import Any

from allure_commons.types import AttachmentType

from flows.inventory import PromotionInfo
from harness.errors import category_of
from harness.messages import sentence
from harness.report import audit
from harness.report.allure_results import DeviceRecord, StepRecord
from harness.report.audit import AuditEntry, AuditLog

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
        return self.outcome in (audit.CANCELLED, audit.ALREADY_CANCELLED)

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


@dataclass
class Who:
    """Where a device's lines belong: the run, the device, its world and the accounts."""

    run_id: str
    device: str
    world: Callable[[], str | None]
    account: Callable[[], str | None]
    expected_account: Callable[[], str | None]


class JobRecord:
    """The audit lines, the report steps and the evidence of one device's part of a run."""

    def __init__(self, who: Who, record: DeviceRecord, audit_log: AuditLog | None = None,
                 evidence: Evidence | None = None, source_evidence: SourceEvidence | None = None) -> None:
        self.who = who
        self.record = record
        self.audit_log = audit_log
        self.evidence = evidence
        self.source_evidence = source_evidence

    # --- the audit log: first -------------------------------------------------------------------
    def _append(self, **fields: Any) -> None:
        if self.audit_log is None:
            return
        who = self.who
        self.audit_log.append(AuditEntry(run=who.run_id, device=who.device, world=who.world(),
                                         expected_account=who.expected_account(), **fields))

    def outcome(self, outcome: PromotionOutcome, reason: str | None) -> None:
        """The line of one promotion's outcome; AuditUnwritable (naming the file) when it cannot be written."""
        promo = outcome.promotion
        self._append(outcome=outcome.outcome, account=self.who.account(), promotion_id=promo.promotion_id,
                     title=promo.title, status_before=promo.status_text, spend_before=_number(promo.spent),
                     spend_at_cancel=_number(outcome.spend_at_cancel), reason=reason, message=outcome.message)
        outcome.recorded = self.audit_log is not None

    def stopped(self, error: BaseException, reason: str | None, refused: bool, account: str | None) -> None:
        """The line of a device that could not go on (refused by a check, or failed)."""
        self._append(outcome=audit.REFUSED if refused else audit.FAILED, account=account, reason=reason,
                     message=sentence(error))

    def evidence_line(self, paths: list[str], problem: str | None, promotion_id: str | None = None,
                      title: str | None = None) -> None:
        """The evidence of the line before it: the files saved, or why there are none."""
        if paths or problem:
            self._append(outcome=audit.EVIDENCE, account=self.who.account(), promotion_id=promotion_id,
                         title=title, evidence=paths, evidence_error=problem)

    # --- evidence: after, and never in the way --------------------------------------------------
    def screenshot(self, step: StepRecord | None, name: str,
                   take: Callable[[], bytes | None]) -> tuple[list[str], str | None]:
        """A picture of the phone, attached to the step: its path, or the sentence saying why there is none.

        One try: a failure here is noted, not retried and not raised.
        """
        if self.evidence is None:
            return [], None
        try:
            png = take()
            if not png:
                return [], None
            file_name, path = self.evidence(png)
        except Exception as error:  # evidence is never worth losing the record for
            return [], self._could_not(step, f"the screenshot of {name}", error)
        if step is not None:
            step.attachments.append((name, file_name, AttachmentType.PNG.mime_type))
        return [str(path)], None

    def page_source(self, step: StepRecord | None, name: str, take: Callable[[], str | None]) -> str | None:
        """The page source attached to the step (what a person needs to see why); why not, or None."""
        if self.source_evidence is None or step is None:
            return None
        try:
            source = take()
            if not source:
                return None
            file_name, _ = self.source_evidence(source)
        except Exception as error:
            return self._could_not(step, f"the page source of {name}", error)
        step.attachments.append((f"page source: {name}", file_name, AttachmentType.XML.mime_type))
        return None

    @staticmethod
    def _could_not(step: StepRecord | None, what: str, error: BaseException) -> str:
        said = error.strerror if isinstance(error, OSError) and error.strerror else sentence(error)
        where = f" to {error.filename}" if isinstance(error, OSError) and error.filename else ""
        problem = f"Could not save {what}{where}: {said}."
        if step is not None:
            step.parameters["evidence"] = problem
        return problem
