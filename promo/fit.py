"""Fitting `promo`'s sentences to the width they are read at: lines break between words only, and never
inside a number, a path, or a command a person may paste (`adb kill-server && adb start-server` stays on
one line, so a copy of it runs).

A terminal gets its own width; output that is not a terminal (a pipe, a log file) gets PIPE_WIDTH, or
COLUMNS when it is set, for tables and stdout; error sentences on a stderr that is not a terminal stay
whole, one line each, which is what a log reader or a scheduler greps.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import IO

PIPE_WIDTH = 100  # output that is not a terminal: wide enough for every table, short enough to read in a log
NARROWEST = 40  # below this, a terminal is treated as this wide (its own wrapping then takes over)

# The first word of a command a fix or an error may name: from it to the end of its clause is pasted whole.
_COMMANDS = ("adb", "apt-get", "emulator", "export", "make", "npm", "npx", "sdkmanager", "promo", "pytest",
             ".venv/bin/promo", ".venv/bin/pytest", "python", "sudo")
_ENV_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=\S")
# Where a command ends: at a clause's punctuation, or before a word that starts prose again.
_CLAUSE_END = re.compile(r"[,;)]$")
_PROSE = {"then", "or", "and", "to", "for", "in", "if", "(the", "(or", "(no"}


def units(text: str) -> list[str]:
    """The pieces a line may break between: words, except that a command and its arguments are one piece."""
    words = text.split()
    pieces: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        bare = word.lstrip("(`'\"")
        if bare in _COMMANDS or _ENV_ASSIGNMENT.match(bare):
            command = [word]
            index += 1
            # Its arguments, up to the end of its clause (a comma, a semicolon, a closing parenthesis).
            while index < len(words) and not _CLAUSE_END.search(command[-1]) and words[index] not in _PROSE:
                command.append(words[index])
                index += 1
            pieces.append(" ".join(command))
            continue
        pieces.append(word)
        index += 1
    return pieces


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` characters (continuation lines indented by `indent`), broken only
    between the pieces `units` gives; a piece wider than a line gets a line of its own, whole."""
    lead = len(text) - len(text.lstrip(" "))
    if lead:  # an indented sentence keeps its indent, and its continuation lines go as far in again
        return [" " * lead + line for line in wrap(text[lead:], width - lead, indent)]
    lines: list[str] = []
    line = ""
    for piece in units(text):
        room = width - (indent if lines else 0)
        if line and len(line) + 1 + len(piece) > room:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    lines.append(line)
    return [lines[0], *(" " * indent + rest for rest in lines[1:])]


def terminal_width(stream: IO[str]) -> int | None:
    """The width of the terminal `stream` writes to, or None when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or file-like stream without isatty
        return None
    return max(NARROWEST, shutil.get_terminal_size((80, 24)).columns)


def output_width(stream: IO[str]) -> int:
    """The width tables and results are laid out for: the terminal's, else COLUMNS, else PIPE_WIDTH."""
    width = terminal_width(stream)
    if width is not None:
        return width
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) >= NARROWEST else PIPE_WIDTH


def say(sentence: str, stream: IO[str] | None = None, indent: int = 2) -> None:
    """Write one sentence (an error, a note) as a line, wrapped between words when a person reads it in a
    terminal, whole otherwise."""
    stream = stream if stream is not None else sys.stderr
    width = terminal_width(stream)
    text = sentence if width is None else "\n".join(wrap(sentence, width - 1, indent))
    stream.write(text + "\n")
    stream.flush()
