"""Mistakes in feature files and tag selections, caught while pytest collects, before any scenario runs.

- A tag a feature file uses must be declared (harness.bdd.tags.KNOWN_TAGS, or a marker in pyproject.toml):
  an undeclared tag is usually a typo (`@destrutive`) that would silently drop the scenario from every
  `-m destructive` selection.
- `-m EXPR` may name declared tags only: `-m smok` would select nothing and pass.
- Every step sentence must match a step definition. pytest-bdd finds out only while a scenario runs,
  after its earlier steps have run (and may have cancelled something); here the whole run stops first.

Each mistake is a ConfigError whose sentence names the feature file and line; conftest turns it into
pytest's one-line usage error (exit 4).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

_TAG = re.compile(r"@([^\s@#]+)")
_EXPR_WORD = re.compile(r"[\w:+\-.\[\]\\/]+")
_EXPR_OPERATORS = {"and", "or", "not", "True", "False"}


def _template(item: Any) -> Any:
    """The pytest-bdd scenario template behind a test item (None for an ordinary test)."""
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:  # pytest-bdd moved it: the checks below become no-ops rather than errors
        return None
    function = getattr(item, "obj", None)
    try:
        return scenario_wrapper_template_registry.get(function) if function is not None else None
    except TypeError:
        return None


def _where(path: str, line: int) -> str:
    try:
        shown = Path(path).resolve().relative_to(Path.cwd())
    except ValueError:
        shown = Path(path)
    return f"{shown}:{line}"


def marker_names(lines: Iterable[str]) -> set[str]:
    """The names declared by pytest `markers` ini lines ("smoke: what it means", "skipif(condition): ...")."""
    return {re.split(r"[:(]", line, maxsplit=1)[0].strip() for line in lines if line.strip()}


def feature_files(items: Sequence[Any]) -> list[str]:
    """The feature files behind the collected scenarios, each once, in order."""
    files: dict[str, None] = {}
    for item in items:
        template = _template(item)
        if template is not None:
            files[template.feature.filename] = None
    return list(files)


def check_tags(files: Iterable[str], known: set[str], listed: Iterable[str] | None = None) -> None:
    """ConfigError naming the first undeclared tag in these feature files, with its file and line.

    `listed`: the tags the sentence offers instead (default: all `known`).
    """
    offered = ", ".join("@" + t for t in sorted(known if listed is None else listed))
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip().startswith("@"):
                continue
            for tag in _TAG.findall(line.split(" #", 1)[0]):
                if tag not in known:
                    raise ConfigError(
                        f"{_where(path, number)}: the tag @{tag} is not declared; the feature tags are {offered} "
                        "(a new one goes in harness/bdd/tags.py)."
                    )


def check_selection(expression: str | None, known: set[str], listed: Iterable[str] | None = None) -> None:
    """ConfigError when `-m EXPR` names a tag nothing declares (it would silently select nothing)."""
    if not expression:
        return
    offered = ", ".join(sorted(known if listed is None else listed))
    bare = re.sub(r"\([^)]*\)", " ", expression)  # keyword arguments of a marker, e.g. device(serial='x')
    for word in _EXPR_WORD.findall(bare):
        if word not in _EXPR_OPERATORS and word not in known:
            raise ConfigError(f"-m {expression!r} names the tag {word!r}, which no feature or marker declares; "
                              f"the feature tags are {offered}.")


def check_steps(items: Sequence[Any]) -> None:
    """ConfigError naming the first step sentence that no step definition matches, with its file and line."""
    try:
        from pytest_bdd.scenario import find_fixturedefs_for_step
    except ImportError:
        return
    seen: set[tuple[str, int]] = set()
    for item in items:
        template = _template(item)
        if template is None:
            continue
        example = getattr(getattr(item, "callspec", None), "params", {}).get("_pytest_bdd_example", {})
        scenario = template.render(example or {})
        fixturemanager = item.session._fixturemanager
        for step in scenario.steps:
            key = (template.feature.filename, step.line_number)
            if key in seen:
                continue
            seen.add(key)
            if not any(True for _ in find_fixturedefs_for_step(step, fixturemanager, item)):
                raise ConfigError(
                    f"{_where(template.feature.filename, step.line_number)}: no step definition matches "
                    f'"{step.keyword.strip()} {step.name}" (scenario "{template.name}"); use a sentence from '
                    "steps/*.py or add one there. No scenario was run."
                )


_PLACEHOLDER = re.compile(r"<([^<>\s]+)>")


def feature_paths(args: Iterable[str], root: Path) -> list[Path]:
    """The feature files a pytest run's arguments reach: files named, and every .feature under folders named."""
    found: dict[Path, None] = {}
    for arg in args:
        path = Path(arg.split("::", 1)[0])
        path = path if path.is_absolute() else root / path
        if path.is_dir():
            found.update(dict.fromkeys(sorted(path.rglob("*.feature"))))
        elif path.suffix == ".feature" or (path.suffix == ".py" and path.is_file()):
            found.update(dict.fromkeys(sorted(path.parent.glob("*.feature"))))
    return list(found)


def check_feature_file(path: Path) -> None:
    """ConfigError naming the file (and line) of a feature file pytest-bdd cannot read, or would run wrongly:
    not text, empty, no `Feature:` line, a Gherkin syntax error, or a Scenario Outline without Examples (its
    steps would run with the literal "<title>")."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.parser import FeatureParser

    where = _where(str(path), 1).rsplit(":", 1)[0]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{where} is not a text file (UTF-8): byte {error.start + 1} is not; a feature file is "
                          "Gherkin text.") from None
    except OSError as error:
        raise ConfigError(f"{where} cannot be read: {error.strerror or error}.") from None
    if not re.search(r"^\s*Feature:", text, re.MULTILINE):
        said = "is empty" if not text.strip() else "has no Feature: line"
        raise ConfigError(f"{where} {said}; a feature file begins with 'Feature: <what it is about>'.")
    try:
        feature = FeatureParser(str(path.parent), path.name).parse()
    except GherkinParseError as error:
        first = error.message.strip().splitlines()[0].rstrip(".")
        raise ConfigError(f"{_where(str(path), error.line)}: {first}: {error.line_content.strip()!r}.") from None
    except (KeyError, ValueError, TypeError, AttributeError) as error:  # pytest-bdd's own surprises
        raise ConfigError(f"{where} is not a feature file pytest-bdd can read ({type(error).__name__}: "
                          f"{error}).") from None
    for scenario in feature.scenarios.values():
        rows = sum(len(examples.examples) for examples in scenario.examples)
        if rows:
            continue
        outline = "outline" in scenario.keyword.lower() or "template" in scenario.keyword.lower()
        holes = [m for step in scenario.steps for m in _PLACEHOLDER.findall(step.name)]
        if outline or holes:
            hole = f' its steps would run with the literal "<{holes[0]}>"' if holes else " it has nothing to run"
            raise ConfigError(f'{_where(str(path), scenario.line_number)}: the {scenario.keyword} "{scenario.name}" '
                              f"has no Examples rows, so{hole}; add an Examples table or make it a Scenario.")


def check_feature_files(paths: Iterable[Path]) -> None:
    """check_feature_file for each, before pytest-bdd reads them (its errors are collection tracebacks)."""
    for path in paths:
        check_feature_file(path)
