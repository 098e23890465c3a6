"""What a session counts of itself: commands by route, the server's time on them, injected delays."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


class Stats:
    """Commands served by route, and the time the server spent on them (latency faults apart)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.server_seconds: dict[str, float] = defaultdict(float)
        self.injected_latency = 0.0
        self.idle_wait = 0.0  # seconds the server waited for the app to be idle (waitForIdleTimeout)
        # Time finds spent polling under the implicit wait for what was not on screen (yet): on a phone each
        # such find costs up to the whole implicit wait, so a harness that looks for what is absent shows here.
        self.find_wait = 0.0

    def record(self, route: str, seconds: float) -> None:
        self.counts[route] += 1
        self.server_seconds[route] += seconds

    def to_json(self) -> dict[str, Any]:
        total = sum(self.counts.values())
        return {
            "commands": total,
            "by_route": dict(sorted(self.counts.items())),
            "server_ms": round(sum(self.server_seconds.values()) * 1000, 3),
            "server_ms_by_route": {k: round(v * 1000, 3) for k, v in sorted(self.server_seconds.items())},
            "injected_latency_ms": round(self.injected_latency * 1000, 3),
            "idle_wait_ms": round(self.idle_wait * 1000, 3),
            "find_wait_ms": round(self.find_wait * 1000, 3),
        }
