"""Fuzz of the caps loader (Hypothesis): whatever a caps file holds - random YAML, random bytes, anchors and
aliases, deep nesting, wrong types - loading it gives a profile or one ConfigError sentence naming the file,
never another exception and never a hang.

Bounded: a fixed number of examples, a deadline per example, no example database on disk.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.config import load_profile

FUZZ = settings(max_examples=150, deadline=timedelta(seconds=3), database=None,
                suppress_health_check=[HealthCheck.too_slow])

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=12), inner, max_size=4), max_leaves=20)
_keys = st.sampled_from(["capabilities", "appium_url", "account", "world", "virtual_device", "per_device_ports",
                         "recovery", "find_timeout", "status_timeout", "command_timeout", "pool", "bogus"])
_profiles = st.dictionaries(_keys, _values | st.dictionaries(st.sampled_from(
    ["platformName", "appium:automationName", "sim:world", "attempts", "confirm_taps", "seconds", "${X}"]), _values,
    max_size=4), max_size=6)

# Texts a person (or a tool) may leave in a caps file: YAML made from data, YAML with anchors and aliases,
# broken YAML, and bytes that are not text at all.
_alias_bombs = st.integers(min_value=1, max_value=9).map(lambda depth: "a0: &a0 [x, x, x]\n" + "".join(
    f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]\n" for n in range(1, depth + 1))
    + "capabilities: {platformName: Android}\n")
_texts = st.one_of(
    _profiles.map(lambda data: yaml.safe_dump(data, allow_unicode=True)),
    _alias_bombs,
    st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#%@` \n\tab1")), max_size=200),
    st.integers(min_value=1, max_value=5000).map(lambda depth: "[" * depth + "]" * depth),
)


def _load(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(raw)
        try:
            load_profile(str(path), env={"X": "y"})
        except ConfigError as error:
            sentence = str(error)
            assert "\n" not in sentence.strip() and str(path) in sentence, sentence


@FUZZ
@given(_texts)
@pytest.mark.slow
def test_any_caps_text_is_a_profile_or_one_sentence_naming_the_file(text: str) -> None:
    _load(text.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=300))
def test_any_caps_bytes_are_a_profile_or_one_sentence_naming_the_file(raw: bytes) -> None:
    _load(raw)
