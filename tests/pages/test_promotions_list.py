"""The promotions list page's own rules that need no device."""

from __future__ import annotations

import re

from tiktok_promo.pages.promotions_list import typed_title


def test_a_typed_title_matches_its_row_in_any_case_and_spacing_and_nothing_longer() -> None:
    pattern = re.compile(typed_title("  summer HAUL   try-on "))
    assert pattern.fullmatch("Summer haul try-on")
    assert pattern.fullmatch("Summer  haul\ttry-on")
    assert not pattern.fullmatch("Summer haul try-on 2") and not pattern.fullmatch("Summer haul tryXon")


def test_a_typed_title_takes_every_sign_literally() -> None:
    title = 'Try (part 2) [v1.5] $9 "best" \\ a+b*c?'
    assert re.compile(typed_title(title)).fullmatch(title)
    assert not re.compile(typed_title("a.c")).fullmatch("abc")
