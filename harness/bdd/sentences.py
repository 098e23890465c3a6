"""The step sentences a feature may use, read from the step definitions pytest-bdd registered: for the list
`pytest features --steps` prints, and for the nearest sentences offered when a feature's step matches none."""

from __future__ import annotations

import difflib
import inspect
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FIELD = re.compile(r"\{([A-Za-z_]\w*)(?::([^{}]*))?\}")
_KINDS = {"d": "a whole number", "f": "a number", "w": "a word", "": "text"}


@dataclass(frozen=True)
class Sentence:
    """One step sentence a feature may write: its keyword, its text with {parameters}, and where it is defined."""

    keyword: str  # Given, When, Then, or Step (any of them)
    text: str  # as written in the step definition: 'I cancel the promotion "{title}"'
    parameters: tuple[tuple[str, str], ...]  # (name, what it takes)
    where: str  # steps/cancel_steps.py:92

    def line(self) -> str:
        said = ", ".join(f"{name}: {kind}" for name, kind in self.parameters)
        return f"{self.keyword:<5} {shown(self.text)}" + (f"    ({said})" if said else "")


def shown(text: str) -> str:
    """A step definition's text as a person writes it: `{days}`, not the parser's `{days:d}`."""
    return _FIELD.sub(lambda match: "{" + match.group(1) + "}", text)


def _parameters(pattern: str, parser: Any) -> tuple[tuple[str, str], ...]:
    if type(parser).__name__ == "re":
        return tuple((name, "text") for name in re.compile(pattern).groupindex)
    return tuple((name, _KINDS.get(spec or "", spec or "text")) for name, spec in _FIELD.findall(pattern))


def _where(function: Any, root: Path) -> str:
    try:
        path = Path(inspect.getsourcefile(function) or "")
        line = inspect.getsourcelines(function)[1]
    except (OSError, TypeError):
        return "?"
    try:
        shown = path.resolve().relative_to(root.resolve())
    except ValueError:
        shown = path
    return f"{shown}:{line}"


def registered(fixturemanager: Any, node: Any, root: Path | None = None) -> list[Sentence]:
    """Every step sentence visible to `node` (the session: all of them), ordered by keyword then text."""
    from pytest_bdd.compat import getfixturedefs
    from pytest_bdd.steps import step_function_context_registry

    try:
        from pytest_bdd.compat import get_fixture_names
        names = get_fixture_names(fixturemanager)
    except ImportError:  # older pytest-bdd: pytest's own registry
        names = list(fixturemanager._arg2fixturedefs)
    base = root or Path(os.getcwd())
    found: dict[tuple[str, str], Sentence] = {}
    for name in names:
        if not name.startswith("pytestbdd_stepdef_"):
            continue
        for fixturedef in getfixturedefs(fixturemanager, name, node) or []:
            context = step_function_context_registry.get(fixturedef.func)
            if context is None or context.step_func.__module__.startswith("pytest_bdd"):
                continue  # pytest-bdd's own "trace" step opens a debugger: not a sentence for a feature
            keyword = (context.type or "step").capitalize()
            text = context.parser.name
            found[(keyword, text)] = Sentence(keyword, text, _parameters(text, context.parser),
                                              _where(context.step_func, base))
    order = {"Given": 0, "When": 1, "Then": 2}
    return sorted(found.values(), key=lambda s: (order.get(s.keyword, 3), s.text.lower()))


def listing(sentences: list[Sentence]) -> str:
    """The sentences as a person reads them: one a line, grouped by keyword, parameters named."""
    lines = [f"{len(sentences)} step sentences (write the words in braces as values, e.g. \"Summer haul try-on\"):"]
    keyword = None
    for sentence in sentences:
        if sentence.keyword != keyword:
            keyword = sentence.keyword
            lines.append("")
        lines.append(f"  {sentence.line()}")
    return "\n".join(lines)


def _shape(text: str) -> str:
    # Values a feature writes stand where a definition has {name}: compare the words around them.
    return _FIELD.sub("…", re.sub(r'"[^"]*"', '"…"', text)).lower()


def nearest(step_text: str, sentences: list[Sentence], keyword: str | None = None, count: int = 2) -> list[str]:
    """The sentences closest to a step nobody defined, best first (those of its keyword first)."""
    pool = [s for s in sentences if keyword is None or s.keyword in (keyword.capitalize(), "Step")] or sentences
    shapes: dict[str, str] = {}
    for sentence in pool:
        shapes.setdefault(_shape(sentence.text), f"{sentence.keyword} {sentence.text}")
    wanted = _shape(step_text)
    close = difflib.get_close_matches(wanted, list(shapes), n=count, cutoff=0.75)
    return [shapes[shape] for shape in close]
