"""The phone's locale on screen: CLDR numbers, money and dates (through Babel), labels per language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tiktok_promo import releases
from tiktok_promo.simulator.errors import MissingLabel
from tiktok_promo.simulator.ui.app_releases import release_names
from tiktok_promo.simulator.ui.localise import SHARED, Localiser, languages_of

EN = Localiser("studio", "en_US", "UTC")
FR = Localiser("studio", "fr_FR", "Europe/Paris")
MOMENT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_french_amounts_and_counts_use_cldrs_no_break_spaces() -> None:
    assert FR.money(2140) == "21,40\u00a0€"
    assert FR.money(123456) == "1\u202f234,56\u00a0€"
    assert FR.number(5350) == "5\u202f350"  # narrow no-break space between thousands
    assert FR.compact(5350) == "5,3\u00a0k"


def test_english_amounts_and_counts() -> None:
    assert (EN.money(2140), EN.number(5350), EN.compact(5350), EN.compact(1_250_000)) == (
        "$21.40", "5,350", "5.3K", "1.2M")


@pytest.mark.parametrize(("value", "shown"), [(999, "999"), (1000, "1K"), (5399, "5.3K"), (12_840, "12.8K"),
                                              (999_999, "999.9K")])
def test_compact_counts_are_truncated_not_rounded(value: int, shown: str) -> None:
    assert EN.compact(value) == shown


def test_dates_follow_the_locale_and_the_phones_time_zone() -> None:
    assert (EN.day_month(MOMENT), EN.date(MOMENT)) == ("Nov 20", "Nov 20, 2026")
    assert (FR.day_month(MOMENT), FR.date(MOMENT)) == ("20 nov.", "20 nov. 2026")
    assert FR.date_time(MOMENT) == "20 nov. 2026, 11:00"  # 10:00 UTC is 11:00 in Paris in November


def test_plural_forms_follow_cldr() -> None:
    # French counts 0 and 1 as singular; English only 1.
    assert (EN.label("row_views", plural=0, count="0"), FR.label("row_views", plural=0, count="0")) == (
        "0 views", "0 vue")
    assert FR.label("days", plural=3, count="3") == "3 jours"


def test_every_english_label_has_a_french_one_and_a_missing_one_says_which() -> None:
    from tiktok_promo.simulator.ui.localise import _catalogue

    assert set(_catalogue("studio", "en")) == set(_catalogue("studio", "fr"))
    assert languages_of("studio") == ("en", "fr") and languages_of("guide") == ("en",)
    with pytest.raises(MissingLabel, match="'nonexistent'"):
        EN.label("nonexistent")


def test_what_all_releases_share_is_worded_once_per_language() -> None:
    # Pop-ups, the log-in screen and toasts look alike in every release: one shared file per language.
    assert EN.label("Update available") == "Update available"
    assert FR.label("Update available") == "Mise à jour disponible"
    assert Localiser("current", "fr_FR").label("Sync contacts") == "Synchroniser les contacts"
    # A word the pages look for comes from the words every release file shares (releases/common.yaml).
    assert Localiser("current", "fr_FR").label("notification_deny") == "Ne pas autoriser"


def test_a_release_files_words_are_shown_in_the_phones_language() -> None:
    # The words the pages look for come from the release file (releases/<release>.yaml), the release's own
    # before the shared ones, and the cancelled status is each release's own word.
    current_fr, guide_en = Localiser("current", "fr_FR"), Localiser("guide", "en_US")
    assert (current_fr.label("stop_button"), guide_en.label("stop_button")) == ("Arrêter la promotion", "Cancel")
    assert current_fr.label("create_new") == "Créer une promotion"
    assert (current_fr.status("canceled"), guide_en.status("canceled"), EN.status("in_review")) == (
        "Arrêtée", "Canceled", "In review")


@pytest.mark.parametrize("release", [*release_names(), SHARED])
def test_no_word_of_the_release_files_is_worded_again_in_the_devices_own_files(release: str) -> None:
    # The device reads its own file first: a key written in both would hide a renamed label of the release file.
    from tiktok_promo.simulator.ui.localise import _catalogue, _has_catalogue

    for language in ("en", "fr"):
        if not _has_catalogue(release, language):
            continue
        files = [releases.shared()] + ([releases.release(release)] if release != SHARED else [])
        keys = {key for found in files if language in found.blocks for key in found.blocks[language].labels}
        assert not keys & set(_catalogue(release, language)), (release, language)
