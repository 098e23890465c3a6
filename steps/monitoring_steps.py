"""Monitoring: the budget and performance of every active promotion, as a table."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from tiktok_promo.flows.inventory import MonitoredPromotion, monitor
from tiktok_promo.harness.report import evidence
from tiktok_promo.harness.report.scenario_results import checks_feature_values
from tiktok_promo.steps.context import Journey


def monitoring_table(monitored: list[MonitoredPromotion]) -> list[dict[str, str]]:
    """One row per promotion, each value as the app shows it."""
    table = []
    for item in monitored:
        d = item.details
        table.append({"title": d.title or "", "status": d.status_text or "", "budget": d.budget_text or "",
                      "duration": d.duration_text or "", "spent": d.spent_text or "",
                      **{name: shown or "" for name, shown in d.metric_texts.items()}})
    return table


@when("I read the budget and performance metrics of every active promotion")
def read_monitoring(journey: Journey) -> None:
    listing = journey.flow.open_promotions(journey.page, check_account=False)
    journey.monitored = monitor(listing)
    journey.page = listing
    evidence.attach_table("active promotions: budget and performance", monitoring_table(journey.monitored))


@then("I get a row for each active promotion with these columns:")
def rows_with_columns(journey: Journey, datatable: list[list[str]]) -> None:
    columns = [row[0] for row in datatable[1:]]
    table = monitoring_table(journey.monitored)
    assert table, "No active promotion was read"
    for row in table:
        empty = [c for c in columns if not row.get(c)]
        assert not empty, f'"{row["title"]}" has no {", ".join(empty)}'
    assert len(table) == len(journey.monitored)


@then("no active promotion has spent more than its budget")
def within_budget(journey: Journey) -> None:
    over = [(m.details.title, m.details.spent_text, m.details.budget_text) for m in journey.monitored
            if m.details.total_budget is None or (m.details.spent or 0) > m.details.total_budget]
    assert not over, f"Spent more than the budget (title, spent, budget): {over}"


@checks_feature_values
@then("the table of active promotions is:")
def table_is(journey: Journey, datatable: list[list[str]]) -> None:
    header, *expected = datatable
    shown = [[row.get(column, "") for column in header] for row in monitoring_table(journey.monitored)]
    assert shown == expected, f"The app shows {shown}, expected {expected}"


@checks_feature_values
@then(parsers.parse("the table has {count:d} active promotions"))
def table_has(journey: Journey, count: int) -> None:
    assert len(journey.monitored) == count, f"{len(journey.monitored)} active promotions read, expected {count}"
