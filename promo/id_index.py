"""Which title each promotion ID showed when `promo` last read its details: a hint for `promo cancel --id`.

The list shows each promotion's title and status but not its ID, which only its details screen shows. To
find an ID, the plan opens the details of the running rows one by one until it shows. With the title the
ID had last time, only the rows of that title are opened. The hint is never trusted: the ID is still read
on the details screen before anything is tapped, and an ID not found under its remembered title is looked
for on every row, as without a hint. A file that cannot be read or written only costs the hint.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from tiktok_promo.flows.inventory import PromotionInfo

INDEX_FILE = "promotion-ids.json"  # under the reports folder, beside the audit log


def _account(account: str | None) -> str:
    return (account or "").lstrip("@").casefold()


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def titles_of_ids(reports_dir: Path, account: str | None) -> dict[str, str]:
    """ID (case-folded) -> the title it showed last, for this account; {} when nothing is known."""
    known = _read(reports_dir / INDEX_FILE).get(_account(account))
    if not isinstance(known, dict):
        return {}
    return {str(pid).casefold(): str(title) for pid, title in known.items() if isinstance(title, str)}


def remember(reports_dir: Path, account: str | None, promotions: Iterable[PromotionInfo]) -> None:
    """Keep the title each read promotion's ID showed, for the next run on this account."""
    seen = {p.promotion_id: p.title for p in promotions if p.detailed and p.promotion_id and p.title}
    if not seen or not _account(account):
        return
    path = reports_dir / INDEX_FILE
    data = _read(path)
    known = data.get(_account(account))
    data[_account(account)] = {**(known if isinstance(known, dict) else {}), **seen}
    spare = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(OSError):  # a hint: a run never fails for it
        path.parent.mkdir(parents=True, exist_ok=True)
        spare.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        spare.replace(path)  # whole or not at all: a reader never meets half a file
