"""Allure evidence: a picture of the phone after each step, source and picture on failure, locator
drift and the environment (the failure categories: harness.report.scenario_results).

Nothing here ever raises into a test: evidence that cannot be taken (a dead session) is skipped, so it
never hides the failure it was meant to explain. Capabilities are never attached (they may hold cloud
keys); the Appium URL is reported without credentials.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import re
import tempfile
import urllib.request
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import allure
from allure_commons import plugin_manager
from allure_commons.model2 import ATTACHMENT_PATTERN, Attachment
from allure_commons.types import AttachmentType

from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report import scenario_results
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.fleet import IOS_PORT_BASES, PORT_BASES
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui.drift import DriftRecord
from tiktok_promo.harness.ui.locators import IOS, platform_of

# The run's id, set once by the process that starts the run (xdist workers inherit it): the report says it.
RUN_ID_VARIABLE = "PROMO_RUN_ID"


def run_id() -> str:
    """This run's id: the one the run was given, else a new one (which this process and its workers share)."""
    value = os.environ.get(RUN_ID_VARIABLE, "").strip()
    if not value:
        value = uuid.uuid4().hex[:12]
        os.environ[RUN_ID_VARIABLE] = value
    return value


LOCALE_LABEL = "device locale"
# The session's sentence (harness.run.session.AppiumSession._device_locale).
_LOCALE_SAID = re.compile(r"locale is ([\w-]+)")


def note(kind: str, message: str) -> None:
    """A harness event (locator drift, a dismissed pop-up) as an Allure step inside the current step; the device's
    locale, a fact of the scenario rather than something a step did, as a label of the scenario."""
    if kind == "language":
        said = _LOCALE_SAID.search(message)
        with contextlib.suppress(Exception):
            allure.dynamic.label(LOCALE_LABEL, said.group(1) if said else "not said (every language's words tried)")
        return
    with contextlib.suppress(Exception), allure.step(message):
        pass


# The last picture attached per session and the step it was attached to: a step whose screen did not change
# names that step instead of carrying the same picture again (a step that only reads values is common).
_LAST_PICTURE: weakref.WeakKeyDictionary[AppiumSession, tuple[bytes, str]] = weakref.WeakKeyDictionary()


class StepPictures:
    """The step pictures of one scenario that are still being scaled and written.

    Each picture is placed in its step's result when the step ends (so it can be neither lost nor moved to
    another step); its scaling and writing, 0.1 s idle and up to 0.4 s on a loaded machine, run on one worker
    thread, in the order taken, while the device answers the scenario's next commands. `finish` waits for
    them: at the scenario's end, before the report's result is written.
    """

    def __init__(self) -> None:
        self._worker: ThreadPoolExecutor | None = None

    def develop(self, slot: Attachment, png: bytes) -> None:
        """Scale `png` and write it as the attachment `slot` (already in its step), beside what comes next."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="step-pictures")
        self._worker.submit(_develop, slot, png)

    def finish(self) -> None:
        """Wait until every picture is written (each that could not be says why instead). Leaves no thread behind;
        an interrupt while waiting drops the pictures not begun, whose scenario has no result to write then."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        try:
            worker.shutdown(wait=True)
        except BaseException:
            worker.shutdown(wait=False, cancel_futures=True)
            raise


def _develop(slot: Attachment, png: bytes) -> None:
    try:
        picture, kind = scaled_picture(png)
        _write_attachment(slot, picture, kind)
    except Exception as error:  # a picture that cannot be written leaves a note in its place, never an empty slot
        slot.name = f"{slot.name} (not written)"
        with contextlib.suppress(Exception):
            _write_attachment(slot, f"The picture taken after this step could not be written: {error}",
                              AttachmentType.TEXT)


def _write_attachment(slot: Attachment, body: bytes | str, kind: AttachmentType) -> None:
    """Give the attachment placed earlier its file and type, and write the file where Allure writes results."""
    slot.source = ATTACHMENT_PATTERN.format(prefix=uuid.uuid4(), ext=kind.extension)
    slot.type = kind.mime_type
    plugin_manager.hook.report_attached_data(body=body, file_name=slot.source)


def step_screenshot(session: AppiumSession | None, name: str = "screen after the step", step: str = "",
                    pictures: StepPictures | None = None,
                    place: Callable[[str], Attachment | None] | None = None) -> None:
    """Attach a picture of the phone after the step `step`, if a session is running; when the screen is the one
    already pictured, a one-line note names the step that carries its picture, so no picture is in a report twice.

    With `pictures` and `place` (which puts an attachment in the step's result), the picture is placed in the step
    now and scaled and written beside the scenario's next commands; otherwise it is attached here, scaled."""
    if session is None or not session.started:
        return
    png = session.screenshot(reuse=True)
    if not png:
        return
    digest = hashlib.sha256(png).digest()
    earlier = _LAST_PICTURE.get(session)
    if earlier is not None and earlier[0] == digest:
        shown = f'the step "{earlier[1]}"' if earlier[1] else "the step before"
        allure.attach(f"The screen has not changed: its picture is the one after {shown}.",
                      name=f"screen unchanged (pictured after {shown})", attachment_type=AttachmentType.TEXT)
        return
    slot = place(name) if pictures is not None and place is not None else None
    if pictures is not None and slot is not None:
        pictures.develop(slot, png)
    else:
        picture, kind = scaled_picture(png)
        allure.attach(picture, name=name, attachment_type=kind)
    _LAST_PICTURE[session] = (digest, step)


# A step's picture is for seeing which screen the app was on, at half a phone's resolution: about a third of the
# phone's PNG in the report (the picture at a failure keeps every pixel, as the phone took it).
STEP_PICTURE_WIDTH = 540
STEP_PICTURE_QUALITY = 85


def scaled_picture(png: bytes, width: int = STEP_PICTURE_WIDTH) -> tuple[bytes, AttachmentType]:
    """A screenshot scaled to `width` as a JPEG, or the PNG as it was when it is no wider or not readable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.width <= width:
                return png, AttachmentType.PNG
            # Halved by averaging pixel blocks first, then filtered (reducing_gap): as sharp at this size, and a
            # tenth of the time of a filter over every pixel of the phone's picture.
            small = image.convert("RGB").resize((width, round(image.height * width / image.width)),
                                                Image.Resampling.LANCZOS, reducing_gap=1.0)
    except (UnidentifiedImageError, OSError, ValueError):
        return png, AttachmentType.PNG
    as_jpeg, as_png = io.BytesIO(), io.BytesIO()
    small.save(as_jpeg, "JPEG", quality=STEP_PICTURE_QUALITY, optimize=True)
    small.save(as_png, "PNG")  # optimize=True tries every filter: six times the time for 3% of the size
    # A screen of photos is smaller as a JPEG, a screen of flat colours and text as a PNG.
    if len(as_jpeg.getvalue()) < len(as_png.getvalue()):
        return as_jpeg.getvalue(), AttachmentType.JPG
    return as_png.getvalue(), AttachmentType.PNG


def failure_evidence(session: AppiumSession | None) -> None:
    """Attach what a person needs to see why a step failed: the screen and its page source."""
    if session is None or not session.started:
        return
    png = session.screenshot()
    if png:
        allure.attach(png, name="screen at failure", attachment_type=AttachmentType.PNG)
    source = session.page_source()
    if source:
        allure.attach(source, name="page source at failure", attachment_type=AttachmentType.XML)


def attach_video(mp4: bytes | None, name: str = "screen recording") -> None:
    """The scenario's screen recording (an MP4 the report plays), when the device gave one."""
    if mp4:
        with contextlib.suppress(Exception):
            allure.attach(mp4, name=name, attachment_type=AttachmentType.MP4)


def attach_table(name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """A table read from the app (the monitoring report), as CSV."""
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    allure.attach(buffer.getvalue(), name=name, attachment_type=AttachmentType.CSV)


def report_drift(item: Any, drift: DriftRecord) -> None:
    """Drift of a scenario: an attachment, a 'locator drift' label per target, the tag 'locator-drift', and on a
    passed scenario a status message: the report's 'Locator drift' category and its Tags filter find it."""
    if not drift:
        return
    with contextlib.suppress(Exception):
        allure.attach(drift.summary(), name="locator drift", attachment_type=AttachmentType.TEXT)
    scenario_results.mark_drift(item, drift)


@functools.lru_cache(maxsize=8)  # one question per server and run, not one per scenario
def server_build(url: str | None, timeout: float = 3.0) -> str:
    """What answers the run's sessions, from its W3C `/status` (Appium says its version there)."""
    if not url or not url.startswith(("http://", "https://")):
        return "none (in-process virtual device)"
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/status", timeout=timeout) as answer:
            build = (json.loads(answer.read()).get("value") or {}).get("build") or {}
    except (OSError, ValueError, AttributeError):
        return "unknown (its /status did not answer)"
    name = str(build.get("name") or "Appium")
    return f"{name} {build.get('version', '')}".strip()


def environment(config: RunConfig, info: Mapping[str, Any], server: str | None = None,
                run_id: str | None = None) -> dict[str, str]:
    """The report's environment: target, platform, device, its Android or iOS version, app version, release and
    language, Appium version and run id (the overview's Metadata in Allure 3).

    Every value passes through a Redactor of the environment's and the profile's secrets: a device name or
    a URL a cloud echoes back may carry a key.
    """
    caps = config.profile.capabilities
    # What the device said of itself comes first (harness.run.doctor.DeviceFacts.labels: Android, app version,
    # locale, model), then the session's capabilities.
    language = (info.get("device.locale") or info.get("language") or info.get("locale") or info.get("sim:language")
                or caps.get("appium:language"))
    platform = "iOS" if platform_of({**caps, **info}) == IOS else "Android"
    props = {
        "target": config.target,
        # Said on its own line, not only through the version's name, so runs of both platforms sort apart.
        "platform": platform,
        "device": str(info.get("device.model") or info.get("model") or info.get("deviceName")
                      or caps.get("appium:deviceName") or "unknown"),
        # An iPhone's is its iOS version (the session's platformName, else the profile's, says which).
        f"{platform} version": str(
            info.get("android.version") or info.get("ios.version") or info.get("platformVersion")
            or caps.get("appium:platformVersion") or "unknown"),
        "app version": str(info.get("app.version") or info.get("appVersion") or info.get("sim:appVersion")
                           or "unknown"),
        # A simulator before the word "release" named it uiVariant.
        "app release": str(info.get("release") or info.get("sim:release") or info.get("uiVariant")
                           or info.get("sim:uiVariant") or "unknown"),
        **({"app language": str(language)} if language else {}),
        "Appium version": server or "unknown",
        "Appium URL": config.safe_url,
        "profile": config.profile_path.stem,
        "run id": run_id or os.environ.get(RUN_ID_VARIABLE, "") or "unknown",
    }
    if config.virtual_device:
        props["world"] = str(info.get("world") or config.world)
    if config.udid:
        props["device udid"] = config.udid
    return Redactor.from_sources(os.environ, caps).clean_data(props)


def device_ports(caps: Mapping[str, Any]) -> dict[str, int]:
    """The per-device ports among session capabilities (Appium answers them without the appium: prefix)."""
    ports = {}
    for name in {**PORT_BASES, **IOS_PORT_BASES}:  # UiAutomator2's and XCUITest's
        short = name.removeprefix("appium:")
        value = caps.get(short, caps.get(name))
        if isinstance(value, int) and not isinstance(value, bool):
            ports[short] = value
    return ports


def label_device(worker: str, device: str, caps: Mapping[str, Any]) -> None:
    """Which worker, device and ports a scenario ran on, as Allure labels (what the session confirmed)."""
    ports = device_ports(caps)
    udid = str(caps.get("deviceUDID") or caps.get("udid") or device)
    with contextlib.suppress(Exception):
        allure.dynamic.label("worker", worker)
        allure.dynamic.label("device", udid)
        if ports:
            allure.dynamic.label("device.ports", " ".join(f"{k}={v}" for k, v in sorted(ports.items())))


def attach_server_log(text: str, redactor: Redactor, name: str = "Appium server log (this scenario)") -> None:
    """A log a failed scenario wrote (Appium's server log, the device's logcat), with secrets masked."""
    if text.strip():
        with contextlib.suppress(Exception):
            allure.attach(redactor.clean(text), name=name, attachment_type=AttachmentType.TEXT)


def _write_atomically(path: Path, text: str) -> None:
    # Several xdist workers may write the same file; a rename never leaves half a file behind.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)


def _escape_property(text: str, key: bool = False) -> str:
    text = text.replace("\\", "\\\\").replace("\n", " ").replace("=", "\\=").replace(":", "\\:")
    return text.replace(" ", "\\ ") if key else text  # a space ends a key in a .properties file


def write_environment(results_dir: str | Path, props: Mapping[str, str]) -> None:
    lines: Iterable[str] = (f"{_escape_property(key, key=True)}={_escape_property(value)}"
                            for key, value in props.items())
    _write_atomically(Path(results_dir) / "environment.properties", "\n".join(lines) + "\n")


DRIFT_COUNT_KEY = "locator drift"


def drift_count(results_dir: str | Path) -> tuple[int, int]:
    """(passed scenarios that drifted, all scenarios) among the results in `results_dir`."""
    drifted = total = 0
    for path in Path(results_dir).glob("*-result.json"):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        total += 1
        labels = result.get("labels") or []
        if result.get("status") == "passed" and any(
                label.get("name") == scenario_results.DRIFT_LABEL for label in labels):
            drifted += 1
    return drifted, total


def note_drift_count(results_dir: str | Path) -> None:
    """Put how many scenarios passed on a fallback locator in the overview's environment (Allure 3 Metadata)."""
    path = Path(results_dir) / "environment.properties"
    drifted, total = drift_count(results_dir)
    if not total:
        return
    with contextlib.suppress(OSError):
        key = _escape_property(DRIFT_COUNT_KEY, key=True)
        kept = [line for line in (path.read_text(encoding="utf-8").splitlines() if path.exists() else [])
                if not line.startswith(key + "=")]
        value = f"{drifted} of {total} passed on a fallback" if drifted else "none"
        # First, so the overview shows it before its "Show more".
        _write_atomically(path, "\n".join([f"{key}={_escape_property(value)}", *kept]) + "\n")
