"""The audit log of hands-free runs: one JSON object per line, appended, never rewritten.

Each line says what happened to one promotion on one device (or why a device was refused): when,
where, which account, which promotion, the spend at the moment of cancel, the reason given, the
outcome as the app showed it, and the evidence files. Capabilities, URLs with credentials and secret
values never go in (the entries pass through a Redactor).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.errors import ConfigError
from harness.redact import Redactor

AUDIT_FILE = "promo-audit.jsonl"

# What can become of a promotion (or a device) in a run.
CANCELLED = "cancelled"  # the app showed it cancelled after the confirm
ALREADY_CANCELLED = "already-cancelled"  # it was cancelled before this run; nothing was tapped
NOT_CANCELLED = "not-cancelled"  # confirmed, but the app does not show it cancelled
FAILED = "failed"  # the device, the session or the screen failed before the cancel was done
REFUSED = "refused"  # a check refused (wrong account, logged out, unknown title...); nothing changed
NOT_ATTEMPTED = "not-attempted"  # the device was lost before this promotion's turn
OUTCOMES = (CANCELLED, ALREADY_CANCELLED, NOT_CANCELLED, FAILED, REFUSED, NOT_ATTEMPTED)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    run: str
    device: str
    outcome: str
    account: str | None = None  # the account the app showed (None: nobody logged in, or not reached)
    expected_account: str | None = None
    promotion_id: str | None = None
    title: str | None = None
    status_before: str | None = None
    spend_before: float | None = None
    spend_at_cancel: float | None = None
    reason: str | None = None
    message: str | None = None
    world: str | None = None
    evidence: list[str] = field(default_factory=list)
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))


class AuditLog:
    """Appends entries to the audit file; safe to share between the threads of a run."""

    def __init__(self, path: Path, redactor: Redactor | None = None) -> None:
        self.path = path
        self.redactor = redactor or Redactor()
        self._lock = threading.Lock()

    def check_writable(self) -> None:
        """Fail before any device is touched when the log cannot be written: a cancel must leave a record."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
        except OSError as error:
            raise ConfigError(f"The audit log {self.path} cannot be written ({error.strerror}); fix --reports "
                              "(PROMO_REPORTS).") from None

    def append(self, entry: AuditEntry) -> None:
        data: dict[str, Any] = {"time": entry.time, **{k: v for k, v in asdict(entry).items() if k != "time"}}
        line = json.dumps(self.redactor.clean_data(data), ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of a whole line in append mode: concurrent runs never interleave half lines.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)


def read_audit(path: Path) -> list[dict[str, Any]]:
    """Every entry of an audit file (for tests and tools)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
