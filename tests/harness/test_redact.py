"""The redactor (harness.redact): the secrets of the environment and the capabilities and a URL's credentials are
masked, ordinary settings kept; every secret it knows is masked as it is and in every form a program writes it in:
escaped in JSON (once and twice, \\u-escaped), percent-encoded, in hex and inside base64 text."""

from __future__ import annotations

import base64
import json
import re
import shutil
import string
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_promo.harness.redact import MASK, Redactor
from tiktok_promo.harness.run.appium_server import AppiumServer

SECRET = "s3cr3t-Cl0ud/K3y+x"


@pytest.mark.parametrize("user", ["", "u", "us", "use", "operator"])  # every place modulo 3 the secret can start
def test_a_secret_inside_base64_is_masked_wherever_it_starts(user: str) -> None:
    token = base64.b64encode(f"{user}:{SECRET}".encode()).decode()
    cleaned = Redactor([SECRET]).clean(f"the proxy said: you sent X-Token {token} and more")
    assert token not in cleaned and MASK in cleaned
    # What is left is the user's part and at most a group at each edge of the secret (two of its bytes).
    left = cleaned.split("X-Token ")[1].split(" and more")[0].replace(MASK, "")
    assert len(left) <= len(base64.b64encode(f"{user}:".encode())) + 8
    urlsafe = base64.urlsafe_b64encode(f"{user}:{SECRET}".encode()).decode()
    assert urlsafe not in Redactor([SECRET]).clean(urlsafe)


def test_a_percent_encoded_secret_is_masked() -> None:
    redactor = Redactor([SECRET])
    for text in (quote(SECRET, safe=""), quote_plus(SECRET), f"https://host/?key={quote(SECRET, safe='')}&a=1"):
        assert "s3cr3t" not in redactor.clean(text), text


def test_any_authorization_header_is_masked_even_with_an_unknown_secret() -> None:
    cleaned = Redactor().clean("{'Authorization': 'Basic b3BzOnNvbWV0aGluZw==', 'Host': 'x'} "
                               "Proxy-Authorization: Bearer abc.def-ghi")
    assert cleaned == "{'Authorization': 'Basic ***', 'Host': 'x'} Proxy-Authorization: Bearer ***"


def test_url_credentials_are_masked_in_long_words_too() -> None:
    redactor = Redactor()
    assert redactor.clean("xx" * 50 + "https://ops:pw@host/") == "xx" * 50 + "https://host/"
    long = "a" * 200_000  # linear: a quadratic scan of this took minutes
    assert redactor.clean(long) == long


def test_redactor_masks_secrets_and_url_credentials_but_not_ordinary_settings() -> None:
    redactor = Redactor.from_sources(
        {"PWD": "/srv/promo", "SAUCE_ACCESS_KEY": "abcd-1234-efgh", "KEYBOARD": "us-intl", "API_TOKEN": "t0k3n-xyz"},
        {"bstack:options": {"accessKey": "bs-secret-9", "userName": "me"}},
    )
    text = redactor.clean("http://me:pass-word@hub:4444/wd abcd-1234-efgh bs-secret-9 t0k3n-xyz /srv/promo us-intl")
    assert text == "http://hub:4444/wd *** *** *** /srv/promo us-intl"
    assert redactor.clean_data({"a": ["abcd-1234-efgh", 3]}) == {"a": ["***", 3]}


def test_ordinary_words_stay() -> None:
    redactor = Redactor([SECRET])
    text = "Cancel Summer haul try-on (P-1001): Canceled; Authorization pending review."
    assert redactor.clean(text) == text


# --- every form a program writes a secret in ------------------------------------------------------------
def _json(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


def _encodings(secret: str) -> dict[str, str]:
    """The secret as servers, clients and our own writers put it into text."""
    data = secret.encode()
    basic = f"qa.team:{secret}".encode()
    return {
        "plain": secret,
        "JSON": _json(secret, False), "JSON, \\u-escaped": _json(secret, True),
        "JSON twice": _json(_json(secret, False), False), "JSON twice, \\u-escaped": _json(_json(secret, True), True),
        "JSON twice, \\u-escaped once": _json(_json(secret, True), False),
        "repr": repr(secret)[1:-1],
        "percent-encoded": quote(secret, safe=""), "form-encoded": quote_plus(secret),
        "percent-encoded, lower-case hex": re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(secret, safe="")),
        "hex": data.hex(), "HEX": data.hex().upper(),
        "base64": base64.b64encode(data).decode(), "urlsafe base64": base64.urlsafe_b64encode(data).decode(),
        "Basic auth": base64.b64encode(basic).decode(), "urlsafe Basic auth": base64.urlsafe_b64encode(basic).decode(),
    }


# Characters of real keys and of the ones that broke escaping: quotes, backslashes, slashes, non-ASCII letters.
_KEY_CHARS = st.sampled_from([*string.ascii_letters, *string.digits, *"\"'\\/+=-_.~:@%&<> ", "é", "ü", "ß", "中", "😀"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(secret=st.text(_KEY_CHARS, min_size=6, max_size=24))
def test_no_encoding_of_a_secret_survives_masking_in_any_other(secret: str) -> None:
    redactor = Redactor([secret])
    forms = _encodings(secret)
    for how, written in forms.items():
        cleaned = redactor.clean(f"the server said: {written} (end)")
        left = [other for other, form in forms.items() if form in cleaned]
        assert not left, f"{secret!r} written {how} still shows {left} after masking: {cleaned!r}"


def test_a_key_with_a_quote_a_backslash_and_an_accent_echoed_in_json_is_masked_at_every_depth() -> None:
    key = 'AKIA"q\\zé-4f7a91'
    echoed = json.dumps({"value": {"message": f"Invalid credentials: {json.dumps({'accessKey': key})}"}})
    redactor = Redactor([key])
    for text in (echoed, json.dumps(echoed), json.dumps(echoed, ensure_ascii=False), repr(echoed)):
        cleaned = redactor.clean(text)
        assert MASK in cleaned and "4f7a91" not in cleaned, cleaned


def test_a_url_password_in_the_environment_is_a_secret_too() -> None:
    redactor = Redactor.from_sources({"APPIUM_URL": "https://qa.team:hub-pa%24%24word@hub.example/wd/hub"})
    assert redactor.clean("the hub refused the password hub-pa$$word") == "the hub refused the password ***"


@pytest.mark.parametrize("short", ["a", "ab", "abc", "abcde"])
def test_a_value_too_short_to_be_a_key_masks_nothing(short: str) -> None:
    text = "Cancel Summer haul try-on: abc abcde ab a"
    assert Redactor([short]).clean(text) == text
    assert Redactor.from_sources({"API_TOKEN": short}).clean(text) == text


def test_appiums_log_filters_mask_a_key_appium_writes_json_escaped() -> None:
    key = 'AKIA"q\\zé-4f7a91'
    folder = AppiumServer(secrets=[key])._log_filters()
    assert folder is not None
    rules = json.loads((folder / "log-filters.json").read_text(encoding="utf-8"))
    shutil.rmtree(folder)
    caps = {"bstack:options": {"userName": "qa.team", "accessKey": key}, "appium:app": f"bs://{key}"}
    for line in (json.dumps(caps), json.dumps(caps, ensure_ascii=False), json.dumps(caps)[:70] + "…"):
        for rule in rules:  # the rules are written for JavaScript; these need nothing Python reads otherwise
            line = re.sub(rule["pattern"], rule["replacer"].replace("$1", r"\1"), line,
                          flags=re.IGNORECASE if "i" in rule.get("flags", "") else 0)
        assert "AKIA" not in line and "4f7a" not in line, line
