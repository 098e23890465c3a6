"""The virtual device's HTTP wire: requests read within limits, strict JSON, a W3C answer to every refusal.

A phone run puts Appium 3 (Node's HTTP server, then Express with body-parser) in front of UiAutomator2, so
the limits and statuses here are that server's: a request line and headers of at most 16 KiB together (Node's
`--max-http-header-size`), 431 when they are longer, 400 for a request Node cannot parse, 404 `unknown
command` for a method or path no route has, `invalid argument` for a body that is not JSON. Where Node
answers with an empty body, the device answers with the W3C error JSON instead, so a client always gets
the shape it parses. A client's mistake is one line in the log at INFO, never a traceback.
"""

from __future__ import annotations

import email.parser
import json
import logging
import math
import re
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tiktok_promo.simulator.errors import (
    InvalidArgument,
    LostAnswer,
    Refusal,
    UnknownCommand,
    UnknownError,
    WebDriverError,
)

log = logging.getLogger("simulator")

MAX_HEADER_BYTES = 16 * 1024  # Node's default max-http-header-size: the request line and headers together
MAX_HEADERS = 2000  # Node's default server.maxHeadersCount
MAX_BODY_BYTES = 16 * 1024 * 1024  # WebDriver requests are small; Appium's own limit (1 GB) is for pushFile
MAX_JSON_DEPTH = 100  # the deepest W3C body (actions) nests 6 levels; Python's parser gives up near 1,000
LISTEN_BACKLOG = 511  # Node's default backlog for server.listen (socketserver's default of 5 resets clients)
CONNECTION_TIMEOUT = 60.0  # seconds a connection may stay silent (between requests, or inside one)
# RFC 9110's methods: Node parses them and Express answers those no route has with 404 `unknown command`.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(r"HTTP/[0-9]\.[0-9]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CHUNK_LINE_BYTES = 1024

Dispatch = Callable[[str, str, Any], tuple[int, Any]]


def _bad_request(message: str, status: int = 400) -> Refusal:
    return Refusal(InvalidArgument(message), status)


def _cut(text: str, limit: int = 80) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


# --- JSON -------------------------------------------------------------------------------------------
def _no_constant(name: str) -> Any:
    raise InvalidArgument(f"The request body is not valid JSON: {name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidArgument(f"The request body has the number {_cut(text, 40)}, too large to be a finite number")
    return value


def _bounded_int(text: str) -> int:
    # float() of a huge digit string is inf at once; int() of one over 4,300 digits would raise ValueError.
    if not math.isfinite(float(text)):
        raise InvalidArgument(f"The request body has the number {_cut(text, 40)}, too large to be a finite number")
    return int(text)


def _check_values(value: Any) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and strings with a lone UTF-16 surrogate (not a character:
    it cannot be written as UTF-8, so no page source, log or XPath engine can hold it)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                raise InvalidArgument("The request body has a string with a lone UTF-16 surrogate (such as \\ud800), "
                                      "which is not a character")
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise InvalidArgument(f"The request body nests more than {MAX_JSON_DEPTH} levels deep")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def parse_body(raw: bytes) -> Any:
    """The JSON of a request body ({} when empty), refusing what JSON does not allow: NaN, Infinity, numbers
    beyond a double (Node reads 1e999 as Infinity), invalid UTF-8, deep nesting, lone surrogates."""
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidArgument(f"The request body is not UTF-8 text (the byte at offset {error.start} is not)") from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise InvalidArgument(f"The request body is not valid JSON: {error.msg} at line {error.lineno}, "
                              f"column {error.colno}") from None
    except RecursionError:
        raise InvalidArgument(f"The request body nests more than {MAX_JSON_DEPTH} levels deep") from None
    _check_values(value)
    return value


def encode_answer(payload: Any) -> bytes:
    """The JSON of an answer; NaN or an infinity in it is our bug, never sent (json.dumps would write `NaN`)."""
    return json.dumps(payload, allow_nan=False).encode("utf-8")


# --- HTTP -------------------------------------------------------------------------------------------
class DeviceHttpServer(ThreadingHTTPServer):
    """The listening socket: a thread per connection, a backlog that holds a burst of clients, and
    connection errors (a client gone mid-answer) logged as one line, not printed as tracebacks."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], dispatch: Dispatch,
                 connection_timeout: float = CONNECTION_TIMEOUT, allow_cors: bool = False) -> None:
        self.dispatch = dispatch
        self.connection_timeout = connection_timeout
        self.allow_cors = allow_cors
        super().__init__(address, DeviceRequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("connection from %s ended: %s", client_address, error)
            return
        log.exception("unexpected error on the connection from %s", client_address)


class DeviceRequestHandler(BaseHTTPRequestHandler):
    """One connection: reads requests within the limits above and answers each with W3C JSON."""

    protocol_version = "HTTP/1.1"  # keep-alive: the client's connection pool reuses one socket
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    server: DeviceHttpServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.connection_timeout)  # a silent client (half-open) is let go

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def handle_one_request(self) -> None:
        self.command, self.request_version, self.requestline = "", "HTTP/1.1", ""
        try:
            self.raw_requestline = self.rfile.readline(MAX_HEADER_BYTES + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if self.raw_requestline in (b"\r\n", b"\n"):
                return  # RFC 9112 section 2.2: an empty line before a request line is ignored
            try:
                method, body = self._read_request()
            except Refusal as refusal:
                log.info("refused a request from %s: %s", self.address_string(), refusal.error.message)
                self._answer(refusal.status, refusal.error.to_json(), close=refusal.close)
                return
            self._serve(method, body)
        except (ConnectionError, TimeoutError) as error:
            log.debug("connection from %s ended: %s", self.address_string(), error)
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Only the standard library's own checks call this (the request reading above does not): W3C JSON too.
        self._answer(code, InvalidArgument(message or "The request cannot be served").to_json(), close=True)

    # --- reading --------------------------------------------------------------------------------
    def _read_request(self) -> tuple[str, bytes]:
        line = self.raw_requestline
        if len(line) > MAX_HEADER_BYTES:
            raise _bad_request(f"The request line is longer than {MAX_HEADER_BYTES:,} bytes", 431)
        if not line.endswith(b"\n"):
            raise ConnectionResetError("the client closed the connection inside the request line")
        text = line.decode("iso-8859-1").rstrip("\r\n")
        self.requestline = text[:200]
        words = text.split(" ")
        if len(words) != 3 or not _TOKEN.fullmatch(words[0]) or not _VERSION.fullmatch(words[2]):
            raise _bad_request(f"{_cut(text)} is not an HTTP request line such as 'GET /status HTTP/1.1'")
        method, target, version = words
        self.command, self.path, self.request_version = method, target, version
        if version not in ("HTTP/1.0", "HTTP/1.1"):
            raise _bad_request(f"{version} is not spoken here; the device speaks HTTP/1.1", 505)
        if method not in HTTP_METHODS:
            raise _bad_request(f"{_cut(method, 40)} is not an HTTP method")
        self.headers = self._read_headers(MAX_HEADER_BYTES - len(line))
        connection = self.headers.get("Connection", "").lower()
        self.close_connection = connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive")
        return method, self._read_body()

    def _read_headers(self, budget: int) -> Any:
        lines: list[bytes] = []
        while True:
            raw = self.rfile.readline(budget + 1)
            budget -= len(raw)
            if budget < 0:
                raise _bad_request(f"The request line and headers are longer than {MAX_HEADER_BYTES:,} bytes", 431)
            if not raw.endswith(b"\n"):
                raise ConnectionResetError("the client closed the connection inside the headers")
            if raw in (b"\r\n", b"\n"):
                break
            lines.append(raw)
            if len(lines) > MAX_HEADERS:
                raise _bad_request(f"The request has more than {MAX_HEADERS:,} headers", 431)
        return email.parser.Parser(_class=self.MessageClass).parsestr(b"".join(lines).decode("iso-8859-1"))

    def _read_body(self) -> bytes:
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        coding = ",".join(self.headers.get_all("Transfer-Encoding") or []).strip().lower()
        if coding and lengths:
            raise _bad_request("The request has both Content-Length and Transfer-Encoding; send one")
        if coding:
            if coding != "chunked":
                raise _bad_request(f"Transfer-Encoding {_cut(coding, 40)} is not supported; send chunked or none")
            return self._read_chunked()
        if not lengths:
            return b""
        if len(lengths) > 1 or not all(value.isdigit() and value.isascii() for value in lengths):
            raise _bad_request(f"Content-Length {_cut(', '.join(sorted(lengths)), 40)} is not a number of bytes")
        length = int(lengths.pop())
        self._refuse_if_too_large(length)
        if self.headers.get("Expect", "").lower() == "100-continue":
            self.send_response_only(100)
            self.end_headers()
        body = self.rfile.read(length)
        if len(body) < length:
            raise ConnectionResetError("the client closed the connection inside the body")
        return body

    def _refuse_if_too_large(self, length: int) -> None:
        if length > MAX_BODY_BYTES:
            # Appium's body-parser refuses an oversized body before reading it, and its last error handler
            # turns that into a W3C `unknown error` (500): appium/appium packages/base-driver/lib/express/
            # server.ts (bodyParser.json limit) and middleware.ts (catchAllHandler).
            raise Refusal(UnknownError(f"request entity too large: {length:,} bytes; the device reads at most "
                                       f"{MAX_BODY_BYTES:,}"))

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(_CHUNK_LINE_BYTES + 1)
            if not size_line.endswith(b"\n"):
                if len(size_line) > _CHUNK_LINE_BYTES:
                    raise _bad_request("A chunk size line of the request body is too long")
                raise ConnectionResetError("the client closed the connection inside the body")
            size_text = size_line.split(b";", 1)[0].strip()
            if not size_text or not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
                raise _bad_request(f"{_cut(size_text.decode('iso-8859-1'), 40)} is not a chunk size")
            size = int(size_text, 16)
            if size == 0:
                self._read_headers(MAX_HEADER_BYTES)  # the trailer, bounded like the headers
                return b"".join(chunks)
            total += size
            self._refuse_if_too_large(total)
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _bad_request("A chunk of the request body does not end where its size says")
            chunks.append(chunk)

    # --- answering ------------------------------------------------------------------------------
    def _serve(self, method: str, raw: bytes) -> None:
        head = method == "HEAD"  # as Express does: HEAD runs the GET route and sends its headers only
        if method == "OPTIONS" and self.server.allow_cors:
            # base-driver lib/express/middleware.ts allowCrossDomain: every preflight is 200 `OK`, before any route
            self.send_response(200)
            self._cors_headers()
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")
            self.wfile.flush()
            return
        try:
            body = parse_body(raw)
            status, value = self.server.dispatch("GET" if head else method, self.path, body)
            payload = {"value": value}
        except LostAnswer:  # sim:faults lost_answers: the command ran, and no answer is ever sent
            self.close_connection = True  # closed unanswered: the client cannot know whether the command ran
            return
        except WebDriverError as error:
            if isinstance(error, InvalidArgument | UnknownCommand):
                log.info("%s %s from %s: %s", method, _cut(self.path), self.address_string(), error.message)
            status, payload = error.status, error.to_json()
        except RecursionError:
            deep = InvalidArgument(f"The request body nests more than {MAX_JSON_DEPTH} levels deep")
            status, payload = deep.status, deep.to_json()
        except Exception as error:  # a bug of ours: answer like Appium does, and keep serving
            log.exception("unexpected error serving %s %s", method, _cut(self.path))
            wrapped = UnknownError(f"An unknown server-side error occurred while processing the command: {error}")
            status, payload = wrapped.status, wrapped.to_json()
        self._answer(status, payload, head=head)

    def _cors_headers(self) -> None:
        """With --allow-cors, the headers Appium's allowCrossDomain sets on every answer."""
        if self.server.allow_cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS, DELETE")
            self.send_header("Access-Control-Allow-Headers", "Cache-Control, Pragma, Origin, X-Requested-With, "
                             "Content-Type, Accept, User-Agent")

    def _answer(self, status: int, payload: Any, head: bool = False, close: bool = False) -> None:
        try:
            data = encode_answer(payload)
        except (ValueError, TypeError, RecursionError) as error:
            log.exception("an answer could not be written as JSON")
            status = 500
            data = encode_answer(UnknownError(f"An unknown server-side error occurred: the answer is not JSON "
                                              f"({error})").to_json())
        self.send_response(status)
        self._cors_headers()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(data)
        self.wfile.flush()
