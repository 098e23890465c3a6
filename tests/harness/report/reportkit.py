"""The report sample and a real headless Chromium to look at Allure reports with.

    python tests/harness/report/reportkit.py [OUT]    # = make report-sample; OUT defaults to reports/report-sample

runs the sample (tests/harness/report/sample/: one scenario per failure class, one that passes on fallback
locators, an outline with two rows) with the project's own steps and hooks, builds its Allure Report 3
(harness.report.html, with allurerc.mjs) and saves pictures of it under OUT/screens/: the overview, the
Categories tab, each category opened, and the drifted pass. tests/harness/report/test_report_in_chromium.py
uses the same pieces to check what those pictures show.

Chromium is Debian's chromium + chromium-driver (`make browser`). The report is served over
http://127.0.0.1 (its app fetches its data files, which file:// does not allow); Chromium may resolve
no host but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:  # run as a script by `make report-sample`
    sys.path.insert(0, str(REPO))

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tiktok_promo.harness.errors import HarnessError  # noqa: E402
from tiktok_promo.harness.report.html import build_report  # noqa: E402
from tiktok_promo.harness.report.scenario_results import category_rules  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
RENDER_TIMEOUT = 60.0  # a wait on what the page shows; a loaded CI machine renders a 3 MB report slowly
SAMPLE = REPO / "tests" / "harness" / "report" / "sample" / "report_sample.py"
DRIFTED_PASS = "Passes on fallback locators on a new build that kept the business words"

# What the sample's scenarios end in: the category each lands in (harness/report/categories.json names).
_RULES = {rule.get("value", "locator drift"): rule["name"] for rule in category_rules()}
SAMPLE_CATEGORIES = {
    _RULES["locator drift"]: 1,
    _RULES["product rule"]: 3,  # a Then that finds the app otherwise, an unknown title, an ambiguous one
    _RULES["device or session"]: 1,
    _RULES["app or locator"]: 1,
    _RULES["configuration"]: 1,
    _RULES["unexpected"]: 1,
}
OUTLINE_ROWS = (
    "Cancels the promotion chosen by its title (title: Summer haul try-on)",
    "Cancels the promotion chosen by its title (title: Latte art in 30 seconds)",
)


class ChromiumMissing(RuntimeError):
    """Chromium or its driver is not installed; the message says how to install them."""


def run_sample(out: Path, *options: str) -> Path:
    """Run the sample scenarios (with pytest `options`) with Allure results in OUT/allure-results (replaced); that
    directory."""
    results = out / "allure-results"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PROMO_"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", str(SAMPLE), f"--alluredir={results}",
         "--clean-alluredir", *options],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode not in (0, 1) or not any(results.glob("*-result.json")):
        raise RuntimeError(f"The report sample did not run (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
                           f"{done.stderr[-2000:]}")
    return results


@contextlib.contextmanager
def chromium(window: str = "1400,1000") -> Iterator[webdriver.Chrome]:
    """A headless Chromium, closed afterwards."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        raise ChromiumMissing(f"Chromium is not installed ({', '.join(missing)} missing); run `make browser` "
                              "(apt-get install chromium chromium-driver).")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = str(CHROMIUM)
        for arg in (
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", f"--window-size={window}",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", f"--user-data-dir={profile}",
        ):
            opts.add_argument(arg)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
        driver.set_page_load_timeout(RENDER_TIMEOUT)
        try:
            yield driver
        finally:
            driver.quit()


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """`directory` served on 127.0.0.1 by a small http.server thread; its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="report-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_text(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def wait_for(driver: webdriver.Chrome, what: str, shown: Callable[[webdriver.Chrome], Any],
             timeout: float = RENDER_TIMEOUT) -> Any:
    """Wait until the page shows something (`shown` answers truthy); a clear AssertionError otherwise."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.2).until(shown)
    except TimeoutException:
        raise AssertionError(f"{driver.current_url} did not show {what} within {timeout:g} s; the page said:\n"
                             f"{page_text(driver)[:1500]}") from None


def wait_for_text(driver: webdriver.Chrome, *texts: str) -> str:
    """Wait until every text is on the page; the page's text."""
    def shown(drv: webdriver.Chrome) -> str | bool:
        text = page_text(drv)
        return text if all(x in text for x in texts) else False

    return wait_for(driver, " and ".join(repr(t) for t in texts), shown)


@dataclass(frozen=True)
class Report:
    """A built Allure Report 3 directory and what its own data files say (to reach a test by its name)."""

    index: Path

    @property
    def root(self) -> Path:
        return self.index.parent

    def test_ids(self) -> dict[str, str]:
        """Test name -> the report's id of it (data/test-results/<id>.json)."""
        ids = {}
        for path in (self.root / "data" / "test-results").glob("*.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            ids[data["name"]] = data["id"]
        return ids


@dataclass(frozen=True)
class SampleReports:
    """The report sample's Allure results, and the two reports built from them once."""

    results: Path
    directory: Report
    single: Path  # the single-file report's index.html


def open_overview(driver: webdriver.Chrome, base: str) -> str:
    driver.get(f"{base}/index.html")
    return wait_for_text(driver, "Results", "Metadata")


def open_categories(driver: webdriver.Chrome, base: str) -> str:
    """The Categories tab as a first visit shows it: every category closed (the report keeps what was opened
    in the browser's storage, so that is cleared first)."""
    driver.get(f"{base}/index.html#/categories")
    driver.execute_script("window.localStorage.clear(); window.sessionStorage.clear();")
    driver.refresh()
    return wait_for_text(driver, next(iter(SAMPLE_CATEGORIES)))


def open_test(driver: webdriver.Chrome, base: str, report: Report, name: str, *expect: str) -> str:
    driver.get(f"{base}/index.html#/{report.test_ids()[name]}")
    return wait_for_text(driver, name, *expect)


def category_row(driver: webdriver.Chrome, name: str) -> Any:
    """The Categories tab's row of a category (its name and its count)."""
    rows = driver.find_elements(By.XPATH, f"//*[normalize-space(text())={json.dumps(name)}]")
    return rows[0] if rows else None


# How much of the page its scrolled parts hide (the report scrolls inside a container, not the document).
_HIDDEN = """
const scrolled = [document.documentElement, ...document.querySelectorAll("*")].filter((e) =>
  e === document.documentElement || ["auto", "scroll"].includes(getComputedStyle(e).overflowY));
return Math.max(0, ...scrolled.map((e) => e.scrollHeight - e.clientHeight));
"""
_TO_TOP = "window.scrollTo(0, 0); document.querySelectorAll('*').forEach((e) => { e.scrollTop = 0; });"
_TALLEST_WINDOW = 8000


def save(driver: webdriver.Chrome, path: Path) -> Path:
    """A picture of the whole page as a person scrolling it would see it: the window grown until nothing is
    scrolled out of sight, from the top."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    for _ in range(6):  # a taller window can lay out taller content (lazy parts): measure again
        hidden = int(driver.execute_script(_HIDDEN))
        if hidden <= 2 or height >= _TALLEST_WINDOW:
            break
        before = driver.execute_script("return window.innerHeight")
        height = min(height + hidden, _TALLEST_WINDOW)
        driver.set_window_size(width, height)
        wait_for(driver, "the taller window", lambda d, b=before: d.execute_script("return window.innerHeight") > b)
    driver.execute_script(_TO_TOP)
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 1000)
    return path


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").split("--")[0][:40].strip("-")


def screenshots(report: Report, out: Path) -> list[Path]:
    """Pictures of the report a person looks at first: overview, categories, each category, the drifted pass."""
    saved = []
    for old in out.glob("*.png"):  # the pictures of this report only, not an earlier one's
        old.unlink()
    with served(report.root) as base, chromium() as driver:
        open_overview(driver, base)
        saved.append(save(driver, out / "01-overview.png"))
        open_categories(driver, base)
        saved.append(save(driver, out / "02-categories.png"))
        for number, name in enumerate(SAMPLE_CATEGORIES, start=3):
            open_categories(driver, base)
            row = category_row(driver, name)
            if row is not None:
                row.click()  # a category opens to its messages and tests
                wait_for_text(driver, name)
            saved.append(save(driver, out / f"{number:02d}-category-{slug(name)}.png"))
        open_test(driver, base, report, DRIFTED_PASS, "locator drift")
        saved.append(save(driver, out / f"{3 + len(SAMPLE_CATEGORIES):02d}-drifted-pass.png"))
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else REPO / "reports" / "report-sample"
    try:
        results = run_sample(out)
        report = Report(build_report(results, out / "allure-report"))
        pictures = screenshots(report, out / "screens")
    except (ChromiumMissing, RuntimeError, HarnessError) as error:
        print(f"report-sample: {error}", file=sys.stderr)
        return 1
    print(f"Report of the sample: {report.index}")
    for picture in pictures:
        print(f"  {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
