"""Allure evidence: a picture of the phone after each step, source and picture on failure, locator
drift, the environment and the failure categories.

Nothing here ever raises into a test: evidence that cannot be taken (a dead session) is skipped, so it
never hides the failure it was meant to explain. Capabilities are never attached (they may hold cloud
keys); the Appium URL is reported without credentials.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import allure
from allure_commons.model2 import StatusDetails
from allure_commons.types import AttachmentType

from harness.redact import Redactor
from harness.run.config import RunConfig
from harness.run.fleet import PORT_BASES
from harness.run.session import AppiumSession
from harness.ui.drift import DriftRecord

# How the report sorts failures (Allure's categories.json): drift first, then device, then product.
CATEGORIES: list[dict[str, Any]] = [
    {
        "name": "Locator drift",
        "description": "A target matched a fallback candidate, or no candidate at all: the app's UI changed.",
        "matchedStatuses": ["passed", "failed", "broken"],
        "messageRegex": "(?s).*(Locator drift|TargetNotFound).*",
    },
    {
        "name": "Device or session errors",
        "description": "The device, the Appium server or the session failed; not a verdict on the app.",
        "matchedStatuses": ["broken", "failed"],
        "messageRegex": "(?s).*(DeviceError|SessionLost|DeviceHiccup|UnsureTap|ConfigError|WebDriverException|"
                        "InvalidSessionId|MaxRetryError|ConnectionError|ConnectionRefused).*",
    },
    {
        "name": "Product assertion failures",
        "description": "The app did not do what the guide says (a check in a step, or a cancel not shown).",
        "matchedStatuses": ["failed", "broken"],
        "messageRegex": "(?s).*(AssertionError|NotCancelled|FlowRefused|WrongAccount|LoggedOut|NothingToCancel|"
                        "UnknownPromotion|AmbiguousPromotion|WrongPromotion|NotCancellable|UncheckedCancel).*",
    },
]


def note(kind: str, message: str) -> None:
    """A harness event (locator drift, a dismissed pop-up) as an Allure step inside the current step."""
    with contextlib.suppress(Exception), allure.step(message):
        pass


def step_screenshot(session: AppiumSession | None, name: str = "screen after the step") -> None:
    """Attach a picture of the phone, if a session is running."""
    if session is None or not session.started:
        return
    png = session.screenshot(reuse=True)
    if png:
        allure.attach(png, name=name, attachment_type=AttachmentType.PNG)


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


def attach_table(name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """A table read from the app (the monitoring report), as CSV."""
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    allure.attach(buffer.getvalue(), name=name, attachment_type=AttachmentType.CSV)


def _allure_listener(config: Any) -> Any:
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin).__name__ == "PytestBDDListener":
            return plugin
    return None


def _set_status_message(item: Any, message: str) -> None:
    # allure-pytest-bdd gives a passed test no status message, and categories match on messages; the
    # listener's lifecycle is the one place to add one. If its internals change, drift still shows as
    # the attachment and the tag.
    listener = _allure_listener(item.config)
    if listener is None or item.nodeid not in getattr(listener, "nodeid_to_uuid", {}):
        return
    with listener.lifecycle.update_test_case(uuid=listener.nodeid_to_uuid[item.nodeid]) as result:
        if result is not None and result.statusDetails is None:
            result.statusDetails = StatusDetails(message=message)


def report_drift(item: Any, drift: DriftRecord) -> None:
    """Drift of a scenario: an attachment, the tag 'locator-drift' and the 'Locator drift' category."""
    if not drift:
        return
    with contextlib.suppress(Exception):
        allure.attach(drift.summary(), name="locator drift", attachment_type=AttachmentType.TEXT)
        allure.dynamic.tag("locator-drift")
        _set_status_message(item, drift.summary())


def environment(config: RunConfig, info: Mapping[str, Any]) -> dict[str, str]:
    """The report's environment: target, platform, device, app variant/version, Appium URL (no credentials).

    Every value passes through a Redactor of the environment's and the profile's secrets: a device name or
    a URL a cloud echoes back may carry a key.
    """
    caps = config.profile.capabilities
    props = {
        "target": config.target,
        "profile": config.profile_path.stem,
        "platform": f"{caps.get('platformName', 'Android')} {info.get('platformVersion', '')}".strip(),
        "device": str(info.get("model") or info.get("deviceName") or caps.get("appium:deviceName") or "unknown"),
        "app.package": str(info.get("appPackage") or caps.get("appium:appPackage") or ""),
        "app.version": str(info.get("appVersion") or info.get("sim:appVersion") or "unknown"),
        "app.variant": str(info.get("uiVariant") or info.get("sim:uiVariant") or "unknown"),
        "appium.url": config.safe_url,
    }
    if config.virtual_device:
        props["world"] = str(info.get("world") or config.world)
    if config.udid:
        props["device.udid"] = config.udid
    return Redactor.from_sources(os.environ, caps).clean_data(props)


def device_ports(caps: Mapping[str, Any]) -> dict[str, int]:
    """The per-device ports among session capabilities (Appium answers them without the appium: prefix)."""
    ports = {}
    for name in PORT_BASES:
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
    """The part of the Appium server log a failed scenario wrote, with secrets masked."""
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


def write_environment(results_dir: str | Path, props: Mapping[str, str]) -> None:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace("\n", " ").replace("=", "\\=").replace(":", "\\:")

    lines: Iterable[str] = (f"{key}={escape(value)}" for key, value in props.items())
    _write_atomically(Path(results_dir) / "environment.properties", "\n".join(lines) + "\n")


def write_categories(results_dir: str | Path) -> None:
    _write_atomically(Path(results_dir) / "categories.json", json.dumps(CATEGORIES, indent=2) + "\n")
