"""docs/python-api.md's two examples, copied out of the page into a folder outside the repo and run as a user
would: the plain script with the project's Python, the user's own test file with `python -m pytest` and no
conftest.py, so the fixtures come from the installed plugin (the `pytest11` entry point). Both cancel a
promotion on the virtual device; what the page shows is what runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from runenv import clean_env

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "python-api.md"
_BLOCK = re.compile(r"^```python\n# (?P<name>[\w.]+)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


def example(name: str) -> str:
    """The page's python block whose first line is `# name`, as a file of that name would hold it."""
    blocks = {match["name"]: f"# {match['name']}\n{match['code']}" for match in _BLOCK.finditer(
        PAGE.read_text(encoding="utf-8"))}
    assert name in blocks, f"docs/python-api.md has no python block starting '# {name}' (it has {sorted(blocks)})"
    return blocks[name]


def run_outside(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the modules are found as installed, as in a user's folder.
    env = clean_env()
    env.pop("PYTHONPATH", None)
    assert not tmp_path.resolve().is_relative_to(ROOT)
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.slow  # a Python process that starts the virtual device
def test_the_documented_script_cancels_a_promotion_on_the_virtual_device(tmp_path: Path) -> None:
    (tmp_path / "cancel_one.py").write_text(example("cancel_one.py"), encoding="utf-8")
    run = run_outside(tmp_path, "cancel_one.py")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Summer haul try-on: active -> cancelled" in run.stdout


@pytest.mark.slow  # a pytest process
def test_a_users_own_pytest_suite_gets_the_plugins_fixtures_and_cancels(tmp_path: Path) -> None:
    (tmp_path / "test_my_promotions.py").write_text(example("test_my_promotions.py"), encoding="utf-8")
    assert not (tmp_path / "conftest.py").exists()
    run = run_outside(tmp_path, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert run.returncode == 0, run.stdout + run.stderr
    # The test itself asserts the promotion shows cancelled on the device's list; it must have run and passed.
    assert re.search(r"^1 passed\b", run.stdout, re.MULTILINE), run.stdout
    assert "fixture 'appium_session' not found" not in run.stdout


@pytest.mark.slow  # a pytest process
def test_a_users_suite_with_its_own_pages_package_keeps_both(tmp_path: Path) -> None:
    # QA suites keep their page objects in a `pages/` package beside their tests: it is theirs, and the plugin's
    # page objects (tiktok_promo.pages) are still the plugin's, in the same run.
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pages" / "login.py").write_text('class LoginPage:\n    title = "Our own login"\n', encoding="utf-8")
    own = "pages"  # through a name: the rename script (which prefixed the layers' imports) leaves it bare
    (tmp_path / "test_my_pages.py").write_text(
        f"from pathlib import Path\n\nimport {own}\nfrom {own}.login import LoginPage\n\n\n"
        "def test_our_pages_are_ours():\n"
        "    assert Path(pages.__file__).parent == Path(__file__).parent / 'pages'\n"
        "    assert LoginPage.title == 'Our own login'\n", encoding="utf-8")
    (tmp_path / "test_my_promotions.py").write_text(example("test_my_promotions.py"), encoding="utf-8")
    run = run_outside(tmp_path, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^2 passed\b", run.stdout, re.MULTILINE), run.stdout
