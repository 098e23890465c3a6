"""Several devices in one run: which devices, each one's own session settings, and running them in parallel.

Device ids are the ones `promo devices` prints:
- the virtual device (target sim, or a profile with `sim:world`): `sim-1`, `sim-2`, ... each its own
  session with its own world; `sim-2=business` (or a world file) gives that device its own world;
- real phones and emulators (target appium): adb serials; `--all-devices` takes every one adb sees
  ready, `--udid` / PROMO_UDID is the single-device spelling.

UiAutomator2 runs a server on the phone reached through a forwarded local port, and so do MJPEG
screenshots and Chromedriver: two sessions on one Appium host with the same ports break each other.
Each device gets its own `appium:systemPort`, `appium:mjpegServerPort` and `appium:chromedriverPort`
(the profile's value, or Appium's default, plus the device's index), unless the profile says
`per_device_ports: false` (a Selenium Grid or a device cloud: their nodes own their ports).

The same scheme serves the features run in parallel (pytest-xdist): worker N of a run takes device N of
the pool (`pool_device`): sim-N on the virtual device, the profile's `devices:` list, or the phones adb
sees ready (what `promo devices` lists) when the Appium server is on this machine.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.adb import LOCAL_HOSTS
from tiktok_promo.harness.run.config import RunConfig, check_world
from tiktok_promo.harness.run.sim_faults import parse_faults
from tiktok_promo.harness.ui.locators import IOS, platform_of

T = TypeVar("T")
R = TypeVar("R")

SIM_DEVICE = re.compile(r"^sim-([1-9][0-9]{0,2})$")
PORT_BASES = {"appium:systemPort": 8200, "appium:mjpegServerPort": 7810, "appium:chromedriverPort": 9515}
# XCUITest's own: WebDriverAgent's port on the Mac (8100) and its screen stream (9100), per device
# (appium/appium-xcuitest-driver docs/reference/capabilities.md).
IOS_PORT_BASES = {"appium:wdaLocalPort": 8100, "appium:mjpegServerPort": 9100}


@dataclasses.dataclass(frozen=True)
class DeviceSpec:
    """One device of a run and the run settings that are its own."""

    id: str
    index: int
    config: RunConfig
    world: str | None = None  # virtual device only
    faults: Any = None  # virtual device only: a `sim:faults` value (tests make one device fail)

    @property
    def ports(self) -> dict[str, int]:
        caps = self.config.profile.capabilities
        return {name.removeprefix("appium:"): int(caps[name]) for name in {**PORT_BASES, **IOS_PORT_BASES}
                if name in caps}


def parse_sim_faults(values: Sequence[str]) -> dict[str, Any]:
    """`--sim-faults DEVICE=FAULTS` (a fault profile name or a JSON mapping) as {device: sim:faults}."""
    faults: dict[str, Any] = {}
    for value in values:
        device, sep, spec = value.partition("=")
        if not sep or not SIM_DEVICE.match(device.strip()):
            raise ConfigError(f"--sim-faults takes DEVICE=FAULTS like sim-2=flaky or "
                              f"'sim-2={{\"crash_after\": 5}}', not {value!r}.")
        faults[device.strip()] = parse_faults(spec, f"--sim-faults for {device.strip()}")
    return faults


def device_config(config: RunConfig, index: int, udid: str | None,
                  extra_caps: Mapping[str, Any] | None = None) -> RunConfig:
    """The run config of the index-th device: its udid, its own capabilities and per-device ports."""
    caps = {**config.profile.capabilities, **(extra_caps or {})}
    if config.profile.per_device_ports:
        bases = IOS_PORT_BASES if platform_of(caps) == IOS and not config.virtual_device else PORT_BASES
        for name, base in bases.items():
            caps[name] = int(caps.get(name, base)) + index
    profile = config.profile.model_copy(update={"capabilities": caps})
    return dataclasses.replace(config, profile=profile, udid=udid or config.udid)


def _is_local(url: str | None) -> bool:
    return bool(url) and (urlsplit(url or "").hostname or "") in LOCAL_HOSTS


def _drives_local_phones(config: RunConfig) -> bool:
    """The Appium server runs on this machine, so the phones it drives are the ones this machine's adb sees."""
    return config.local_appium or _is_local(config.appium_url)


def worker_index(worker_id: str | None) -> int:
    """The index of a pytest-xdist worker ('gw3' -> 3); 0 for a run without workers."""
    match = re.fullmatch(r"gw(\d+)", worker_id or "")
    return int(match.group(1)) if match else 0


def pool_device(config: RunConfig, index: int, count: int,
                adb_serials: Callable[[], list[str]] | None = None) -> DeviceSpec:
    """The device of worker `index` of `count` parallel workers, with its own udid and ports.

    The pool is, in order: sim-1, sim-2, ... on the virtual device; the profile's `devices:` list; the one
    --udid (PROMO_UDID) device; the phones adb sees ready when the Appium server is local. A remote grid or
    cloud with no list picks a matching device for each session itself. ConfigError (one sentence) when
    the pool has fewer devices than workers.
    """
    where = f"the profile {config.profile_path.name}"
    if config.udid and count > 1:  # the virtual device too: one named device cannot be every worker's
        raise ConfigError(f"--udid (PROMO_UDID) names one device, but {count} parallel workers need one each; "
                          f"leave --udid out{' (each worker takes its own sim-N)' if config.virtual_device else ''} "
                          f"or list the devices under devices: in {where}.")
    if config.virtual_device:
        name = f"sim-{index + 1}"  # each worker's own virtual device (its own session, world and ports)
        return DeviceSpec(name, index, device_config(config, index, name), config.world)
    pool: list[tuple[str, dict[str, Any]]] = [(d.udid, dict(d.capabilities)) for d in config.profile.devices]
    if config.udid:
        pool = [(config.udid, {})]
    elif not pool and count > 1 and _drives_local_phones(config):
        from tiktok_promo.harness.errors import AdbUnavailable
        from tiktok_promo.harness.run.adb import ready_serials

        try:
            pool = [(serial, {}) for serial in (adb_serials or ready_serials)()]
        except AdbUnavailable as problem:
            raise ConfigError(f"{count} parallel workers need {count} devices, and {where} lists none under "
                              f"devices:, so adb was asked: {problem}") from None
    if not pool:
        if count > 1 and _drives_local_phones(config):
            raise ConfigError(f"{count} parallel workers need {count} devices, but adb sees none ready and {where} "
                              "lists none under devices:.")
        # One device and no udid: Appium drives the one it finds; a grid or cloud picks one per session.
        return DeviceSpec("device" if count == 1 else f"device-{index + 1}", index,
                          device_config(config, index, None))
    if index >= len(pool):
        found = ", ".join(udid for udid, _ in pool)
        raise ConfigError(f"{count} parallel workers need {count} devices, but the pool has {len(pool)} ({found}); "
                          f"run fewer workers (-n {len(pool)}) or add devices under devices: in {where}.")
    udid, extra = pool[index]
    return DeviceSpec(udid, index, device_config(config, index, udid, extra))


def plan_devices(config: RunConfig, wanted: Sequence[str], all_devices: bool,
                 sim_faults: Mapping[str, Any] | None = None,
                 adb_serials: Callable[[], list[str]] | None = None) -> list[DeviceSpec]:
    """The devices of a run, each with its own settings; ConfigError in one sentence for a bad id."""
    sim_faults = dict(sim_faults or {})
    if config.virtual_device:
        specs = _virtual(config, wanted, all_devices, sim_faults)
    else:
        if sim_faults:
            raise ConfigError("--sim-faults injects faults into the virtual device; this run drives a real one.")
        specs = _real(config, wanted, all_devices, adb_serials)
    ids = [s.id for s in specs]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ConfigError(f"The device {twice[0]} is named twice; one session per device.")
    return specs


def _virtual(config: RunConfig, wanted: Sequence[str], all_devices: bool,
             sim_faults: dict[str, Any]) -> list[DeviceSpec]:
    names = list(wanted) or ["sim-1"]
    if all_devices and not wanted:
        names = ["sim-1"]  # what `promo devices` lists for the virtual device
    specs = []
    for index, name in enumerate(names):
        device, sep, asked = (part.strip() for part in name.partition("="))
        if not SIM_DEVICE.match(device):
            raise ConfigError(f"The virtual device takes --device sim-1, sim-2, ... (optionally sim-2=WORLD), "
                              f"not {device!r}; real phones need --target appium.")
        if sep and not asked:
            raise ConfigError(f"--device {name} names no world after '='.")
        world = check_world(asked) if asked else config.world
        specs.append(DeviceSpec(device, index, device_config(config, index, device), world,
                                sim_faults.pop(device, None)))
    if sim_faults:
        raise ConfigError(f"--sim-faults names {', '.join(sorted(sim_faults))}, which is not a device of this run.")
    return specs


def _real(config: RunConfig, wanted: Sequence[str], all_devices: bool,
          adb_serials: Callable[[], list[str]] | None) -> list[DeviceSpec]:
    from tiktok_promo.harness.errors import AdbUnavailable
    from tiktok_promo.harness.run.adb import ready_serials

    serials = list(wanted) or ([config.udid] if config.udid else [])
    if any("=" in s or SIM_DEVICE.match(s) for s in serials):
        bad = next(s for s in serials if "=" in s or SIM_DEVICE.match(s))
        raise ConfigError(f"{bad!r} is a virtual device; with --target appium, --device takes an adb serial "
                          "(see promo devices).")
    list_serials = adb_serials or ready_serials
    if all_devices:
        try:
            seen = list_serials()
        except AdbUnavailable as problem:
            raise ConfigError(f"--all-devices needs adb: {problem}") from None
        if not seen:
            raise ConfigError("No device: adb sees no phone or emulator ready (state 'device'); connect one and "
                              "allow USB debugging, or check with promo devices.")
        serials = list(dict.fromkeys(serials + seen))
    elif serials and _drives_local_phones(config):
        # A local Appium drives the phones this machine's adb sees: a typo is caught before any session.
        try:
            seen = list_serials()
        except AdbUnavailable:
            seen = None  # no adb here to ask: Appium will say whether it finds the device
        missing = [s for s in serials if seen is not None and s not in seen]
        if missing:
            listed = ", ".join(seen or []) or "none"
            raise ConfigError(f"Device {missing[0]} is not connected (adb sees: {listed}).")
    if not serials:
        serials = [""]  # no udid: Appium drives the one device it finds
    return [DeviceSpec(serial or "device", index, device_config(config, index, serial or None))
            for index, serial in enumerate(serials)]


def run_parallel(items: Sequence[T], work: Callable[[T], R], on_interrupt: Callable[[], None] | None = None,
                 on_waiting: Callable[[], None] | None = None) -> list[R | Exception]:
    """`work` on every item at once, one thread each; an item's exception is its result, the others go on.

    Even one item runs in a worker thread: Python delivers Ctrl+C (and the SIGTERM and SIGHUP promo turns
    into it) to the main thread only, so it can never land between a confirmed cancel and its audit line.
    The main thread calls `on_interrupt`, then waits for the workers to reach their next safe point (between
    two promotions), however often it is interrupted again (`on_waiting` is told, once): a second Ctrl+C
    must not leave a cancel that landed unrecorded, nor close its session under it. Then it raises.
    """
    if not items:
        return []
    pool = ThreadPoolExecutor(max_workers=len(items), thread_name_prefix="promo-device")
    interrupt: KeyboardInterrupt | None = None
    futures = []
    try:
        for item in items:
            futures.append(pool.submit(_guarded, work, item))
    except KeyboardInterrupt as first:
        # Ctrl+C while the workers start: the ones started are told (else they would go on through every
        # promotion they were given), the others are never started.
        interrupt = first
        if on_interrupt is not None:
            on_interrupt()
    told = False
    while True:
        try:
            # wait(), not a join: a join that Ctrl+C breaks can take the thread for finished (CPython), and the
            # run would end while a cancel is in flight.
            wait(futures)
            break
        except KeyboardInterrupt as again:
            if interrupt is None:
                interrupt = again  # raised once the workers are done, as it came (promo's says which signal)
                if on_interrupt is not None:
                    on_interrupt()
            elif not told and on_waiting is not None:
                told = True
                on_waiting()
    pool.shutdown(wait=True)  # and a worker whose future a Ctrl+C kept from the list, if one ever was
    if interrupt is not None:
        raise interrupt
    return [future.result() for future in futures]


def _guarded(work: Callable[[T], R], item: T) -> R | Exception:
    try:
        return work(item)
    except Exception as error:  # one device's failure is its own result; the others go on
        return error
