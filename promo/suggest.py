"""Did you mean: the nearest command, option or choice to what a person mistyped on the `promo` command line.

argparse says what it refused ("invalid choice: 'cancle'", "unrecognized arguments: --titel x") but not
what was meant; a typo is usually one or two letters from a word it knows, which difflib finds.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable

_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)$")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<words>.*)$")


def nearest(word: str, known: Iterable[str]) -> str | None:
    """The known word closest to `word`, when one is close enough to be a typo of it. Options are compared
    without their dashes, which every one of them shares (else `--titel` would be near `--help`)."""
    bare = {k.lstrip("-"): k for k in dict.fromkeys(known) if k not in ("-h", "--help")}
    close = difflib.get_close_matches(word.lstrip("-"), list(bare), n=1, cutoff=0.6)
    return bare[close[0]] if close else None


def options_of(parser: argparse.ArgumentParser, command: str | None = None) -> dict[str, str]:
    """The long options `parser` takes, or its subcommand `command`'s (every subcommand's when None), each
    with the command it belongs to."""
    found = {o: parser.prog for action in parser._actions for o in action.option_strings if o.startswith("--")}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if command is None or name == command:
                    found = {**options_of(sub), **found}
    return found


def hint(parser: argparse.ArgumentParser, message: str, argv: list[str] | None = None) -> str:
    """'; did you mean ...?' for an argparse error message, or '' when nothing known is near."""
    refused = _INVALID_CHOICE.search(message)
    if refused:
        listed = refused.group("choices")
        choices = re.findall(r"'([^']*)'", listed) or [c.strip() for c in listed.split(",")]
        near = nearest(refused.group("word"), choices)
        return f"; did you mean {near}?" if near else ""
    unknown = _UNRECOGNIZED.search(message)
    if unknown:
        command = next((word for word in argv or [] if not word.startswith("-")), None)
        own, every = options_of(parser, command), options_of(parser)
        for word in (w.split("=")[0] for w in unknown.group("words").split() if w.startswith("--")):
            near = nearest(word, own)
            if near:
                return f"; did you mean {near}?"
            elsewhere = nearest(word, every)
            if elsewhere:
                where = f"promo {command}" if command else "promo"
                return f"; {elsewhere} is an option of {every[elsewhere]}, not of {where}"
    return ""
