"""One Appium session on one device: started on first use with the chosen world, ended cleanly.

A scenario gets one (the app state is fresh for each), the `promo` command one per device. The session
is started lazily so that a scenario can choose its virtual-device world before the app opens.

The engine knows no app: what it needs of the one under test (its package, the pop-ups that may cover
it) comes in an `AppUnderTest`, which `pages/` builds (pages.app.TIKTOK).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from appium.options.common import AppiumOptions
from appium.webdriver.client_config import AppiumClientConfig
from selenium.common.exceptions import WebDriverException
from urllib3.exceptions import HTTPError as Urllib3Error

from tiktok_promo.harness.errors import ConfigError, DeviceError
from tiktok_promo.harness.redact import Redactor, redact_url
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.doctor import facts_from_session
from tiktok_promo.harness.run.grid_diagnosis import session_problem
from tiktok_promo.harness.run.sim_faults import merge_faults
from tiktok_promo.harness.ui.calls import first_line
from tiktok_promo.harness.ui.drift import DriftEvent, DriftRecord
from tiktok_promo.harness.ui.driver import CountingRemote
from tiktok_promo.harness.ui.finder import Finder, Observer
from tiktok_promo.harness.ui.locators import LocatorMemory, MemoryBank, platform_of
from tiktok_promo.harness.ui.popup_guard import KnownPopup, PopupGuard

# What a person reads when a run on a real phone asks for what only the virtual device has.
# UiAutomator2's waitForIdleTimeout, 0 for the whole session, as a capability (Appium applies
# `appium:settings[name]` at session start, so it costs no command). The server waits for the app to be idle
# after every element click and before every page source and find, up to this setting (10,000 ms by default).
# TikTok's feed plays a video and is never idle, so on the feed each of those commands would cost the whole 10 s
# (appium/appium issue 13308). At 0 nothing waits; the price is that a read right after a tap can show a screen
# still coming in, which the finder handles itself (harness.ui.finder: it reads a page source once a tapped
# screen can rest, and taps at a place only from a source of the screen at rest).
IDLE_SETTING = "appium:settings[waitForIdleTimeout]"
NEEDS_VIRTUAL = "needs the virtual device (--target sim, or a virtual-device profile such as appium-sim)"


DEVICE_LOG_LINES = 2000  # a phone writes thousands of lines a minute; the last ones hold the failure
# A scenario's screen recording (Appium's start_recording_screen; on a phone UiAutomator2 runs Android's
# screenrecord). 180 s is screenrecord's own limit: past it the Android driver records in pieces and needs ffmpeg on
# the Appium host to join them (appium-android-driver lib/commands/recordscreen.ts), and a scenario is far shorter.
VIDEO_TIME_LIMIT = 180
# screenrecord's default is 4 Mb/s (a 30 s scenario: 15 MB in the report); 1 Mb/s keeps a phone's text legible.
VIDEO_BIT_RATE = 1_000_000
# On an iPhone the XCUITest driver runs ffmpeg over WDA's screenshot stream, by default into MJPEG, which browsers
# (and so the report) do not play: H.264 in yuv420p is asked for, and 4:2:0 needs even sides, which the iPhone's
# 1179-pixel width is not, so the frames are halved to even sides (also a quarter of the pixels to store).
# appium-xcuitest-driver lib/commands/recordscreen.ts hands these options to ffmpeg as they are.
IOS_VIDEO_OPTIONS = {"videoType": "libx264", "pixelFormat": "yuv420p", "videoScale": "trunc(iw/4)*2:trunc(ih/4)*2"}


@dataclass(frozen=True)
class AppUnderTest:
    """What the engine must know of the app it drives: its package (when no capability names it) and the
    pop-ups that may cover it, which the finder closes and goes on."""

    package: str | None = None
    popups: Sequence[KnownPopup] = ()
    # The release whose words an app version shows (None: a version the pages do not know).
    release_of: Callable[[str], str | None] | None = None


class AppiumSession:
    """An Appium session on one device, with the finder, pop-up guard and drift record of that session."""

    def __init__(self, config: RunConfig, server_url: str, app: AppUnderTest, memories: MemoryBank | None = None,
                 observer: Observer | None = None) -> None:
        self.config = config
        self.app = app
        self.server_url = server_url
        self.memories = memories if memories is not None else MemoryBank()
        self.memory = LocatorMemory()
        self.observer = observer
        self.world: str | None = None
        self.faults: Any = None
        self.driver: CountingRemote | None = None
        self.guard = PopupGuard(app.popups)
        self.drift = DriftRecord(on_drift=self._on_drift)
        self._finder: Finder | None = None
        self._last_picture: tuple[int, bytes] | None = None
        self.session_ids: list[str] = []  # every Appium session this session started, in order
        self._earlier_commands = 0  # round trips of the sessions already closed
        self._earlier_waited = 0.0  # seconds the finders of the sessions already closed paused between looks
        self.records_video = False  # each Appium session records its screen from its start (record_video)
        self._recording = False  # the current Appium session's recording runs

    def __repr__(self) -> str:
        return f"AppiumSession({self.config.target}, world {self.world or self.config.world or 'default'})"

    def _on_drift(self, event: DriftEvent) -> None:
        if self.observer is not None:
            self.observer("drift", event.sentence())

    # --- choosing the device's state (virtual device only) ---------------------------------
    def _before_start(self, what: str) -> None:
        if not self.config.virtual_device:
            raise ConfigError(f"{what} {NEEDS_VIRTUAL}.")
        if self.started:
            raise ConfigError(f"{what} must be chosen before the app opens.")

    def use_world(self, world: str) -> None:
        """Start the virtual device in this world (a shipped name or a world file)."""
        self._before_start(f'The world "{world}"')
        self.world = world

    def use_faults(self, faults: Any) -> None:
        """Inject these faults (a `sim:faults` profile name or mapping) into the session.

        Faults chosen earlier (the run's, e.g. a latency) stay; the settings given now go on top of them.
        """
        self._before_start("Injected faults")
        self.faults = merge_faults(self.faults, faults)

    # --- the session ----------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.driver is not None

    @property
    def world_name(self) -> str | None:
        return (self.world or self.config.world) if self.config.virtual_device else None

    def start(self) -> Finder:
        """Open the Appium session (and so the app); DeviceError in one sentence when it cannot."""
        if self._finder is not None:
            return self._finder
        # Sessions on the same device and app release share what matched, so fallbacks are paid once.
        self.memory = self.memories.for_key(self.config.memory_key(self.world))
        options = AppiumOptions()
        options.load_capabilities(self.config.capabilities(self.world, self.faults))
        options.set_capability(IDLE_SETTING, 0)  # why: IDLE_SETTING
        client = AppiumClientConfig(remote_server_addr=self.server_url, keep_alive=True,
                                    timeout=int(self.config.profile.command_timeout))
        # The URL really used: a run that starts its own Appium knows its port only now.
        where = "the virtual device" if self.config.is_sim else f"Appium at {redact_url(self.server_url)}"
        try:
            self.driver = CountingRemote(self.server_url, options=options, client_config=client)
            if not self.config.is_sim:
                # Appium's default is 0 too; said explicitly because the whole wait design rests on it.
                self.driver.implicitly_wait(0)
        except WebDriverException as error:
            said = first_line(error)
            if said.lstrip().startswith("<"):
                # Something answers at that port, but with a web page: not an Appium server (a wrong port).
                raise DeviceError(f"Could not start a session on {where}: what answers there is not an Appium "
                                  "server (it sent a web page); check the URL and its port.") from None
            # Through a Selenium Grid: a capability no node offers, or a node whose Appium is gone, stops the run.
            stop = session_problem(said, self.server_url, options.to_capabilities(), self.config.grid_state)
            if stop is not None:
                raise stop from None
            # A refused session often echoes the capabilities back, cloud keys and all.
            raise DeviceError(f"Could not start a session on {where}: {self._clean(said)}") from None
        except (Urllib3Error, http.client.HTTPException, OSError) as error:
            raise DeviceError(f"Could not reach {where}: {self._clean(first_line(error))}") from None
        self.session_ids.append(str(self.driver.session_id))
        # The platform, known once from what the session answered (else what it asked): the finder speaks it.
        self.memory.platform = platform_of(self.driver.capabilities or options.to_capabilities())
        if self.records_video:
            self._start_recording()
        self._learn_locale()
        self._learn_release()
        self._finder = Finder(self.driver, self.memory, self.drift, self.guard,
                              timeout=self.config.profile.find_timeout, observer=self.observer,
                              busy_timeout=self.config.profile.recovery.spinner_seconds)
        return self._finder

    def _learn_locale(self) -> None:
        """Which language the app's words are in: the one the run was told, else the device's locale.

        Read once per locator memory (one device and release): `mobile: deviceInfo` answers `locale`
        on UiAutomator2 (appium-uiautomator2-driver README, "mobile: deviceInfo") as on the virtual device.
        """
        if self.config.language:
            self.memory.locale = self.config.language
        elif not self.memory.locale_known:
            self.memory.locale_source = self._device_locale  # asked at the first look, not before

    def _learn_release(self) -> None:
        """Which release's words the app is meant to show, known before the first find: the one its version names.

        The session's answer tells the version at no cost (`appVersion`, or `sim:appVersion` through Appium).
        UiAutomator2 does not: on a phone this machine's adb sees, the versionName is read through adb (once per
        device and process, no Appium command). A phone that says neither keeps every target's first candidate
        as the expected one.
        """
        caps = self.driver.capabilities if self.driver is not None else {}
        version = caps.get("appVersion") or caps.get("sim:appVersion")
        if not version:
            version = facts_from_session(caps, self.config).app_version
        if version and self.app.release_of is not None:
            self.memory.release = self.app.release_of(str(version))

    def _device_locale(self) -> str | None:
        try:
            info = self.driver.execute_script("mobile: deviceInfo", {}) if self.driver is not None else {}
        except (WebDriverException, Urllib3Error, http.client.HTTPException, OSError):
            info = {}  # a server without deviceInfo: every language's words are tried
        # UiAutomator2 says `locale`; XCUITest passes WDA's /wda/device/info, which says `currentLocale`.
        locale = (info.get("locale") or info.get("currentLocale")) if isinstance(info, dict) else None
        if self.observer is not None:
            self.observer("language", f"The device's locale is {locale}: the app's words are read in it." if locale
                          else "The device did not say its locale: the app's words are looked for in every language.")
        return str(locale) if locale else None

    def _clean(self, text: str) -> str:
        """The text without the run's secrets (environment and capabilities), fit for a report."""
        return Redactor.from_sources(os.environ, self.config.profile.capabilities).clean(text)

    @property
    def finder(self) -> Finder:
        return self.start()

    @property
    def package(self) -> str | None:
        """The app's package (its bundle id on iOS): as the session answered it, else as the profile or the app
        under test names it."""
        caps = self.driver.capabilities if self.driver is not None else {}
        asked = self.config.profile.capabilities
        return (caps.get("appPackage") or caps.get("bundleId") or asked.get("appium:appPackage")
                or asked.get("appium:bundleId") or self.app.package)

    @property
    def platform(self) -> str:
        """The platform the session runs on ('android' or 'ios'), from its capabilities."""
        caps = self.driver.capabilities if self.driver is not None else None
        return platform_of(caps or self.config.profile.capabilities)

    @property
    def commands(self) -> int:
        """Round trips of the current Appium session."""
        return self.driver.commands if self.driver is not None else 0

    @property
    def total_commands(self) -> int:
        """Round trips of every Appium session this session started (after a recovery, more than one)."""
        return self._earlier_commands + self.commands

    @property
    def waited(self) -> float:
        """Seconds the harness's waits paused between two looks, over every Appium session this one started:
        time spent on what was not on screen (yet). No command: the finders count it as they pause."""
        return self._earlier_waited + (self._finder.waited.seconds if self._finder is not None else 0.0)

    # --- execute methods ---------------------------------------------------------------------
    def execute(self, script: str, params: dict | None = None) -> Any:
        return self.finder.execute(script, params)

    def _require_sim(self, what: str) -> None:
        if not self.config.virtual_device:
            raise ConfigError(f"{what} {NEEDS_VIRTUAL}.")

    def advance_clock(self, **units: float) -> str:
        """Let time pass on the virtual device (days=, hours=, minutes=, seconds=)."""
        self._require_sim("Moving the clock")
        return self.execute("mobile: simAdvanceClock", units)

    def ledger(self) -> dict[str, Any]:
        """The app's true state (accounts, promotions, charges), for checks only the simulator allows."""
        self._require_sim("Reading the ledger")
        return self.execute("mobile: simLedger")

    def stats(self) -> dict[str, Any]:
        """The virtual device's own command counts for this session."""
        self._require_sim("Command statistics")
        return self.execute("mobile: simStats")

    def device_info(self) -> dict[str, Any]:
        return self.execute("mobile: deviceInfo")

    # --- evidence (never raises: evidence must not hide the real failure) --------------------
    def record_video(self) -> None:
        """Record the screen from the start of each Appium session (now, when one is already open)."""
        self.records_video = True
        if self.driver is not None and not self._recording:
            self._start_recording()

    def restart_recording(self) -> None:
        """Drop the recording so far unseen and record on from now (the driver's forceRestart: nothing is encoded
        or fetched, appium-android-driver lib/commands/recordscreen.ts)."""
        if self.recording:
            self._start_recording(discard=True)

    def _start_recording(self, discard: bool = False) -> None:
        if self.driver is None:
            return
        try:
            options = IOS_VIDEO_OPTIONS if self.platform == "ios" else {"bitRate": VIDEO_BIT_RATE}
            self.driver.start_recording_screen(timeLimit=VIDEO_TIME_LIMIT, **options,
                                               **({"forceRestart": True} if discard else {}))
        except Exception as error:  # a device that cannot record still runs the scenario
            if self.observer is not None:
                said = self._clean(first_line(error))
                self.observer("video", f"The device did not start a screen recording ({said}); the scenario goes on "
                                       "without a video.")
            self._recording = False
            return
        self._recording = True

    @property
    def recording(self) -> bool:
        """A screen recording of the current Appium session runs."""
        return self._recording and self.driver is not None

    def stop_recording(self) -> bytes | None:
        """The MP4 of the screen since the session (or the recording) started; None when there is none, or the
        device cannot give it (a session that died takes its recording with it)."""
        if not self.recording or self.driver is None:
            return None
        self._recording = False
        try:
            answer = self.driver.stop_recording_screen()
            video = base64.b64decode(answer, validate=True) if answer else b""
        except Exception:  # a gone device, or an answer that is not base64: no video, and the scenario's own verdict
            return None
        return video or None

    def screenshot(self, reuse: bool = False) -> bytes | None:
        """A PNG of the screen. With `reuse`, the last picture when no command since changed the screen
        (a step that only read values shows the same screen; the picture costs no round trip)."""
        if self.driver is None:
            return None
        epoch = self.driver.screen_changes
        if reuse and self._last_picture is not None and self._last_picture[0] == epoch:
            return self._last_picture[1]
        try:
            png = self.driver.get_screenshot_as_png()
        except Exception:  # a dead session has no picture; the failure itself is reported elsewhere
            return None
        self._last_picture = (epoch, png)
        return png

    def page_source(self) -> str | None:
        if self.driver is None:
            return None
        try:
            return self.driver.page_source
        except Exception:
            return None

    def device_log(self, last: int = DEVICE_LOG_LINES) -> str | None:
        """The phone's logcat since the session began (or since the last read), its last `last` lines: what
        Android and the app wrote while the scenario ran (UiAutomator2's `logcat` log type, on the virtual device
        too). None when the session or the log cannot be read."""
        if self.driver is None:
            return None
        try:
            # XCUITest names the device's log `syslog` (appium/appium-xcuitest-driver lib/commands/log.js).
            entries = self.driver.get_log("syslog" if self.platform == "ios" else "logcat")
        except Exception:  # a dead session has no log; the failure itself is reported elsewhere
            return None
        return "\n".join(str(entry.get("message", "")) for entry in entries[-last:])

    def close(self) -> None:
        """End the session; safe after a failure or a crash (a dead session is simply forgotten)."""
        if self._finder is not None:
            self._earlier_waited += self._finder.waited.seconds
        driver, self.driver, self._finder = self.driver, None, None
        self._recording = False  # the device drops a recording nobody stopped with its session
        self._last_picture = None  # a new session's screen epochs start again from 0
        if driver is not None:
            self._earlier_commands += driver.commands
            with contextlib.suppress(Exception):
                driver.quit()

    def __enter__(self) -> AppiumSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
