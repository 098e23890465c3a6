"""`promo check-locators DIR`: offline, no device: which locator finds its target on each recorded screen.

Reads a `promo capture` folder and, screen by screen, says which page it is and, for every target of
that page, the candidate that matched, how many elements it found and whether that is a fallback
(drift), ambiguous or missing (flows.locator_check). Exit 0 only when the recording shows every screen
of the cancel flow, each recognised, and every target the cancel flow needs resolves to exactly one
element of the app on its screen; 1 otherwise, with one sentence per reason. A folder the replay would
refuse is refused here too (exit 2), in one sentence naming the file.
"""

from __future__ import annotations

import argparse
import json

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flows.locator_check import AMBIGUOUS, FALLBACK, MISSING, OK, CaptureCheck, check_capture
from harness.run.config import check_language
from promo.render import stdout_console

_STYLES = {OK: "green", FALLBACK: "yellow", AMBIGUOUS: "red", MISSING: "red"}


def table(result: CaptureCheck) -> Table:
    """One line per target of each recorded screen."""
    grid = Table(title=f"{result.folder} ({result.locale or 'locale unknown'}, {result.package})")
    for column in ("screen", "page", "target", "needed", "matched by", "elements", "verdict", "note"):
        grid.add_column(column, overflow="fold")
    for screen in result.screens:
        if not screen.targets:
            page = screen.page or (f"pop-up: {screen.popup}" if screen.popup else "unknown screen")
            grid.add_row(screen.screen, page, "-", "", "", "", "", "")
        for i, check in enumerate(screen.targets):
            style = _STYLES[check.verdict] if check.needed or check.verdict != MISSING else "dim"
            grid.add_row(screen.screen if i == 0 else "", (screen.page or "") if i == 0 else "", check.target,
                         "yes" if check.needed else "", Text(check.candidate or "-"), str(check.elements),
                         Text(check.verdict, style=style), Text(check.note if check.needed else ""))
    return grid


def run(args: argparse.Namespace) -> int:
    """The check-locators command; returns the exit code."""
    result = check_capture(args.folder, check_language(args.language))
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        console = stdout_console()
        console.print(table(result))
        for screen in result.screens:
            for trap in screen.traps:
                console.print(escape(f"trap on {screen.screen}: {trap}"))
        reasons = result.sentences()
        for sentence in reasons:
            console.print(Text(sentence, style="red"))
        console.print("Every screen of the cancel flow was recorded and recognised, and every target it needs "
                      "resolves to one element." if not reasons else
                      f"Not safe to rely on: {len(reasons)} problem(s) above; the cancel flow was not fully checked.")
    return 0 if result.ok else 1
