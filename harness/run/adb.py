"""Which devices `promo` can drive: the virtual TikTok device, and the Android phones and emulators adb sees.

adb is asked through `adbutils` (the adb client protocol over the adb server's socket, default
127.0.0.1:5037, or ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT). Like `adb devices`, a local
server that is not running is started (with the adb binary on PATH, or ADBUTILS_ADB_PATH, or the one
adbutils ships). When there is no adb at all, or its server does not answer, discovery says so in one
sentence and the virtual device is still listed.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import asdict, dataclass
from typing import Any

from harness.errors import AdbUnavailable

ADB_TIMEOUT = 5.0
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
VIRTUAL_MODEL = "TikTokSim (virtual TikTok device)"


@dataclass(frozen=True)
class ListedDevice:
    """One device `promo` can drive, as `promo devices` lists it."""

    id: str
    target: str  # the --target that drives it: sim or appium
    model: str | None
    android: str | None
    state: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def virtual_devices() -> list[ListedDevice]:
    """The virtual device. More can be named (sim-2, sim-3, ...): each is its own session and world."""
    return [ListedDevice("sim-1", "sim", VIRTUAL_MODEL, "14", "available",
                   "name sim-2, sim-3, ... for more; each has its own world (--device sim-2=WORLD)")]


def _server_address() -> tuple[str, int]:
    host = os.environ.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
    raw = os.environ.get("ANDROID_ADB_SERVER_PORT") or "5037"
    try:
        port = int(raw)
    except ValueError:
        raise AdbUnavailable(f"ANDROID_ADB_SERVER_PORT must be a port number, not {raw!r}.") from None
    return host, port


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _adb_binary() -> str:
    """The adb that would start a server; AdbUnavailable when there is none."""
    import adbutils

    try:
        path = adbutils.adb_path()
    except adbutils.AdbError:
        path = ""
    if not path or not os.path.isfile(path):
        raise AdbUnavailable("adb is not installed (no adb on PATH, nor at ADBUTILS_ADB_PATH): install Android "
                             "platform-tools to drive phones and emulators; only the virtual device is available.")
    return path


def _client() -> Any:
    """An adb client whose server answers, starting a local server like `adb devices` does."""
    import adbutils

    host, port = _server_address()
    where = f"{host}:{port}"
    if not _answers(host, port):
        if host not in _LOCAL_HOSTS:
            raise AdbUnavailable(f"The adb server at {where} does not answer; start it there (adb start-server) "
                                 "or fix ANDROID_ADB_SERVER_HOST.")
        binary = _adb_binary()
        try:
            subprocess.run([binary, "-P", str(port), "start-server"], timeout=20.0, check=False,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AdbUnavailable(f"adb at {binary} could not start its server on {where}: {error}.") from None
        if not _answers(host, port):
            raise AdbUnavailable(f"The adb server at {where} does not answer, even after `adb start-server`.")
    return adbutils.AdbClient(host=host, port=port, socket_timeout=ADB_TIMEOUT)


def adb_devices() -> list[ListedDevice]:
    """Every device adb sees (serial, model, Android version, state); AdbUnavailable in one sentence."""
    import adbutils

    client = _client()
    try:
        infos = client.list(extended=True)
    except (adbutils.AdbError, OSError) as error:
        host, port = _server_address()
        raise AdbUnavailable(f"The adb server at {host}:{port} did not list its devices: {error}.") from None
    return [_describe(client, info) for info in infos]


def _describe(client: Any, info: Any) -> ListedDevice:
    import adbutils

    model = (info.tags.get("model") or "").replace("_", " ") or None
    android = None
    note = ""
    if info.state == "device":
        try:
            # One shell round trip for both properties; the model tag has underscores for spaces.
            lines = client.device(info.serial).shell("getprop ro.product.model; getprop ro.build.version.release",
                                                     timeout=ADB_TIMEOUT).splitlines()
            model = (lines[0].strip() if lines and lines[0].strip() else model)
            android = lines[1].strip() if len(lines) > 1 and lines[1].strip() else None
        except (adbutils.AdbError, OSError) as error:
            note = f"could not read its properties: {error}"
    elif info.state == "unauthorized":
        note = "allow USB debugging on the phone"
    elif info.state == "offline":
        note = "reconnect it or restart adb"
    return ListedDevice(info.serial, "appium", model, android, info.state, note)


def discover() -> tuple[list[ListedDevice], str | None]:
    """The virtual device and adb's devices, plus the sentence that says why adb's are missing, if so."""
    devices = virtual_devices()
    try:
        devices += adb_devices()
    except AdbUnavailable as problem:
        return devices, str(problem)
    return devices, None


def ready_serials() -> list[str]:
    """Serials of the phones and emulators adb sees ready to drive (state 'device')."""
    return [d.id for d in adb_devices() if d.state == "device"]
