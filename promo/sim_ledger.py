"""`--sim-ledger FILE` (for tests and the soak): the virtual devices' true state at the end of a run, as JSON.

The file maps each device of the run to its ledger (None for a device whose session could not give one),
plus the key `MARKER`, which is how a later run knows the file is one it wrote. Such a file, or a path
where nothing is yet, is the only thing the option writes: anything else (a document, a link, a device,
/etc/passwd under root) is refused before the run starts, and the write itself goes to a new file in the
same folder that then replaces the old one, so a link swapped in meanwhile is replaced, never followed.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tiktok_promo.harness.errors import ConfigError

MARKER = "_written_by"
MARKER_VALUE = "promo --sim-ledger"
MAX_BYTES = 50_000_000  # a ledger of a few devices is kilobytes; a bigger file is someone else's


def check_ledger_file(path: Path) -> None:
    """ConfigError (one sentence) unless `path` is free, or a ledger file an earlier run wrote."""
    if not str(path).strip():
        raise ConfigError("--sim-ledger is empty; give the path of a file to write.")
    try:
        found = path.lstat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ConfigError(f"--sim-ledger {path}: the folder {path.parent} does not exist.") from None
        return
    except OSError as error:
        raise ConfigError(f"--sim-ledger {path} cannot be checked: {error.strerror or error}.") from None
    if stat.S_ISDIR(found.st_mode):
        raise ConfigError(f"--sim-ledger {path} is a folder; give the path of a file to write.")
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_BYTES or not _is_ours(path):
        raise ConfigError(f"--sim-ledger {path} already exists and is not a ledger promo wrote; it only writes a "
                          "new file or one of its own, so give another path.")


def _is_ours(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get(MARKER) == MARKER_VALUE


def write_ledger_file(path: Path, ledgers: Mapping[str, Any]) -> None:
    """Write the ledgers (checked again: the path may have changed during the run); OSError or ConfigError."""
    check_ledger_file(path)
    text = json.dumps({MARKER: MARKER_VALUE, **ledgers}, indent=2)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
