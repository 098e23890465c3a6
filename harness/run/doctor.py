"""The chain from this machine to TikTok on a phone, link by link: what `promo doctor` shows, and what a
pytest run on a real target checks before its first scenario (the preflight).

A session on a phone needs, in this order: Node and an Appium 3 server, the Appium driver the profile
names (uiautomator2 for a phone) installed in APPIUM_HOME, Java and the Android SDK variables that
driver reads, adb with a server that answers, the device connected, authorized and online, and the app
installed on it. Each link is one row: what was found and, when it is broken, the one command that
fixes it. A link that cannot be looked at because one before it is broken says so ("not checked")
instead of guessing, so the first broken row is the one to fix.

The checks read; they never start a session (the layer above adds the logged-in account once one is
up) and never change the device. An adb server started only to look is stopped again, one found running
is left alone (`harness.run.adb.stop_started_server`). Every command has a timeout: the whole chain
answers within a few seconds even when every link is broken, which is the point of a preflight.

An iOS profile (platformName iOS) has its own chain, the Mac first since nothing else can help without it:
macOS, Xcode, Node and Appium, the xcuitest driver, and the iPhone or simulator Xcode's tools list
(harness.run.ios). On any other system the first row says macOS is missing, in one sentence.

What is known of the real app (its package) comes from the run's profile, never from here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tiktok_promo.harness.errors import AdbUnavailable
from tiktok_promo.harness.run import adb, ios
from tiktok_promo.harness.run.appium_server import AppiumServer, AppiumServerError
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.processes import run_briefly
from tiktok_promo.harness.ui.locators import ANDROID, IOS, platform_of

__all__ = ["Chain", "Checkup", "DeviceFacts", "Health", "Link", "check_chain", "device_facts", "device_gone",
           "preflight", "preflight_sentence"]

COMMAND_TIMEOUT = 8.0  # one external command (node, appium driver list, java): a hung tool must not hang the run
STATUS_TIMEOUT = 3.0
NODE_MINIMUM = (20, 19)  # Appium 3's engines field
# Drivers by the automationName a profile asks for (Appium matches it case-insensitively).
DRIVER_OF = {"uiautomator2": "uiautomator2", "tiktoksim": "tiktoksim", "espresso": "espresso", "xcuitest": "xcuitest"}
# A cloud that runs iOS for you: the profiles to name when this machine cannot (no Mac).
IOS_CLOUDS = "browserstack-ios, saucelabs-ios or lambdatest-ios"
# How the screen lock shows in `dumpsys window` (appium/appium-adb lib/tools/lockmgmt.js reads the same
# markers: mShowingLockscreen / mDreamingLockscreen, and the keyguard delegate's showing=true).
_LOCKED = re.compile(r"mShowingLockscreen=true|mDreamingLockscreen=true|^\s*showing=true", re.M)


class Health(StrEnum):
    """How one link of the chain stands."""

    OK = "ok"
    WARN = "warn"  # works, but something a person should know (a locked screen, JAVA_HOME unset)
    BROKEN = "broken"
    NOT_CHECKED = "not checked"  # a link before it is broken, or it does not apply to this target


@dataclass(frozen=True)
class Link:
    """One link of the chain: what was found, and the one command that fixes it when it is broken."""

    name: str
    health: Health
    found: str
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class DeviceFacts:
    """What the device says of itself and of the app, read through adb (or the virtual device)."""

    serial: str
    android: str | None = None
    api_level: str | None = None
    model: str | None = None
    screen: str | None = None
    locked: bool | None = None
    locale: str | None = None
    app_version: str | None = None
    platform: str = ANDROID  # `android` holds the iOS version on an iPhone

    def labels(self) -> dict[str, str]:
        """The facts a report or an audit record carries (only those that were read)."""
        named = {f"{self.platform}.version": self.android, "app.version": self.app_version,
                 "device.locale": self.locale, "device.model": self.model}
        return {key: value for key, value in named.items() if value}


@dataclass
class Checkup:
    """The whole chain for one target and device, in the order a session needs it."""

    target: str
    links: list[Link] = field(default_factory=list)
    facts: DeviceFacts | None = None

    @property
    def ok(self) -> bool:
        """True when the chain can run: no link is broken."""
        return all(link.health is not Health.BROKEN for link in self.links)

    def first_broken(self) -> Link | None:
        return next((link for link in self.links if link.health is Health.BROKEN), None)

    def add(self, name: str, health: Health, found: str, fix: str = "") -> Link:
        link = Link(name, health, found, fix)
        self.links.append(link)
        return link

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "ok": self.ok, "links": [link.to_json() for link in self.links],
                "device": asdict(self.facts) if self.facts else None}


@dataclass(frozen=True)
class Chain:
    """What the run asks for: where Appium is, which driver, which device and app."""

    appium_url: str | None  # None: the run starts its own Appium (appium_url: local)
    automation_name: str
    udid: str | None
    package: str | None
    virtual_device: bool
    platform: str = ANDROID
    device_name: str | None = None  # iOS: the simulator a profile names when it gives no udid
    platform_version: str | None = None

    @classmethod
    def from_capabilities(cls, appium_url: str | None, caps: Mapping[str, Any], udid: str | None,
                          virtual_device: bool) -> Chain:
        return cls(appium_url=appium_url, automation_name=str(caps.get("appium:automationName") or ""),
                   udid=udid or caps.get("appium:udid") or None,
                   package=caps.get("appium:appPackage") or caps.get("appium:bundleId") or None,
                   virtual_device=virtual_device, platform=platform_of(dict(caps)),
                   device_name=caps.get("appium:deviceName") or None,
                   platform_version=str(caps.get("appium:platformVersion") or "") or None)

    @property
    def local_machine(self) -> bool:
        """The Appium server runs here, so its drivers, Java, SDK and phones are this machine's."""
        return self.appium_url is None or (urlsplit(self.appium_url).hostname or "") in adb.LOCAL_HOSTS


def _run(argv: list[str], env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """(exit code, stdout+stderr) of a short command; 127 when it is missing, 124 on a timeout."""
    return run_briefly(argv, COMMAND_TIMEOUT, env)


def _version_tuple(text: str) -> tuple[int, ...]:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(part) for part in match.groups() if part is not None) if match else ()


# --- the links -------------------------------------------------------------------------------------
def _node(checkup: Checkup) -> bool:
    node = shutil.which("node")
    if not node:
        checkup.add("Node.js", Health.BROKEN, "node is not on PATH",
                    "install Node.js 20.19+ with npm (apt-get install nodejs npm), then npm ci")
        return False
    code, out = _run([node, "--version"])
    version = _version_tuple(out)
    if code != 0 or version[:2] < NODE_MINIMUM:
        checkup.add("Node.js", Health.BROKEN, f"{node} {out or 'gave no version'}",
                    "install Node.js 20.19 or newer (Appium 3 needs it)")
        return False
    checkup.add("Node.js", Health.OK, f"{out} ({node})")
    return True


def _appium_status(url: str) -> tuple[str | None, str | None]:
    """(Appium's version, None) when it answers its /status, else (None, why not)."""
    status = url.rstrip("/") + "/status"
    try:
        with urllib.request.urlopen(status, timeout=STATUS_TIMEOUT) as answer:
            body = json.loads(answer.read(65536) or b"{}")
    except urllib.error.HTTPError as error:
        return None, f"answers HTTP {error.code} at /status (is it an Appium server?)"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, f"nothing answers at this Appium URL ({reason})"
    except ValueError:
        return None, "answers /status with something that is not JSON"
    value = body.get("value") if isinstance(body, dict) else None
    build = value.get("build") if isinstance(value, dict) else None
    version = build.get("version") if isinstance(build, dict) else None
    return (str(version) if version else "unknown"), None


def _appium(checkup: Checkup, chain: Chain, server: AppiumServer, safe_url: str) -> bool:
    if chain.appium_url is None:
        try:
            server.check_installed()
        except AppiumServerError as error:
            checkup.add("Appium 3 server", Health.BROKEN, error.sentence, f"npm ci (or make node) in {server.root}")
            return False
        code, out = _run([str(server.binary), "--version"], env=_appium_env(server))
        found = f"{out.splitlines()[-1] if out else '?'} at {server.binary}, started by the run"
        checkup.add("Appium 3 server", Health.OK if code == 0 else Health.BROKEN, found,
                    "" if code == 0 else f"npm ci in {server.root}")
        return code == 0
    version, problem = _appium_status(chain.appium_url)
    port = urlsplit(chain.appium_url).port or 4723
    if problem:
        fix = (f"start it: APPIUM_HOME=$PWD/.appium npx appium --port {port}" if chain.local_machine
               else "start Appium there, or fix --appium-url (APPIUM_URL)")
        checkup.add("Appium 3 server", Health.BROKEN, f"{safe_url}: {problem}", fix)
        return False
    if version and version != "unknown" and _version_tuple(version)[:1] != (3,):
        checkup.add("Appium 3 server", Health.WARN, f"{safe_url} answers, Appium {version} (not 3.x)",
                    "use Appium 3: npx appium (this project's package.json pins it)")
        return True
    checkup.add("Appium 3 server", Health.OK, f"{safe_url} answers, Appium {version}")
    return True


def _appium_env(server: AppiumServer) -> dict[str, str]:
    return {**os.environ, "APPIUM_HOME": str(server.appium_home)}


def _drivers(checkup: Checkup, chain: Chain, server: AppiumServer) -> bool:
    wanted = DRIVER_OF.get(chain.automation_name.lower(), chain.automation_name.lower())
    if not chain.local_machine:
        checkup.add("Appium driver", Health.NOT_CHECKED,
                    f"{chain.automation_name or 'the driver'} on a remote server: it says so when a session starts")
        return True
    if not server.binary.exists():
        checkup.add("Appium driver", Health.NOT_CHECKED, "no local Appium to list drivers with",
                    f"npm ci (or make node) in {server.root}")
        return False
    try:
        installed = server.installed_drivers()
    except AppiumServerError as error:
        checkup.add("Appium driver", Health.BROKEN, error.sentence, f"make node in {server.root}")
        return False
    names = ", ".join(sorted(installed)) or "none"
    if wanted and wanted not in installed:
        checkup.add("Appium driver", Health.BROKEN,
                    f"{wanted} is not installed in APPIUM_HOME={server.appium_home} (installed: {names})",
                    f"APPIUM_HOME={server.appium_home} npx appium driver install {wanted}")
        return False
    checkup.add("Appium driver", Health.OK, f"{wanted} in APPIUM_HOME={server.appium_home} (installed: {names})")
    return True


def _java(checkup: Checkup) -> None:
    home = os.environ.get("JAVA_HOME", "").strip()
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        where = f"JAVA_HOME={home} has no bin/java" if home else "no java on PATH and JAVA_HOME is not set"
        checkup.add("Java", Health.BROKEN, where,
                    "apt-get install default-jdk-headless, then export JAVA_HOME=/usr/lib/jvm/default-java")
        return
    code, out = _run([java, "-version"])
    first = out.splitlines()[0] if out else "?"
    if not home:
        checkup.add("Java", Health.WARN, f"{first} ({java}), JAVA_HOME is not set",
                    f"export JAVA_HOME={Path(os.path.realpath(java)).parents[1]}")
        return
    checkup.add("Java", Health.OK if code == 0 else Health.BROKEN, f"{first} (JAVA_HOME={home})")


def _sdk(checkup: Checkup) -> Path | None:
    for name in ("ANDROID_HOME", "ANDROID_SDK_ROOT"):
        value = os.environ.get(name, "").strip()
        if value:
            root = Path(value)
            if not (root / "platform-tools").is_dir():
                checkup.add("Android SDK", Health.BROKEN, f"{name}={value} has no platform-tools/",
                            f"sdkmanager --sdk_root={value} platform-tools")
                return None
            checkup.add("Android SDK", Health.OK, f"{name}={value}")
            return root
    checkup.add("Android SDK", Health.BROKEN, "neither ANDROID_HOME nor ANDROID_SDK_ROOT is set (the driver needs one)",
                "export ANDROID_HOME=$HOME/Android/Sdk (the folder with platform-tools/; no SDK yet: Android "
                "Studio installs one there, or unzip "
                "https://developer.android.com/tools/releases/platform-tools into it)")
    return None


def _adb(checkup: Checkup, sdk: Path | None) -> bool:
    try:
        binary = adb.adb_binary(sdk)
    except AdbUnavailable as problem:
        checkup.add("adb", Health.BROKEN, str(problem), "install platform-tools: apt-get install adb, or sdkmanager "
                    "platform-tools, or unzip https://developer.android.com/tools/releases/platform-tools")
        return False
    code, out = _run([binary, "version"])
    version = out.splitlines()[0].removeprefix("Android Debug Bridge ") if code == 0 and out else "version unknown"
    try:
        started = adb.ensure_server(binary)
    except AdbUnavailable as problem:
        checkup.add("adb", Health.BROKEN, f"{binary} ({version}): {problem}", "adb kill-server && adb start-server")
        return False
    host, port = adb.server_address()
    server = "started for this check" if started else "running"
    checkup.add("adb", Health.OK, f"{binary} ({version}), server {host}:{port} {server}")
    return True


def _device(checkup: Checkup, chain: Chain) -> str | None:
    try:
        phones = adb.adb_devices()
    except AdbUnavailable as problem:
        checkup.add("device", Health.BROKEN, str(problem), "adb kill-server && adb start-server")
        return None
    listed = ", ".join(f"{p.id} ({p.state})" for p in phones) or "none"
    udid = chain.udid
    if udid is None:
        ready = [p.id for p in phones if p.state == "device"]
        if len(ready) != 1:
            checkup.add("device", Health.BROKEN, f"no --udid given and adb sees {listed}",
                        "give --udid SERIAL (PROMO_UDID), one of adb devices")
            return None
        udid = ready[0]
    phone = next((p for p in phones if p.id == udid), None)
    if phone is None:
        checkup.add("device", Health.BROKEN, f"{udid} is not connected (adb sees: {listed})",
                    "connect it with USB debugging on, or start the emulator (emulator -avd NAME); then adb devices")
        return None
    if phone.state == "unauthorized":
        checkup.add("device", Health.BROKEN, f"{udid} is unauthorized (USB debugging not allowed for this computer)",
                    "unlock the phone and accept 'Allow USB debugging?' (no prompt: adb kill-server, replug)")
        return None
    if phone.state != "device":
        checkup.add("device", Health.BROKEN, f"{udid} is {phone.state}",
                    "reconnect the cable, or adb reconnect offline (an emulator: restart it)")
        return None
    return udid


def device_facts(serial: str, package: str | None) -> DeviceFacts:
    """Android version, API level, model, screen size, lock and locale of a device, and the app's versionName,
    in one adb shell round trip. Facts it cannot read stay None."""
    script = ("getprop ro.build.version.release; getprop ro.build.version.sdk; getprop ro.product.model; "
              "getprop persist.sys.locale; getprop ro.product.locale; echo '--wm'; wm size; "
              "echo '--lock'; dumpsys window | grep -E 'mShowingLockscreen|mDreamingLockscreen|showing='")
    if package:
        script += f"; echo '--app'; dumpsys package {package} | grep -m1 versionName"
    out = adb.shell(serial, script)
    head, _, rest = out.partition("--wm")
    props = [line.strip() or None for line in head.splitlines()]
    props += [None] * (5 - len(props))
    screen_part, _, rest = rest.partition("--lock")
    lock_part, _, app_part = rest.partition("--app")
    size = re.search(r"(\d+)x(\d+)", screen_part)
    version = re.search(r"versionName=(\S+)", app_part)
    return DeviceFacts(serial=serial, android=props[0], api_level=props[1], model=props[2],
                       locale=(props[3] or props[4] or "").replace("-", "_") or None,
                       screen=f"{size.group(1)}x{size.group(2)}" if size else None,
                       locked=bool(_LOCKED.search(lock_part)) if lock_part.strip() or "--lock" in out else None,
                       app_version=version.group(1) if version else None)


def _phone(checkup: Checkup, chain: Chain, udid: str) -> None:
    try:
        facts = device_facts(udid, chain.package)
    except AdbUnavailable as problem:
        checkup.add("device", Health.BROKEN, f"{udid}: {problem}", "reconnect it, then adb devices")
        return
    checkup.facts = facts
    found = (f"{udid}: {facts.model or 'model unknown'}, Android {facts.android or '?'} (API {facts.api_level or '?'})"
             f", screen {facts.screen or '?'}")
    if facts.locked:
        checkup.add("device", Health.WARN, f"{found}, screen locked", "unlock the phone (or set appium:unlockType and "
                    "appium:unlockKey in the profile)")
    else:
        checkup.add("device", Health.OK, f"{found}, unlocked")
    if not chain.package:
        checkup.add("app", Health.NOT_CHECKED, "the profile names no appium:appPackage")
    elif facts.app_version is None:
        checkup.add("app", Health.BROKEN, f"{chain.package} is not installed on {udid}",
                    f"install TikTok ({chain.package}) on the phone from its store and log in once")
    else:
        checkup.add("app", Health.OK, f"{chain.package} {facts.app_version}")


def _macos(checkup: Checkup) -> bool:
    if ios.macos_version() is None:
        checkup.add("macOS", Health.BROKEN, f"this machine runs {ios.system_name()}, and the XCUITest driver needs "
                    "macOS with Xcode to build and run WebDriverAgent on the iPhone",
                    f"run on a Mac with Xcode, or use a cloud profile ({IOS_CLOUDS})")
        return False
    checkup.add("macOS", Health.OK, ios.system_name())
    return True


def _xcode(checkup: Checkup) -> bool:
    version, problem = ios.xcode_version()
    if version is None:
        checkup.add("Xcode", Health.BROKEN, problem,
                    "install Xcode from the App Store, open it once, then sudo xcode-select -s "
                    "/Applications/Xcode.app/Contents/Developer")
        return False
    checkup.add("Xcode", Health.OK, f"Xcode {version}")
    return True


def _ios_device(checkup: Checkup, chain: Chain) -> None:
    device, listed = ios.find_device(chain.udid, chain.device_name, chain.platform_version)
    if device is None:
        asked = chain.udid or (f"a simulator named {chain.device_name}" if chain.device_name else None)
        if asked is None:
            checkup.add("device", Health.BROKEN, f"the profile names no udid or deviceName (Xcode sees: {listed})",
                        "give --udid UDID (PROMO_UDID), one of promo devices")
        else:
            checkup.add("device", Health.BROKEN, f"{asked} is not seen by Xcode (it sees: {listed})",
                        "plug the iPhone in, unlock it and trust this Mac, or boot the simulator (xcrun simctl boot "
                        "UDID); then xcrun xctrace list devices")
        _skip(checkup, ("app",), "needs the device")
        return
    kind = "simulator" if device.simulator else "iPhone"
    checkup.add("device", Health.OK,
                f"{device.udid}: {device.name}, iOS {device.version or '?'} {kind} ({device.state})")
    checkup.add("app", Health.NOT_CHECKED, f"{chain.package or 'the app'}: XCUITest says so when a session starts")


def _walk_ios(checkup: Checkup, chain: Chain, server: AppiumServer, safe_url: str, held: Any) -> None:
    """The iOS chain: on this machine the Mac and Xcode first (nothing else helps without them)."""
    if chain.local_machine:
        if not held(_macos(checkup)):
            _skip(checkup, ("Xcode", "Appium 3 server", "Appium driver", "device"), "needs macOS")
            return
        if not held(_xcode(checkup)):
            _skip(checkup, ("Appium 3 server", "Appium driver", "device"), "needs Xcode")
            return
        if not held(_node(checkup)) and chain.appium_url is None:
            _skip(checkup, ("Appium 3 server", "Appium driver", "device"), "needs Node.js")
            return
    if not held(_appium(checkup, chain, server, safe_url)):
        _skip(checkup, ("Appium driver",), "needs Appium")
    else:
        held(_drivers(checkup, chain, server))
    if not chain.local_machine:
        _skip(checkup, ("macOS", "Xcode", "device", "app"), f"behind {safe_url}: checked by that server when a "
              "session starts")
        return
    _ios_device(checkup, chain)
    held(True)


def _skip(checkup: Checkup, names: Iterator[str] | tuple[str, ...], why: str) -> None:
    for name in names:
        checkup.add(name, Health.NOT_CHECKED, why)


def check_chain(chain: Chain, safe_url: str, server: AppiumServer | None = None, first_broken: bool = False) -> Checkup:
    """Every link from this machine to the app on the device, in order; reads, changes nothing.

    `safe_url` is the Appium URL as it may be shown (no credentials). With `first_broken` it stops at the
    first broken link (a preflight needs one sentence, fast); else every link gets a row, those after a
    broken one they depend on marked "not checked". An adb server this started is stopped before it returns.
    """
    if server is None:
        # A server the run starts uses the project's APPIUM_HOME; one already running, the shell's (README).
        home = os.environ.get("APPIUM_HOME") if chain.appium_url else None
        server = AppiumServer(appium_home=home or None)
    checkup = Checkup(target="appium")
    try:
        _walk(checkup, chain, server, safe_url, first_broken)
    finally:
        adb.stop_started_server()
    return checkup


class _Stop(Exception):
    """The walk ends here: a preflight has its sentence."""


def _walk(checkup: Checkup, chain: Chain, server: AppiumServer, safe_url: str, first_broken: bool) -> None:
    def held(ok: bool) -> bool:
        if first_broken and not checkup.ok:
            raise _Stop
        return ok

    try:
        if chain.platform == IOS and not chain.virtual_device:
            _walk_ios(checkup, chain, server, safe_url, held)
            return
        node_ok = held(_node(checkup)) if chain.local_machine else True
        if not node_ok and chain.appium_url is None:
            _skip(checkup, ("Appium 3 server", "Appium driver"), "needs Node.js")
            appium_ok = False
        else:
            appium_ok = held(_appium(checkup, chain, server, safe_url))
        if not appium_ok:
            _skip(checkup, ("Appium driver",), "needs Appium")
        else:
            held(_drivers(checkup, chain, server))
        if chain.virtual_device:
            checkup.add("device", Health.OK, "the virtual TikTok device behind Appium (no phone, adb, Java or SDK "
                        "needed)")
            return
        if not chain.local_machine:
            # A grid or a cloud: its phones, Java and SDK are on its machines and answer when a session starts.
            _skip(checkup, ("Java", "Android SDK", "adb", "device", "app"),
                  f"behind {safe_url}: checked by that server when a session starts")
            return
        _java(checkup)
        held(True)
        sdk = _sdk(checkup)
        held(True)
        if not held(_adb(checkup, sdk)):
            _skip(checkup, ("device", "app"), "needs adb")
            return
        udid = _device(checkup, chain)
        held(True)
        if udid is None:
            _skip(checkup, ("app",), "needs the device")
            return
        _phone(checkup, chain, udid)
    except _Stop:
        return


def preflight_sentence(checkup: Checkup, udid: str | None, safe_url: str) -> str | None:
    """The one sentence that stops a run before its first scenario, or None when the chain can run."""
    broken = checkup.first_broken()
    if broken is None:
        return None
    device = f"device {udid}" if udid else "the device"
    fix = f"; fix: {broken.fix}" if broken.fix else ""
    return (f"Preflight for {device} through Appium at {safe_url} failed at {broken.name}: {broken.found}{fix} "
            "(promo doctor shows the whole chain); no scenario was run.")


def preflight(run: RunConfig, udids: Sequence[str | None]) -> str | None:
    """Before the first scenario of a run on a real device: None when the chain holds for every device the
    run will drive, else the one sentence that stops it (naming the device, the Appium URL and the fix)."""
    if run.virtual_device or run.profile.recording:
        return None  # a recording has no phone chain: the Appium URL answering is all there is to check
    server = None
    for udid in udids or (run.udid,):
        chain = Chain.from_capabilities(None if run.local_appium else run.appium_url, run.profile.capabilities,
                                        udid or run.udid, virtual_device=False)
        checkup = check_chain(chain, run.safe_url, server, first_broken=True)
        problem = preflight_sentence(checkup, chain.udid, run.safe_url)
        if problem:
            return problem
    return None


def device_gone(run: RunConfig) -> str | None:
    """Between scenarios on a phone this machine's adb sees: the sentence that stops the run when the device
    went away (unplugged, offline, unauthorized), so the rest do not each wait for Appium to give up."""
    if run.virtual_device or not run.udid:
        return None
    chain = Chain.from_capabilities(None if run.local_appium else run.appium_url, run.profile.capabilities,
                                    run.udid, virtual_device=False)
    if not chain.local_machine or chain.platform == IOS:
        return None  # an iPhone is not an adb device: XCUITest's own errors say when it goes
    checkup = Checkup(target="appium")
    try:
        if _device(checkup, chain) is not None:
            return None
    finally:
        adb.stop_started_server()
    broken = checkup.first_broken()
    why = broken.found if broken else f"{run.udid} is not ready"
    return (f"The device went away during the run: {why}; the remaining scenarios were not run "
            f"(fix: {broken.fix if broken else 'reconnect it'}).")


_read_by_adb: dict[tuple[str, str], DeviceFacts | None] = {}  # (serial, package): read once per process


def facts_from_session(caps: Mapping[str, Any], run: RunConfig) -> DeviceFacts:
    """Android version, model, locale and app version of a session's device, from what the session already
    answered (its capabilities: no extra command on the device), plus the app's versionName and the locale
    through adb for a phone this machine's adb sees (UiAutomator2 answers neither; read once per device)."""
    def first(*names: str) -> str | None:
        for name in names:
            value = caps.get(name)
            if value not in (None, ""):
                return str(value)
        return None

    serial = first("deviceUDID", "udid", "appium:udid") or run.udid or ""
    package = first("appPackage", "appium:appPackage") or run.profile.capabilities.get("appium:appPackage")
    app_version, locale = first("sim:appVersion", "appVersion"), first("sim:locale", "locale")
    local = run.local_appium or (urlsplit(run.appium_url or "").hostname or "") in adb.LOCAL_HOSTS
    if app_version is None and package and serial and local and not run.virtual_device:
        if (serial, package) not in _read_by_adb:
            try:
                _read_by_adb[(serial, package)] = device_facts(serial, package)
            except AdbUnavailable:
                _read_by_adb[(serial, package)] = None
            finally:
                adb.stop_started_server()
        read = _read_by_adb[(serial, package)]
        if read is not None:
            app_version, locale = read.app_version, locale or read.locale
    return DeviceFacts(serial=serial, android=first("platformVersion", "appium:platformVersion"),
                       api_level=first("deviceApiLevel"), model=first("deviceModel", "model"), locale=locale,
                       app_version=app_version, platform=platform_of(dict(caps) or run.profile.capabilities))
