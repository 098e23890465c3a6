"""Which files a session's `sim:world` may make the device read, how they are read, and what a world may hold.

A client names `sim:world`; the operator decides which folders it may name (`--worlds-dir`). Anything else
is one sentence that is the same whether the path exists or not: the device neither reads a file outside
those folders nor tells a client which paths exist.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from appium import webdriver
from selenium.common.exceptions import SessionNotCreatedException
from simkit import mobile, options

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.world import MAX_WORLD_BYTES, WorldError, WorldLibrary, load_world_file, shown

WORLD = ("accounts:\n  - username: sam.bakes\nlogged_in: sam.bakes\n"
         "promotions:\n  - {id: T-1, title: Bread, budget: 5}\n")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a folder the device may read worlds from, a folder beside it that it may not)."""
    root = tmp_path_factory.mktemp("worlds")
    (root / "allowed").mkdir()
    (root / "outside").mkdir()
    return root / "allowed", root / "outside"


@pytest.fixture(scope="module")
def device(folders: tuple[Path, Path]) -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0, worlds_dirs=[folders[0]]) as running:
        yield running


def _refusal(device: SimulatorServer, world: str) -> str:
    started = time.monotonic()
    with pytest.raises(SessionNotCreatedException) as caught:
        webdriver.Remote(device.url, options=options(world))
    assert time.monotonic() - started < 5  # a FIFO or /dev/zero is never waited on
    return caught.value.msg


def test_a_world_in_an_allowed_folder_drives_a_session(device: SimulatorServer, folders: tuple[Path, Path]) -> None:
    path = folders[0] / "mine.yaml"
    path.write_text(WORLD, encoding="utf-8")
    driver = webdriver.Remote(device.url, options=options(str(path)))
    try:
        assert mobile(driver, "simLedger")["promotions"][0]["id"] == "T-1"
    finally:
        driver.quit()


def test_outside_the_allowed_folders_every_path_gets_the_same_sentence(device: SimulatorServer,
                                                                       folders: tuple[Path, Path]) -> None:
    allowed, outside = folders
    good_world = outside / "good.yaml"
    good_world.write_text(WORLD, encoding="utf-8")  # a valid world, just not in a folder the device may read
    fifo = outside / "pipe.yaml"
    os.mkfifo(fifo)
    (allowed / "link.yaml").symlink_to(good_world)  # a link inside that leads out is outside
    refs = [str(good_world), str(outside / "absent.yaml"), str(fifo), "/etc/passwd", "/etc/shadow", "/dev/zero",
            str(allowed / "link.yaml"), f"{allowed}/../outside/good.yaml", "../../../../etc/passwd", "a" * 5000]
    sentences = {_refusal(device, ref).replace(shown(ref), "REF") for ref in refs}
    assert len(sentences) == 1, sentences  # nothing tells a client whether a path exists or what it holds
    sentence = sentences.pop()
    assert "is neither a shipped world (" in sentence and f"--worlds-dir: {allowed}" in sentence
    assert "accounts" not in sentence and "mapping" not in sentence


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: os.mkfifo(p), "is a device, pipe or socket, not a regular file"),
    (lambda p: p.mkdir(), "is a folder, not a regular file"),
    (lambda p: (p.write_bytes(b""), os.truncate(p, MAX_WORLD_BYTES + 1)), "a world file may have at most 1,048,576"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"), "is not UTF-8 text"),
    (lambda p: p.write_bytes(b"accounts: \x00\n"), "the character U+0000 at position 10 is not allowed"),
])
def test_inside_an_allowed_folder_only_a_small_regular_text_file_is_read(device: SimulatorServer,
                                                                        folders: tuple[Path, Path], make,
                                                                        words: str) -> None:
    path = folders[0] / f"case-{len(os.listdir(folders[0]))}.yaml"
    make(path)
    assert words in _refusal(device, str(path))


def test_with_no_folder_allowed_only_shipped_worlds_and_the_operators_own_file(tmp_path: Path) -> None:
    path = tmp_path / "operator.yaml"
    path.write_text(WORLD, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(WORLD, encoding="utf-8")
    with SimulatorServer(port=0, world=str(path)) as device:  # `python -m tiktok_promo.simulator --world FILE`
        for world in (None, str(path), "business"):
            webdriver.Remote(device.url, options=options(world)).quit()
        assert "(--worlds-dir: none)" in _refusal(device, str(other))


def test_a_yaml_alias_bomb_or_a_self_reference_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\naccounts: [{username: a}]\ndescription: *i\n", encoding="utf-8")
    loop = tmp_path / "loop.yaml"
    loop.write_text("a: &a [*a]\naccounts: [{username: a}]\n", encoding="utf-8")
    for path in (bomb, loop):
        started = time.monotonic()
        with pytest.raises(WorldError, match="expands to more than 100,000 values through YAML aliases"):
            load_world_file(path)
        assert time.monotonic() - started < 1


def test_deep_nesting_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 500_000, encoding="utf-8")  # the pure-Python YAML scanner took seconds on 5,000
    started = time.monotonic()
    with pytest.raises(WorldError, match="nests brackets more than 64 deep"):
        load_world_file(path)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(("old", "new", "words"), [
    ("title: Bread", "title: '   '", "promotions.0.title: is blank"),
    ("budget: 5", "budget: .nan", "promotions.0.budget: Input should be a finite number"),
    ("budget: 5", "budget: 1e999", "promotions.0.budget: Input should be less than or equal to 1000000000"),
    ("budget: 5", "budget: 5, views: .inf", "promotions.0.views: Input should be a finite number"),
    ("logged_in", "clock: 9999-12-31T23:59:59Z\nlogged_in",
     "clock: 9999-12-31T23:59:59+00:00 is not a date a phone's clock can show (1970-01-01 to 2100-12-31)"),
    ("logged_in", "clock: 2101-01-01T00:00:00Z\nlogged_in", "clock: 2101-01-01T00:00:00+00:00 is not a date"),
    ("budget: 5", "budget: 5, start: 9999-12-30T00:00:00Z", "promotions.0.start: 9999-12-30T00:00:00+00:00 is not"),
    ("budget: 5", "budget: 5, review_minutes: 100000000000000000000",
     "promotions.0.review_minutes: Input should be less than or equal to 525600"),
])
def test_a_world_that_would_break_the_device_later_is_refused_naming_file_and_field(
        tmp_path: Path, old: str, new: str, words: str) -> None:
    # A blank title would be a row nobody can pick (`--all-active` said "Nothing matched"); a clock at year
    # 9999 overflowed on the first advance; NaN reached the answers as invalid JSON.
    path = tmp_path / "world.yaml"
    path.write_text(WORLD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(WorldError) as caught:
        load_world_file(path)
    assert str(caught.value).startswith(f"world {path}: {words}")
    assert "\n" not in str(caught.value)


def test_a_world_library_resolves_shipped_names_and_refuses_other_types() -> None:
    library = WorldLibrary()
    assert library.resolve("many").name == "many"
    with pytest.raises(WorldError, match="sim:world must be the name of a shipped world or a file path, not int"):
        library.resolve(5)  # type: ignore[arg-type]
