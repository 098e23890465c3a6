"""A stand-in adb server speaking the adb client protocol over TCP, for device discovery tests.

It answers what `adbutils` asks for `promo devices`: the server version, the device list (`devices-l`),
a transport to one device and one shell command on it (getprop). Anything else is a FAIL.
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
        phones = {p.serial: p for p in self.server.phones}
        command = self._command()
        if command == "host:version":
            self.request.sendall(b"OKAY" + _block("0029"))
        elif command in ("host:devices", "host:devices-l"):
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
            if shell.startswith("shell:getprop"):
                self.request.sendall(b"OKAY" + f"{phone.model}\n{phone.android}\n".encode())
            else:
                self.request.sendall(b"FAIL" + _block(f"unsupported: {shell}"))
        else:
            self.request.sendall(b"FAIL" + _block(f"unsupported: {command}"))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    phones: list[FakePhone]


class FakeAdbServer:
    """`with FakeAdbServer([FakePhone("R58M123")]) as adb:` then ANDROID_ADB_SERVER_PORT=adb.port."""

    def __init__(self, phones: list[FakePhone]) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.phones = phones
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
