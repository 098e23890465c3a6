"""Secrets out of what people and files see: values of secret-looking settings are masked.

Cloud keys and passwords reach the harness through the environment (and from there a profile's
${NAME} references). An error text from a server may echo one back, as it is or encoded: a server
that echoes request headers sends `Authorization: Basic <base64 of user:secret>`, a URL carries it
percent-encoded. Everything the `promo` command prints or records goes through `Redactor.clean` first,
which masks every secret it knows in each of those forms, and the credentials of any URL and any
Authorization header, in time linear in the text (a 100,000-character title is an ordinary input).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

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
        elif isinstance(value, str) and _SECRET_NAME.search(name) and len(value) >= _MIN_LENGTH:
            found.add(value)
    return found


def encoded_forms(secret: str) -> set[str]:
    """The ways a secret shows up in text besides itself: percent-encoded, and inside base64.

    Inside a longer base64 text (user:secret) the secret's characters depend on where it starts modulo 3;
    for each of the three places, the groups made only of the secret's bytes are the same wherever the
    text around it changes, so those are what is masked (an edge byte or two may stay, not the secret).
    """
    forms = {quote(secret, safe=""), quote_plus(secret, safe="")}
    data = secret.encode("utf-8")
    for offset in range(3):
        lead = (3 - offset) % 3  # the secret's bytes that share a group with what comes before it
        whole = (len(data) - lead) // 3 * 3
        if whole >= 3:
            core = base64.b64encode(data[lead:lead + whole]).decode("ascii")
            forms |= {core, core.replace("+", "-").replace("/", "_")}
    forms.discard(secret)
    return {form for form in forms if len(form) >= 4}


class Redactor:
    """Masks known secret values (also percent-encoded and in base64), the user:password part of URLs and
    the credentials of Authorization headers, in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        known = {s for s in secrets if s}
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted(known, key=len, reverse=True)
        self._forms = sorted(known | {form for s in known for form in encoded_forms(s)}, key=len, reverse=True)

    @classmethod
    def from_sources(cls, env: Mapping[str, str], capabilities: Mapping[str, Any] | None = None) -> Redactor:
        """Secrets are the values of environment variables and capabilities with secret-looking names."""
        return cls(_secret_values(env.items()) | _secret_values((capabilities or {}).items()))

    def clean(self, text: str) -> str:
        text = _URL_CREDENTIALS.sub(lambda m: m.group("scheme"), text)
        text = _AUTH_HEADER.sub(lambda m: m.group("name") + MASK, text)
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
