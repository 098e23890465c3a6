"""The audit log of hands-free runs: one JSON object per line, appended, never rewritten.

Each line says what happened to one promotion on one device (or why a device was refused): when,
where, which account, which promotion, the spend at the moment of cancel, the reason given, the
outcome as the app showed it. Capabilities, URLs with credentials and secret values never go in
(the entries pass through a Redactor).

The record comes first: the line of a cancel is appended before any evidence is taken, so a full disk
or a broken screenshot can never erase it. The evidence of that promotion follows in a line of its own
(outcome `evidence`): the files saved, or the sentence saying why none could be.

What the file guarantees, and how:
- A run proves the log can be kept before its first tap: it appends and syncs a `run-started` line
  (`prepare`); a log that cannot take it stops the run before any device is touched.
- Every line is one `write` of the line and its newline on a file opened for appending, then synced:
  concurrent runs never interleave, and a line the disk accepted survives a crash.
- A last line cut short (a disk that filled up, a crash mid-write) is fenced off before the next line:
  a newline, then a `torn-line` line saying where the cut bytes are. Readers skip such a line and say so.
- Only a regular file is ever written: a FIFO, a device or a link to one is refused (a FIFO would block
  for ever, /dev/full would swallow every line).
- A line that cannot be written is kept elsewhere: as a JSON line on stderr and in a fallback file next
  to the log (or, when that folder cannot take it either, in the user's state folder), which the next
  run adds to the log before anything else.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from tiktok_promo.harness.errors import AuditUnwritable, ConfigError
from tiktok_promo.harness.redact import Redactor

AUDIT_FILE = "promo-audit.jsonl"
FALLBACK_SUFFIX = ".fallback.jsonl"  # promo-audit.jsonl -> promo-audit.fallback.jsonl, beside it
FALLBACK_LIMIT = 16 * 1024 * 1024  # a fallback file bigger than this is not one promo wrote: refused, not read


class Outcome(StrEnum):
    """What can become of a promotion (or a device) in a run, as the audit log writes it."""

    CANCELLED = "cancelled"  # the app showed it cancelled after the confirm
    ALREADY_CANCELLED = "already-cancelled"  # it was cancelled before this run; nothing was tapped
    NOT_CANCELLED = "not-cancelled"  # confirmed, but the app does not show it cancelled
    FAILED = "failed"  # the device, the session or the screen failed before the cancel was done
    REFUSED = "refused"  # a check refused (wrong account, logged out, unknown title...); nothing changed
    NOT_ATTEMPTED = "not-attempted"  # the device was lost, or the run stopped, before this promotion's turn


# Lines that are not outcomes (their `outcome` field says which kind of line they are):
EVIDENCE = "evidence"  # the evidence of the line before it on that device (or why there is none)
RUN_STARTED = "run-started"  # written and synced before the run's first tap: proof the log can be kept
TORN_LINE = "torn-line"  # the line before it was found cut short and was fenced off by a newline


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    run: str
    device: str
    outcome: str
    platform: str | None = None  # the device's platform as people name it: Android or iOS
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
    # What the device said of itself: android.version, app.version, device.locale, device.model.
    device_facts: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    evidence_error: str | None = None  # on an `evidence` line: why the evidence could not be taken or saved
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))


@dataclass(frozen=True)
class TornLine:
    """Bytes of an audit file that are not a whole line (cut short by a full disk or a crash)."""

    offset: int
    length: int

    def describe(self) -> str:
        return f"{self.length} bytes at offset {self.offset}"


@dataclass
class AuditRecords:
    """What a reader found in an audit file: its whole lines, and the torn ones it skipped."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    torn: list[TornLine] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _not_a_file(path: Path, kind: str) -> OSError:
    return OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))


def _open_regular(path: Path, flags: int) -> int:
    """An fd on `path` that is a regular file; OSError saying what it is otherwise.

    O_NONBLOCK: opening a FIFO must fail or return at once, never wait for a reader.
    """
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno != errno.ENXIO:
            raise
        # A FIFO nobody reads, or a socket: not something a record can be written to.
        try:
            kind = _KINDS.get(stat.S_IFMT(os.stat(path).st_mode), "not a file")
        except OSError:
            raise error from None
        raise _not_a_file(path, kind) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_a_file(path, _KINDS.get(stat.S_IFMT(mode), "not a file"))
    return fd


def _write_whole(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    if written != len(data):  # the disk (or the file size limit) ran out in the middle of the line
        raise OSError(errno.ENOSPC, "the disk filled up in the middle of the line")


def _torn_tail(fd: int) -> TornLine | None:
    """The bytes after the file's last newline, if there are any: a line that was never finished."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return None
    end = size
    while end > 0:
        start = max(0, end - 65536)
        chunk = os.pread(fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            return TornLine(start + cut + 1, size - (start + cut + 1))
        end = start
    return TornLine(0, size)


def _line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def append_line(path: Path, line: bytes, run: str | None = None) -> TornLine | None:
    """Append one whole line to a JSON-lines file and sync it; the torn tail it fenced off first, if any.

    Exclusive (flock) while it checks the tail and writes: another run's line, half copied into the file
    at that moment, would otherwise look cut short. The lock is held for one write and one sync only; a
    file system without locks still gets whole lines.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    readable = True
    try:
        fd = _open_regular(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)  # read too: its tail is checked
    except PermissionError:  # a file one may append to but not read: written whole, its tail unchecked
        fd, readable = _open_regular(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND), False
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        torn = _torn_tail(fd) if readable else None
        if torn is not None:
            fence = {"time": _now(), "run": run, "outcome": TORN_LINE, "offset": torn.offset, "length": torn.length,
                     "message": f"The line before this one ({torn.describe()}) was cut short, by a full disk or a "
                                "crash while it was written; it is left as it was and readers skip it."}
            _write_whole(fd, b"\n" + _line(fence))
        _write_whole(fd, line)
        os.fsync(fd)
        if created:  # a new file's name is kept across a crash only once its folder is synced too
            _sync_folder(path.parent)
        return torn
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_records(path: Path, limit: int | None = None) -> AuditRecords:
    """Every whole line of a JSON-lines audit file; a line cut short or not JSON is skipped and reported.

    Refuses (OSError) what is not a regular file, and a file over `limit` bytes when one is given.
    """
    found = AuditRecords()
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return found
    with open(fd, "rb") as handle:
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise OSError(errno.EFBIG, f"it is {size} bytes, more than a fallback record can be", str(path))
        data = handle.read()
    offset = 0
    *lines, tail = data.split(b"\n")
    for raw in lines:
        try:
            entry = json.loads(raw) if raw.strip() else None
        except ValueError:
            entry = None
        if isinstance(entry, dict):
            found.entries.append(entry)
        elif raw.strip():  # a line cut short and fenced off by a newline later, or bytes that are not a record
            found.torn.append(TornLine(offset, len(raw)))
        offset += len(raw) + 1
    if tail.strip():  # the last line has no newline: the write was cut short (the next append fences it off)
        found.torn.append(TornLine(offset, len(tail)))
    return found


def read_audit(path: Path) -> list[dict[str, Any]]:
    """Every whole entry of an audit file (for tests and tools); torn lines are skipped (see read_records)."""
    return read_records(path).entries


def state_folder() -> Path | None:
    """The user's state folder for promo (XDG): where a fallback record goes when the reports folder refuses it.

    None when there is no home to find it in.
    """
    base = os.environ.get("XDG_STATE_HOME", "").strip()
    if base and Path(base).is_absolute():
        return Path(base) / "promo"
    try:
        return Path.home() / ".local" / "state" / "promo"
    except RuntimeError:
        return None


class AuditLog:
    """Appends entries to the audit file; safe to share between the threads of a run.

    `prepare` before the first tap; `append` for every line after. A line that cannot be appended is kept
    in the fallback (stderr and a fallback file) before AuditUnwritable is raised.
    """

    def __init__(self, path: Path, redactor: Redactor | None = None, run_id: str | None = None,
                 stream: TextIO | None = None) -> None:
        self.path = path
        self.redactor = redactor or Redactor()
        self.run_id = run_id
        self.stream = stream  # where a line that could not be written is printed (stderr), besides the fallback
        self._lock = threading.Lock()

    # --- where a line goes when the log refuses it ---------------------------------------------------
    @property
    def fallback_path(self) -> Path:
        """The fallback file beside the log: promo-audit.fallback.jsonl."""
        name = self.path.name.removesuffix(".jsonl")
        return self.path.with_name(name + FALLBACK_SUFFIX)

    @property
    def fallback_paths(self) -> list[Path]:
        """Where a refused line goes, in order: beside the log, then the user's state folder (one file per
        audit log there, named by a hash of the log's full path)."""
        state = state_folder()
        if state is None:
            return [self.fallback_path]
        digest = hashlib.sha256(str(self.path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return [self.fallback_path, state / f"audit-fallback-{digest}.jsonl"]

    def _keep(self, line: bytes) -> Path | None:
        """Keep a line the log refused: on the stream, and in the first fallback file that takes it."""
        if self.stream is not None:
            with contextlib.suppress(OSError, ValueError):
                self.stream.write(line.decode("utf-8"))
                self.stream.flush()
        for place in self.fallback_paths:
            try:
                append_line(place, line, self.run_id)
            except OSError:
                continue
            return place
        return None

    # --- before the first tap ------------------------------------------------------------------------
    def prepare(self, devices: list[str] | None = None) -> list[str]:
        """Prove the log can be kept before anything is tapped; what was found on the way, as sentences.

        Fences a torn last line, adds the records a run before kept in a fallback file (then removes
        it), and appends and syncs this run's `run-started` line. ConfigError (one sentence naming the
        file) when any of it fails: the run must not tap.
        """
        said: list[str] = []
        with self._lock:
            try:
                torn = append_line(self.path, b"", self.run_id) if self.path.exists() else None
                if torn is not None:
                    said.append(f"the last line of the audit log {self.path} was cut short ({torn.describe()}, a "
                                "full disk or a crash); it is fenced off and noted in the log")
                for place in self.fallback_paths:
                    said += self._replay(place)
                started = {"time": _now(), "run": self.run_id, "outcome": RUN_STARTED, "devices": devices or []}
                append_line(self.path, _line(started), self.run_id)
            except OSError as error:
                full = error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
                fix = ("free space, or give --reports (PROMO_REPORTS) a folder on another disk" if full
                       else "fix --reports (PROMO_REPORTS)")
                raise ConfigError(f"The audit log {self.path} cannot be written ({_why(error)}); nothing was "
                                  f"tapped: {fix}.") from None
        return said

    def _replay(self, place: Path) -> list[str]:
        """Add the lines a run kept in a fallback file to the log, then remove the file."""
        if not place.exists() and not place.is_symlink():
            return []
        if not place.is_file():  # promo only ever writes a regular file there: this holds no record of its
            return [f"{place} is not a regular file, so it holds no fallback record; it was left alone"]
        try:
            found = read_records(place, FALLBACK_LIMIT)
        except OSError as error:
            raise OSError(error.errno, f"its fallback record {place} cannot be read: {_why(error)}") from None
        for entry in found.entries:
            entry.setdefault("replayed_by", self.run_id)
            append_line(self.path, _line(entry), self.run_id)
        place.unlink()
        said = [f"added {len(found.entries)} record(s) kept in {place} (when the audit log could not be written) "
                f"to the audit log {self.path}"]
        if found.torn:
            said.append(f"skipped {len(found.torn)} line(s) of {place} that were cut short")
        return said

    # --- every line after ----------------------------------------------------------------------------
    def append(self, entry: AuditEntry) -> None:
        """One line, written whole and synced; else kept in the fallback and AuditUnwritable (naming the file)."""
        data: dict[str, Any] = {"time": entry.time, **{k: v for k, v in asdict(entry).items() if k != "time"}}
        if data["evidence_error"] is None:
            del data["evidence_error"]
        line = _line(self.redactor.clean_data(data))
        with self._lock:
            try:
                append_line(self.path, line, self.run_id)
            except OSError as error:
                raise AuditUnwritable(self.path, OSError(error.errno, _why(error)), self._keep(line)) from None


def _why(error: OSError) -> str:
    return error.strerror or str(error)
