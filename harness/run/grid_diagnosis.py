"""Diagnosis of any Selenium Grid 4 (the run's own or a person's): what its nodes offer, which capability
none of them matches, and which node's Appium no longer answers, each said in one sentence.

`unmatched_sentence` reads the nodes' stereotypes from `/status` to say which capability no node offers.
`relay_failure` turns the Grid's "Error while creating session with the service URL" into one sentence
naming the node whose Appium no longer answers (the Grid's own health check runs every 120 s, so `/status`
keeps saying the node is UP long after).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from tiktok_promo.harness.run.grid_errors import GridNodeDown, GridStopsRun

_RELAY_ERROR = re.compile(r"Error while creating session with the service (\S+?)\.?(?:\s|$)")
_UNMATCHED = ("No nodes support the capabilities", "New session request timed out",
              "Could not start a new session. Possible causes")


def get_json(url: str, timeout: float = 2.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body = json.loads(response.read().decode("utf-8"))
    return body if isinstance(body, dict) else {}


def stereotypes(grid_url: str, timeout: float = 3.0) -> list[dict[str, Any]]:
    """Every slot stereotype the Grid's nodes offer now, from its `/status` (empty when it does not answer)."""
    try:
        nodes = (get_json(f"{grid_url.rstrip('/')}/status", timeout).get("value") or {}).get("nodes") or []
    except (OSError, ValueError):
        return []
    found = []
    for node in nodes:
        for slot in node.get("slots") or []:
            if isinstance(slot.get("stereotype"), dict):
                found.append(slot["stereotype"])
    return found


def grid_devices(grid_url: str) -> list[str]:
    """The device ids (`appium:udid`) the Grid's stereotypes offer, in the order of its nodes."""
    return list(dict.fromkeys(str(s["appium:udid"]) for s in stereotypes(grid_url) if s.get("appium:udid")))


def _same(offered: Any, wanted: Any) -> bool:
    if isinstance(wanted, str):
        return str(offered).lower() == wanted.lower()
    return wanted is None or offered == wanted


def _mismatch(stereotype: Mapping[str, Any], caps: Mapping[str, Any]) -> str | None:
    """The first capability of the request this stereotype does not offer, as Grid 4 matches them
    (DefaultSlotMatcher and RelaySessionFactory.test in SeleniumHQ/selenium): the stereotype's capabilities
    that the request also names must be equal (strings ignoring case), and a platformVersion asked for
    must be declared with the same value."""
    for name, wanted in caps.items():
        if "platformVersion" in name and stereotype.get(name) != wanted:
            return name
    for name, offered in stereotype.items():
        if name in caps and not name.startswith("se:") and not _same(offered, caps[name]):
            return name
    return None


def unmatched_sentence(grid_url: str, caps: Mapping[str, Any]) -> str | None:
    """One sentence naming the capability no node of the Grid offers (None when some node offers all, or
    the URL is not a Grid: an Appium server's /status lists no nodes)."""
    offered = stereotypes(grid_url)
    if not offered:
        return None
    misses = [_mismatch(s, caps) for s in offered]
    if any(m is None for m in misses):
        return None
    name = max(set(misses), key=lambda m: (misses.count(m), str(m)))
    assert name is not None
    values = sorted({str(s[name]) for s in offered if name in s})
    what = (f"its nodes offer {', '.join(values)}" if values else
            "no node's stereotype declares it (Grid 4 takes a platformVersion only from a node that declares "
            "the same value)")
    return (f"No node of the Selenium Grid at {grid_url} offers {name}={caps[name]!r}: {what}; fix the "
            "profile's capabilities or the nodes' stereotypes.")


def is_unmatched_error(text: str) -> bool:
    """Whether the Grid refused a session because no slot matched (at once, or after the queue timeout)."""
    return any(mark in text for mark in _UNMATCHED)


def _answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/status", timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def session_problem(text: str, grid_url: str, caps: Mapping[str, Any],
                    state: Mapping[str, Any] | None = None) -> GridStopsRun | None:
    """The run-stopping error for a session the Grid refused (None when `text` is not such a refusal).

    A node whose Appium died fails in one of two ways, depending on whether the Grid's health check has
    run since: the relay's "Error while creating session with the service URL" (the URL is checked
    directly), or, once the node is marked DOWN, a request that waits in the queue until it times out
    (the nodes offering these capabilities are then checked: their Appium servers for the run's own Grid,
    their availability in /status for another one).
    """
    nodes: Sequence[Mapping[str, Any]] = (state or {}).get("nodes") or ()
    dead = relay_failure(text, nodes)
    if dead:
        return GridNodeDown(dead)
    if not is_unmatched_error(text):
        return None
    sentence = unmatched_sentence(grid_url, caps)
    if sentence:
        return GridStopsRun(sentence)
    offering = [n for n in nodes if _mismatch(n.get("stereotype") or {}, caps) is None]
    if offering:
        gone = [n for n in offering if not _answers(str(n.get("appium_url", "")))]
        if len(gone) == len(offering):
            return GridNodeDown(_dead_sentence(str(gone[0].get("appium_url")), gone[0]))
        return None
    down = _down_nodes(grid_url, caps)
    if down:
        return GridNodeDown(f"The Selenium Grid node at {down[0]} offers these capabilities but is not UP (its "
                            "Appium server stopped answering its health check), so no session can start there; "
                            "the run stops (restart that Appium server or take the node out of the Grid).")
    return None


def _down_nodes(grid_url: str, caps: Mapping[str, Any]) -> list[str]:
    """URIs of the nodes that offer `caps` when none of those is UP (empty when one is, or none offers them)."""
    try:
        nodes = (get_json(f"{grid_url.rstrip('/')}/status").get("value") or {}).get("nodes") or []
    except (OSError, ValueError):
        return []
    offering = [n for n in nodes
                if any(_mismatch(slot.get("stereotype") or {}, caps) is None for slot in n.get("slots") or [])]
    if not offering or any(n.get("availability") == "UP" for n in offering):
        return []
    return [str(n.get("uri")) for n in offering]


def _dead_sentence(service: str, node: Mapping[str, Any] | None) -> str:
    which = f"Selenium Grid {node['name']} ({node['udid']})" if node else "A Selenium Grid node"
    return (f"{which} relays to the Appium server at {service}, which no longer answers, so no session can "
            "start there; the run stops (restart that Appium server or take the node out of the Grid).")


def relay_failure(text: str, nodes: Sequence[Mapping[str, Any]] = ()) -> str | None:
    """The sentence for a session the Grid could not create because a node's Appium does not answer.

    `text` is the Grid's error; the service URL in it is checked directly (the Grid's `/status` says the
    node is UP until its next health check). `nodes` (the run's own Grid, SeleniumGrid.state) name it.
    None when the error is another one or the Appium server answers.
    """
    match = _RELAY_ERROR.search(text)
    if not match:
        return None
    service = match.group(1).rstrip("/")
    if _answers(service):
        return None
    node = next((n for n in nodes if str(n.get("appium_url", "")).rstrip("/") == service), None)
    return _dead_sentence(service, node)
