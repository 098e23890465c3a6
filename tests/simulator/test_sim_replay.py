"""`python -m tiktok_promo.simulator --replay DIR`: a recording served as a device, and the one reader of recordings
(simulator.recording) that check-locators shares, against hostile folders."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from appium import webdriver
from appium.webdriver.common.appiumby import AppiumBy
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from simkit import PACKAGE, at_rest, by_desc, by_text, mobile, options, shown, texts

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.errors import ReplayError
from tiktok_promo.simulator.replay import ReplayServer, load_recording

MAIN = "com.ss.android.ugc.aweme.main.MainActivity"
STUDIO = "com.ss.android.ugc.aweme.creatortools.studio.TikTokStudioActivity"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"


def _view(cls: str, bounds: str, text: str = "", desc: str = "", clickable: bool = False, inner: str = "") -> str:
    flags = f'clickable="{str(clickable).lower()}" enabled="true" displayed="true"'
    close = f">{inner}</{cls}>" if inner else " />"
    return (f'<{cls} index="0" package="{PACKAGE}" class="{cls}" text="{text}" resource-id="" '
            f'content-desc="{desc}" {flags} bounds="{bounds}"{close}')


def _page(*views: str) -> str:
    frame = _view("android.widget.FrameLayout", "[0,0][1080,2400]", inner="".join(views))
    return f'{HEAD}<hierarchy index="0" rotation="0" width="1080" height="2400">{frame}</hierarchy>\n'


TAB = _view("android.widget.FrameLayout", "[864,2250][1080,2400]", desc="Profile", clickable=True)
FEED = _page(_view("android.widget.TextView", "[560,100][840,180]", text="For You"), TAB)
PROFILE = _page(_view("android.widget.TextView", "[240,110][780,200]", text="Mia Creates"),
                _view("android.widget.TextView", "[90,1090][560,1170]", text="TikTok Studio", clickable=True), TAB)
STUDIO_PAGE = _page(_view("android.widget.TextView", "[180,110][900,200]", text="TikTok Studio"),
                    _view("android.widget.TextView", "[170,710][1000,780]", text="Promote", clickable=True))


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (108, 240), colour).save(out, format="PNG")  # small: PNG encoding is slow here
    return out.getvalue()


def _screen(name: str, activity: str, reached_by: dict | None) -> dict[str, Any]:
    return {"name": name, "source": f"{name}.xml", "screenshot": f"{name}.png", "activity": activity,
            "package": PACKAGE, "context": "NATIVE_APP", "taken_at": "2026-12-01T20:30:01Z",
            "reached_by": reached_by}


def _tap(source: str, target: str, bounds: list[int]) -> dict[str, Any]:
    point = [(bounds[0] + bounds[2]) // 2, (bounds[1] + bounds[3]) // 2]
    return {"from": source, "action": "tap", "target": target, "locator": None, "bounds": bounds, "point": point}


def write_recording(folder: Path, pages: list[tuple[dict, str, bytes]], locale: str = "en_US") -> Path:
    """A capture folder as `promo capture` writes it: manifest.json, and a source and a PNG per screen."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry, source, png in pages:
        (folder / entry["source"]).write_text(source, encoding="utf-8")
        (folder / entry["screenshot"]).write_bytes(png)
    manifest = {
        "format": 1, "captured_at": "2026-12-01T20:30:00Z", "target": "appium",
        "device": {"udid": "R5CT", "model": "SM-S911B", "android": "14", "api_level": 34, "locale": locale,
                   "screen": {"width": 1080, "height": 2400}},
        "app": {"package": PACKAGE, "version_name": "47.0.3"},
        "screens": [entry for entry, _, _ in pages],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def hand_made(tmp_path: Path) -> Path:
    """feed -> (Profile tab) -> profile -> (TikTok Studio) -> studio -> (BACK) -> profile again."""
    return write_recording(tmp_path / "rec", [
        (_screen("000-feed", MAIN, None), FEED, _png((0, 0, 0))),
        (_screen("001-profile", MAIN, _tap("000-feed", "profile_tab", [864, 2250, 1080, 2400])), PROFILE,
         _png((255, 255, 255))),
        (_screen("002-studio", STUDIO, _tap("001-profile", "studio_entry", [90, 1090, 560, 1170])), STUDIO_PAGE,
         _png((200, 0, 0))),
        (_screen("003-profile", MAIN, {"from": "002-studio", "action": "back"}), PROFILE, _png((255, 255, 255))),
    ])


@pytest.fixture
def replay(hand_made: Path) -> Iterator[Callable[..., webdriver.Remote]]:
    drivers: list[webdriver.Remote] = []
    with ReplayServer(hand_made) as server:
        def connect(**caps: Any) -> webdriver.Remote:
            driver = webdriver.Remote(server.url, options=options(world=None, **caps))
            drivers.append(driver)
            return driver

        yield connect
        for driver in drivers:
            driver.quit()


def test_the_first_screen_is_served_as_recorded(replay, hand_made: Path) -> None:
    driver = replay()
    assert driver.page_source == (hand_made / "000-feed.xml").read_text(encoding="utf-8")
    assert driver.get_screenshot_as_png() == (hand_made / "000-feed.png").read_bytes()
    assert mobile(driver, "getCurrentActivity") == MAIN
    assert mobile(driver, "getCurrentPackage") == PACKAGE
    info = mobile(driver, "deviceInfo")
    assert (info["locale"], info["model"], info["appVersion"]) == ("en_US", "SM-S911B", "47.0.3")


def test_finds_run_over_the_recorded_xml_with_every_strategy(replay) -> None:
    driver = replay()
    assert by_desc(driver, "Profile").rect == {"x": 864, "y": 2250, "width": 216, "height": 150}
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='For You']").text == "For You"
    assert by_text(driver, "For You").get_attribute("clickable") == "false"
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Home") == []


def test_xpath_runs_over_the_recorded_xml_with_attributes_the_simulator_does_not_model(tmp_path: Path) -> None:
    # UiAutomator2 2.x writes attributes such as `hint` and `a11y-important`; a locator may use them.
    folder = write_recording(tmp_path / "hint", [(_screen("000-feed", MAIN, None), FEED.replace(
        'text="For You"', 'text="For You" hint="Videos for you" a11y-important="true"'), _png((0, 0, 0)))])
    with ReplayServer(folder) as server:
        driver = webdriver.Remote(server.url, options=options(world=None))
        try:
            found = driver.find_element(AppiumBy.XPATH, "//*[@hint='Videos for you']")
            assert found.text == "For You"
            frame = driver.find_element(AppiumBy.XPATH, "/hierarchy/android.widget.FrameLayout")
            # appium/appium-uiautomator2-server core/AccessibilityNodeInfoDumper.java (fetchContext): from an
            # element, the element is the document's root ("./*" is the frame itself, its children "./*/*").
            assert [e.text for e in frame.find_elements(AppiumBy.XPATH, "./*/*[@a11y-important='true']")] == ["For You"]
            assert [e.text for e in frame.find_elements(AppiumBy.XPATH, "//*[@a11y-important='true']")] == ["For You"]
        finally:
            driver.quit()


def test_a_tap_inside_the_recorded_bounds_follows_the_chain(replay, hand_made: Path) -> None:
    driver = replay()
    by_desc(driver, "Profile").click()
    assert at_rest(driver) == (hand_made / "001-profile.xml").read_text(encoding="utf-8")  # once it has slid in
    mobile(driver, "clickGesture", x=100, y=1100)  # inside [90,1090][560,1170]: the studio entry
    assert mobile(driver, "getCurrentActivity") == STUDIO
    assert driver.get_screenshot_as_png() == (hand_made / "002-studio.png").read_bytes()


def test_other_taps_change_nothing(replay) -> None:
    driver = replay()
    driver.tap([(10, 10)])  # a W3C pointer tap outside any recorded tap
    assert "For You" in texts(driver)
    by_desc(driver, "Profile").click()
    by_text(driver, "Mia Creates").click()  # a label no recorded tap started from
    assert "Mia Creates" in texts(driver) and mobile(driver, "getCurrentActivity") == MAIN
    by_text(driver, "TikTok Studio").click()
    by_text(driver, "Promote").click()  # recorded, but the walk never tapped it
    assert mobile(driver, "getCurrentActivity") == STUDIO


def test_back_goes_back_along_the_chain_and_leaves_the_app_from_the_first_screen(replay) -> None:
    driver = replay()
    held = by_desc(driver, "Profile")
    held.click()
    with pytest.raises(StaleElementReferenceException):
        held.click()  # the feed's views are gone with the feed
    by_text(driver, "TikTok Studio").click()
    driver.back()
    assert "Mia Creates" in texts(driver)
    by_text(driver, "TikTok Studio").click()  # profile again: the same state as the recorded one
    assert mobile(driver, "getCurrentActivity") == STUDIO
    driver.back()
    driver.back()
    assert "For You" in texts(driver)
    driver.back()
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 3  # in the background, as on a phone
    mobile(driver, "activateApp", appId=PACKAGE)
    assert "For You" in texts(driver)


def test_a_replay_has_no_app_model_and_no_worlds(replay, hand_made: Path) -> None:
    driver = replay()
    with pytest.raises(WebDriverException, match="Unsupported execute method"):
        mobile(driver, "simLedger")
    with pytest.raises(WebDriverException, match="has no worlds"):
        replay(**{"sim:world": "studio"})


@pytest.mark.parametrize(("change", "words"), [
    (lambda m: m.update(format=2), "format 2"),
    (lambda m: m.update(screens=[]), "lists no screens"),
    (lambda m: m["screens"][1].update(reached_by=None), "001-profile) has no reached_by"),
    (lambda m: m["screens"][1]["reached_by"].update({"from": "009-nowhere"}), "'009-nowhere' is not a screen"),
    (lambda m: m["screens"][1]["reached_by"].update(bounds=[1, 2, 3]), "screens.1.reached_by.bounds"),
    (lambda m: m["screens"][2].update(source="missing.xml"), "missing.xml does not exist"),
    (lambda m: m["screens"][2].update(source="../escape.xml"), "directly in the folder"),
])
def test_a_broken_recording_is_one_sentence_naming_what_is_wrong(hand_made: Path, change, words: str) -> None:
    path = hand_made / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReplayError, match=r"^recording .*rec: ") as caught:
        load_recording(hand_made)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.slow
def test_the_command_line_refuses_a_bad_folder_with_one_line_and_status_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.simulator", "--replay", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip() == f"simulator: recording {tmp_path}: manifest.json is missing " \
                                  "(is this a folder written by `promo capture`?)"


# --- a recording of the virtual device, replayed ----------------------------------------------------
def _record_walk(driver, folder: Path, path: list[tuple[str, str]]) -> Path:
    """What `promo capture --walk` writes, done by hand here: one screen per tap on `path`."""
    pages = []
    previous = None
    for i, (how, value) in enumerate([("", ""), *path]):
        reached_by = None
        if how:
            element = driver.find_element(how, value)
            rect = element.rect
            bounds = [rect["x"], rect["y"], rect["x"] + rect["width"], rect["y"] + rect["height"]]
            element.click()
            reached_by = _tap(previous, value, bounds)
        name = f"{i:03d}-screen"
        entry = _screen(name, mobile(driver, "getCurrentActivity"), reached_by)
        pages.append((entry, driver.page_source, driver.get_screenshot_as_png()))
        previous = name
    return write_recording(folder, pages, locale=mobile(driver, "deviceInfo")["locale"])


def test_a_walk_recorded_on_the_studio_world_replays_with_the_same_locators(tmp_path: Path) -> None:
    path = [(AppiumBy.ACCESSIBILITY_ID, "Profil"),
            (AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("TikTok Studio")'),
            (AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Promouvoir")'),
            (AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Summer haul try-on")')]
    with SimulatorServer(port=0) as sim:
        # The recording is this test's input, made by hand as `promo capture --walk` makes it from screens at rest:
        # its screens rest at once. The replay below moves as a phone does.
        recorder = webdriver.Remote(sim.url, options=options("studio-fr", **{"sim:transitions": False}))
        try:
            folder = _record_walk(recorder, tmp_path / "walk", path)
            recorded_details = recorder.page_source
        finally:
            recorder.quit()
    with ReplayServer(folder) as server:
        driver = webdriver.Remote(server.url, options=options(world=None))
        try:
            assert mobile(driver, "deviceInfo")["locale"] == "fr_FR"
            for how, value in path:
                shown(driver, how, value).click()  # where it is as the screen comes in
            assert at_rest(driver) == recorded_details
            assert mobile(driver, "getCurrentActivity") == "com.bytedance.hybrid.spark.page.SparkActivity"
            assert {"21,40\u00a0€", "Arrêter la promotion"} <= set(texts(driver))
            by_text(driver, "Arrêter la promotion").click()  # never recorded: nothing happens
            assert at_rest(driver) == recorded_details
        finally:
            driver.quit()


def test_a_replayed_screen_slides_in_as_the_simulators_pages_do(replay, hand_made: Path) -> None:
    # a phone's timing asked for; nothing waits for the slide to end
    driver = replay(**{"appium:settings[waitForIdleTimeout]": 0, "sim:transitions": True})
    by_desc(driver, "Profile").click()
    mid_slide = driver.page_source
    assert mid_slide != (hand_made / "001-profile.xml").read_text(encoding="utf-8")  # bounds where they pass
    mobile(driver, "clickGesture", x=100, y=1100)  # where the studio entry will rest: not there yet
    assert mobile(driver, "getCurrentActivity") == MAIN
    driver.update_settings({"waitForIdleTimeout": 10000})
    assert driver.page_source == (hand_made / "001-profile.xml").read_text(encoding="utf-8")  # at rest
    mobile(driver, "clickGesture", x=100, y=1100)
    assert mobile(driver, "getCurrentActivity") == STUDIO


# --- hostile folders: the reader check-locators shares refuses each in one sentence naming the file --------
STUDIO_XML = "002-studio.xml"
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
        + ']><hierarchy><node text="&lol9;"/></hierarchy>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]><hierarchy text="&x;"/>'


def _deep(levels: int) -> str:
    return "<hierarchy>" + "<node>" * levels + "</node>" * levels + "</hierarchy>"


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        path = folder / name
        path.unlink()
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return spoil


def _manifest(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        change(manifest)
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return spoil


def _link(name: str, to: str) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).symlink_to(to)
    return spoil


def _fifo(folder: Path) -> None:
    (folder / STUDIO_XML).unlink()
    os.mkfifo(folder / STUDIO_XML)


HOSTILE = {
    "an XML bomb (billion laughs)": (_write(STUDIO_XML, BOMB), f"{STUDIO_XML} declares a DOCTYPE"),
    "an external entity": (_write(STUDIO_XML, EXTERNAL), f"{STUDIO_XML} declares a DOCTYPE"),
    "a path outside the folder": (_manifest(lambda m: m["screens"][2].update(source="/etc/passwd")),
                                  "'/etc/passwd' must be a file directly in the folder"),
    "a link to /etc/shadow": (_link(STUDIO_XML, "/etc/shadow"), f"{STUDIO_XML} is a link"),
    "a manifest that is a link": (_link("manifest.json", "/etc/hostname"), "manifest.json is a link"),
    "malformed XML": (_write(STUDIO_XML, "<hierarchy><node></hierarchy>"), f"{STUDIO_XML} is not a page source (XML)"),
    "XML 20,000 levels deep": (_write(STUDIO_XML, _deep(20_000)), f"{STUDIO_XML} nests views more than 256 levels"),
    "XML 230 levels deep": (_write(STUDIO_XML, _deep(230)), f"{STUDIO_XML} nests views 201 levels deep"),
    "Latin-1 bytes": (_write(STUDIO_XML, '<hierarchy><node text="café"/></hierarchy>'.encode("latin-1")),
                      f"{STUDIO_XML} is not UTF-8 text"),
    "a binary page source": (_write(STUDIO_XML, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
                             f"{STUDIO_XML} is not UTF-8 text"),
    "a page source of another kind": (_write(STUDIO_XML, "<html><body/></html>"), "its root is <html>"),
    "a nested manifest.json": (_write("manifest.json", "[" * 100_000), "manifest.json nests lists or objects too deep"),
    "a page source that is a FIFO": (_fifo, f"{STUDIO_XML} is a device, pipe or socket, not a regular file"),
    "density NaN": (_write("manifest.json", '{"format": 1, "device": {"density": NaN}, "screens": []}'),
                    "manifest.json: NaN is not a number JSON allows"),
    "density a word": (_manifest(lambda m: m["device"].update(density="high")), "device.density must be a whole"),
    "a missing picture": (_manifest(lambda m: m["screens"][2].update(screenshot="gone.png")),
                          "screens.2.screenshot: gone.png does not exist"),
    "a picture that is no PNG": (_write("002-studio.png", b"GIF89a"), "002-studio.png is not a PNG picture"),
    "format 99": (_manifest(lambda m: m.update(format=99)), "manifest.json has format 99"),
    "bounds off the screen": (_manifest(lambda m: m["screens"][1]["reached_by"].update(bounds=[864, 2250, 1080, 9999])),
                              "is not on the 1080x2400 screen"),
    "bounds of NaN": (_write("manifest.json", '{"format": 1, "screens": [{"bounds": [NaN, 0, 1, 1]}]}'),
                      "NaN is not a number JSON allows"),
    "a tap outside the screen": (_manifest(lambda m: m["screens"][1]["reached_by"].update(point=[5000, 5000])),
                                 "point [5000, 5000] is outside the bounds"),
    "a screen size of zero": (_manifest(lambda m: m["device"].update(screen={"width": 0, "height": 2400})),
                              "device.screen.width must be a whole number"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_recording_is_refused_in_one_sentence_naming_the_file(hand_made: Path, case: str) -> None:
    spoil, words = HOSTILE[case]
    spoil(hand_made)
    with pytest.raises(ReplayError) as caught:
        load_recording(hand_made)
    message = str(caught.value)
    assert message.startswith(f"recording {hand_made}: ") and "\n" not in message
    assert words in message, message
