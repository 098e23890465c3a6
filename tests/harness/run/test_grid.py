"""harness.run.grid: what Grid 4 matches, the sentences for what it refuses, and a real Grid's life cycle.

The matching rules are Grid 4's own, read in SeleniumHQ/selenium:
java/src/org/openqa/selenium/grid/data/DefaultSlotMatcher.java (stereotype capabilities the request also
names must be equal, strings ignoring case; a platformVersion asked for must be declared with the same
value) and java/src/org/openqa/selenium/grid/node/relay/RelaySessionFactory.java (the relay's "Error
while creating session with the service <url>").
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from appium import webdriver
from appium.options.common import AppiumOptions
from runenv import started

from tiktok_promo.harness.run.appium_server import free_port
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.grid import (
    LEAN_JVM_FLAGS,
    GridError,
    GridNodeDown,
    GridStopsRun,
    SeleniumGrid,
    grid_devices,
    relay_failure,
    run_grid,
    session_problem,
    unmatched_sentence,
)
from tiktok_promo.harness.run.local_grid import toml_text

REPO = Path(__file__).resolve().parents[3]
SIM_NODE = {"platformName": "ANDROID", "appium:automationName": "TikTokSim", "appium:udid": "sim-1"}
PHONE_NODE = {"platformName": "ANDROID", "appium:automationName": "UiAutomator2", "appium:udid": "R5CT1234ABC",
              "appium:platformVersion": "14"}


class _FakeGrid(BaseHTTPRequestHandler):
    """A /status as a Grid 4 hub answers it (nodes, their availability and slot stereotypes)."""

    nodes: list[dict[str, Any]] = []

    def do_GET(self) -> None:
        body = json.dumps({"value": {"ready": True, "nodes": self.nodes}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_grid() -> Iterator[tuple[str, type[_FakeGrid]]]:
    handler = type("Handler", (_FakeGrid,), {"nodes": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _node(stereotype: dict[str, Any], uri: str = "http://10.0.0.5:5555", up: bool = True) -> dict[str, Any]:
    return {"uri": uri, "availability": "UP" if up else "DOWN", "slots": [{"stereotype": stereotype}]}


def test_a_request_for_uiautomator2_names_the_capability_no_node_offers(fake_grid) -> None:
    url, handler = fake_grid
    handler.nodes = [_node(SIM_NODE), _node({**SIM_NODE, "appium:udid": "sim-2"})]
    sentence = unmatched_sentence(url, {"platformName": "Android", "appium:automationName": "UiAutomator2"})
    assert sentence == (f"No node of the Selenium Grid at {url} offers appium:automationName='UiAutomator2': its "
                        "nodes offer TikTokSim; fix the profile's capabilities or the nodes' stereotypes.")
    # What the nodes do offer matches, whatever the case of platformName (the Grid answers "ANDROID").
    assert unmatched_sentence(url, {"platformName": "android", "appium:automationName": "tiktoksim"}) is None


def test_a_platform_version_matches_only_a_node_that_declares_the_same(fake_grid) -> None:
    url, handler = fake_grid
    handler.nodes = [_node(SIM_NODE)]
    sentence = unmatched_sentence(url, {"platformName": "Android", "appium:platformVersion": "14"})
    assert sentence is not None and "offers appium:platformVersion='14': no node's stereotype declares it" in sentence
    handler.nodes = [_node(PHONE_NODE)]
    assert unmatched_sentence(url, {"platformName": "Android", "appium:platformVersion": "14"}) is None
    sentence = unmatched_sentence(url, {"platformName": "Android", "appium:platformVersion": "13"})
    assert sentence is not None and "its nodes offer 14" in sentence
    # A udid the stereotype declares must be the same; one it does not declare is the node's business.
    assert unmatched_sentence(url, {"platformName": "Android", "appium:udid": "emulator-5554"}) is not None
    assert unmatched_sentence(url, {"platformName": "Android", "appium:deviceName": "Pixel 8"}) is None


def test_an_appium_server_is_not_taken_for_a_grid(fake_grid) -> None:
    url, handler = fake_grid
    handler.nodes = []  # an Appium /status lists no nodes: nothing to explain, no sentence
    assert unmatched_sentence(url, {"platformName": "iOS"}) is None


def test_a_dead_relay_service_is_one_sentence_naming_the_node() -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    said = f"Could not start a new session. Error while creating session with the service {dead}. Connection error"
    nodes = [{"name": "node 2", "udid": "sim-2", "appium_url": dead}]
    assert relay_failure(said, nodes) == (
        f"Selenium Grid node 2 (sim-2) relays to the Appium server at {dead}, which no longer answers, so no "
        "session can start there; the run stops (restart that Appium server or take the node out of the Grid).")
    problem = session_problem(said, "http://127.0.0.1:1", {}, {"nodes": nodes})
    assert isinstance(problem, GridNodeDown)


def test_a_relay_error_from_an_appium_that_answers_is_not_a_dead_node(fake_grid) -> None:
    url, _ = fake_grid  # something answers there
    said = f"Could not start a new session. Error while creating session with the service {url}. It said no."
    assert relay_failure(said) is None
    assert session_problem("An unknown server-side error occurred", url, {}) is None


def test_a_queue_timeout_on_a_node_marked_down_names_that_node(fake_grid) -> None:
    url, handler = fake_grid
    handler.nodes = [_node(SIM_NODE, "http://10.0.0.5:5555"), _node({**SIM_NODE, "appium:udid": "sim-2"},
                                                                    "http://10.0.0.6:5555", up=False)]
    caps = {"platformName": "Android", "appium:automationName": "TikTokSim", "appium:udid": "sim-2"}
    problem = session_problem("Could not start a new session. New session request timed out", url, caps)
    assert isinstance(problem, GridNodeDown) and "node at http://10.0.0.6:5555" in str(problem)
    # When the matching node is UP, the request waited for a busy slot: not the harness's to explain.
    handler.nodes[1]["availability"] = "UP"
    assert session_problem("Could not start a new session. New session request timed out", url, caps) is None
    wrong = {**caps, "appium:automationName": "UiAutomator2"}
    stop = session_problem("Could not start a new session. No nodes support the capabilities in the request",
                           url, wrong)
    assert type(stop) is GridStopsRun and "appium:automationName='UiAutomator2'" in str(stop)


def test_the_generated_toml_is_what_the_grid_reads(tmp_path: Path) -> None:
    text = toml_text({"relay": {"url": "http://127.0.0.1:4723", "status-endpoint": "/status",
                                        "configs": ["1", json.dumps(SIM_NODE)]},
                              "node": {"detect-drivers": False, "max-sessions": 1}})
    data = tomllib.loads(text)
    assert data["relay"]["configs"] == ["1", json.dumps(SIM_NODE)]
    assert data["node"] == {"detect-drivers": False, "max-sessions": 1}


def test_the_local_grid_offers_what_the_profile_asks_for_one_device_per_node() -> None:
    config = load_run_config(target="appium", caps="grid-sim", env={})
    assert config.local_grid and config.appium_url is None and config.virtual_device
    grid = run_grid(config, devices=3)
    assert [node.udid for node in grid.nodes] == ["sim-1", "sim-2", "sim-3"]
    assert grid.stereotype == {"platformName": "Android", "appium:automationName": "TikTokSim"}
    assert len(run_grid(config, devices=1).nodes) == 2  # the profile's grid_nodes


def test_no_java_is_one_sentence(tmp_path: Path) -> None:
    grid = SeleniumGrid(1, stereotype=SIM_NODE, java="", reports_dir=tmp_path)
    grid.java = ""
    with pytest.raises(GridError, match=r"^Java is missing, and the Selenium Grid needs it: install Debian's "
                                        r"default-jre-headless \(make test does\) or put java on PATH\.$"):
        grid.start()


# --- a real Grid 4 ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    grid = SeleniumGrid(1, stereotype={"platformName": "Android", "appium:automationName": "TikTokSim"},
                        reports_dir=tmp_path_factory.mktemp("grid"))
    with started(grid, GridError) as running:
        yield running


@pytest.mark.slow
def test_a_real_grid_merges_the_stereotype_and_refuses_json_without_charset(real_grid) -> None:
    # No udid asked: the node's stereotype (appium:udid sim-1) is merged into what reaches Appium.
    options = AppiumOptions().load_capabilities({"platformName": "Android", "appium:automationName": "TikTokSim",
                                                 "sim:world": "default"})
    driver = webdriver.Remote(real_grid.url, options=options)
    try:
        caps = driver.capabilities
        assert caps["platformName"] == "ANDROID" and caps["appium:udid"] == "sim-1"
        assert any(name.startswith("se:") for name in caps)
        assert caps["deviceUDID"] == "sim-1"  # the driver got the stereotype's udid, and said so
    finally:
        driver.quit()
    # The Grid refuses plain application/json; the Selenium client (and so ours) says charset=UTF-8
    # (selenium/webdriver/remote/remote_connection.py, get_remote_connection_headers).
    body = json.dumps({"capabilities": {"alwaysMatch": {"platformName": "Android"}}}).encode()
    request = urllib.request.Request(f"{real_grid.url}/session", data=body,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 500 and b"does not indicate utf-8" in refused.value.read()


@pytest.mark.slow
def test_a_caps_mistake_against_a_real_grid_stops_the_run_at_once_with_one_sentence(real_grid,
                                                                                    tmp_path: Path) -> None:
    # The grid profile asks for UiAutomator2; this Grid's node offers TikTokSim only.
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-p", "no:cacheprovider", "-q",
                          "--target", "appium", "--caps", "grid", "--appium-url", real_grid.url],
                         cwd=REPO, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 4, run.stdout + run.stderr
    assert time.monotonic() - started < 30
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR:")]
    assert errors == [f"ERROR: No node of the Selenium Grid at {real_grid.url} offers "
                      "appium:automationName='UiAutomator2': its nodes offer TikTokSim; fix the profile's "
                      "capabilities or the nodes' stereotypes."], run.stderr


@pytest.mark.slow
def test_stopping_a_real_grid_leaves_no_process(real_grid) -> None:
    grid = real_grid  # the module's last test: it stops the Grid the others used
    pids = grid.pids()
    assert len(pids) == 3  # hub, node, Appium
    assert {node["availability"] for node in grid.status()["nodes"]} == {"UP"}
    grid.stop()
    left = [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and (Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z")]
    assert left == [] and grid.pids() == []


@pytest.mark.slow
def test_the_documented_hub_and_phone_node_configs_run_and_offer_what_the_grid_profile_asks(tmp_path: Path) -> None:
    # docs/grid/*.toml as an operator starts them, with only the ports moved (flags win over the file), and
    # the node's Appium URL pointed at a fake that answers /status as Appium does: no phone is needed to
    # check what the hub then offers.
    grid = SeleniumGrid(1, stereotype={}, reports_dir=tmp_path)
    grid.check_installed()
    hub, publish, subscribe, node = (free_port() for _ in range(4))
    fake = ThreadingHTTPServer(("127.0.0.1", 0), type("Appium", (_FakeGrid,), {"nodes": []}))
    threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    events = ["--publish-events", f"tcp://127.0.0.1:{publish}", "--subscribe-events", f"tcp://127.0.0.1:{subscribe}"]
    java = [grid.java, *LEAN_JVM_FLAGS, "-jar", str(grid.jar)]
    procs = [subprocess.Popen([*java, "hub", "--config", str(REPO / "docs" / "grid" / "hub.toml"), "--port", str(hub),
                               "--host", "127.0.0.1", *events], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)]
    procs.append(subprocess.Popen(
        [*java, "node", "--config", str(REPO / "docs" / "grid" / "node-phones.toml"), "--port", str(node),
         "--host", "127.0.0.1", "--grid-url", f"http://127.0.0.1:{hub}", "--register-cycle", "1",
         "--service-url", f"http://127.0.0.1:{fake.server_address[1]}", *events],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    url = f"http://127.0.0.1:{hub}"
    try:
        deadline = time.monotonic() + 60
        pause = threading.Event()
        while len(grid_devices(url)) < 2 and time.monotonic() < deadline:
            pause.wait(0.2)
        assert sorted(grid_devices(url)) == ["0A1B2C3D4E5F", "R5CT1234ABC"]  # one slot per phone
        config = load_run_config(target="appium", caps="grid", appium_url=url, env={})
        asked = config.capabilities()
        assert unmatched_sentence(url, asked) is None  # the grid profile reaches these phones
        assert unmatched_sentence(url, {**asked, "appium:udid": "R5CT1234ABC"}) is None
        assert "appium:platformVersion='12'" in (unmatched_sentence(url, {**asked, "appium:platformVersion": "12"})
                                                 or "")
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=20)
        fake.shutdown()
        fake.server_close()
