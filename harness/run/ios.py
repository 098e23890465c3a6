"""The iOS end of the chain: a Mac with Xcode, and the iPhones and simulators it sees.

Appium's XCUITest driver builds WebDriverAgent with Xcode and runs it on the device, so an iOS run needs
macOS, Xcode (`xcodebuild -version`), the xcuitest driver in APPIUM_HOME and the device: a simulator
(`xcrun simctl list devices --json`) or an iPhone on USB or Wi-Fi (`xcrun xctrace list devices`). Each
look is one short command with a timeout; nothing here starts, boots or changes a device.
"""

from __future__ import annotations

import json
import platform
import re
import shutil
from dataclasses import dataclass

from tiktok_promo.harness.run.adb import ListedDevice
from tiktok_promo.harness.run.processes import run_briefly

COMMAND_TIMEOUT = 8.0  # xctrace may take a few seconds to list paired phones; a hung tool must not hang a check
# `xcrun xctrace list devices` prints "Name (OS version) (UDID)" under "== Devices ==" (and simulators under
# "== Simulators ==" with the same shape); the Mac itself has no version in parentheses.
_XCTRACE_LINE = re.compile(r"^(?P<name>.+?) \((?P<version>\d+(?:\.\d+)*)\) \((?P<udid>[0-9A-Fa-f-]{20,})\)$")
# simctl names a runtime com.apple.CoreSimulator.SimRuntime.iOS-17-5: the platform and its version.
_RUNTIME = re.compile(r"SimRuntime\.(?P<os>[A-Za-z]+)-(?P<version>[\d-]+)$")


@dataclass(frozen=True)
class IosDevice:
    """An iPhone or a simulator this Mac sees: its udid, name, iOS version, whether it is a simulator, and its
    state (a simulator's Booted/Shutdown; a phone's "connected")."""

    udid: str
    name: str
    version: str | None
    simulator: bool
    state: str


def _run(argv: list[str]) -> tuple[int, str]:
    return run_briefly(argv, COMMAND_TIMEOUT)


def macos_version() -> str | None:
    """The macOS version of this machine ('14.5'), None when it does not run macOS."""
    if platform.system() != "Darwin":
        return None
    return platform.mac_ver()[0] or "unknown version"


def system_name() -> str:
    """What this machine runs, as a person names it (Linux, Windows, macOS 14.5)."""
    mac = macos_version()
    return f"macOS {mac}" if mac else (platform.system() or "an unknown system")


def xcode_version() -> tuple[str | None, str]:
    """(Xcode's version, '') when `xcodebuild -version` answers, else (None, why not)."""
    if not shutil.which("xcodebuild"):
        return None, "xcodebuild is not on PATH"
    code, out = _run(["xcodebuild", "-version"])
    match = re.search(r"Xcode (\d+(?:\.\d+)*)", out)
    if code != 0 or not match:
        first = out.splitlines()[0] if out else f"exit code {code}"
        return None, f"xcodebuild -version fails ({first})"
    return match.group(1), ""


def simulators() -> list[IosDevice]:
    """Every available iOS simulator `xcrun simctl list devices --json` lists ([] without xcrun)."""
    if not shutil.which("xcrun"):
        return []
    code, out = _run(["xcrun", "simctl", "list", "devices", "--json"])
    if code != 0:
        return []
    try:
        listed = json.loads(out).get("devices") or {}
    except (ValueError, AttributeError):
        return []
    found = []
    for runtime, entries in listed.items() if isinstance(listed, dict) else ():
        match = _RUNTIME.search(str(runtime))
        if match is None or match.group("os") != "iOS":
            continue  # watchOS, tvOS, visionOS simulators are not iPhones
        version = match.group("version").replace("-", ".")
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, dict) or entry.get("isAvailable") is False or not entry.get("udid"):
                continue
            found.append(IosDevice(str(entry["udid"]), str(entry.get("name") or "?"), version, True,
                                   str(entry.get("state") or "unknown")))
    return found


def phones() -> list[IosDevice]:
    """Every iPhone (or iPad) `xcrun xctrace list devices` lists as connected ([] without xcrun)."""
    if not shutil.which("xcrun"):
        return []
    code, out = _run(["xcrun", "xctrace", "list", "devices"])
    if code != 0:
        return []
    found, section = [], ""
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("=="):
            section = line.strip("= ").lower()
            continue
        match = _XCTRACE_LINE.match(line)
        if match and section == "devices":
            found.append(IosDevice(match.group("udid"), match.group("name"), match.group("version"), False,
                                   "connected"))
    return found


def ios_devices() -> list[IosDevice]:
    """The iPhones, then the simulators, this machine sees (none where Xcode's tools are missing)."""
    return phones() + simulators()


def find_device(udid: str | None, name: str | None, version: str | None) -> tuple[IosDevice | None, str]:
    """The device a profile asks for: by udid, else a simulator by deviceName (and platformVersion); with the
    list of what is seen, for the sentence when it is not there."""
    seen = ios_devices()
    listed = ", ".join(f"{d.name} ({d.udid})" for d in seen) or "none"
    if udid and udid.lower() == "auto":  # XCUITest's "the one iPhone connected"
        connected = [d for d in seen if not d.simulator]
        return (connected[0] if len(connected) == 1 else None), listed
    if udid:
        return next((d for d in seen if d.udid.lower() == udid.lower()), None), listed
    wanted = [d for d in seen if name and d.name == name and (not version or (d.version or "").startswith(version))]
    booted = [d for d in wanted if d.state.lower() == "booted"]
    return ((booted or wanted)[0] if wanted else None), listed


def listed_devices() -> list[ListedDevice]:
    """The iOS devices as `promo devices` lists them, each with the profile that drives it."""
    listed = []
    for device in ios_devices():
        profile = "ios-simulator" if device.simulator else "ios-phone"
        kind = "simulator" if device.simulator else "iPhone"
        listed.append(ListedDevice(device.udid, "appium", device.name, None, device.state.lower(),
                                   f"iOS {device.version or '?'} {kind}: --target appium --caps {profile} "
                                   f"--udid {device.udid}"))
    return listed
