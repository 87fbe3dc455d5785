"""Inputs that once hung or broke ingest + parse, and a small property test over random input.

The long-token cases come from probing the parser with single huge lines: the e-mail and URL
patterns could start a match at every character of an unbroken token, so an 8,000-character
token took 23 s and a 32,000-character one 94 s (quadratic); 50,000 now take well under 1 s.
bench/fuzz_parse.py runs the same property for longer.
"""

from __future__ import annotations

import time

import hostile
import pytest
from builders import docx_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.parse import parse_bytes

SECONDS = 20.0  # generous for a loaded machine; the quadratic versions took minutes


def _parse_within(data: bytes, seconds: float = SECONDS):
    start = time.monotonic()
    try:
        outcome = parse_bytes(data)
    except CoachError as exc:
        outcome = exc
    took = time.monotonic() - start
    assert took < seconds, f"took {took:.1f} s"
    return outcome


@pytest.mark.parametrize(
    "token",
    [
        "a" * 50_000,
        "1" * 50_000,
        "a." * 25_000,
        "a-" * 25_000,
        "a@" * 25_000,
        "x.co" * 12_500,
        "a'+." * 12_500,
    ],
    ids=["letters", "digits", "dotted", "hyphens", "at-signs", "domains", "email-chars"],
)
def test_long_unbroken_tokens_parse_in_linear_time(token):
    result = _parse_within(f"Riley Quinn\nriley.quinn@example.com\n{token}\n".encode())
    assert result.resume.basics.email == "riley.quinn@example.com"


def test_long_token_in_a_docx_paragraph():
    data = docx_bytes(lambda document: document.add_paragraph("b." * 50_000))
    assert _parse_within(data).resume.basics.name == "Riley Quinn"


def test_email_and_url_patterns_still_match_after_the_linear_rewrite():
    text = "Riley Quinn\nriley.quinn@example.com | github.com/rquinn | https://riley.example.com\n"
    basics = _parse_within(text.encode()).resume.basics
    assert basics.email == "riley.quinn@example.com"
    assert basics.url == "https://riley.example.com"
    assert [profile.network for profile in basics.profiles] == ["GitHub"]


def test_many_styled_paragraphs_do_not_time_out():
    # Style lookups scanned every style of the document for each paragraph: 1,000
    # paragraphs ran into the 20 s limit on a busy machine (18x slower than now).
    result = _parse_within(hostile.huge_xml_docx(1_000))
    assert result.resume.basics.name == "Riley Quinn"


def test_thousands_of_lines_without_headings_parse_in_linear_time():
    # Found by bench/fuzz_parse.py: a PDF mutated into plain text (1,081 lines, no headings)
    # took 7.7 s. With no headings every line is "header", and building the contact search
    # space compared each line with every header line through pydantic's __eq__: quadratic,
    # 15 s at 3,000 lines (0.3 s now).
    lines = "\n".join(f"{number} 0 obj << /Length {number} >>" for number in range(3000))
    result = _parse_within(f"Riley Quinn\nriley.quinn@example.com\n{lines}\n".encode(), 8.0)
    assert result.resume.basics.email == "riley.quinn@example.com"


def test_crowded_pdf_page_is_read_without_the_column_search():
    # The column search tried every x position against every segment and ran date and place
    # patterns inside that loop, with no time check: one page of 2,000 scattered words took
    # 15 s, 20,000 words 117 s. Crowded pages are now read row by row (0.5 s and 3 s).
    result = _parse_within(hostile.dense_page_pdf(2_000), 8.0)
    assert result.kind == "pdf"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_raise_only_coach_errors(data):
    _parse_within(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), st.sampled_from(["utf-8", "utf-16", "cp1252", "gb18030"]))
def test_random_text_raises_only_coach_errors(text, codec):
    _parse_within(text.encode(codec, errors="ignore"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.binary(min_size=1, max_size=32))
def test_pdf_with_bytes_inserted_raises_only_coach_errors(offset, insert):
    data = hostile.text_pdf()
    offset %= len(data)
    _parse_within(data[:offset] + insert + data[offset:])
