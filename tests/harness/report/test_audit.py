"""The audit log (harness.report.audit): whole lines when devices write at once, secrets masked, fields in order."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.audit import AuditEntry, AuditLog, read_audit


def test_audit_lines_stay_whole_when_devices_write_at_once(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "reports" / "promo-audit.jsonl", Redactor(["hush-hush"]))

    def write(n: int) -> None:
        for i in range(50):
            log.append(AuditEntry(run="r", device=f"sim-{n}", outcome="cancelled", title=f"t{i} hush-hush"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = read_audit(log.path)
    assert len(entries) == 200
    assert all(e["title"].endswith("***") for e in entries)
    assert list(entries[0]) == ["time", "run", "device", "outcome", "platform", "account", "expected_account",
                                "promotion_id", "title", "status_before", "spend_before", "spend_at_cancel", "reason",
                                "message", "world", "device_facts", "evidence"]
    json.dumps(entries)
