"""`promo` under faults and bad input: it recovers where that is safe, and otherwise fails in one classified
sentence with evidence, never leaving a promotion changed that was not asked for.

The virtual device's `--sim-ledger` file is the judge of what really happened.
"""

from __future__ import annotations

import base64
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from clikit import REPO, Promo, category_of
from runenv import clean_env, still_profile

SUMMER = "Summer haul try-on"
UNTOUCHED = {"P-1002": "active", "P-1003": "in_review", "P-0990": "completed"}


def allure_result(promo: Promo) -> dict:
    [result] = [json.loads(p.read_text()) for p in promo.results.glob("*-result.json")]
    return result


@pytest.mark.slow
def test_a_session_that_dies_mid_cancel_is_started_again_and_the_cancel_completes(promo: Promo,
                                                                                 tmp_path: Path) -> None:
    # Every session of a device gets the same faults, so the crash must come after the plan's commands, and
    # the new session must do its whole flow from the first screen (and the ledger read) within as many: on
    # the `current` release the first session pays for the fallback wording, which the second knows. The
    # first count of these that does so is used (each run leaves its own evidence: the first should do).
    # Screens at rest: with screens coming in, a page source read while one still moves is read again and a flow's
    # count moved with the load, so a CI run tried position after position (95 s). The finder's choice between
    # finds and a page source still follows each command's measured time, so a few positions stay to try.
    still = str(still_profile(tmp_path))
    for crash_after in (17, 16, 18, 15, 19, 14, 20, 13, 21, 12, 22, *range(23, 41)):
        for earlier in promo.evidence_dirs:  # a position that did not do: its evidence is not the run checked
            shutil.rmtree(earlier)
        # No video: recording's own commands (start, stop) would count towards the crash too.
        run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes", "--json", "--world", "current",
                    "--caps", still, "--video", "off", "--sim-faults", f'sim-1={{"crash_after": {crash_after}}}',
                    ledger=True)
        # The commands a flow takes vary a little with the finder's choices: a count whose crash also hits the
        # second session's ledger read is not the one.
        if "recovering" in run.err and "gave up after" not in run.err and run.ledger.get("sim-1") is not None:
            break
    else:
        pytest.fail("no crash position made the device recover: " + run.err)
    assert run.code == 0, run.err
    assert "sim-1: recovering: The Appium session ended unexpectedly" in run.err
    assert "Starting a new session (1 of 2) and beginning again from the app's first screen" in run.err
    [outcome] = run.device()["outcomes"]
    assert outcome["outcome"] == "cancelled" and outcome["failure_class"] is None
    statuses = run.statuses()  # the world of the session the cancel was made in
    assert statuses["P-1001"] == "canceled" and {k: statuses[k] for k in UNTOUCHED} == UNTOUCHED
    assert [e["outcome"] for e in promo.audit[-1:]] == ["cancelled"]
    result = allure_result(promo)
    assert result["status"] == "passed"
    # Every session gets the same crash fault: a second session may crash too before the cancel, and recover again.
    recoveries = [step for step in result["steps"] if step["name"] == "Recovery"]
    assert recoveries, result["steps"]
    [what] = [p["value"] for p in recoveries[0]["parameters"] if p["name"] == "what"]
    assert what.startswith("The Appium session ended unexpectedly")


@pytest.mark.slow
def test_a_confirm_that_keeps_failing_is_a_product_failure_with_screen_and_page_source(promo: Promo,
                                                                                       tmp_path: Path) -> None:
    caps = yaml.safe_load((REPO / "harness" / "run" / "profiles" / "sim.yaml").read_text(encoding="utf-8"))
    caps["recovery"] = {"confirm_taps": 1}  # no second confirm: the first one's failure is the answer
    caps_file = tmp_path / "one-confirm.yaml"
    caps_file.write_text(yaml.safe_dump(caps), encoding="utf-8")
    run = promo("cancel", "--caps", str(caps_file), "--title", SUMMER, "--reason", "budget", "--yes", "--json",
                "--sim-faults", 'sim-1={"confirm_fails_once": true}', ledger=True)
    assert run.code == 1
    [outcome] = run.device()["outcomes"]
    assert outcome["outcome"] == "not-cancelled" and outcome["failure_class"] == "product rule"
    assert outcome["message"].startswith(f'After confirming, the app still shows "{SUMMER}" (P-1001) as "Active" and '
                                         'says "Something went wrong. Please try again."')
    assert run.statuses()["P-1001"] == "active"

    result = allure_result(promo)
    assert result["status"] == "failed"
    assert category_of(result).startswith("Product rule")
    [cancel] = [s for s in result["steps"] if s["name"].startswith("Cancel ")]
    kinds = sorted(a["type"] for a in cancel["attachments"])
    assert kinds == ["application/xml", "image/png", "video/mp4"]  # promo keeps the video of every cancel
    source = next(a for a in cancel["attachments"] if a["type"] == "application/xml")
    assert "<hierarchy" in (promo.results / source["source"]).read_text()


@pytest.mark.slow
def test_a_device_that_keeps_crashing_is_a_device_failure_after_the_budget(promo: Promo) -> None:
    run = promo("cancel", "--title", SUMMER, "--reason", "budget", "--yes",
                "--sim-faults", 'sim-1={"crash_after": 3}')
    assert run.code == 1
    line = run.one_error_line()
    assert line.startswith("promo: sim-1: The Appium session ended unexpectedly")
    assert line.endswith("(gave up after 2 new sessions).") and "For documentation" not in line
    result = allure_result(promo)
    assert result["status"] == "broken"
    assert category_of(result).startswith("Device or session")
    assert [e["outcome"] for e in promo.audit] == ["failed"]


# --- bad input ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_malformed_world_file_names_the_file_and_line_and_touches_nothing(promo: Promo, tmp_path: Path) -> None:
    world = tmp_path / "broken.yaml"
    world.write_text("name: broken\naccounts:\n  - username: a\n   display_name: [oops\n", encoding="utf-8")
    for argv in (["list", "--world", str(world)],
                 ["cancel", "--device", f"sim-1={world}", "--all-active", "--reason", "budget", "--yes"]):
        run = promo(*argv)
        assert run.code == 2
        assert run.one_error_line() == (f"promo: World file {world} is not valid YAML at line 4, column 4: did not "
                                        "find expected '-' indicator.")  # libyaml's words (simulator/world.py)
    assert not promo.reports.exists()  # stopped before any device, audit log or report


@pytest.fixture
def web_server() -> Iterator[int]:
    """A web server that is not Appium (what a wrong port often reaches): its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_a_port_where_something_else_answers_is_one_sentence_and_nothing_is_cancelled(promo: Promo,
                                                                                        web_server: int) -> None:
    url = f"http://127.0.0.1:{web_server}"
    run = promo("cancel", "--target", "appium", "--appium-url", url, "--account", "mia.creates", "--title", SUMMER,
                "--reason", "budget", "--yes")
    assert run.code == 1
    assert run.one_error_line() == (f"promo: device: Could not start a session on Appium at {url}: what answers "
                                    "there is not an Appium server (it sent a web page); check the URL and its port.")
    assert "Nothing was cancelled." in run.out
    assert [e["outcome"] for e in promo.audit] == ["failed"]


@pytest.mark.slow
def test_confirms_whose_answers_are_lost_are_recorded_as_the_app_shows_them(promo: Promo) -> None:
    # Both confirms land and neither answer comes (sim:faults lost_answers): the harness reads the app,
    # records the truth and taps nothing twice.
    run = promo("cancel", "--all-active", "--reason", "budget", "--yes", "--json",
                "--sim-faults", 'sim-1={"lost_answers": 2}', ledger=True)
    assert run.code == 0, run.err
    assert [(o["id"], o["outcome"], o["confirms"]) for o in run.device()["outcomes"]] == [
        ("P-1001", "cancelled", 1), ("P-1002", "cancelled", 1)]
    assert run.statuses()["P-1001"] == run.statuses()["P-1002"] == "canceled"
    assert [(e["promotion_id"], e["outcome"]) for e in promo.audit] == [("P-1001", "cancelled"),
                                                                         ("P-1002", "cancelled")]


class _EchoingHandler(BaseHTTPRequestHandler):
    """A server that refuses every session and echoes the request's headers in its error, as some proxies do."""

    def _refusal(self, sent: bytes) -> str:
        headers = {name: value for name, value in self.headers.items()}
        return f"Refused; you sent {headers}"

    def _answer(self) -> None:
        sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = 200 if self.path.endswith("/status") else 500
        body = json.dumps({"value": {"error": "session not created", "message": self._refusal(sent),
                                     "stacktrace": ""}} if status == 500 else {"value": {"ready": True}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
def test_an_echoed_authorization_header_reaches_no_output_and_no_record_in_any_encoding(promo: Promo) -> None:
    secret = "s3cr3t-Cl0ud-K3y"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://ops:{secret}@127.0.0.1:{server.server_address[1]}"
        run = promo("cancel", "--target", "appium", "--appium-url", url, "--account", "mia.creates", "--title", SUMMER,
                    "--reason", "budget", "--yes", "--json", env=clean_env(SAUCE_ACCESS_KEY=secret))
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 1
    assert "Could not start a session" in run.one_error_line()
    basic = base64.b64encode(f"ops:{secret}".encode()).decode()
    forms = [secret, basic, basic[4:-4], quote(secret, safe="")]
    texts = {"stdout": run.out, "stderr": run.err}
    texts |= {str(path): path.read_text(errors="replace") for path in promo.reports.rglob("*") if path.is_file()}
    assert str(promo.reports / "promo-audit.jsonl") in texts
    for where, text in texts.items():
        for form in forms:
            assert form not in text, (where, form)
    assert "'Authorization': 'Basic ***'" in run.err


class _BodyEchoingHandler(_EchoingHandler):
    """A cloud hub that refuses the session and quotes the capabilities it was sent (JSON inside its JSON)."""

    def _refusal(self, sent: bytes) -> str:
        return f"Invalid credentials in {sent.decode('utf-8', 'replace')}"


@pytest.mark.slow
def test_a_key_with_a_quote_a_backslash_and_an_accent_echoed_by_the_hub_is_masked_in_every_escaping(
        promo: Promo, tmp_path: Path) -> None:
    key = 'AKIA"q\\z-é-7Hc2vX9w'  # what broke it: a quote, a backslash, a letter JSON writes as \u00e9
    caps = tmp_path / "cloud.yaml"
    caps.write_text(yaml.safe_dump({
        "description": "a cloud hub that echoes", "account": "mia.creates",
        "capabilities": {"platformName": "Android", "appium:automationName": "UiAutomator2",
                         "bstack:options": {"userName": "qa.team", "accessKey": "${BROWSERSTACK_ACCESS_KEY}"}}}),
        encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BodyEchoingHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        run = promo("cancel", "--target", "appium", "--caps", str(caps), "--reports", str(promo.reports),
                    "--appium-url", f"http://127.0.0.1:{server.server_address[1]}", "--title", SUMMER,
                    "--reason", "budget", "--yes", env=clean_env(BROWSERSTACK_ACCESS_KEY=key))
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 1 and "Invalid credentials" in run.err  # the hub did echo the capabilities
    audit = promo.reports / "promo-audit.jsonl"
    results = list(promo.results.glob("*-result.json"))
    assert audit.is_file() and results  # the records this is about were written
    texts = {"stdout": run.out, "stderr": run.err, str(audit): audit.read_text(encoding="utf-8")}
    texts |= {str(path): path.read_text(encoding="utf-8") for path in results}
    assert "***" in texts[str(audit)]
    for where, text in texts.items():
        assert "7Hc2vX9w" not in text, f"a piece of the key reached {where}: {text[:2000]}"
