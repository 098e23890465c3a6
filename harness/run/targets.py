"""What every command runs against, started for it and stopped after it: the virtual device, a local Appium 3
(a profile with `appium_url: local`) or a local Selenium Grid 4 (`appium_url: local-grid`), in one place.

    targets = Targets(config, reports_folder(args.reports), redactor, worlds=folders, devices=len(specs))
    url = targets.start()
    try:
        ...                     # sessions against url, configs through targets.configured(...)
    finally:
        died = targets.stop()   # the local Appium's death sentence, when it died during the run

`promo list` and `promo cancel`, `promo capture` and `promo doctor` start and stop their targets through it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.run.config import RunConfig, option_value

if TYPE_CHECKING:
    from tiktok_promo.harness.run.appium_server import AppiumServer
    from tiktok_promo.harness.run.local_grid import SeleniumGrid
    from tiktok_promo.harness.run.simhost import SimulatorHost


def reports_folder(value: str | None = None) -> Path:
    """The folder for a command's records and server logs: --reports, else PROMO_REPORTS, else `reports`."""
    return Path(value or option_value(None, "--reports", "PROMO_REPORTS") or "reports")


def start_local_appium(reports: Path, redactor: Redactor, worlds_dirs: Sequence[str] = ()) -> AppiumServer:
    """The Appium 3 server of a profile with `appium_url: local`: started for this run on a free port.

    Its log goes to <reports>/appium/, with the run's secrets filtered out by Appium itself; the virtual
    device its driver starts may read world files from `worlds_dirs`.
    """
    from tiktok_promo.harness.run.appium_server import AppiumServer
    from tiktok_promo.harness.run.simhost import worlds_env

    server = AppiumServer(log_path=reports / "appium" / "appium-promo.log", secrets=redactor.secrets,
                          env=worlds_env(worlds_dirs))
    server.check_installed()  # AppiumNotInstalled: the person can fix it (npm ci / make node), exit 2
    return server.start()  # AppiumServerError: the device side failed, exit 1


def start_local_grid(config: RunConfig, devices: int, reports: Path, redactor: Redactor) -> SeleniumGrid:
    """The Selenium Grid 4 of a profile with `appium_url: local-grid`: a node (and Appium) per device."""
    from tiktok_promo.harness.run.local_grid import run_grid

    grid = run_grid(config, devices, reports, redactor.secrets)
    grid.check_installed()  # GridNotInstalled, AppiumNotInstalled: the person can fix it (make java, npm ci), exit 2
    return grid.start()  # GridError: the device side failed, exit 1


def stop_soon(host: SimulatorHost) -> None:
    """Stop the virtual device without waiting on it.

    Its HTTP server notices a shutdown only at its next poll (socketserver's 0.5 s), which would add
    half a second to every run; the sessions are already closed, and the process is about to end.
    """
    threading.Thread(target=host.stop, name="simulator-stop", daemon=True).start()


class Targets:
    """The servers one command runs against: the virtual device, a local Appium 3 and a local Selenium Grid, each
    started only when the run's profile asks for it, and stopped in the reverse order at the end.

    `local_servers=False` starts the virtual device only (the doctor checks whether a local Appium could start,
    it does not start one).
    """

    def __init__(self, config: RunConfig, reports: Path, redactor: Redactor, *, worlds: Sequence[str] = (),
                 devices: int = 1, local_servers: bool = True) -> None:
        self.config = config
        self.reports = reports
        self.redactor = redactor
        self.worlds = list(worlds)
        self.devices = devices
        self.local_servers = local_servers
        self.appium: AppiumServer | None = None
        self.grid: SeleniumGrid | None = None
        self.host: SimulatorHost | None = None
        self.url = config.appium_url or ""

    def start(self) -> str:
        """Starts what the profile asks for; returns the URL sessions connect to. What started before a
        failure is stopped again."""
        try:
            if self.local_servers and self.config.local_appium:
                self.appium = start_local_appium(self.reports, self.redactor, self.worlds)
                self.url = self.appium.url
            if self.local_servers and self.config.local_grid:
                self.grid = start_local_grid(self.config, self.devices, self.reports, self.redactor)
                self.url = self.grid.url
            if self.config.is_sim:
                from tiktok_promo.harness.run.simhost import SimulatorHost

                self.host = SimulatorHost()
                self.url = self.host.start(self.worlds)
        except BaseException:
            self.stop()
            raise
        return self.url

    def configured(self, config: RunConfig) -> RunConfig:
        """`config` as a session of this run needs it: with the local Grid's nodes, when there is one."""
        if self.grid is None:
            return config
        from tiktok_promo.harness.run.local_grid import with_grid

        return with_grid(config, self.grid.state())

    def stop(self) -> str | None:
        """Stops what was started (the virtual device without waiting on it); returns the local Appium's death
        sentence when it died during the run (the devices' errors said "lost contact"; this says why)."""
        host, grid, appium = self.host, self.grid, self.appium
        self.host = self.grid = self.appium = None
        if host is not None:
            stop_soon(host)
        if grid is not None:
            grid.stop()
        died = None
        if appium is not None:
            died = appium.death_sentence()
            appium.stop()  # after the sessions: Appium ends what is left and the driver stops its devices
        return died
