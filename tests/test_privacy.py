"""Contact details never leave the process: redaction, exact restoration and the generic scrub."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.models import Basics, Location, Profile, Resume
from coach.privacy import Redactor, scrub

RESUME = Resume(
    basics=Basics(
        name="Priya Raman",
        email="priya.raman@example.com",
        phone="(555) 010-0123",
        url="https://priyaraman.example.com",
        location=Location(address="42 Elm Street, Apt 3", city="Springfield"),
        profiles=[
            Profile(
                network="LinkedIn",
                username="priya-raman-example",
                url="https://www.linkedin.com/in/priya-raman-example",
            ),
            Profile(network="GitHub", username="praman-dev", url="https://github.com/praman-dev"),
        ],
    )
)

TEXT = """PRIYA RAMAN
42 Elm Street, Apt 3, Springfield
priya.raman@example.com | 555.010.0123 | +1 555 010 0123 | linkedin.com/in/priya-raman-example
Portfolio: priyaraman.example.com. Code: https://github.com/praman-dev (handle @praman-dev).
Priya led migration of billing service to Kubernetes, cutting deploy time from 40 to 12 minutes.
Managed 1,200 accounts worth $1.2M from 2019-2021; Raman's team shipped on time.
References: Sam Lee, sam.lee@example.org, (555) 010-0199, https://www.example.org/team."""

CONTACT_DETAILS = [
    "Priya",
    "PRIYA",
    "Raman",
    "RAMAN",
    "priya.raman@example.com",
    "555.010.0123",
    "555 010 0123",
    "0100123",
    "linkedin.com/in/priya-raman-example",
    "priyaraman.example.com",
    "github.com/praman-dev",
    "praman-dev",
    "42 Elm Street",
    "sam.lee@example.org",
    "(555) 010-0199",
    "www.example.org",
]


def test_round_trip_is_exact() -> None:
    redactor = Redactor(RESUME)
    assert redactor.restore(redactor.redact(TEXT)) == TEXT


@pytest.mark.parametrize("detail", CONTACT_DETAILS)
def test_every_contact_detail_is_gone(detail: str) -> None:
    assert detail not in Redactor(RESUME).redact(TEXT)


def test_known_details_are_all_redacted() -> None:
    redactor = Redactor(RESUME)
    details = redactor.known_details
    assert "priya.raman@example.com" in details and "(555) 010-0123" in details
    redacted = redactor.redact(TEXT + "\n" + "\n".join(details))
    assert not [d for d in details if d in redacted]


def test_years_and_counts_are_not_phones() -> None:
    text = "Seasons 2018 2019 2020 and 2019-2021; zip 97201-1234; ids 2021-01-15"
    assert scrub(text) == text


def test_placeholders_are_stable_and_named() -> None:
    redactor = Redactor(RESUME)
    first = redactor.redact("Contact priya.raman@example.com or https://priyaraman.example.com")
    second = redactor.redact("Email: priya.raman@example.com")
    assert first == "Contact [EMAIL] or [URL_1]"
    assert second == "Email: [EMAIL]"
    assert redactor.redact("Priya Raman, 42 Elm Street, Apt 3") == "[NAME], [ADDRESS]"


def test_phone_in_other_formats_is_caught() -> None:
    redactor = Redactor(RESUME)
    for phone in ("555-010-0123", "5550100123", "+1 (555) 010-0123", "+1.555.010.0123"):
        redacted = redactor.redact(f"Call {phone} today")
        assert "[PHONE" in redacted and "0123" not in redacted, redacted
        assert redactor.restore(redacted) == f"Call {phone} today"


def test_normal_words_and_numbers_are_not_redacted() -> None:
    text = (
        "Raised priyanka's ramen budget by 40% in 2019-2021, cut 1,200 tickets to 850, "
        "grew revenue $1.2M across 3 sites; see section 4.2.1 and version 10.0.19041"
    )
    assert Redactor(RESUME).redact(text) == text
    assert scrub(text) == text


def test_lowercase_word_equal_to_a_name_part_is_kept() -> None:
    resume = Resume(basics=Basics(name="Mark Rose"))
    text = "Mark Rose marked the rose garden plan. MARK led."
    redacted = Redactor(resume).redact(text)
    assert redacted == "[NAME] marked the rose garden plan. [FIRST_NAME] led."


def test_restore_ignores_unknown_placeholders_and_accepts_lower_case() -> None:
    redactor = Redactor(RESUME)
    redactor.redact("Priya Raman")
    assert redactor.restore("Dear [name], see [add: team size] and [URL_9]") == (
        "Dear Priya Raman, see [add: team size] and [URL_9]"
    )


def test_scrub_removes_unknown_contact_details() -> None:
    text = (
        "Reach Alex at alex.kim@example.net, +44 20 7946 0958 or (555) 010-0177; "
        "portfolio www.alexkim.example.com and linkedin.com/in/alex-kim-example. "
        "Office: 7 Harbor View Road, Suite 200."
    )
    scrubbed = scrub(text)
    for detail in ("alex.kim@", "7946", "010-0177", "alexkim", "alex-kim", "Harbor View"):
        assert detail not in scrubbed
    assert "Reach Alex at [EMAIL], [PHONE] or [PHONE]" in scrubbed
    assert scrubbed.count("[URL]") == 2


def test_url_keeps_trailing_punctuation_outside_the_placeholder() -> None:
    redactor = Redactor(RESUME)
    redacted = redactor.redact("See https://www.example.org/team.")
    assert redacted == "See [URL_1]."


def test_resume_without_contact_details_changes_nothing() -> None:
    text = "Led migration of billing service to Kubernetes"
    assert Redactor(Resume()).redact(text) == text


_PIECES = st.sampled_from(
    [
        "Priya Raman",
        "PRIYA",
        "Raman",
        "priya.raman@example.com",
        "(555) 010-0123",
        "555.010.0123",
        "https://priyaraman.example.com/blog",
        "42 Elm Street",
        "led",
        "40%",
        "2019-2021",
        "the rose",
        "[NAME]",
        "[url_1]",
        "[LITERAL_1]",
        ",",
        "\n",
    ]
)


@given(st.lists(_PIECES, max_size=12))
def test_round_trip_property(pieces: list[str]) -> None:
    text = " ".join(pieces)
    redactor = Redactor(RESUME)
    assert redactor.restore(redactor.redact(text)) == text
