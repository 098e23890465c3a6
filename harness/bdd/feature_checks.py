"""Mistakes in feature files and tag selections, caught while pytest collects, before any scenario runs.

- A tag a feature file uses must be declared (features/tags.yaml, or a marker in pyproject.toml):
  an undeclared tag is usually a typo (`@destrutive`) that would silently drop the scenario from every
  `-m destructive` selection.
- `-m EXPR` may name declared tags only: `-m smok` would select nothing and pass.
- Every step sentence must match a step definition, in every Examples row of an outline. pytest-bdd finds
  out only while a scenario runs, after its earlier steps have run (and may have cancelled something); here
  the whole run stops first.
- A feature file is read like untrusted input, before pytest-bdd reads it: only a regular file of bounded
  size, UTF-8 Gherkin the official parser accepts, with at least one scenario, no two scenarios of one name
  and Examples tables that have every column their outline uses (check_feature_file says what else).

Each mistake is a ConfigError whose sentence names the feature file and line; the app's plugin
(steps/pytest_plugin.py) turns it into pytest's one-line usage error (exit 4).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

from tiktok_promo.harness.bdd import sentences
from tiktok_promo.harness.errors import ConfigError

_TAG = re.compile(r"@([^\s@#]+)")
_EXPR_WORD = re.compile(r"[\w:+\-.\[\]\\/]+")
_EXPR_OPERATORS = {"and", "or", "not", "True", "False"}


def scenario_template(item: Any) -> Any:
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
    # The folder's links are resolved, not the file's own: a feature file that is a link is named as the link.
    absolute = Path(os.path.realpath(os.path.dirname(os.path.abspath(path)))) / os.path.basename(path)
    try:
        shown = absolute.relative_to(Path.cwd())
    except ValueError:
        shown = Path(path)
    return f"{shown}:{line}"


def place(path: str, line: int) -> str:
    """A feature file's line as a person finds it: `features/mine.feature:5`, relative to where pytest runs."""
    return _where(path, line)


def marker_names(lines: Iterable[str]) -> set[str]:
    """The names declared by pytest `markers` ini lines ("smoke: what it means", "skipif(condition): ...")."""
    return {re.split(r"[:(]", line, maxsplit=1)[0].strip() for line in lines if line.strip()}


def feature_files(items: Sequence[Any]) -> list[str]:
    """The feature files behind the collected scenarios, each once, in order."""
    files: dict[str, None] = {}
    for item in items:
        template = scenario_template(item)
        if template is not None:
            files[template.feature.filename] = None
    return list(files)


def check_tags(files: Iterable[str], known: set[str], listed: Iterable[str] | None = None) -> None:
    """ConfigError naming the first undeclared tag in these feature files, with its file and line.

    `listed`: the tags the sentence offers instead (default: all `known`).
    """
    offered = ", ".join("@" + t for t in sorted(known if listed is None else listed))
    for path in files:
        text = read_feature_text(Path(path))
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip().startswith("@"):
                continue
            for tag in _TAG.findall(line.split(" #", 1)[0]):
                if tag not in known:
                    raise ConfigError(
                        f"{_where(path, number)}: the tag @{tag} is not declared; the feature tags are {offered} "
                        "(a new one is a line in features/tags.yaml)."
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
    seen: set[tuple[str, int, str]] = set()
    for item in items:
        template = scenario_template(item)
        if template is None:
            continue
        example = getattr(getattr(item, "callspec", None), "params", {}).get("_pytest_bdd_example", {})
        scenario = template.render(example or {})
        fixturemanager = item.session._fixturemanager
        for step in scenario.steps:
            # Each Examples row of an outline makes its own sentences: one row's step may have a definition
            # and the next row's not (`as <state>` with "vaporised"), so every rendered sentence is looked up.
            key = (template.feature.filename, step.line_number, step.name)
            if key in seen:
                continue
            seen.add(key)
            if not any(True for _ in find_fixturedefs_for_step(step, fixturemanager, item)):
                row = ", ".join(f"{column}={value}" for column, value in (example or {}).items())
                close = sentences.nearest(step.name, sentences.registered(fixturemanager, item), step.type)
                offer = ("did you mean " + " or ".join(f"'{sentence}'" for sentence in close) + "? Otherwise "
                         if close else "")
                raise ConfigError(
                    f"{_where(template.feature.filename, step.line_number)}: no step definition matches "
                    f'"{step.keyword.strip()} {step.name}" (scenario "{template.name}"'
                    + (f", Examples row {row}" if row else "") + f"); {offer}use a sentence that "
                    "`pytest features --steps` lists, or add one in steps/*.py. No scenario was run."
                )


# pytest-bdd fills in any <...> of an outline's step from the Examples row, and leaves the literal text where the
# row has no such column.
_PLACEHOLDER = re.compile(r"<([^<>]+)>")
# The largest feature in this repo is 3 KB, and a megabyte of Gherkin is thousands of scenarios that nobody writes
# by hand: a bigger file is something else (a log, a dump, a device) named .feature by mistake. The limit bounds
# what collection reads and what the Gherkin parser builds from it (its document is many times the text's size).
MAX_FEATURE_BYTES = 1_000_000
_BOM = "\ufeff"
_TOKEN_WORDS = {"#EOF": "the end of the file", "#TableRow": "a table row", "#DocStringSeparator": 'a """ block',
                "#StepLine": "a step", "#TagLine": "a tag", "#ExamplesLine": "Examples:", "#ScenarioLine": "a Scenario",
                "#RuleLine": "a Rule", "#BackgroundLine": "a Background", "#FeatureLine": "Feature:",
                "#Other": "text"}


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((said for test, said in kinds if test(mode)), "not a regular file")


def _shown(path: Path) -> str:
    return _where(str(path), 1).rsplit(":", 1)[0]


def read_feature_text(path: Path) -> str:
    """The text of a feature file, read only when it is a regular file of at most MAX_FEATURE_BYTES of UTF-8.

    The kind and size are asked before anything is read (a link to /dev/zero would be read forever, a FIFO
    waits for a writer), and asked again of the file opened, in case it changed in between."""
    where = _shown(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise ConfigError(_not_regular(path, where, before.st_mode))
        # O_NONBLOCK: were it swapped for a FIFO since the stat, opening it must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        target = f" to {os.readlink(path)}, which does not exist" if path.is_symlink() else ""
        raise ConfigError(f"{where} is a link{target}; a feature file is an ordinary file of Gherkin text."
                          if target else f"{where} does not exist.") from None
    except OSError as error:
        raise ConfigError(f"{where} cannot be read: {error.strerror or error}.") from None
    with os.fdopen(descriptor, "rb") as file:
        opened = os.fstat(file.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise ConfigError(_not_regular(path, where, opened.st_mode))
        data = file.read(MAX_FEATURE_BYTES + 1)
    if len(data) > MAX_FEATURE_BYTES:
        raise ConfigError(f"{where} is {max(opened.st_size, len(data)):,} bytes, more than the {MAX_FEATURE_BYTES:,} "
                          "a feature file may have; it is not a hand-written feature (split it, or move it out of "
                          "the features folder).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{where} is not a text file (UTF-8): byte {error.start + 1} is not; a feature file is "
                          "Gherkin text.") from None
    if text.startswith(_BOM):
        # pytest-bdd reads the mark as part of the first line, which then is no Gherkin keyword.
        raise ConfigError(f"{where} begins with a byte order mark (BOM), which pytest-bdd reads as text before "
                          "'Feature:'; save it as UTF-8 without a BOM.")
    return text


def _not_regular(path: Path, where: str, mode: int) -> str:
    link = f"a link to {os.path.realpath(path)}, which is " if path.is_symlink() else ""
    return (f"{where} is {link}{_file_kind(mode)}, not a regular file; a feature file is an ordinary file of "
            "Gherkin text.")


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _syntax_sentence(path: Path, text: str, error: Exception) -> str:
    """One sentence for the first error the Gherkin parser found."""
    first = getattr(error, "errors", [error])[0]
    location = getattr(first, "location", None) or {}
    number = int(location.get("line") or 1)
    message = re.sub(r"^\(\d+:\d+\): ", "", str(first.args[0] if first.args else first))
    where = _where(str(path), number)
    content = _line(text, number)
    expected = re.match(r"(unexpected end of file, )?expected: (.*?)(, got '.*')?$", message, re.DOTALL)
    if expected:
        offered = [_TOKEN_WORDS[token] for token in expected.group(2).split(", ") if token in _TOKEN_WORDS]
        wanted = ", ".join(offered) or "something else"
        if expected.group(1):
            return f"{where}: the file ends too early (expected {wanted})."
        if "Feature:" in offered:
            return (f"{where}: {content!r} comes before any Feature: line; a feature file begins with "
                    "'Feature: <what it is about>'.")
        if re.match(r"(Feature|Business Need|Ability):", content):
            return f"{where}: a second Feature: line ({content!r}); a feature file holds one feature."
        blocks, step_words = _keywords("en")
        head = content.split(":", 1)[0] if ":" in content else ""
        close = difflib.get_close_matches(head, blocks, n=1, cutoff=0.8) if head else []
        close = close or difflib.get_close_matches(content.split(" ", 1)[0], step_words, n=1, cutoff=0.75)
        if close:
            said = close[0] + (":" if close[0] in blocks else "")
            return f"{where}: {content!r} reads like a misspelt {said!r}; Gherkin has no such keyword."
        return f"{where}: {content!r} is not Gherkin at this place; expected {wanted}."
    if "inconsistent cell count" in message:
        return f"{where}: this table row has a different number of cells from the row above it: {content!r}."
    if message.startswith("Language not supported"):
        return f"{where}: {content!r} names a language Gherkin does not have (e.g. en, fr, de)."
    return f"{where}: {message.rstrip('.')}: {content!r}."


def _keywords(language: str) -> tuple[list[str], list[str]]:
    """The language's keywords that begin a block (Scenario, Examples, ...) and those that may begin a scenario's
    steps (Given, When, Then: not And, But or *)."""
    from gherkin.dialect import Dialect

    dialect = Dialect.for_name(language)
    if dialect is None:  # the parser refuses an unknown `# language:` before this is asked
        return [], []
    blocks = [*dialect.feature_keywords, *dialect.background_keywords, *dialect.scenario_keywords,
              *dialect.scenario_outline_keywords, *dialect.examples_keywords, *dialect.rule_keywords]
    steps = [*dialect.given_keywords, *dialect.when_keywords, *dialect.then_keywords]
    return blocks, [k.strip() for k in steps if k.strip() != "*"]


def _stray(path: Path, text: str, after: int, description: str, language: str, steps_too: bool) -> None:
    """ConfigError for a description line that is a mistyped keyword (`Scenarioo:`); in a feature's or rule's
    description, a step; in a scenario's or background's, a mistyped first step (`Givn I open the app`): Gherkin
    reads each as prose there, and pytest-bdd never runs it."""
    blocks, step_words = _keywords(language)
    for said in description.splitlines():
        line = said.strip()
        head = line.split(":", 1)[0].strip() if ":" in line else ""
        close = difflib.get_close_matches(head.lower(), [k.lower() for k in blocks], n=1, cutoff=0.8) if head else []
        what = f"reads like a misspelt '{_cased(close[0], blocks)}:'" if close else ""
        if not what and steps_too and any(line.startswith(word + " ") for word in step_words):
            what = "is a step outside any scenario"
        first = line.split(" ", 1)[0]
        typo = [] if steps_too or first in _PROSE else difflib.get_close_matches(first, step_words, n=1, cutoff=0.8)
        if not what and typo:
            what = f"reads like a step with a misspelt {typo[0]!r}"
        if not what:
            continue
        number = next((n for n, t in enumerate(text.splitlines(), start=1) if n > after and t.strip() == line),
                      after + 1)
        raise ConfigError(f"{_where(str(path), number)}: {line!r} {what}; Gherkin takes it for description text, "
                          "so it never runs.")


# Words that open prose and sit close to a step keyword ("The" to "Then").
_PROSE = {"The"}


def _cased(lowered: str, keywords: list[str]) -> str:
    return next(k for k in keywords if k.lower() == lowered)


def check_feature_file(path: Path) -> None:
    """ConfigError naming the file (and line) of a feature file pytest-bdd cannot read, or would run wrongly.

    Refused: not a regular file of bounded size (a link to a device, a FIFO, a folder), not UTF-8 text or with a
    BOM, a Gherkin syntax error, no Feature, a feature without a scenario, a keyword mistyped into a description
    (`Scenarioo:`) or a first step mistyped into one (`Givn ...`), a scenario without steps, two scenarios of one
    name (pytest-bdd keeps one), an outline without Examples rows or whose steps use a column its Examples table
    lacks (the step would run with the literal "<column>"), and anything else pytest-bdd's own parser refuses."""
    from gherkin.errors import ParserError
    from gherkin.parser import Parser

    text = read_feature_text(path)
    where = _shown(path)
    try:
        document = Parser().parse(text)
    except ParserError as error:
        raise ConfigError(_syntax_sentence(path, text, error)) from None
    feature = cast(dict[str, Any], document).get("feature")
    if not feature:
        said = "is empty" if not text.strip() else "has no Feature: line"
        raise ConfigError(f"{where} {said}; a feature file begins with 'Feature: <what it is about>'.")
    _check_structure(path, text, feature)
    _check_with_pytest_bdd(path)


def _check_structure(path: Path, text: str, feature: dict[str, Any]) -> None:
    language = feature.get("language", "en")
    _stray(path, text, feature["location"]["line"], feature.get("description", ""), language, steps_too=True)
    scenarios: list[dict[str, Any]] = []
    backgrounds = 0
    for child in feature["children"]:
        rule = child.get("rule")
        for part in ([{"rule": None, **c} for c in rule["children"]] if rule else [child]):
            if part.get("scenario"):
                scenarios.append(part["scenario"])
            if part.get("background"):
                backgrounds += 1
                background = part["background"]
                _stray(path, text, background["location"]["line"], background.get("description", ""), language,
                       steps_too=False)
        if rule:
            _stray(path, text, rule["location"]["line"], rule.get("description", ""), language, steps_too=True)
    if not scenarios:
        only = ", only a Background" if backgrounds else ""
        raise ConfigError(f"{_where(str(path), feature['location']['line'])}: the feature \"{feature['name']}\" has "
                          f"no scenario{only}; nothing would run (add a 'Scenario:').")
    names: dict[str, int] = {}
    for scenario in scenarios:
        line = scenario["location"]["line"]
        at = _where(str(path), line)
        title = f'the {scenario["keyword"]} "{scenario["name"]}"'
        _stray(path, text, line, scenario.get("description", ""), language, steps_too=False)
        if scenario["name"] in names:
            raise ConfigError(f"{at}: a second scenario is named \"{scenario['name']}\" (the first is at line "
                              f"{names[scenario['name']]}); pytest-bdd would run only one of them, so give each "
                              "its own name.")
        names[scenario["name"]] = line
        if not scenario["steps"]:
            raise ConfigError(f"{at}: {title} has no steps; it would pass without doing anything.")
        _check_examples(path, scenario, title)


def _check_examples(path: Path, scenario: dict[str, Any], title: str) -> None:
    steps = scenario["steps"]
    tables = [t for t in scenario.get("examples", []) if t.get("tableHeader")]
    rows = sum(len(t.get("tableBody", [])) for t in tables)
    holes = [(s["location"]["line"], hole) for s in steps for hole in _PLACEHOLDER.findall(_step_text(s))]
    if not rows:
        outline = "outline" in scenario["keyword"].lower() or "template" in scenario["keyword"].lower()
        plain_holes = [hole for _, hole in holes if not re.search(r"\s", hole)]
        if outline or scenario.get("examples") or plain_holes:
            hole = f' its steps would run with the literal "<{plain_holes[0]}>"' if plain_holes else \
                " it has nothing to run"
            raise ConfigError(f"{_where(str(path), scenario['location']['line'])}: {title} has no Examples rows, "
                              f"so{hole}; add an Examples table or make it a Scenario.")
        return
    for table in tables:
        columns = [cell["value"] for cell in table["tableHeader"]["cells"]]
        at = _where(str(path), table["tableHeader"]["location"]["line"])
        twice = next((c for c in columns if columns.count(c) > 1), None)
        if twice is not None:
            raise ConfigError(f'{at}: the Examples table of {title} has two columns named "{twice}"; '
                              "give each its own name.")
        missing = next(((line, hole) for line, hole in holes if hole not in columns), None)
        if missing is not None:
            raise ConfigError(f'{at}: the Examples table of {title} has no column "{missing[1]}", which line '
                              f'{missing[0]} uses, so that step would run with the literal "<{missing[1]}>"; '
                              f"its columns are {', '.join(columns)}.")


def _step_text(step: dict[str, Any]) -> str:
    """A step's sentence with its table cells and text block: pytest-bdd fills in <...> in all three."""
    cells = [cell["value"] for row in (step.get("dataTable") or {}).get("rows", []) for cell in row["cells"]]
    block = (step.get("docString") or {}).get("content", "")
    return "\n".join([step["text"], *cells, block])


def _check_with_pytest_bdd(path: Path) -> None:
    """What pytest-bdd's own reading refuses (e.g. a scenario whose first step is an And)."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.parser import FeatureParser

    try:
        FeatureParser(str(path.parent), path.name).parse()
    except GherkinParseError as error:
        first = error.message.strip().splitlines()[0].rstrip(".")
        raise ConfigError(f"{_where(str(path), error.line)}: {first}: {error.line_content.strip()!r}.") from None
    except (KeyError, ValueError, TypeError, AttributeError) as error:  # pytest-bdd's own surprises
        raise ConfigError(f"{_shown(path)} is not a feature file pytest-bdd can read ({type(error).__name__}: "
                          f"{error}).") from None


def feature_paths(args: Iterable[str], root: Path) -> list[Path]:
    """The feature files a pytest run's arguments reach: every .feature under folders named, and under the folder of
    a file named."""
    found: dict[Path, None] = {}
    for arg in args:
        path = Path(arg.split("::", 1)[0])
        path = path if path.is_absolute() else root / path
        if path.is_dir():
            found.update(dict.fromkeys(features_under(path)))
        elif path.suffix == ".feature" or (path.suffix == ".py" and path.is_file()):
            # A test module's scenarios(".") reads its folder's features and those of every folder below it.
            found.update(dict.fromkeys(features_under(path.parent)))
    return list(found)


def features_under(folder: Path) -> list[Path]:
    """Every *.feature under a folder the way pytest-bdd's scenarios() finds them (through links to folders too,
    hidden names left out), or ConfigError for a link to a folder it reaches anyway: pytest-bdd would read the
    same features again through it, and through a link to a folder above it over and over, each time one more
    copy of every scenario (a loop makes 41)."""
    reached = {os.path.realpath(d) for d, _, _ in os.walk(folder)}  # without following links
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop(0)
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            raise ConfigError(f"{_shown(current)} cannot be read: {error.strerror or error}.") from None
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.name.endswith(".feature"):
                found.append(path)  # whatever it is: check_feature_file says what is wrong with it
            elif entry.is_dir():
                if entry.is_symlink():
                    target = os.path.realpath(path)
                    above = os.path.realpath(current).startswith(target.rstrip(os.sep) + os.sep)
                    if target in reached or above:
                        raise ConfigError(f"{_shown(path)} is a link to the folder {_shown(Path(target))}, which "
                                          "pytest-bdd reaches anyway: it would read the same features again through "
                                          "the link and run each scenario more than once; remove the link.")
                    reached |= {os.path.realpath(d) for d, _, _ in os.walk(target)}
                pending.append(path)
    return found


def check_feature_files(paths: Iterable[Path]) -> None:
    """check_feature_file for each, before pytest-bdd reads them (its errors are collection tracebacks)."""
    for path in paths:
        check_feature_file(path)
