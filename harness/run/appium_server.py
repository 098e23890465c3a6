"""A real Appium 3 server for the test session: the repo's local install, a free port, a captured log.

The server is the one `npm ci` puts in `node_modules/.bin/appium`, with `APPIUM_HOME` in the repo's
ignored `.appium/` folder, where `make node` installs our TikTokSim driver (drivers/appium-tiktok-sim).
It runs in its own process group, so `stop()` also ends any virtual device the driver started, even
after Appium itself was killed.

    with AppiumServer().start() as appium:
        driver = webdriver.Remote(appium.url, options=...)

`python -m tiktok_promo.harness.run.appium_server` runs one in the foreground and prints its URL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import yaml

from tiktok_promo.harness.errors import AppiumNotInstalled, AppiumServerError
from tiktok_promo.harness.run.processes import parent_death_hook, stop_process

__all__ = ["DEFAULT_DRIVERS", "REPO_ROOT", "AppiumServer", "AppiumServerError", "free_port"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DRIVERS: tuple[str, ...] = ("tiktoksim",)
ROOT_ENV = "PROMO_APPIUM_ROOT"  # another directory with the node tools (node_modules/.bin/appium, .appium/)
_POLL_S = 0.1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# A JSON field whose name says it holds a secret ("accessKey": "...", "password": "..."): its value, up to
# the closing quote (an escaped quote \" inside the value is part of it) or the end of a shortened line.
# Group 1 is the name, kept.
_SECRET_FIELD = r'("[a-z_]*(?:access_?key|api_?key|password|passwd|secret|token)"\s*:\s*")(?:[^"\\\n]|\\.)*'
_PREFIX_MIN = 6  # as harness.redact: shorter pieces would mask ordinary words


def _prefix_pattern(secret: str) -> str:
    """A regular expression (JavaScript and Python alike) for the secret or any leading part of it of at least
    _PREFIX_MIN characters: its first characters, then each next one optional only if all before it matched."""
    pattern = ""
    for char in reversed(secret[_PREFIX_MIN:]):
        pattern = f"(?:{re.escape(char)}{pattern})?"
    return re.escape(secret[:_PREFIX_MIN]) + pattern


def _tail(path: Path, lines: int) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if line.strip()][-lines:]


class AppiumServer:
    """One local Appium 3 server process: `start()`, then `url` and `log_path`, then `stop()`."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        appium_home: Path | str | None = None,
        log_path: Path | str | None = None,
        start_timeout: float = 60.0,
        drivers: Sequence[str] = DEFAULT_DRIVERS,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        die_with_parent: bool = True,
        secrets: Sequence[str] = (),
    ) -> None:
        """Describe the server; nothing starts before `start()`.

        root: the directory holding `node_modules/.bin/appium` (default: env PROMO_APPIUM_ROOT, else this
        repo, where `npm ci` puts it).
        port: default a free one. appium_home: default `<root>/.appium`.
        log_path: the server log (default `<root>/reports/appium/appium-<port>.log`).
        drivers: Appium drivers that must be installed in APPIUM_HOME (checked before start).
        extra_args: more `appium server` arguments. env: more environment for the server.
        die_with_parent: (Linux) the server gets SIGTERM when the thread that started it ends, so a
        killed test run leaves no server behind; start it from a thread that lives as long as it should.
        secrets: values Appium must never write to its log (cloud keys that sessions send in capabilities):
        they become `--log-filters` rules, so the log file itself is clean, not just what we attach of it.
        """
        self.root = Path(root or os.environ.get(ROOT_ENV) or REPO_ROOT).resolve()
        self.host = host
        self.requested_port = port
        self.appium_home = Path(appium_home).resolve() if appium_home else self.root / ".appium"
        # Absolute: Appium runs in the repo root, and a relative path would land there.
        self.requested_log = Path(log_path).resolve() if log_path else None
        self.start_timeout = start_timeout
        self.drivers = tuple(drivers)
        self.extra_args = tuple(extra_args)
        self.env = dict(env or {})
        self.die_with_parent = die_with_parent
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self.port: int | None = None
        self.log_path: Path | None = None
        self.console_path: Path | None = None
        self.started_in_s: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # --- what callers read ------------------------------------------------------------------------
    @property
    def binary(self) -> Path:
        """`node_modules/.bin/appium` of the root."""
        return self.root / "node_modules" / ".bin" / "appium"

    @property
    def url(self) -> str:
        """The server's base URL (Appium 3 serves at `/`, no `/wd/hub`)."""
        if self.port is None:
            raise AppiumServerError("The Appium server has not been started; call start() first.")
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The Appium process id while it runs."""
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        """Whether the Appium process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The exit code once the started server has ended on its own (None while it runs, or after stop())."""
        return self._proc.poll() if self._proc is not None else None

    def death_sentence(self) -> str | None:
        """One sentence when the server died during the run (None while it runs or after a clean stop)."""
        code = self.exit_code
        if code is None:
            return None
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        return (f"The Appium server this run started at {self.url} {how} during the run, so no more sessions "
                f"can start; its log is {self.log_path}.")

    def log_size(self) -> int:
        """How many bytes the server log holds now: a mark to read a scenario's part of it later."""
        try:
            return self.log_path.stat().st_size if self.log_path else 0
        except OSError:
            return 0

    def log_since(self, offset: int = 0, max_lines: int = 300) -> str:
        """The log written after `offset` (see log_size), its last `max_lines` lines."""
        if self.log_path is None:
            return ""
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(offset)
                text = handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        lines = text.splitlines()
        return "\n".join(lines[-max_lines:])

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the server log and console output, for an error message."""
        found: list[str] = []
        for path in (self.log_path, self.console_path):
            if path:
                found += _tail(path, lines)
        return "\n".join(found[-lines:])

    # --- life -------------------------------------------------------------------------------------
    def check_installed(self) -> None:
        """Fail with one sentence when node tools or a required driver are missing."""
        if not self.binary.exists():
            raise AppiumNotInstalled(
                f"Appium is not installed: {self.binary} is missing; run `npm ci` (or `make node`) in {self.root}."
            )
        if self.drivers:
            installed = self.installed_drivers()
            missing = [name for name in self.drivers if name not in installed]
            if missing:
                raise AppiumNotInstalled(
                    f"The Appium driver(s) {', '.join(missing)} are not installed in APPIUM_HOME={self.appium_home}; "
                    f"run `make node` in {self.root}."
                )

    def installed_drivers(self) -> set[str]:
        """Names of the drivers in APPIUM_HOME's extension manifest (read without starting node)."""
        manifest = self.appium_home / "node_modules" / ".cache" / "appium" / "extensions.yaml"
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError):
            return set()
        drivers = data.get("drivers") if isinstance(data, dict) else None
        return set(drivers) if isinstance(drivers, dict) else set()

    def start(self) -> AppiumServer:
        """Start the server and wait until `/status` says ready; returns self.

        A port taken between choosing and binding is retried with another free port.
        """
        self.check_installed()
        attempts = 1 if self.requested_port else 3
        for attempt in range(attempts):
            try:
                self._start_once(self.requested_port or free_port(self.host))
                return self
            except AppiumServerError as error:
                if attempt + 1 < attempts and "EADDRINUSE" in str(error):
                    continue
                raise
        raise AssertionError("unreachable")

    def _start_once(self, port: int) -> None:
        self.port = port
        log_path = self.requested_log or self.root / "reports" / "appium" / f"appium-{port}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.unlink(missing_ok=True)
        self.log_path = log_path
        self.console_path = log_path.with_suffix(".console.log")
        self.appium_home.mkdir(parents=True, exist_ok=True)
        filters_dir = self._log_filters()
        env = {
            **os.environ,
            "APPIUM_HOME": str(self.appium_home),
            "TIKTOK_SIM_ROOT": str(REPO_ROOT),  # the virtual device is this repo's, wherever Appium comes from
            **self.env,
        }
        env.setdefault("TIKTOK_SIM_PYTHON", sys.executable)
        cmd = [
            str(self.binary), "server",
            "--address", self.host,
            "--port", str(port),
            "--log", str(log_path),
            "--log-no-colors",
            "--log-timestamp",
            "--log-level", "warn:debug",
            *(["--log-filters", str(filters_dir / "log-filters.json")] if filters_dir else []),
            *self.extra_args,
        ]
        started = time.monotonic()
        with self.console_path.open("wb") as console:
            self._proc = subprocess.Popen(
                cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=console,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=parent_death_hook() if self.die_with_parent else None,
            )
        try:
            self._wait_ready(started + self.start_timeout)
        except AppiumServerError:
            self.stop()
            raise
        finally:
            if filters_dir:  # Appium has read it at start-up; the secrets must not stay on disk
                shutil.rmtree(filters_dir, ignore_errors=True)
        self.started_in_s = time.monotonic() - started

    def _log_filters(self) -> Path | None:
        """A private directory with Appium's log-filter rules for the secrets (None when there are none).

        Appium shortens long log lines (the capabilities of a new session) before it filters them, so a
        secret cut by the "…" would slip past a plain text rule: each secret's rule also matches any
        leading part of it, and a second rule masks the value of any secret-named JSON field.
        """
        if not self.secrets:
            return None
        folder = Path(tempfile.mkdtemp(prefix="appium-filters-"))  # mode 0700: only this user reads it
        # Appium writes capabilities as JSON: a key with a quote, a backslash or a non-ASCII letter is escaped there.
        # One rule per secret: its whole forms first (a regular expression takes the first alternative that
        # matches, and a leading part of one form would cut another short), then the leading parts.
        rules = []
        for secret in self.secrets:
            forms = sorted({secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]},
                           key=len, reverse=True)
            whole = "|".join(re.escape(form) for form in forms)
            parts = "|".join(_prefix_pattern(form) for form in forms)
            rules.append({"pattern": f"(?:{whole}|{parts})", "replacer": "***"})
        rules.append({"pattern": _SECRET_FIELD, "flags": "i", "replacer": "$1***"})
        path = folder / "log-filters.json"
        path.touch(mode=0o600)
        path.write_text(json.dumps(rules), encoding="utf-8")
        return folder

    def _wait_ready(self, deadline: float) -> None:
        pause = threading.Event()
        last_error = "no answer yet"
        while True:
            code = self._proc.poll() if self._proc else None
            if code is not None:
                raise AppiumServerError(
                    f"The Appium server exited with code {code} while starting; last log lines:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/status", timeout=2) as response:
                    body = json.loads(response.read().decode("utf-8"))
                if body.get("value", {}).get("ready"):
                    return
                last_error = f"/status says not ready: {body.get('value')}"
            except (OSError, ValueError) as error:
                last_error = str(getattr(error, "reason", error))
            if time.monotonic() >= deadline:
                raise AppiumServerError(
                    f"The Appium server at {self.url} was not ready within {self.start_timeout:g} s ({last_error}); "
                    f"last log lines:\n{self.log_tail()}"
                )
            pause.wait(_POLL_S)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (Appium ends its sessions, the driver stops its devices), SIGKILL after `timeout`.

        Whatever is left in the server's process group (a device whose Appium was killed) is killed too.
        """
        proc, self._proc = self._proc, None
        stop_process(proc, timeout)

    def __enter__(self) -> AppiumServer:
        return self if self._proc else self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Run a server with our driver until Ctrl+C; print its URL and log path."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tiktok_promo.harness.run.appium_server", description=main.__doc__)
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    args = parser.parse_args(argv)
    server = AppiumServer(port=args.port)
    try:
        server.start()
    except AppiumServerError as error:
        print(f"appium: {error}", file=sys.stderr)
        return 2
    print(f"Appium 3 listening on {server.url} (log: {server.log_path})", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        while not stopping.wait(1.0) and server.running:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
