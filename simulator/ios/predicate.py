"""placeholder"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.errors import InvalidSelector


def compile_predicate(text: str, wda: bool = False) -> Callable[[Any], bool]:
    raise InvalidSelector(f"Unable to parse the format string \"{text}\"")
