"""`promo --help` that wraps between words: a description's long line wraps at its spaces (argparse's raw
formatter would leave it to the terminal, which cuts words), an epilog keeps its line breaks, and an
option's help never breaks at a hyphen (`android-emulator` is a name to type, not two words)."""

from __future__ import annotations

import argparse
import textwrap


class WordWrapHelp(argparse.RawDescriptionHelpFormatter):
    """Help text wrapped to the terminal between words: each line of a description or epilog on its own."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            lines += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False) or [""]
        return "\n".join(lines)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False)
