"""The device's logs as Appium serves them (GET /se/log/types, POST /se/log): `logcat`, the phone's own events
written as Android's `threadtime` lines, `bugreport`, and `server`, what the server did (an insecure feature).

appium-android-driver lib/commands/log.ts lists the types and their descriptions; appium-adb lib/logcat.js reads
logcat in the threadtime format and hands each line over as {timestamp, level: 'ALL', message}, only the lines
since the last read; base-driver lib/basedriver/commands/log.ts refuses an unknown type.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tiktok_promo.simulator.errors import InvalidArgument, UnknownError
from tiktok_promo.simulator.security import GET_SERVER_LOGS, InsecureFeatures

LOG_TYPES = {  # appium-android-driver lib/commands/log.ts, supportedLogTypes
    "logcat": "Logs for Android applications on real device and emulators via ADB",
    "bugreport": "'adb bugreport' output for advanced issues diagnostic",
    "server": "Appium server logs",
}
SYSTEM_PID, APP_PID = 1432, 8127  # system_server's and the app's process ids on this phone
SYSTEM_TAGS = {"ActivityTaskManager", "ActivityManager", "WindowManager", "InputDispatcher", "StatusBar",
               "ConnectivityService", "MediaProjection", "ScreenRecord"}
MAX_LINES = 10_000  # appium-adb keeps the last 10,000 lines (logcat.js, MAX_BUFFER_SIZE)


def threadtime(moment: datetime, pid: int, tid: int, level: str, tag: str, message: str) -> str:
    """One line of `logcat -v threadtime`: date, time to the millisecond, pid, tid, level, tag, message."""
    stamp = moment.strftime("%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    return f"{stamp} {pid:5d} {tid:5d} {level} {tag:<8}: {message}"


class DeviceLog:
    """One session's logcat and server log: lines in arrival order, each read once by a `logcat` request."""

    def __init__(self, clock: Callable[[], datetime], security: Callable[[], InsecureFeatures]) -> None:
        self._clock = clock
        self._security = security
        self._lines: list[tuple[int, str]] = []  # (epoch ms, threadtime line)
        self._read_up_to = 0
        self._server: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._seen: tuple[Any, ...] | None = None

    def event(self, level: str, tag: str, message: str) -> None:
        """A line the phone writes: system tags from system_server, the rest from the app's process."""
        pid = SYSTEM_PID if tag in SYSTEM_TAGS else APP_PID
        line = threadtime(self._clock(), pid, pid, level, tag, message)
        with self._lock:
            self._lines.append((int(time.time() * 1000), line))
            if len(self._lines) > MAX_LINES:
                dropped = len(self._lines) - MAX_LINES
                del self._lines[:dropped]
                self._read_up_to = max(0, self._read_up_to - dropped)

    def command(self, method: str, path: str, status: int) -> None:
        """What the server log says of one request (Appium's `[HTTP]` lines)."""
        with self._lock:
            now = int(time.time() * 1000)
            self._server.append((now, f"[HTTP] --> {method} {path}"))
            self._server.append((now, f"[HTTP] <-- {method} {path} {status}"))
            del self._server[:-MAX_LINES]

    def observe(self, device: Any) -> None:
        """Write what changed on the phone since the last look: the activity in front, the app's screen, a toast,
        the app stopped (the lines a phone's system_server and the app write for these)."""
        package = getattr(device, "package", "")
        stack = getattr(device, "stack", [])
        screen = getattr(stack[-1], "name", None) if stack else None
        toast = getattr(device, "toast", None)
        seen = (getattr(device, "foreground_package", None), device.current_activity, getattr(device, "app_state", 0),
                screen, toast[0] if toast else None)
        before, self._seen = self._seen, seen
        before = before or (None, None, 1, None, None)  # the session's start: what shows is all new
        if before == seen:
            return
        if seen[0] == package and (before[0] != package or before[1] != seen[1]):
            self.event("I", "ActivityTaskManager", f"START u0 {{flg=0x10200000 cmp={package}/{seen[1]}}} "
                                                   "from uid 10203")
            self.event("I", "ActivityTaskManager", f"Displayed {package}/{seen[1]}: +412ms")
        elif before[0] == package and seen[0] != package:
            self.event("I", "ActivityTaskManager", f"Moving to background: {package}/{before[1]}")
        if before[2] != 1 and seen[2] == 1:
            self.event("I", "ActivityManager", f"Force stopping {package} appid=10203 user=0: from pid 2000")
        if seen[3] != before[3] and seen[3] is not None:
            self.event("D", "TikTokSim", f"screen shown: {seen[3]}")
        if seen[4] and seen[4] != before[4]:
            self.event("I", "Toast", f"show toast: {json.dumps(seen[4], ensure_ascii=False)}")

    def read(self, kind: Any, bugreport: Callable[[], list[str]]) -> list[dict[str, Any]]:
        """POST /se/log: the entries of one type, as Selenium log entries."""
        if not isinstance(kind, str) or kind not in LOG_TYPES:
            raise UnknownError("An unknown server-side error occurred while processing the command. Original error: "
                               f"Unsupported log type '{kind}'. Supported types: {json.dumps(LOG_TYPES)}")
        if kind == "server":
            self._security().require(GET_SERVER_LOGS)
            with self._lock:
                return [entry(stamp, text) for stamp, text in self._server]
        if kind == "bugreport":
            stamp = int(time.time() * 1000)
            return [entry(stamp, text) for text in bugreport()]
        with self._lock:
            fresh = self._lines[self._read_up_to:]
            self._read_up_to = len(self._lines)
        return [entry(stamp, text) for stamp, text in fresh]

    def all_lines(self) -> list[str]:
        """Every logcat line kept, read or not (for a report at a failure)."""
        with self._lock:
            return [text for _, text in self._lines]


def entry(timestamp: int, message: str) -> dict[str, Any]:
    """appium-android-driver lib/utils.ts toLogRecord: the level is always 'ALL'."""
    return {"timestamp": timestamp, "level": "ALL", "message": message}


def log_type(body: Any) -> Any:
    if not isinstance(body, dict) or "type" not in body:
        raise InvalidArgument("The request body must be an object with 'type' (one of logcat, bugreport, server)")
    return body["type"]
