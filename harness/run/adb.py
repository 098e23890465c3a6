"""Which devices `promo` can drive: the virtual TikTok device, and the Android phones and emulators adb sees.

adb is asked through `adbutils` (the adb client protocol over the adb server's socket, default
127.0.0.1:5037, or ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT). Like `adb devices`, a local
server that is not running is started (with the adb binary on PATH, or ADBUTILS_ADB_PATH, or the one
adbutils ships). When there is no adb at all, or its server does not answer, discovery says so in one
sentence and the virtual device is still listed. A server started here is remembered and stopped by
`stop_started_server()` when the command ends (promo calls it on the way out); one that was already
running is left alone, as a person expects after `adb devices`.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tiktok_promo.harness.errors import AdbUnavailable, ConfigError

ADB_TIMEOUT = 5.0
# Host names of this machine: an adb server (or an Appium server) there drives the phones this machine sees.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
_started: list[tuple[str, int]] = []  # (adb binary, port) of servers this process started
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


def server_address() -> tuple[str, int]:
    """Where the adb server is: ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT, default 127.0.0.1:5037."""
    host = os.environ.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
    raw = os.environ.get("ANDROID_ADB_SERVER_PORT") or "5037"
    port = int(raw) if raw.strip().isdigit() else 0
    if not 0 < port < 65536:
        # A person's mistake, not a missing adb: exit 2 even where adb is optional (promo devices).
        raise ConfigError(f"ANDROID_ADB_SERVER_PORT must be a port number from 1 to 65535, not {raw!r}.")
    return host, port


def _adbutils() -> Any:
    """The adbutils module, once the environment it reads on import is known to be sound.

    adbutils builds a client from ANDROID_ADB_SERVER_PORT as it is imported; a port that is not a number
    would surface as its ValueError instead of the sentence above.
    """
    server_address()
    import adbutils

    return adbutils


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def adb_binary(sdk: Path | None = None) -> str:
    """The adb that would start a server (the SDK's platform-tools first); AdbUnavailable when there is none."""
    adbutils = _adbutils()

    if sdk is not None and os.access(sdk / "platform-tools" / "adb", os.X_OK):
        return str(sdk / "platform-tools" / "adb")
    try:
        path = adbutils.adb_path()
    except adbutils.AdbError:
        path = ""
    if not path or not os.path.isfile(path):
        raise AdbUnavailable("adb is not installed (no adb on PATH, nor at ADBUTILS_ADB_PATH): install Android "
                             "platform-tools to drive phones and emulators (apt-get install adb, or "
                             "https://developer.android.com/tools/releases/platform-tools); only the virtual "
                             "device is available.")
    return path


def ensure_server(binary: str | None = None) -> bool:
    """A local adb server that answers, started like `adb devices` does; True when this call started it."""
    host, port = server_address()
    where = f"{host}:{port}"
    if _answers(host, port):
        return False
    if host not in LOCAL_HOSTS:
        raise AdbUnavailable(f"The adb server at {where} does not answer; start it there (adb start-server) "
                             "or fix ANDROID_ADB_SERVER_HOST.")
    binary = binary or adb_binary()
    try:
        subprocess.run([binary, "-P", str(port), "start-server"], timeout=20.0, check=False,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise AdbUnavailable(f"adb at {binary} could not start its server on {where}: {error}.") from None
    if not _answers(host, port):
        raise AdbUnavailable(f"The adb server at {where} does not answer, even after `adb start-server`.")
    _started.append((binary, port))
    return True


def stop_started_server() -> None:
    """Stop the adb servers this process started (none it found running); safe to call more than once."""
    while _started:
        binary, port = _started.pop()
        # It was only started to look; a server that will not stop is adb's own business.
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run([binary, "-P", str(port), "kill-server"], timeout=10.0, check=False,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _client() -> Any:
    """An adb client whose server answers, starting a local server like `adb devices` does."""
    adbutils = _adbutils()

    ensure_server()
    host, port = server_address()
    return adbutils.AdbClient(host=host, port=port, socket_timeout=ADB_TIMEOUT)


def shell(serial: str, script: str) -> str:
    """The output of one shell command line on a device; AdbUnavailable in one sentence when it fails."""
    adbutils = _adbutils()

    try:
        return str(_client().device(serial).shell(script, timeout=ADB_TIMEOUT))
    except (adbutils.AdbError, OSError) as error:
        raise AdbUnavailable(f"adb could not run a shell command on {serial}: {error}.") from None


def adb_devices() -> list[ListedDevice]:
    """Every device adb sees (serial, model, Android version, state); AdbUnavailable in one sentence."""
    adbutils = _adbutils()

    client = _client()
    try:
        infos = client.list(extended=True)
    except (adbutils.AdbError, OSError) as error:
        host, port = server_address()
        raise AdbUnavailable(f"The adb server at {host}:{port} did not list its devices: {error}.") from None
    return [_describe(client, info) for info in infos]


def _describe(client: Any, info: Any) -> ListedDevice:
    adbutils = _adbutils()

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
