"""The `mobile:` execute methods of a session: a table of handlers with their arguments, as Appium drivers keep.

Each driver declares its methods with required and optional arguments (an execute-method map); the base driver
refuses a missing argument, drops unknown ones, and for an unknown name suggests the nearest one. Only the table
and the driver's name differ between platforms.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tiktok_promo.simulator.elements import element_id_of
from tiktok_promo.simulator.errors import InvalidArgument, UnknownMethod, UnsupportedOperation

# name -> (handler, required args, optional args)
MobileMethod = tuple[Callable[[dict], Any], tuple[str, ...], tuple[str, ...]]


def distance(a: str, b: str) -> int:
    """Levenshtein's edit distance (what fastest-levenshtein computes for base-driver's suggestion)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def run(table: dict[str, MobileMethod], driver_name: str, script: Any, args: Any) -> Any:
    """An execute command: `mobile:` methods as a driver's executeMethod runs them.

    Any other script is JavaScript, which a native context does not run: the drivers answer NotImplementedError
    (405 unknown method). That refuses the Selenium atoms (isDisplayed, getAttribute) that Selenium's Python client
    sends as scripts.
    """
    if not isinstance(script, str):
        raise InvalidArgument("'script' must be a string")
    if not script.startswith("mobile:"):
        raise UnknownMethod("Method is not implemented")
    name = "mobile: " + script.removeprefix("mobile:").strip()
    entry = table.get(name.removeprefix("mobile: "))
    if entry is None:
        # base-driver lib/basedriver/commands/execute.ts: ranked by Levenshtein distance, a suggestion within 2
        ranked = sorted((distance(name, f"mobile: {n}"), f"mobile: {n}") for n in table if not n.startswith("sim"))
        hint = f", did you mean '{ranked[0][1]}'? " if ranked and ranked[0][0] <= 2 else ". "
        raise UnsupportedOperation(
            f"Unsupported execute method '{name}'{hint}Make sure the installed {driver_name} is up-to-date. "
            f"Execute methods available in the current driver version are: {', '.join(n for _, n in ranked)}"
        )
    handler, required, optional = entry
    params = execute_params(args)
    missing = [arg for arg in required if arg not in params]
    if missing:
        wanted = json.dumps({"required": list(required), "optional": [*optional, "sessionId", "id"]})
        sent = json.dumps(list(params))
        raise InvalidArgument(f"Parameters were incorrect. We wanted {wanted} and you sent {sent}")
    known = {k: v for k, v in params.items() if k in required or k in optional}
    return handler(known)


def execute_params(args: Any) -> dict:
    """The one object of named arguments, `element` read as `elementId` and element objects unwrapped."""
    if isinstance(args, dict):
        args = [args]
    if not isinstance(args, list) or len(args) > 1:
        raise InvalidArgument(
            "Did not get correct format of arguments for execute method. Expected zero or one arguments "
            f"to execute script and instead received: {json.dumps(args)}"
        )
    params = args[0] if args else {}
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise InvalidArgument("Did not receive an appropriate execute method parameters object. It needs to be "
                              "deserializable as a plain JS object")
    params = dict(params)
    if "elementId" not in params and "element" in params:
        params["elementId"] = params["element"]
    element = params.get("elementId")
    if isinstance(element, dict):
        params["elementId"] = element_id_of(element)
    return params
