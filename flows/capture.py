"""Recording what the phone shows: one screen now, or a read-only walk to every promotion's details.

The folder (manifest.json, and per screen the page source exactly as Appium answered it and the
screenshot; docs/capture-format.md; simulator.recording reads it) is what `promo check-locators` checks offline and
`python -m tiktok_promo.simulator --replay` serves as a device.

The walk goes the way the cancel flow goes (a known pop-up the app opens under closed by its harmless
button; the Profile tab; the profile's "TikTok Studio" entry, or the menu and Creator tools;
Promotions; each promotion of the list and back) and records each screen with the tap that led to it:
the target, its locator, the element's bounds and the point tapped. It only taps targets of
`WALKABLE`: never the Stop/Cancel button of a promotion, never a confirmation.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from selenium.common.exceptions import WebDriverException

from tiktok_promo.harness.errors import ConfigError, HarnessError, TargetNotFound
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui.locators import IOS, Target
from tiktok_promo.harness.ui.snapshot import ScreenNode, Snapshot
from tiktok_promo.pages import catalog, feed, logged_out, menu_sheet, profile
from tiktok_promo.pages import creator_tools as tools
from tiktok_promo.pages import promotion_details as details
from tiktok_promo.pages import promotions_list as listing
from tiktok_promo.pages.app import KNOWN_POPUPS

FORMAT = 1
# What the walk may tap: navigation, and the harmless dismiss button of a known pop-up ("Not now").
# A target outside this set is refused before any tap.
WALKABLE = frozenset({feed.PROFILE_TAB.name, profile.STUDIO_ENTRY.name, profile.MENU_BUTTON.name,
                      menu_sheet.CREATOR_TOOLS.name, tools.PROMOTIONS.name, details.BACK.name,
                      listing.ROW.name, *(popup.dismiss.name for popup in KNOWN_POPUPS if popup.dismiss is not None)})
_MAX_ROWS = 30  # rows on the list's first screen a walk opens at most


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _safe(call: Callable[[], Any]) -> Any:
    """A probe that may not exist on every server (an activity on a cloud, a context on an old driver)."""
    try:
        return call()
    except (WebDriverException, HarnessError, OSError):
        return None


@dataclass
class Recorder:
    """Writes a capture folder: screens as they are taken, and the manifest after each one."""

    folder: Path
    session: AppiumSession
    target: str
    screens: list[dict[str, Any]] = field(default_factory=list)
    device: dict[str, Any] = field(default_factory=dict)
    app: dict[str, Any] = field(default_factory=dict)
    started: str = field(default_factory=_now)

    def open(self) -> None:
        """Create the folder (empty or new: a capture never mixes with another) and read the device."""
        if self.folder.exists() and (not self.folder.is_dir() or any(self.folder.iterdir())):
            raise ConfigError(f"{self.folder} already exists and is not an empty folder; give a new one.")
        self.folder.mkdir(parents=True, exist_ok=True)
        info = _safe(self.session.device_info) or {}
        if self.session.platform == IOS:
            self.device = self._iphone(info)
        else:
            self.device = self._android(info)
        package = self.session.package
        version = info.get("appVersion") or (self._app_version(package) if package and "android" in self.device
                                             else None)  # adb sees Android phones only
        self.app = {"package": package, "version_name": version}

    def _udid(self) -> str | None:
        return self.session.config.udid or (self.session.driver.capabilities.get("udid")
                                            if self.session.driver else None)

    def _iphone(self, info: dict[str, Any]) -> dict[str, Any]:
        """What WDA's device info and the session say of an iPhone; its screen in points, the unit of its page
        source and of the walk's taps (WDA answers no pixel size nor density)."""
        driver = self.session.driver
        caps = (driver.capabilities if driver is not None else None) or {}
        size = _safe(driver.get_window_size) if driver is not None else None
        return {
            "platform": "iOS", "udid": self._udid(), "model": info.get("model"),
            "ios": str(caps["platformVersion"]) if caps.get("platformVersion") else None,
            "locale": info.get("currentLocale") or self.session.config.language, "time_zone": info.get("timeZone"),
            "screen": {"width": int(size["width"]), "height": int(size["height"])} if size else None,
        }

    def _android(self, info: dict[str, Any]) -> dict[str, Any]:
        size = str(info.get("realDisplaySize") or "")
        width, _, height = size.partition("x")
        return {
            "udid": self._udid(),
            "model": info.get("model"), "android": info.get("platformVersion"),
            "api_level": int(info["apiVersion"]) if str(info.get("apiVersion") or "").isdigit() else None,
            "density": info["displayDensity"] if isinstance(info.get("displayDensity"), int) else None,
            "locale": info.get("locale") or self.session.config.language,
            "screen": {"width": int(width), "height": int(height)} if width.isdigit() and height.isdigit() else None,
        }

    def _app_version(self, package: str) -> str | None:
        """The installed app's versionName from adb, for a phone adb sees (UiAutomator2 does not say it)."""
        udid = self.device.get("udid")
        if self.session.config.virtual_device or not udid:
            return None
        with contextlib.suppress(Exception):  # no adb, a remote device: the version stays unknown
            import adbutils

            return adbutils.adb.device(serial=udid).app_info(package).version_name
        return None

    def take(self, label: str | None, reached_by: dict[str, Any] | None) -> dict[str, Any]:
        """Record the screen now: page source, screenshot, activity, package, context and time. Named by `label`,
        else by the screen its page source shows (the same source the file holds: a read a moment earlier may have
        caught a screen still coming in)."""
        finder = self.session.finder
        snap = finder.snapshot(reuse=False)
        source = snap.xml
        name = f"{len(self.screens):03d}-{label or _label_of(snap)}"
        (self.folder / f"{name}.xml").write_text(source, encoding="utf-8")
        png = self.session.screenshot()
        if png:
            (self.folder / f"{name}.png").write_bytes(png)
        driver = self.session.driver
        entry = {
            "name": name, "source": f"{name}.xml", "screenshot": f"{name}.png" if png else None,
            "activity": _safe(lambda: finder.execute("mobile: getCurrentActivity")),
            "package": _safe(lambda: finder.execute("mobile: getCurrentPackage")),
            "context": _safe(lambda: driver.current_context) if driver is not None else None,
            "taken_at": _now(), "reached_by": reached_by,
        }
        entry["context"] = entry["context"] or "NATIVE_APP"
        self.screens.append(entry)
        self.write()
        return entry

    def write(self) -> None:
        manifest = {"format": FORMAT, "captured_at": self.started, "target": self.target, "device": self.device,
                    "app": self.app, "screens": self.screens}
        (self.folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")


def screen_label(session: AppiumSession) -> str:
    """A short name for what is on screen now: the known screen's name, else 'screen'."""
    return _label_of(session.finder.snapshot())


def _label_of(snap: Snapshot) -> str:
    screen = catalog.recognise(snap)
    return (screen.name if screen else "screen").replace(" ", "-")


class Walk:
    """The read-only walk: to every promotion's details on the list's first screen, and back each time."""

    def __init__(self, recorder: Recorder, note: Callable[[str], None] | None = None) -> None:
        self.recorder = recorder
        self.finder = recorder.session.finder
        self.note = note or (lambda _: None)
        self.here = recorder.take(screen_label(recorder.session), None)

    def _tap(self, target: Target) -> dict[str, Any]:
        """Tap a navigation target where the screen shows it, record the next screen and how it was reached."""
        snap = self.finder.settle()
        node = snap.node(target)
        if node is None:
            self.finder.first_of(target)  # waits, dismisses known pop-ups; TargetNotFound names the screen
            snap = self.finder.snapshot(reuse=False)
            node = snap.node(target)
        if node is None:
            raise TargetNotFound(f'"{target.name}" did not show; the screen shows {snap.describe()}.')
        # The candidate that matched, as this platform finds it.
        return self._tap_node(node, target, self.finder.locator(snap.memory.ordered(target)[0]))

    def _tap_node(self, node: ScreenNode, target: Target, locator: tuple[str, str]) -> dict[str, Any]:
        if target.name not in WALKABLE:
            raise ValueError(f'The walk never taps "{target.name}".')
        left, top, right, bottom = node.bounds
        point = [(left + right) // 2, (top + bottom) // 2]
        self.finder.tap_point(point[0], point[1])
        step = {"from": self.here["name"], "action": "tap", "target": target.name,
                "locator": {"using": locator[0], "value": locator[1]}, "bounds": [left, top, right, bottom],
                "point": point}
        self.note(f'Tapped "{target.name}" on {self.here["name"]}.')
        self._wait_after(target)
        self.here = self.recorder.take(None, step)
        return self.here

    def _wait_after(self, target: Target) -> None:
        expected = self._expected_after(target)
        if expected:
            self.finder.first_of(*expected)
        else:  # a pop-up closed: whatever was under it
            self.finder.settle()

    def _close_popups(self) -> None:
        """Close a known pop-up the app opens under, by a recorded tap: the screen under it is recorded too, and
        a replay follows the same tap."""
        for _ in range(len(KNOWN_POPUPS) + 1):
            snap = self.finder.snapshot(reuse=False)  # as it is: settle() would close the pop-up unrecorded
            popup = next((p for p in KNOWN_POPUPS if snap.has(p.identify)), None)
            # A pop-up with nothing safe to tap (closed by BACK, which a walk does not record) is left to the
            # finder, as one that shows mid-walk is.
            dismiss = popup.dismiss if popup is not None else None
            node = snap.node(dismiss) if dismiss is not None else None
            if dismiss is None or node is None:
                return
            self._tap_node(node, dismiss, self.finder.locator(snap.memory.ordered(dismiss)[0]))

    @staticmethod
    def _expected_after(target: Target) -> tuple[Target, ...]:
        """What shows once a tap on `target` has been answered (the walk waits for it before recording)."""
        return {
            feed.PROFILE_TAB.name: (profile.MENU_BUTTON, logged_out.LOGIN_SCREEN),
            profile.STUDIO_ENTRY.name: (tools.PROMOTIONS,),
            profile.MENU_BUTTON.name: (menu_sheet.CREATOR_TOOLS,),
            menu_sheet.CREATOR_TOOLS.name: (tools.PROMOTIONS,),
            tools.PROMOTIONS.name: (listing.LIST, listing.EMPTY),
            listing.ROW.name: (details.STATUS,),
            details.BACK.name: (listing.LIST, listing.EMPTY),
        }.get(target.name, ())

    def run(self) -> int:
        """Walk to every promotion's details; how many promotions were opened."""
        self._close_popups()
        shown, _ = self.finder.first_of(feed.PROFILE_TAB, logged_out.LOGIN_SCREEN)
        if shown is feed.PROFILE_TAB:
            self._tap(feed.PROFILE_TAB)
        if self.finder.snapshot().has(logged_out.LOGIN_SCREEN):
            self.note("Nobody is logged in: the walk ends at the log-in screen.")
            return 0
        if self.finder.snapshot().has(profile.STUDIO_ENTRY):
            self._tap(profile.STUDIO_ENTRY)
        else:
            self._tap(profile.MENU_BUTTON)
            self._tap(menu_sheet.CREATOR_TOOLS)
        self._tap(tools.PROMOTIONS)
        opened = 0
        for index in range(_MAX_ROWS):
            rows = self._complete_rows()
            if index >= len(rows):
                break
            node, listed = rows[index]
            opens = listing.ROW.filled(title=listed.title)
            self._tap_node(node, opens, self.finder.locator(opens.primary))
            opened += 1
            self._tap(details.BACK)
        return opened

    def _complete_rows(self) -> list[tuple[ScreenNode, listing.PromotionRow]]:
        """The rows the list shows whole now, in screen order (two rows may share a title)."""
        snap = self.finder.settle()
        found = [(node, listing.PromotionRow.from_node(node, snap.locale)) for node in snap.nodes(listing.ROWS)]
        return [(node, row) for node, row in found if row is not None]
