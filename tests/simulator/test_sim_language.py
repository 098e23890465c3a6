"""The phone's language on the classic releases: the current release on a French phone (current-fr)."""

from __future__ import annotations

from pathlib import Path

import pytest
from simkit import PROTOCOL_AT_REST, by_desc, by_text, ledger, mobile, open_details, texts

from tiktok_promo.simulator.device import Device
from tiktok_promo.simulator.ui import screens
from tiktok_promo.simulator.ui.screens import POPUP_KINDS
from tiktok_promo.simulator.world import WorldError, load_world_file, resolve_world

FR_PATH = {"profile": "Profil", "menu": "Menu du profil", "tools": "Outils pour créateurs", "entry": "Promouvoir"}


@PROTOCOL_AT_REST
def test_the_current_release_speaks_french_on_a_french_phone(make_driver) -> None:
    driver = make_driver(world="current-fr")
    assert mobile(driver, "deviceInfo")["locale"] == "fr_FR"
    open_details(driver, "Summer haul try-on", **FR_PATH)
    words = set(texts(driver))
    assert {"Détails de la promotion", "Active", "50,00\u00a0€ au total", "21,40\u00a0€", "5\u202f350",
            "7 jours · du 17 nov. au 24 nov. 2026", "Arrêter la promotion"} <= words
    assert by_desc(driver, "Dépensé").text == "21,40\u00a0€"
    by_desc(driver, "Arrêter la promotion").click()
    assert "Arrêter la promotion\u00a0?" in texts(driver)
    by_desc(driver, "Pas maintenant").click()
    assert ledger(driver, "P-1001")["status"] == "active"
    by_desc(driver, "Arrêter la promotion").click()
    by_desc(driver, "Arrêter").click()
    assert "Arrêtée le 20 nov. 2026 11:00. Aucun autre débit." in texts(driver)  # 10:00 UTC, Paris time
    assert ledger(driver, "P-1001")["status"] == "canceled"


@PROTOCOL_AT_REST
def test_the_english_current_release_reads_as_before(make_driver) -> None:
    driver = make_driver(world="current")
    open_details(driver, "Latte art in 30 seconds", profile="Profile", menu="Profile menu", entry="Promote")
    assert {"$10.00/day", "$10.00", "5 days · Nov 19 - Nov 24, 2026", "2,500"} <= set(texts(driver))


def test_every_screen_and_pop_up_of_current_has_its_french_words() -> None:
    device = Device(resolve_world("current-fr"))
    device.launch()
    context = device._context(None)
    context.param = "P-1001"
    for name, build in screens.BUILDERS.items():
        if name != "logged_out":
            build(context)  # a missing French wording raises MissingLabel, naming it
    context.model.logged_in = None
    assert "Connecte-toi à TikTok" in [n.text for n in screens.logged_out(context).walk()]
    for kind in POPUP_KINDS:
        screens.popup(context, kind)
    assert screens.toast(context, "This promotion has already ended.").text == "Cette promotion est déjà terminée."


@pytest.mark.parametrize(("extra", "words"), [
    ("locale: de_DE\n", "locale de_DE: the current release has wordings in en, fr only"),
    ("locale: french\n", "locale"),
    ("time_zone: Mars/Olympus\n", "unknown time zone 'Mars/Olympus'"),
])
def test_a_locale_the_release_cannot_speak_is_one_sentence(tmp_path: Path, extra: str, words: str) -> None:
    text = (Path(resolve_world("current").source).read_text(encoding="utf-8")).replace("clock:", extra + "clock:", 1)
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError) as caught:
        load_world_file(path)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_the_guide_release_is_english_only(tmp_path: Path) -> None:
    text = Path(resolve_world("default").source).read_text(encoding="utf-8").replace("clock:", "locale: fr_FR\nclock:")
    path = tmp_path / "guide-fr.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError, match="the guide release has wordings in en only"):
        load_world_file(path)


@PROTOCOL_AT_REST
def test_french_labels_find_the_tabs_and_menu_seen_on_french_phones(make_driver) -> None:
    driver = make_driver(world="current-fr")
    for tab in ("Accueil", "Ami(e)s", "Créer", "Messages", "Profil"):
        assert by_desc(driver, tab).is_displayed()
    by_desc(driver, "Profil").click()
    by_desc(driver, "Menu du profil").click()
    assert by_text(driver, "Outils pour créateurs").is_displayed()


def test_pop_ups_toasts_and_log_in_speak_french_on_the_studio_release_too() -> None:
    device = Device(resolve_world("studio-fr"))
    context = device._context(None)
    assert [n.text for n in screens.popup(context, "contacts").walk() if n.text][-1] == "Ne pas autoriser"
    toast = screens.toast(context, "Something went wrong. Please try again.")
    assert toast.text == "Un problème est survenu. Réessaie."
    assert "Connecte-toi à TikTok" in [n.text for n in screens.logged_out(context).walk()]
