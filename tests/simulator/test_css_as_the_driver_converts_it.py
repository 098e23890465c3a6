"""The device's `css selector` conversion is the UiAutomator2 driver's own, checked by running the driver's converter.

The installed appium-uiautomator2-driver (package.json, `make node`) converts CSS in Node before its server sees a
find (lib/commands/find.ts -> lib/css/index.js); the TikTokSim driver proxies the find untouched, so the device must
convert it the same way. This runs the driver's converter on each selector and compares: the same UiSelector, or
the same `invalid selector` message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tiktok_promo.simulator.css import to_uiselector
from tiktok_promo.simulator.errors import InvalidSelector

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("css_of_the_driver.mjs")
PACKAGE = "com.zhiliaoapp.musically"
SELECTORS = [
    '[id="title"]', "#menu", "#android:id/list", '[resource-id="android:id/x"]', ".android.widget.TextView",
    "android.widget.Button", "TextView", "*", '*[text*="Bud"] > .android.widget.TextView:nth-child(2)',
    '[content-desc="Me"]', '[description^="Pro"]', '[text$="a.b"]', '[description~="x"]', '[text=""]', "[checked]",
    ":checked", "[checked=false]", '[index="1"]', "[instance=2]", '[class-name="android.widget.Button"]',
    '[package-name*="musically"]', 'android.widget.TextView[text^="A"] android.widget.ImageView', "a, b",
    '[text="a b"]', "android.widget.FrameLayout > *", '[clickable="true"] [scrollable]', "#a.b", ".a#b",
    "[desc='x']", "[text]", ":nth-child(3)", "[id=foo]", "  #menu  ", "a > b > c", "[accessibility-id=Home]",
    '[name="x"]', "a + b", "a ~ b", "[checked=maybe]", '[text|="x"]', "???", "[foo]", ":hover",
]


def driver_answers(selectors: list[str]) -> list[dict[str, str]]:
    node = shutil.which("node")
    converter = ROOT / "node_modules" / "appium-uiautomator2-driver" / "build" / "lib" / "css" / "index.js"
    if node is None or not converter.exists():
        pytest.fail("the UiAutomator2 driver is not installed in node_modules: run `make node`", pytrace=False)
    done = subprocess.run([node, str(SCRIPT), str(ROOT), PACKAGE, json.dumps(selectors)], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def device_answer(selector: str) -> dict[str, str]:
    try:
        return {"selector": to_uiselector(selector, PACKAGE)}
    except InvalidSelector as error:
        return {"error": error.message}


@pytest.mark.slow
def test_every_selector_converts_or_fails_as_the_driver_does() -> None:
    expected = driver_answers(SELECTORS)
    assert [device_answer(s) for s in SELECTORS] == expected
