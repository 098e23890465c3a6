"""placeholder"""
from __future__ import annotations

from typing import Any

from simulator.errors import InvalidSelector


def find(text: str, root: Any) -> list[Any]:
    raise InvalidSelector(f"Invalid class chain query \"{text}\"")
