"""`python -m simulator`: start, serve, stop cleanly; a bad world is one line and exit 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from appium import webdriver
from simkit import by_desc, mobile, options

REPO = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serves_the_url_it_prints_and_exits_0_on_a_signal(stop: signal.Signals) -> None:
    process = _start("--world", "business")
    try:
        line = process.stdout.readline()
        assert line.startswith("Virtual TikTok device listening on http://127.0.0.1:")
        url = line.split(" on ", 1)[1].strip()
        with urllib.request.urlopen(f"{url}/status", timeout=5) as answer:
            assert json.load(answer)["value"]["ready"] is True
        driver = webdriver.Remote(url, options=options(world=None))  # the server's --world applies
        assert mobile(driver, "deviceInfo")["world"] == "business"
        assert by_desc(driver, "Profile").is_displayed()
        driver.quit()
        process.send_signal(stop)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.mark.parametrize("world", ["no-such-world", "bad.yaml"])
def test_a_bad_world_exits_2_with_one_line(tmp_path: Path, world: str) -> None:
    if world == "bad.yaml":
        world = str(tmp_path / world)
        Path(world).write_text("accounts:\n  - username: a\napp:\n  variant: retro\n", encoding="utf-8")
    process = _start("--world", world)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simulator: ")
    assert world in lines[0]
    assert "Traceback" not in err


def test_a_busy_port_exits_2_with_one_line() -> None:
    first = _start()
    try:
        port = first.stdout.readline().rsplit(":", 1)[1].strip()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        second = subprocess.run([sys.executable, "-m", "simulator", "--port", port], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=20)
        assert second.returncode == 2
        assert len(second.stderr.strip().splitlines()) == 1
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=10)
        first.stdout.close()
        first.stderr.close()
