"""Secrets out of what people and files see: values of secret-looking settings are masked.

Cloud keys and passwords reach the harness through the environment (and from there a profile's
${NAME} references). An error text from a server may echo one back; everything the `promo` command
prints or records goes through `Redactor.clean` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Names of settings that hold secrets: SAUCE_ACCESS_KEY, BROWSERSTACK_KEY, accessKey, API_TOKEN, password...
# (not every name with "key" or "pwd" in it: PWD is the working directory, KEYBOARD a layout).
_SECRET_NAME = re.compile(r"(secret|token|passw|credential|access_?key|api_?key|private_?key|(^|[_.:])key$)",
                          re.IGNORECASE)
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
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


class Redactor:
    """Masks known secret values and the user:password part of URLs in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    @classmethod
    def from_sources(cls, env: Mapping[str, str], capabilities: Mapping[str, Any] | None = None) -> Redactor:
        """Secrets are the values of environment variables and capabilities with secret-looking names."""
        return cls(_secret_values(env.items()) | _secret_values((capabilities or {}).items()))

    def clean(self, text: str) -> str:
        text = _URL_CREDENTIALS.sub(lambda m: m.group("scheme"), text)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
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
