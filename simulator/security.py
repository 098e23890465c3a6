"""Insecure features as Appium 3 gates them: named `<automation>:<feature>` (or `*:<feature>`), allowed one by one
with --allow-insecure or all at once with --relaxed-security, and refused with base-driver's sentence otherwise.

A phone run puts these switches on Appium's command line; the virtual device takes the same ones, so a suite that
calls `mobile: shell` or lists sessions fails here as it would there (appium/appium packages/base-driver
lib/basedriver/core.ts, isFeatureEnabled and assertFeatureEnabled).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tiktok_promo.simulator.errors import UnknownError

ADB_SHELL = "adb_shell"  # appium-android-driver lib/utils.ts
GET_SERVER_LOGS = "get_server_logs"  # appium-android-driver lib/utils.ts
SESSION_DISCOVERY = "session_discovery"  # appium/appium packages/appium/lib/constants.ts
ALL_DRIVERS = "*"


class FeatureNameError(ValueError):
    """An --allow-insecure / --deny-insecure name without the automation name Appium 3 requires."""


def parse_feature_names(text: str | Iterable[str]) -> frozenset[tuple[str, str]]:
    """`uiautomator2:adb_shell,*:session_discovery` as (automation, feature) pairs; a bare name is refused as
    Appium 3 refuses it at start-up."""
    names = [part.strip() for part in text.split(",")] if isinstance(text, str) else [n.strip() for n in text]
    pairs = set()
    for name in filter(None, names):
        automation, colon, feature = name.partition(":")
        if not colon or not automation or not feature:
            raise FeatureNameError(
                f"{name[:80]!r} is not an insecure feature name: write it as <automation name>:<feature>, "
                f"e.g. uiautomator2:{ADB_SHELL} or *:{ADB_SHELL}"
            )
        pairs.add((automation.lower(), feature))
    return frozenset(pairs)


@dataclass(frozen=True)
class InsecureFeatures:
    """Which insecure features the device's operator allowed (or denied), as Appium's command line says."""

    allowed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    denied: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    relaxed: bool = False

    def enabled(self, name: str, automation: str = "uiautomator2") -> bool:
        """Denied beats allowed, allowed beats relaxed; otherwise off (base-driver isFeatureEnabled)."""
        def matches(pairs: frozenset[tuple[str, str]]) -> bool:
            return any(who in (automation.lower(), ALL_DRIVERS) and what == name for who, what in pairs)

        if matches(self.denied):
            return False
        return matches(self.allowed) or self.relaxed

    def require(self, name: str, automation: str = "uiautomator2") -> None:
        """Refuse with base-driver's assertFeatureEnabled sentence (a plain Error: W3C `unknown error`)."""
        if not self.enabled(name, automation):
            raise UnknownError(
                "An unknown server-side error occurred while processing the command. Original error: "
                f"Potentially insecure feature '{name}' has not been enabled. If you want to enable this feature "
                "and accept the security ramifications, please do so by following the documented instructions "
                "at http://appium.io/docs/en/latest/guides/security/"
            )
