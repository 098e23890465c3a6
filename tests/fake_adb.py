"""A stand-in adb server speaking the adb client protocol over TCP, for device discovery tests.

It answers what `adbutils` asks for `promo devices` and `promo doctor`: the server version, the device list
(`devices-l`), a transport to one device and the shell commands they run on it (getprop for the list; the
doctor's one-line read of version, screen, lock, locale and the app's versionName). Anything else is a FAIL.
"""

from __future__ import annotations

import socketserver
import struct
import threading
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class FakePhone:
    serial: str
    state: str = "device"
    model: str = "Pixel 7"
    android: str = "14"
    api_level: str = "34"
    screen: str = "1080x2400"
    locked: bool = False
    locale: str = "en-US"
    apps: tuple[tuple[str, str], ...] = (("com.zhiliaoapp.musically", "47.0.3"),)  # (package, versionName)

    def doctor_answer(self, command: str) -> str:
        """What a phone prints for the doctor's shell line (getprops, wm size, dumpsys window, dumpsys package)."""
        lines = [self.android, self.api_level, self.model, self.locale, "", "--wm", f"Physical size: {self.screen}",
                 "--lock", f"    mDreamingLockscreen={str(self.locked).lower()}"]
        if "--app" in command:
            lines.append("--app")
            lines += [f"    versionName={version}" for package, version in self.apps
                      if f"dumpsys package {package} " in command]
        return "\n".join(lines) + "\n"


def _block(text: str) -> bytes:
    data = text.encode()
    return f"{len(data):04x}".encode() + data


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def _command(self) -> str:
        head = self._read(4)
        return self._read(int(head, 16)).decode() if head else ""

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                return data
            data += chunk
        return data

    def handle(self) -> None:
        command = self._command()
        listing = command in ("host:devices", "host:devices-l")
        phones = {p.serial: p for p in (self.server.current_phones() if listing else self.server.phones)}
        if command == "host:version":
            self.request.sendall(b"OKAY" + _block("0029"))
        elif command in ("host:devices", "host:devices-l"):
            self.server.listings += 1
            lines = [f"{p.serial}\t{p.state} product:x model:{p.model.replace(' ', '_')} device:y transport_id:{i}"
                     for i, p in enumerate(phones.values(), start=1)]
            self.request.sendall(b"OKAY" + _block("".join(line + "\n" for line in lines)))
        elif command.startswith("host:tport:serial:"):
            phone = phones.get(command.removeprefix("host:tport:serial:"))
            if phone is None:
                self.request.sendall(b"FAIL" + _block("device not found"))
                return
            self.request.sendall(b"OKAY" + struct.pack("<q", 1))
            shell = self._command()
            if "wm size" in shell:
                self.request.sendall(b"OKAY" + phone.doctor_answer(shell).encode())
            elif shell.startswith("shell:getprop"):
                self.request.sendall(b"OKAY" + f"{phone.model}\n{phone.android}\n".encode())
            else:
                self.request.sendall(b"FAIL" + _block(f"unsupported: {shell}"))
        else:
            self.request.sendall(b"FAIL" + _block(f"unsupported: {command}"))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    phones: list[FakePhone]
    vanish_after: int | None = None  # the phones are unplugged after this many device listings
    listings = 0

    def current_phones(self) -> list[FakePhone]:
        gone = self.vanish_after is not None and self.listings >= self.vanish_after
        return [] if gone else self.phones


class FakeAdbServer:
    """`with FakeAdbServer([FakePhone("R58M123")]) as adb:` then ANDROID_ADB_SERVER_PORT=adb.port."""

    def __init__(self, phones: list[FakePhone], vanish_after: int | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.phones = phones
        self._server.vanish_after = vanish_after
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> FakeAdbServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
