"""Allure results of a hands-free run, so the same HTML report that shows the features shows what
`promo cancel` did: one test result per device, a step per check and per cancel, a picture of the
phone after each cancel.

Written with allure-python-commons' own model and file logger (the files pytest's Allure plugins
write), into the same results directory the features use, reports/allure-results by default.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Attachment,
    Label,
    Parameter,
    Status,
    StatusDetails,
    TestResult,
    TestStepResult,
)
from allure_commons.types import AttachmentType

from tiktok_promo.harness.errors import PRODUCT, category_of
from tiktok_promo.harness.messages import classified
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.scenario_results import DRIFT_LABEL, FAILURE_LABEL, failure_class

SUITE = "Hands-free cancels (promo)"
FEATURE = "Hands-free cancelling with the promo command"


def now_ms() -> int:
    return int(time.time() * 1000)


def status_of(error: BaseException) -> str:
    """Allure's verdict for an error: a product rule failed, or the device/harness broke."""
    if category_of(error) == PRODUCT:
        return Status.FAILED
    return Status.BROKEN


@dataclass
class StepRecord:
    """One step of a device's run, as the report shows it."""

    name: str
    start: int = field(default_factory=now_ms)
    stop: int | None = None
    status: str = Status.PASSED
    message: str | None = None
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (name, file name, mime type)
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class DeviceRecord:
    """Everything one device did in a run: its steps and its verdict."""

    device: str
    parameters: dict[str, str] = field(default_factory=dict)
    steps: list[StepRecord] = field(default_factory=list)
    start: int = field(default_factory=now_ms)
    stop: int | None = None
    status: str = Status.PASSED
    message: str | None = None
    failure_class: str | None = None  # the report's category label (harness.report.scenario_results)
    drift: list[str] = field(default_factory=list)  # targets found by a fallback locator, one line each

    @contextmanager
    def step(self, name: str, **parameters: str) -> Iterator[StepRecord]:
        """Time a step; an exception marks it (and the device) failed or broken, and goes on up."""
        record = StepRecord(name, parameters=dict(parameters))
        self.steps.append(record)
        try:
            yield record
        except Exception as error:
            record.status = status_of(error)
            record.message = classified(error)
            raise
        finally:
            record.stop = now_ms()

    def fail(self, error: BaseException) -> None:
        status = status_of(error)
        # A broken device outranks a failed check: the report should sort it with the device errors.
        if self.status != Status.BROKEN:
            self.status = status
        if self.message is None or status == Status.BROKEN:
            self.failure_class = failure_class(error)
        self.message = self.message or classified(error)


class AllureRun:
    """Writes the results and attachments of one run into an Allure results directory."""

    def __init__(self, results_dir: Path, command: str, redactor: Redactor | None = None) -> None:
        self.results_dir = results_dir
        self.command = command
        self.redactor = redactor or Redactor()
        self._logger: AllureFileLogger | None = None
        self._lock = threading.Lock()

    @property
    def logger(self) -> AllureFileLogger:
        with self._lock:
            if self._logger is None:
                self._logger = AllureFileLogger(str(self.results_dir))
            return self._logger

    @contextmanager
    def _whole_or_none(self, pattern: str) -> Iterator[None]:
        """A file the logger could not finish (a full disk) is removed: no half file, and its space back.

        The logger writes `<name>.tmp` and renames it when done; `pattern` names the .tmp of this write
        (a result's name is the logger's own: results are written one at a time, after the devices).
        """
        try:
            yield
        except OSError:
            for partial in self.results_dir.glob(f"{pattern}.tmp"):
                with suppress(OSError):
                    partial.unlink()
            raise

    def save_png(self, png: bytes) -> tuple[str, Path]:
        """Store a screenshot as an attachment file: its file name (for the result) and full path (for the audit)."""
        name = f"{uuid.uuid4()}-attachment.{AttachmentType.PNG.extension}"
        with self._whole_or_none(name):
            self.logger.report_attached_data(body=png, file_name=name)
        return name, (self.results_dir / name).resolve()

    def save_xml(self, text: str) -> tuple[str, Path]:
        """Store a page source as an attachment file (secrets masked): its file name and full path."""
        name = f"{uuid.uuid4()}-attachment.{AttachmentType.XML.extension}"
        with self._whole_or_none(name):
            self.logger.report_attached_data(body=self.redactor.clean(text).encode("utf-8"), file_name=name)
        return name, (self.results_dir / name).resolve()

    def save_mp4(self, video: bytes) -> tuple[str, Path]:
        """Store a screen recording as an attachment file: its file name and full path."""
        name = f"{uuid.uuid4()}-attachment.{AttachmentType.MP4.extension}"
        with self._whole_or_none(name):
            self.logger.report_attached_data(body=video, file_name=name)
        return name, (self.results_dir / name).resolve()

    def write(self, record: DeviceRecord, title: str) -> None:
        """One Allure test result for a device's part of the run."""
        clean = self.redactor.clean
        params = {k: clean(v) for k, v in record.parameters.items()}
        history = hashlib.md5(f"promo|{title}|{sorted(params.items())}".encode()).hexdigest()
        result = TestResult(
            uuid=str(uuid.uuid4()),
            historyId=history,
            testCaseId=hashlib.md5(f"promo|{title}".encode()).hexdigest(),
            name=clean(title),
            fullName=f"promo.cancel.{record.device}",
            description=clean(self.command),
            status=record.status,
            statusDetails=StatusDetails(message=clean(record.message)) if record.message else None,
            start=record.start,
            stop=record.stop or now_ms(),
            labels=[Label(name, value) for name, value in _labels(record).items()],
            parameters=[Parameter(name=k, value=v) for k, v in params.items()],
            steps=[_step(s, clean) for s in record.steps],
        )
        with self._whole_or_none("*-result.json"):
            self.logger.report_result(result)


def _labels(record: DeviceRecord) -> Mapping[str, str]:
    labels = {"parentSuite": "promo", "suite": SUITE, "subSuite": record.device, "feature": FEATURE,
              "tag": "hands-free", "device": record.device}
    if record.failure_class and record.status != Status.PASSED:
        labels[FAILURE_LABEL] = record.failure_class
    if record.drift:
        labels[DRIFT_LABEL] = f"{len(record.drift)} target{'s' if len(record.drift) != 1 else ''} on a fallback"
    return labels


def _step(step: StepRecord, clean) -> TestStepResult:
    return TestStepResult(
        name=clean(step.name),
        status=step.status,
        statusDetails=StatusDetails(message=clean(step.message)) if step.message else None,
        start=step.start,
        stop=step.stop or step.start,
        attachments=[Attachment(name=name, source=source, type=mime) for name, source, mime in step.attachments],
        parameters=[Parameter(name=k, value=clean(v)) for k, v in step.parameters.items()],
    )
