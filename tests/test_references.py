"""Every reference in the repo resolves: a reader who follows a link, a path or a module name finds it here.

Checked in the docs (README.md, docs/*.md: every word) and in the code (every docstring and comment of a
.py file; every word of the data and build files):
- a relative Markdown link names a file or folder of the repo;
- a repo path (`harness/run/config.py`, `simulator/ui/lang/studio-<language>.yaml`) exists;
- a dotted module name (`harness.report.scenario_results`, `steps.errors.WrongScreen`: prose names a layer's
  module short, without `tiktok_promo.`) is a module of the package and holds what follows it;
- nothing cites what is not in the repo: the team's shared folder, a path of someone's machine, or an
  issue of a tracker without naming its repository (`appium/appium issue 17257` is a citation, a bare
  issue number is not).
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "tiktok_promo"
PACKAGES = ("steps", "promo", "flows", "pages", "harness", "simulator", "releases")  # linked into tiktok_promo/
REPO_FOLDERS = (*PACKAGES, "features", "drivers", "tests", "bench", "docs")
SKIPPED = {"node_modules", "__pycache__", ".venv", ".appium", "reports", ".git"}
TEXT_SUFFIXES = {".md", ".toml", ".yaml", ".yml", ".json", ".mjs", ".js", ".feature", ".cfg"}

# Files of example runs in a temporary folder (a user's feature file in an error message), not of the repo.
EXAMPLE_PATHS = {"features/mine.feature", "features/x.feature", "features/again", "features/my_latte.feature"}
MARKDOWN_FILE = re.compile(r"(?<![\w./-])([\w-]+\.md)\b")  # a doc named without its folder
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
FOLDER_NAMES, PACKAGE_NAMES = "|".join((*REPO_FOLDERS, PACKAGE)), "|".join((*PACKAGES, PACKAGE))
REPO_PATH = re.compile(rf"(?<![\w./<-])((?:{FOLDER_NAMES})/[\w./*<>-]*[\w*>])")
DOTTED_NAME = re.compile(rf"(?<![\w./-])((?:{PACKAGE_NAMES})(?:\.[A-Za-z_]\w*)+)")
# Written in pieces so that this file does not cite what it forbids.
OUTSIDE = [
    (re.compile(r"\.\./" + "shared|shared/" + "reference"), "the team's shared folder, which is not in the repo"),
    (re.compile(r"(?<![\w.])/(?:" + "work|home|Users" + r")/"), "a path of someone's machine"),
    (re.compile("CAPTURE" + "-FORMAT"), "a file that is not in the repo (the format is docs/capture-format.md)"),
]
ISSUE = re.compile(r"\bissues?\s+#?\d+|(?<![\w&/#])#\d+\b", re.IGNORECASE)
NAMED_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+$")  # owner/name just before "issue N" or "#N"


def _files() -> Iterator[Path]:
    yield from (ROOT / name for name in ("README.md", "pyproject.toml", "Makefile", "conftest.py", "allurerc.mjs",
                                         f"{PACKAGE}/__init__.py"))
    for folder in REPO_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not SKIPPED & set(path.relative_to(ROOT).parts) and (
                    path.suffix == ".py" or path.suffix in TEXT_SUFFIXES):
                yield path


def _prose(path: Path) -> str:
    """What a person reads as prose in the file: a .py file's docstrings and comments, any other file whole."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    parts = [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                parts.append(docstring)
    return "\n".join(parts)


PROSE = {path: _prose(path) for path in _files()}


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _exists(reference: str) -> bool:
    reference = reference.rstrip(".")
    pattern = re.sub(r"<[^>]*>", "*", reference)
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    return (ROOT / reference).exists()


def _holds(dotted: str) -> bool:
    """Whether the longest importable prefix of `dotted` is a module that holds the rest as attributes."""
    parts = dotted.split(".")
    if parts[0] != PACKAGE:  # `harness.run.config` is tiktok_promo.harness.run.config: never import a second copy
        parts = [PACKAGE, *parts]
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                # A file name (`releases/current.yaml` written with dots) is a path, not a module.
                return (ROOT / Path(*parts[:cut])).with_suffix("").is_dir() and _exists(
                    "/".join(parts[:cut]) + "/" + ".".join(parts[cut:]))
            found = getattr(found, name)
        return True
    return False


def test_every_relative_link_in_the_docs_reaches_a_file_of_the_repo() -> None:
    dangling = []
    for path, text in PROSE.items():
        if path.suffix != ".md":
            continue
        for target in MARKDOWN_LINK.findall(text):
            if re.match(r"[a-z]+:|#", target):
                continue
            if not (path.parent / target.split("#")[0]).exists():
                dangling.append(f"{_where(path)}: ({target})")
    assert dangling == [], "\n".join(dangling)


def test_every_repo_path_named_in_docs_docstrings_and_comments_exists() -> None:
    dangling = []
    for path, text in PROSE.items():
        for match in REPO_PATH.finditer(text):
            line_before = text[:match.start()].rsplit("\n", 1)[-1]
            # `owner/name `path`` is a file of another repository (appium/appium-uiautomator2-driver `docs/...`).
            if match.group(1) in EXAMPLE_PATHS or NAMED_REPOSITORY.search(line_before.rstrip(" `")):
                continue
            if not _exists(match.group(1)):
                dangling.append(f"{_where(path)}: {match.group(1)}")
    assert dangling == [], "\n".join(dangling)


def test_every_markdown_file_named_without_its_folder_is_a_doc_of_the_repo() -> None:
    docs = {path.name for path in PROSE if path.suffix == ".md"}
    dangling = [f"{_where(path)}: {name}" for path, text in PROSE.items() for name in MARKDOWN_FILE.findall(text)
                if name not in docs]
    assert dangling == [], "\n".join(dangling)


def test_every_module_named_in_docs_docstrings_and_comments_holds_what_follows_it() -> None:
    wrong = sorted({f"{_where(path)}: {dotted.rstrip('.')}" for path, text in PROSE.items()
                    for dotted in DOTTED_NAME.findall(text) if not _holds(dotted.rstrip("."))})
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(("pattern", "what"), OUTSIDE, ids=["shared folder", "machine path", "capture format file"])
def test_nothing_cites_a_file_outside_the_repo(pattern: re.Pattern[str], what: str) -> None:
    cited = [f"{_where(path)}: {match.group(0)}" for path, text in PROSE.items() for match in pattern.finditer(text)]
    assert cited == [], f"these cite {what}:\n" + "\n".join(cited)


def test_an_issue_is_cited_only_with_the_repository_it_belongs_to() -> None:
    bare = []
    for path, text in PROSE.items():
        for match in ISSUE.finditer(text):
            line_before = text[:match.start()].rsplit("\n", 1)[-1].rstrip()
            if not NAMED_REPOSITORY.search(line_before):
                bare.append(f"{_where(path)}: {line_before[-30:]}{match.group(0)}")
    assert bare == [], "\n".join(bare)
