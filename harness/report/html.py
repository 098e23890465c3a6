"""The HTML report: Allure Report 3 (the npm package `allure`, pinned in package.json) over Allure results.

    build_report(Path("reports/allure-results"), Path("reports/allure-report"))            # a directory
    build_report(Path("reports/allure-results"), Path("reports/allure-report-single"), single_file=True)

The report's name and plugin settings live in `allurerc.mjs` at the repo root; a single file is the
Awesome plugin's `singleFile` option, switched on by the environment variable ALLURE_SINGLE_FILE=1.
`python -m tiktok_promo.harness.report.html` builds both and prints where `index.html` is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from tiktok_promo.harness.errors import ReportError

__all__ = [
    "REPORT_NAME",
    "REPO_ROOT",
    "ReportError",
    "allure_cli",
    "build_report",
    "build_reports",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT_NAME = "TikTok promotion cancel flow"


def allure_cli(root: Path = REPO_ROOT) -> Path:
    """The repo's Allure Report 3 command line, or a ReportError saying how to install it."""
    cli = root / "node_modules" / ".bin" / "allure"
    if not cli.exists():
        raise ReportError(
            f"Allure Report 3 is not installed: {cli} is missing; run `npm ci` (or `make node`) in {root}."
        )
    if shutil.which("node") is None:
        raise ReportError("Node.js is not on PATH; install Node 20.19+ (with npm) to build the HTML report.")
    return cli


def build_report(
    results: Path,
    output: Path,
    *,
    single_file: bool = False,
    root: Path = REPO_ROOT,
    config: Path | None = None,
    name: str | None = None,
    timeout: float = 300.0,
) -> Path:
    """Build the HTML report of `results` into `output` (replaced); the path of its `index.html`.

    single_file: one self-contained `index.html` (for CI artifacts) instead of a directory of files.
    config: an Allure 3 config (default `<root>/allurerc.mjs` when present). name: overrides its name.
    """
    cli = allure_cli(root)
    results = Path(results).resolve()
    output = Path(output).resolve()
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise ReportError(f"There are no Allure results in {results}; run the features with --alluredir first.")
    config = config if config is not None else root / "allurerc.mjs"
    cmd = [str(cli), "generate", str(results), "--output", str(output)]
    if config and Path(config).exists():
        cmd += ["--config", str(Path(config).resolve())]
    if name:
        cmd += ["--report-name", name]
    env = {**os.environ, "ALLURE_SINGLE_FILE": "1" if single_file else "0", "NO_COLOR": "1"}
    if output.exists():
        shutil.rmtree(output)
    try:
        done = subprocess.run(
            cmd, cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReportError(f"Allure Report 3 did not finish the report within {timeout:g} s.") from None
    index = output / "index.html"
    if done.returncode != 0 or not index.exists():
        last = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:]) or "no output"
        raise ReportError(f"Allure Report 3 could not build the report into {output}: {last}")
    return index


def build_reports(
    results: Path,
    output: Path,
    single: Path | None,
    *,
    root: Path = REPO_ROOT,
) -> tuple[Path, Path | None]:
    """The report directory and, when `single` is given, the single-file report; their `index.html` paths."""
    index = build_report(results, output, root=root)
    single_index = build_report(results, single, single_file=True, root=root) if single else None
    return index, single_index


def main(argv: Sequence[str] | None = None) -> int:
    """Build the HTML report (and its single-file twin) and print the path of index.html."""
    parser = argparse.ArgumentParser(prog="python -m tiktok_promo.harness.report.html.html", description=main.__doc__)
    parser.add_argument("--results", type=Path, default=REPO_ROOT / "reports" / "allure-results")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "reports" / "allure-report")
    parser.add_argument("--single", type=Path, default=REPO_ROOT / "reports" / "allure-report-single",
                        help="where the single-file report goes")
    parser.add_argument("--no-single", action="store_true", help="skip the single-file report")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        index, single = build_reports(args.results, args.output, None if args.no_single else args.single)
    except ReportError as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    print(f"HTML report: {index}")
    if single:
        print(f"Single-file HTML report: {single}")
    print(f"(built in {time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
