"""`python -m tiktok_promo.simulator`: start, serve, stop cleanly; a bad world is one line and exit 2."""

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
        [sys.executable, "-m", "tiktok_promo.simulator", "--port", "0", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.slow
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
@pytest.mark.slow
def test_a_bad_world_exits_2_with_one_line(tmp_path: Path, world: str) -> None:
    if world == "bad.yaml":
        world = str(tmp_path / world)
        Path(world).write_text("accounts:\n  - username: a\napp:\n  release: retro\n", encoding="utf-8")
    process = _start("--world", world)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simulator: ")
    assert world in lines[0]
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_busy_port_exits_2_with_one_line() -> None:
    first = _start()
    try:
        port = first.stdout.readline().rsplit(":", 1)[1].strip()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        second = subprocess.run([sys.executable, "-m", "tiktok_promo.simulator", "--port", port], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=20)
        assert second.returncode == 2
        assert len(second.stderr.strip().splitlines()) == 1
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=10)
        first.stdout.close()
        first.stderr.close()


@pytest.mark.parametrize(("args", "option", "words"), [
    (["--port", "99999"], "--port", "'99999' is not a port number (0 to 65535"),
    (["--port", "abc"], "--port", "'abc' is not a port number"),
    (["--log-level", "BOGUS"], "--log-level", "'BOGUS' is not a log level (choose from DEBUG, INFO"),
    (["--world", "BINARY"], "--world", "is not UTF-8 text"),
    (["--world", "/dev/zero"], "--world", "world file /dev/zero is a device, pipe or socket, not a regular file"),
    (["--world", "a" * 5000], "--world", "cannot be read: File name too long"),
    (["--worlds-dir", "/no/such/folder"], "--worlds-dir", "'/no/such/folder' is not a folder"),
    # Appium 3 takes insecure features only as <automation>:<feature> (base-driver core.ts isFeatureEnabled)
    (["--allow-insecure", "adb_shell"], "--allow-insecure", "write it as <automation name>:<feature>"),
    (["--deny-insecure", ":adb_shell"], "--deny-insecure", "is not an insecure feature name"),
])
@pytest.mark.slow
def test_a_bad_option_is_one_sentence_naming_it_and_exit_2(tmp_path: Path, args: list[str], option: str,
                                                          words: str) -> None:
    if "BINARY" in args:
        binary = tmp_path / "world.yaml"
        binary.write_bytes(bytes(range(256)) * 4)
        args = [str(binary) if a == "BINARY" else a for a in args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-m", "tiktok_promo.simulator", *args], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=20)
    assert run.returncode == 2
    assert run.stdout == "" and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"simulator: argument {option}: "), lines
    assert words in lines[0]
    assert len(lines[0]) < 600  # a 5,000-character name is not repeated whole
    assert "listen" not in lines[0]  # never blamed on the port


@pytest.mark.slow
def test_worlds_dirs_come_from_the_option_or_the_environment(tmp_path: Path) -> None:
    world = tmp_path / "mine.yaml"
    world.write_text("accounts:\n  - username: a\nlogged_in: a\n", encoding="utf-8")
    for extra, env_value in ((["--worlds-dir", str(tmp_path)], None), ([], f"/tmp{os.pathsep}{tmp_path}")):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("TIKTOK_SIM_WORLDS_DIRS", None)
        if env_value:
            env["TIKTOK_SIM_WORLDS_DIRS"] = env_value  # what the Appium driver passes on from Appium's environment
        process = subprocess.Popen([sys.executable, "-m", "tiktok_promo.simulator", "--port", "0", *extra], cwd=REPO,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = process.stdout.readline().split(" on ", 1)[1].strip()
            driver = webdriver.Remote(url, options=options(world=str(world)))
            assert mobile(driver, "deviceInfo")["world"] == "mine"
            driver.quit()
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()
            process.stderr.close()
