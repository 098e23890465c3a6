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

from rich.text import Text

from tiktok_promo.flows.locator_check import (
    AMBIGUOUS,
    FALLBACK,
    MISSING,
    OK,
    CaptureCheck,
    ScreenCheck,
    TargetCheck,
    check_capture,
)
from tiktok_promo.harness.run.config import check_language
from tiktok_promo.promo.fit import wrap
from tiktok_promo.promo.render import stdout_console

_STYLES = {OK: "green", FALLBACK: "yellow", AMBIGUOUS: "red", MISSING: "red"}
_VERDICT = 9  # the verdict column: as wide as "ambiguous"
_DETAIL = 2 + _VERDICT + 2  # where a target's detail lines start: under its name


def _detail(check: TargetCheck) -> str:
    """What a target resolved to, in one sentence: the candidate, how many elements, and the note."""
    found = f"found by {check.candidate} ({check.elements} element{'s' if check.elements != 1 else ''})" \
        if check.candidate else "no candidate matched"
    return f"{found}; {check.note}" if check.note else found


def _shown(check: TargetCheck, verbose: bool) -> bool:
    """Whether a target's detail is worth a reader's line: what is not ok and matters, or everything with --verbose."""
    return verbose or (check.verdict != OK and (check.needed or check.verdict != MISSING))


class LocatorReport:
    """check-locators for a person: a heading per screen, one compact line per target (verdict, name, whether the
    cancel flow needs it), and the detail only under what is not ok (all of it with --verbose); every line
    wraps between words at the width it is printed in."""

    def __init__(self, result: CaptureCheck, verbose: bool = False) -> None:
        self.result = result
        self.verbose = verbose

    def _screen(self, screen: ScreenCheck, width: int) -> list[Text]:
        page = screen.page or (f"pop-up: {screen.popup}" if screen.popup else "unknown screen")
        lines = [Text(screen.screen, style="bold").append(f"  {page}", style="")]
        for check in screen.targets:
            style = _STYLES[check.verdict] if check.needed or check.verdict != MISSING else "dim"
            line = Text("  ").append(f"{check.verdict:<{_VERDICT}}", style=style).append(f"  {check.target}")
            if check.needed:
                line.append("  (needed)", style="dim")
            lines.append(line)
            if _shown(check, self.verbose):
                lines += [Text(" " * _DETAIL + part) for part in wrap(_detail(check), width - _DETAIL, 0)]
        return lines

    def __rich_console__(self, console: object, options: object) -> object:
        width = getattr(options, "max_width", 80)
        result = self.result
        yield Text(f"{result.folder} ({result.locale or 'locale unknown'}, {result.package})", style="bold")
        for screen in result.screens:
            yield from self._screen(screen, width)


def table(result: CaptureCheck, verbose: bool = False) -> LocatorReport:
    """Every recorded screen with one line per target."""
    return LocatorReport(result, verbose)


def run(args: argparse.Namespace) -> int:
    """The check-locators command; returns the exit code."""
    result = check_capture(args.folder, check_language(args.language))
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        console = stdout_console()
        console.print(table(result, getattr(args, "verbose", False)))
        for screen in result.screens:
            for trap in screen.traps:
                console.print(Text(f"trap on {screen.screen}: {trap}"))
        reasons = result.sentences()
        for sentence in reasons:
            console.print(Text(sentence, style="red"))
        console.print("Every screen of the cancel flow was recorded and recognised, and every target it needs "
                      "resolves to one element." if not reasons else
                      f"Not safe to rely on: {len(reasons)} problem(s) above; the cancel flow was not fully checked.")
    return 0 if result.ok else 1
