"""A feature file, or one scenario of it, named on pytest's command line.

pytest collects Python test modules only, and pytest-bdd turns feature files into tests through a module that calls
`scenarios(...)` (features/test_scenarios.py). So `pytest features/my_latte.feature` would find nothing. Before
collection, each such argument becomes the module that binds its folder; after collection, the scenarios of other
feature files are deselected. `pytest "features/my_latte.feature::Stop it and check nothing more is charged"` keeps
the one scenario of that name (every Examples row of an outline).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tiktok_promo.harness.bdd.feature_checks import scenario_template
from tiktok_promo.harness.errors import ConfigError


@dataclass(frozen=True)
class FeatureChoice:
    """A feature file (and, after '::', a scenario's name) as typed, with the file it names."""

    arg: str
    path: str  # real path of the feature file
    scenario: str | None


def _binding_module(feature: Path, root: Path) -> Path | None:
    """The nearest test module at or above the feature's folder that calls pytest-bdd's scenarios()."""
    folder = feature.parent
    while True:
        for module in sorted(folder.glob("test_*.py")):
            try:
                if "scenarios(" in module.read_text(encoding="utf-8", errors="replace"):
                    return module
            except OSError:
                continue
        if folder == root or folder.parent == folder or root not in folder.parents:
            return None
        folder = folder.parent


def rewrite(args: Sequence[str], root: Path) -> tuple[list[str], list[FeatureChoice]]:
    """pytest's arguments with each feature file replaced by the module that binds it, and the choices made."""
    new_args: list[str] = []
    choices: list[FeatureChoice] = []
    for arg in args:
        file_part, _, scenario = arg.partition("::")
        if not file_part.endswith(".feature"):
            new_args.append(arg)
            continue
        feature = Path(file_part) if Path(file_part).is_absolute() else root / file_part
        if not feature.is_file():
            raise ConfigError(f"{file_part}: no such feature file.")
        module = _binding_module(feature.resolve(), root.resolve())
        if module is None:
            raise ConfigError(f"{file_part}: no test module in its folder or above binds it to pytest (a test_*.py "
                              "calling pytest_bdd.scenarios); put it in features/.")
        choices.append(FeatureChoice(arg, os.path.realpath(feature), scenario.strip() or None))
        if str(module) not in new_args:
            new_args.append(str(module))
    return new_args, choices


def keep_chosen(items: list[Any], choices: Sequence[FeatureChoice]) -> tuple[list[Any], list[Any]]:
    """(kept, deselected): the scenarios of the chosen feature files, or ConfigError for a scenario name that
    the file does not have, offering the nearest names."""
    if not choices:
        return items, []
    kept: list[Any] = []
    dropped: list[Any] = []
    names: dict[str, list[str]] = {}
    for item in items:
        template = scenario_template(item)
        if template is None:
            kept.append(item)
            continue
        feature = os.path.realpath(template.feature.filename)
        names.setdefault(feature, []).append(template.name)
        wanted = any(choice.path == feature and choice.scenario in (None, template.name) for choice in choices)
        (kept if wanted else dropped).append(item)
    for choice in choices:
        if choice.scenario is not None and choice.scenario not in names.get(choice.path, []):
            offered = list(dict.fromkeys(names.get(choice.path, [])))
            close = difflib.get_close_matches(choice.scenario, offered, n=3, cutoff=0.4)
            hint = ("did you mean " + " or ".join(f'"{name}"' for name in close) + "? " if close else "")
            raise ConfigError(f'{choice.arg.partition("::")[0]} has no scenario named "{choice.scenario}"; {hint}'
                              f"its scenarios are: " + "; ".join(f'"{name}"' for name in offered) + ".")
    return kept, dropped
