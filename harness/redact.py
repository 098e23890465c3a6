"""Secrets out of what people and files see: values of secret-looking settings are masked.

Cloud keys and passwords reach the harness through the environment (and from there a profile's
${NAME} references). An error text from a server may echo one back, as it is or encoded: a server
that echoes request headers sends `Authorization: Basic <base64 of user:secret>`, a URL carries it
percent-encoded, a JSON answer escapes its quotes and backslashes (and non-ASCII letters as \\u00e9),
and that answer quoted in our own JSON (the audit log, Allure results) escapes them again.
Everything the `promo` command prints or records goes through `Redactor.clean` first, which masks
every secret it knows in each of those forms, and the credentials of any URL and any Authorization
header, in time linear in the text (a 100,000-character title is an ordinary input).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

# Names of settings that hold secrets: SAUCE_ACCESS_KEY, BROWSERSTACK_KEY, accessKey, API_TOKEN, password...
# (not every name with "key" or "pwd" in it: PWD is the working directory, KEYBOARD a layout).
_SECRET_NAME = re.compile(r"(secret|token|passw|credential|access_?key|api_?key|private_?key|(^|[_.:])key$)",
                          re.IGNORECASE)
# The scheme must start where a run of scheme characters starts (the look-behind): tried at every letter of
# a long word, `[a-z][a-z0-9+.-]*://` would scan to the word's end each time, quadratic in its length.
_URL_CREDENTIALS = re.compile(r"(?<![a-z0-9+.-])(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@",
                              re.IGNORECASE)
# An Authorization (or Proxy-Authorization) header's credentials, whoever's they are.
_AUTH_HEADER = re.compile(r"(?P<name>authorization[\"']?\s*[:=]\s*[\"']?(?:basic|bearer|digest|token)\s+)"
                          r"[A-Za-z0-9+/=._~-]+", re.IGNORECASE)
MASK = "***"
_MIN_LENGTH = 6  # shorter values would mask ordinary words


def _secret_values(items: Iterable[tuple[str, Any]]) -> set[str]:
    found: set[str] = set()
    for name, value in items:
        if isinstance(value, Mapping):
            found |= _secret_values(value.items())
        elif isinstance(value, str):
            if _SECRET_NAME.search(name) and len(value) >= _MIN_LENGTH:
                found.add(value)
            password = _url_password(value)
            if password is not None and len(password) >= _MIN_LENGTH:
                found.add(password)  # APPIUM_URL=https://user:key@hub/...: a server may echo the key alone
    return found


def _url_password(value: str) -> str | None:
    if "://" not in value or "@" not in value:
        return None
    try:
        password = urlsplit(value.strip()).password
    except ValueError:
        return None
    return unquote(password) if password else None


def _lower_percent(forms: set[str]) -> set[str]:
    """The same texts with their %xx hex digits in lower case too (both are written in the wild)."""
    return forms | {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), form) for form in forms}


def _hex_digits(value: int, width: int) -> str:
    return "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{value:0{width}x}")


def _escaped_char(char: str, after_backslashes: bool) -> str:
    """A regular expression for one character of a secret as JSON or Python writes it inside a string, at any
    depth (a JSON answer quoted in a JSON line, quoted again): each escape may gain backslashes, never lose one.

    Every run of backslashes is taken whole (possessive) and an escaped form starts only where no backslash
    precedes it, so a long run of backslashes in a text costs one pass, not one pass per position.
    """
    # After a run of the secret's own backslashes, that run has taken this escape's backslashes too.
    backslashes = "" if after_backslashes else r"(?<!\\)\\++"
    code = ord(char)
    if char == "\\":
        return backslashes
    escapes = []
    if char in "\"'/":
        escapes.append(backslashes + re.escape(char))
    if char in "\n\r\t\b\f":
        escapes.append(backslashes + {"\n": "n", "\r": "r", "\t": "t", "\b": "b", "\f": "f"}[char])
    if code < 0x20 or code > 0x7E:
        if code <= 0xFFFF:
            escapes.append(backslashes + "u" + _hex_digits(code, 4))
        else:  # JSON writes a surrogate pair, Python \U0001f600
            high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
            escapes.append(backslashes + "u" + _hex_digits(high, 4) + r"\\++u" + _hex_digits(low, 4))
            escapes.append(backslashes + "U" + _hex_digits(code, 8))
        if code <= 0xFF:
            escapes.append(backslashes + "x" + _hex_digits(code, 2))
    return f"(?:{'|'.join([re.escape(char), *escapes])})" if escapes else re.escape(char)


def escaped_pattern(secret: str) -> str:
    """A regular expression for the secret as it is and escaped inside JSON or Python strings, once or many
    times over (a server's JSON answer in our JSON audit line): `"` as `\\"` or `\\\\\\"`, `\\` as `\\\\`,
    `é` as `\\u00e9` or `\\u00E9`, `/` as `\\/`."""
    pattern, rest = "", secret
    while rest:
        if rest[0] == "\\":  # a run of backslashes in the secret: at least as many in any escaped form
            run = len(rest) - len(rest.lstrip("\\"))
            pattern += rf"(?<!\\)\\{{{run},}}+"
            rest = rest[run:]
        else:
            pattern += _escaped_char(rest[0], after_backslashes=pattern.endswith("}+"))
            rest = rest[1:]
    return pattern


def encoded_forms(secret: str) -> set[str]:
    """The ways a secret shows up in text that escaped_pattern does not cover: percent-encoded (as Python and
    as JavaScript encode a URL part, %20 and +), XML-escaped, in hex, and inside base64.

    Inside a longer base64 text (user:secret) the secret's characters depend on where it starts modulo 3;
    for each of the three places, the groups made only of the secret's bytes are the same wherever the
    text around it changes, so those are what is masked (an edge byte or two may stay, not the secret).
    """
    forms = _lower_percent({quote(secret, safe=""), quote(secret), quote(secret, safe="!'()*~"),
                            quote_plus(secret, safe=""), quote_plus(secret)})
    forms |= {escape(secret, quote=False), escape(secret),
              secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")}
    data = secret.encode("utf-8")
    forms |= {data.hex(), data.hex().upper()}
    for offset in range(3):
        lead = (3 - offset) % 3  # the secret's bytes that share a group with what comes before it
        whole = (len(data) - lead) // 3 * 3
        if whole >= 3:
            core = base64.b64encode(data[lead:lead + whole]).decode("ascii")
            forms |= {core, core.replace("+", "-").replace("/", "_")}
    forms.discard(secret)
    return {form for form in forms if len(form) >= 4}


class Redactor:
    """Masks known secret values (as they are and in every form of encoded_forms), the user:password part
    of URLs and the credentials of Authorization headers, in any text.

    Values shorter than 6 characters are not secrets it can mask: every "abc" of every text would go.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        known = {s for s in secrets if s and len(s) >= _MIN_LENGTH}
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted(known, key=len, reverse=True)
        self._forms = sorted({form for s in known for form in encoded_forms(s)}, key=len, reverse=True)
        # One pass for the secrets as they are and escaped at any depth; the longest first, as above.
        self._escaped = re.compile("|".join(escaped_pattern(s) for s in self.secrets)) if known else None

    @classmethod
    def from_sources(cls, env: Mapping[str, str], capabilities: Mapping[str, Any] | None = None) -> Redactor:
        """Secrets are the values of environment variables and capabilities with secret-looking names."""
        return cls(_secret_values(env.items()) | _secret_values((capabilities or {}).items()))

    def clean(self, text: str) -> str:
        text = _URL_CREDENTIALS.sub(lambda m: m.group("scheme"), text)
        text = _AUTH_HEADER.sub(lambda m: m.group("name") + MASK, text)
        if self._escaped is not None:
            text = self._escaped.sub(MASK, text)
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def clean_data(self, value: Any) -> Any:
        """The same for plain JSON-like data (audit entries, result files)."""
        if isinstance(value, str):
            return self.clean(value)
        if isinstance(value, Mapping):
            return {k: self.clean_data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.clean_data(v) for v in value]
        return value


def redact_url(url: str) -> str:
    """The URL with any user:password removed."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
