"""The wording data: every release in English and French, shapes that resolve, and no answer that is two."""

from __future__ import annotations

import pytest

from tiktok_promo.pages import catalog, confirm_dialog, wordings
from tiktok_promo.releases import ReleaseFileError, load_ios

RELEASES = wordings.release_names()


def test_every_release_speaks_english_and_french_with_the_same_keys() -> None:
    assert set(RELEASES) >= {"guide", "current", "business", "real", "studio"}
    for release in wordings.releases():
        assert set(release.blocks) == {"en", "fr"}, release.name
        assert set(release.blocks["en"].labels) == set(release.blocks["fr"].labels), release.name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_word_both_confirms_a_stop_and_keeps_the_promotion(language: str) -> None:
    # The studio release's "Cancel" keeps the promotion running: it must never be a way to confirm.
    confirm = {c.value for c in confirm_dialog.CONFIRM.candidates if c.language == language}
    keep = {c.value for c in confirm_dialog.KEEP.candidates if c.language == language}
    assert confirm and keep and not confirm & keep


def test_every_target_tags_only_releases_the_data_describes() -> None:
    # What Candidate once checked against a list in the engine, the pages' data now answers.
    targets = {t for screen in catalog.SCREENS for t in (*screen.needed, *screen.optional, *screen.many)}
    tags = {tag for t in targets for c in t.candidates for tag in c.releases}
    assert tags <= set(RELEASES)


def test_a_shape_is_filled_with_each_languages_word_quoted_for_xpath() -> None:
    french = [c for c in wordings.shape_candidates("likes") if c.language == "fr"]
    assert [(c.platform, c.value) for c in french] == [
        ("android", '//android.webkit.WebView//*[@text="J\'aime"]/preceding-sibling::*[1]'),
        ("ios", '//XCUIElementTypeWebView//*[@value="J\'aime"]/preceding-sibling::*[1]')]


def test_row_lines_are_read_by_their_templates() -> None:
    assert wordings.template_match(wordings.phrases("row_spent", "en"), "$21.40 spent")
    assert wordings.template_match(wordings.phrases("row_spent", "fr"), "21,40 € dépensés")
    assert not wordings.template_match(wordings.phrases("row_spent", "en"), "Budget $50.00 total")


def test_an_ios_block_cannot_claim_seen_what_it_does_not_hold() -> None:
    with pytest.raises(ReleaseFileError, match=r"ios: 'seen' names entries it does not have: \['tab_bar'\]"):
        load_ios({"seen": ["back", "tab_bar"], "languages": {"en": {"back": "Back"}}}, "guide.yaml")
