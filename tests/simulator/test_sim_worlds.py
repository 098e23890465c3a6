"""World files: the shipped ones, the format, and one clear sentence per mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.common.exceptions import SessionNotCreatedException
from simkit import PROTOCOL_AT_REST, by_desc, ledger, mobile, open_details, texts

from tiktok_promo.simulator.world import WorldError, load_world_file, resolve_world, shipped_worlds

GOOD = """\
name: tiny
app:
  release: current
clock: "2026-11-20T10:00:00Z"
accounts:
  - username: sam.bakes
    display_name: Sam Bakes
logged_in: sam.bakes
popups:
  - {kind: contacts, on: profile}
promotions:
  - id: T-1
    title: Bread at dawn
    status: active
    budget: 12.50
    duration_days: 2
    start: "2026-11-19T10:00:00Z"
    spend: 3.00
"""


def _write(tmp_path: Path, text: str, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_worlds_all_load() -> None:
    names = set(shipped_worlds())
    assert {"default", "none-active", "logged-out", "many", "duplicate-titles", "current", "business"} <= names
    for name in names:
        assert resolve_world(name).name == name


def test_shipped_worlds_hold_what_their_names_promise() -> None:
    default = resolve_world("default").build()
    statuses = sorted(p.status for p in default.promotions_of(default.logged_in))
    assert statuses == ["active", "active", "completed", "in_review"]
    assert len(resolve_world("many").build().promotions) == 60
    assert resolve_world("logged-out").build().logged_in is None
    assert not any(p.cancellable for p in resolve_world("none-active").build().promotions)
    assert {resolve_world(n).release for n in ("default", "current", "business")} == {"guide", "current", "business"}


@PROTOCOL_AT_REST
def test_a_world_file_of_ones_own_drives_a_session(make_driver, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    driver = make_driver(world=str(path))
    assert mobile(driver, "deviceInfo")["release"] == "current"
    by_desc(driver, "Profile").click()
    assert "Find your contacts" in texts(driver)  # `on: profile` is a screen name, not YAML's `true`
    by_desc(driver, "Don't allow").click()
    open_details(driver, "Bread at dawn", profile="Profile", menu="Profile menu", entry="Promote")
    assert by_desc(driver, "Spent").text == "$3.00"
    assert ledger(driver, "T-1")["total_budget_cents"] == 1250


def test_json_world_files_work_too(tmp_path: Path) -> None:
    import yaml

    path = _write(tmp_path, json.dumps(yaml.safe_load(GOOD.replace("on: profile", "'on': profile"))), "w.json")
    world = load_world_file(path)
    assert world.release == "current"
    assert world.build().promotions[0].title == "Bread at dawn"



def test_a_world_file_that_still_says_variant_loads_the_same_release(tmp_path: Path) -> None:
    world = load_world_file(_write(tmp_path, GOOD.replace("  release: current", "  variant: current")))
    assert world.release == "current"

@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("  release: current", "  release: retro"), ["app.release", "retro", "guide, current, business"]),
        (("  release: current", "  release: current\n  variant: guide"), ["app", "both release and variant"]),
        (("logged_in: sam.bakes", "logged_in: nobody"), ["logged_in", "nobody", "sam.bakes"]),
        (("    spend: 3.00", "    spend: 30.00"), ["promotions.0", "spend 30", "more than the whole budget 12.5"]),
        (("    title: Bread at dawn", "    title: Bread at dawn\n    colour: red"),
         ["promotions.0.colour", "not a field"]),
        (("name: tiny", "name: tiny\nweather: sunny"), ["weather", "not a field"]),
        (("    status: active", "    status: frozen"), ["promotions.0.status", "frozen"]),
        (("    budget: 12.50", "    budget: -1"), ["promotions.0.budget"]),
        (("{kind: contacts, on: profile}", "{kind: fireworks, on: profile}"),
         ["popups.0.kind", "fireworks", "update, notifications, swipe_up, contacts"]),
        (("    title: Bread at dawn", "    title: Bread at dawn\n    owner: ghost"),
         ["promotion 'T-1'", "owner 'ghost'", "not one of the accounts"]),
    ],
)
def test_each_mistake_is_one_sentence_naming_file_and_field(tmp_path: Path, change: tuple, words: list) -> None:
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(WorldError) as caught:
        load_world_file(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert "\n" not in message


def test_duplicate_promotion_id(tmp_path: Path) -> None:
    second = "\n".join(GOOD.splitlines()[-7:]).replace("Bread at dawn", "Bread at dusk")
    assert second.startswith("  - id: T-1")
    path = _write(tmp_path, GOOD + second + "\n")
    with pytest.raises(WorldError, match=r": promotions: the id 'T-1' appears twice") as caught:
        load_world_file(path)
    assert str(path) in str(caught.value)


def test_a_key_given_twice_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "promotions: []\n")
    with pytest.raises(WorldError, match=r"line 19, column 1: the key 'promotions' appears twice"):
        load_world_file(path)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("  - username: sam.bakes", "  - username: [sam.bakes"))
    with pytest.raises(WorldError, match=r"not valid YAML at line \d+") as caught:
        load_world_file(path)
    line = int(str(caught.value).split("at line ")[1].split(",")[0])
    assert line in (6, 7, 8)  # where the unclosed bracket is, or where YAML notices it
    assert str(path) in str(caught.value)


def test_missing_file_and_wrong_top_level(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match="does not exist"):
        load_world_file(tmp_path / "absent.yaml")
    with pytest.raises(WorldError, match="top level must be a mapping"):
        load_world_file(_write(tmp_path, "- just\n- a list\n"))
    with pytest.raises(WorldError, match="accounts"):
        load_world_file(_write(tmp_path, "name: empty\naccounts: []\n"))


def test_a_bad_world_refuses_the_session_with_the_same_sentence(make_driver, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("logged_in: sam.bakes", "logged_in: nobody"))
    with pytest.raises(SessionNotCreatedException, match="logged_in 'nobody' is not one of the accounts") as caught:
        make_driver(world=str(path))
    assert str(path) in caught.value.msg
    with pytest.raises(SessionNotCreatedException, match=r"absent\.yaml does not exist"):
        make_driver(world=str(tmp_path / "absent.yaml"))  # a folder the device may read: it may say so


def test_an_edited_world_file_is_read_again(make_driver, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    make_driver(world=str(path))
    path.write_text(GOOD.replace("spend: 3.00", "spend: 4.00"), encoding="utf-8")
    import os

    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))  # a later edit, whatever the clock
    driver = make_driver(world=str(path))
    assert ledger(driver, "T-1")["spend_cents"] == 400


@PROTOCOL_AT_REST
def test_each_session_has_its_own_copy_of_the_world(make_driver) -> None:
    first = make_driver(world="default")
    second = make_driver(world="default")
    open_details(first, "Summer haul try-on")
    by_desc(first, "Cancel").click()
    by_desc(first, "Confirm").click()
    mobile(first, "simAdvanceClock", days=2)
    assert ledger(first, "P-1001")["status"] == "canceled"
    assert ledger(second, "P-1001")["status"] == "active"
    assert mobile(second, "simLedger")["clock"] == "2026-11-20T10:00:00+00:00"
    assert ledger(make_driver(world="default"), "P-1001")["status"] == "active"


def test_yaml_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    text = GOOD + "  - <<: *bread\n    id: T-2\n    title: Bread at dusk\n"
    path = _write(tmp_path, text.replace("  - id: T-1", "  - &bread\n    id: T-1"))
    promotions = load_world_file(path).build().promotions
    assert [(p.id, p.title, p.budget_cents) for p in promotions] == [
        ("T-1", "Bread at dawn", 1250), ("T-2", "Bread at dusk", 1250)]
