"""The run-wide faults (harness.run.simhost): --sim-faults parsed into a profile or settings, a scenario's own
faults put on top, and a run's latency passed to every scenario's virtual device."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.simhost import merge_faults, parse_run_faults


def test_run_faults_parse_and_a_scenarios_own_go_on_top() -> None:
    assert parse_run_faults(None) is None and parse_run_faults(" ") is None
    assert parse_run_faults("flaky") == "flaky"
    latency = parse_run_faults('{"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}')
    assert latency == {"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse_run_faults("{latency_ms: 150}")
    assert merge_faults(None, latency) == latency and merge_faults(latency, None) == latency
    assert merge_faults(latency, {"popup_rate": 0.2, "seed": 7}) == {
        "latency_ms": 150, "latency_sigma": 0.35, "seed": 7, "popup_rate": 0.2}
    assert merge_faults("flaky", {"seed": 3}) == {"profile": "flaky", "seed": 3}


def test_a_run_with_latency_passes_it_to_every_scenario(make_session) -> None:
    session = make_session("default", faults={"latency_ms": 20, "seed": 1})
    session.use_faults({"popup_rate": 0.0, "seed": 2})  # a scenario's own faults, on top of the run's
    session.start()
    assert session.stats()["injected_latency_ms"] == 0
    session.finder.snapshot()
    assert session.stats()["injected_latency_ms"] >= 20
