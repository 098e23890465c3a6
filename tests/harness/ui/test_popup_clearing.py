"""The pop-up clearer on its own, through the narrow interface it has to the finder (ScreenAccess): what counts as a
pop-up closed when the press on it did not happen.

The finder's tests and the scenarios cover closing pop-ups that go; these cover a press that met a redrawn view, a
server hiccup or a lost device, which the virtual device only does at random: a pop-up is recorded and reported as
dismissed only once it was pressed, yet the screen is still said to be covered (the wait looks again at once).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from urllib3.exceptions import ProtocolError

from tiktok_promo.harness.errors import DeviceError
from tiktok_promo.harness.ui.locators import ANDROID, LocatorMemory, Target
from tiktok_promo.harness.ui.popup_clearing import PopupClearer
from tiktok_promo.harness.ui.popup_guard import PopupGuard
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.pages.app import KNOWN_POPUPS

CONTACTS_SYNC = ('<hierarchy><android.widget.FrameLayout package="com.zhiliaoapp.musically">'
                 '<android.widget.TextView text="Find your contacts" bounds="[100,800][980,900]"/>'
                 '<android.widget.Button text="Don\'t allow" content-desc="Don\'t allow" clickable="true"'
                 ' bounds="[100,1200][980,1300]"/></android.widget.FrameLayout></hierarchy>')
# The update prompt as real builds show it: nothing readable, only ViewGroups (nothing on it is safe to tap).
_GROUP = '<android.view.ViewGroup text="" clickable="{}" bounds="[152,562][928,1658]"/>'
TEXTLESS_PROMPT = ('<hierarchy><android.widget.FrameLayout package="com.zhiliaoapp.musically">'
                   f'{_GROUP.format("false")}{_GROUP.format("true")}</android.widget.FrameLayout></hierarchy>')


class Button:
    """The pop-up's harmless button as a find answers it: each click raises the next of `failures`, then works."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.clicks = 0

    def click(self) -> None:
        self.clicks += 1
        if self.failures:
            raise self.failures.pop(0)


class Driver:
    """Records the commands the clearer sends; `execute_script` raises `failure` when one is set."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.failure = failure

    def execute_script(self, script: str, params: dict) -> None:
        self.calls.append((script, params))
        if self.failure is not None:
            raise self.failure


class Screen:
    """A stand-in for the finder (ScreenAccess) on Android, showing one page source."""

    platform = ANDROID

    def __init__(self, xml: str, button: Button | None = None, driver: Driver | None = None) -> None:
        self.xml = xml
        self.button = button
        self.guard: PopupGuard | None = PopupGuard(KNOWN_POPUPS)
        self.memory = LocatorMemory()
        self.driver: Any = driver if driver is not None else Driver()
        self.looks = 0
        self.told: list[tuple[str, str]] = []

    def snapshot(self, reuse: bool = True, rest: bool = True) -> Snapshot:
        self.looks += 1
        return Snapshot(self.xml, self.memory)

    def snapshot_now(self) -> Snapshot:
        return self.snapshot()

    def find_shown(self, target: Target, snap: Snapshot) -> list[Any]:
        return [self.button] if self.button is not None else []

    def notify(self, kind: str, message: str) -> None:
        self.told.append((kind, message))


def test_a_press_that_did_not_happen_is_not_recorded_yet_says_the_screen_is_covered() -> None:
    button = Button(StaleElementReferenceException("redrawn"), WebDriverException("unknown error"))
    screen = Screen(CONTACTS_SYNC, button)
    clearer = PopupClearer(screen)
    snap = screen.snapshot()
    # The view redrawn under the press, then a server hiccup: nothing was pressed, each time the caller looks again.
    assert clearer.clear(snap) is True and clearer.clear(snap) is True
    assert screen.guard is not None and screen.guard.dismissed == [] and screen.told == []
    assert clearer.clear(snap) is True
    assert button.clicks == 3
    assert screen.guard.dismissed == ["contacts sync"]
    assert screen.told == [("popup", "Dismissed pop-up: contacts sync")]


def test_a_hiccup_on_back_leaves_the_pop_up_to_the_next_look_unrecorded() -> None:
    screen = Screen(TEXTLESS_PROMPT, driver=Driver(WebDriverException("unknown error")))
    looks = screen.looks
    assert PopupClearer(screen).clear(screen.snapshot()) is True
    # One BACK, and no look after it: pressed or not, the caller's next look decides.
    assert screen.driver.calls == [("mobile: pressKey", {"keycode": 4})]
    assert screen.looks == looks + 1
    assert screen.guard is not None and screen.guard.dismissed == [] and screen.told == []


@pytest.mark.parametrize("xml", [CONTACTS_SYNC, TEXTLESS_PROMPT], ids=["button", "BACK"])
def test_a_device_lost_while_closing_a_pop_up_is_a_device_error_and_nothing_recorded(xml: str) -> None:
    lost = ProtocolError("Connection aborted.")
    screen = Screen(xml, Button(lost), Driver(lost))
    with pytest.raises(DeviceError, match=r"^Lost contact with the device: Connection aborted"):
        PopupClearer(screen).clear(screen.snapshot())
    assert screen.guard is not None and screen.guard.dismissed == [] and screen.told == []


def test_without_a_guard_nothing_is_cleared_and_nothing_sent() -> None:
    screen = Screen(CONTACTS_SYNC, Button())
    screen.guard = None
    assert PopupClearer(screen).clear(screen.snapshot()) is False
    assert screen.button is not None and screen.button.clicks == 0 and screen.driver.calls == []
