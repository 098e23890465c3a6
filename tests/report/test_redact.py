"""The redactor: every secret it knows is masked as it is, percent-encoded, and inside base64 text."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

import pytest

from harness.redact import MASK, Redactor

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


def test_ordinary_words_stay() -> None:
    redactor = Redactor([SECRET])
    text = "Cancel Summer haul try-on (P-1001): Canceled; Authorization pending review."
    assert redactor.clean(text) == text
