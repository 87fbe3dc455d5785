"""Contact-detail redaction: placeholders go out to a remote model, real details come back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from coach.models import Resume

_URL_TAIL = r"[^\s<>\"'()\[\]{}]+"
_PROFILE_SITES = (
    r"linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|behance\.net|medium\.com"
)
URL_RE = re.compile(
    r"(?:https?://|www\.)"
    + _URL_TAIL
    + r"|(?<![\w.@-])(?:[a-z0-9-]+\.)*(?:"
    + _PROFILE_SITES
    + r")/"
    + _URL_TAIL,
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Loose shape: optional +country code, optional (area), then one run or 2-5 digit groups;
# the caller decides with _is_generic_phone or the resume's own number.
_PHONE_SHAPE_RE = re.compile(
    r"(?<![\w+$€£.,])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?)?"
    r"(?:\d{7,15}|\d{2,5}(?:[\s.\-]\d{2,5}){0,4})(?!\w)"
)
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Parkway|Pkwy|Circle|Highway|Hwy|Square|Sq"
)
STREET_RE = re.compile(
    r"\b\d{1,6}\s+(?:[A-Z][a-z]+\.?\s+){1,4}(?:" + _STREET_TYPES + r")\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[\w-]+)?"
)
_PLACEHOLDER_RE = re.compile(r"\[([A-Za-z]+(?:_[A-Za-z]+)*(?:_\d+)?)\]")
# Text that already looks like one of our placeholders is itself swapped out, so restore is exact.
_OWN_PLACEHOLDER_RE = re.compile(
    r"\[(?:NAME|FIRST_NAME|LAST_NAME|MIDDLE_NAME|EMAIL|PHONE|URL|ADDRESS|USERNAME|LITERAL)"
    r"(?:_\d+)?\]",
    re.IGNORECASE,
)
# Below 7 digits a run of digits is a count or a year, not a phone number.
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
# Name parts shorter than this ("Al", "Li") collide with ordinary words and initials.
MIN_NAME_PART = 3
# Profile usernames shorter than this are too likely to be ordinary words.
MIN_USERNAME = 4


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _trim_url(url: str) -> str:
    return url.rstrip(".,;:!?")


def _is_generic_phone(text: str) -> bool:
    """True for phone-shaped text that is not a year range, a date or a plain count."""
    digits = _digits(text)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return False
    groups = re.split(r"[\s.\-]+", text)
    if all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups):
        return False  # "2019-2021", "2018 2019 2020": years, not a phone
    if text.startswith("+") or "(" in text:
        return True
    if len(groups) == 1:
        return len(digits) >= 10
    return len(digits) >= 10 or [len(g) for g in groups[-2:]] == [3, 4]


def _same_phone(a: str, b: str) -> bool:
    """Same number whatever the formatting; a country code on one side only is fine."""
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_PHONE_DIGITS and long.endswith(short)


def scrub(text: str) -> str:
    """Remove every email, phone number, URL and street address, known or not (not reversible)."""
    text = URL_RE.sub(lambda m: "[URL]" + m.group(0)[len(_trim_url(m.group(0))) :], text)
    text = EMAIL_RE.sub("[EMAIL]", text)
    text = _PHONE_SHAPE_RE.sub(
        lambda m: "[PHONE]" if _is_generic_phone(m.group(0)) else m.group(0), text
    )
    return STREET_RE.sub("[ADDRESS]", text)


class Redactor:
    """Replaces one resume's contact details with stable placeholders and puts them back."""

    def __init__(self, resume: Resume) -> None:
        basics = resume.basics
        self._placeholders: dict[str, str] = {}  # original surface text -> placeholder
        self._originals: dict[str, str] = {}  # placeholder -> original surface text
        self._counts: dict[str, int] = {}
        self._email = (basics.email or "").strip()
        self._phone_text = (basics.phone or "").strip()
        self._phone = _digits(self._phone_text)
        urls = [basics.url] + [p.url for p in basics.profiles]
        self._known_urls = _url_variants(u for u in urls if u)
        address = (basics.location.address if basics.location else None) or ""
        self._address = address.strip()
        self._name = " ".join((basics.name or "").split())
        self._name_parts = [p.strip(".,") for p in self._name.split()]
        self._usernames = [
            p.username.lstrip("@")
            for p in basics.profiles
            if p.username and len(p.username.lstrip("@")) >= MIN_USERNAME
        ]

    @property
    def known_details(self) -> list[str]:
        """The resume's own contact details, e.g. for asserting that no prompt contains them."""
        details = [self._name, self._email, self._phone_text, self._address]
        return [d for d in [*details, *self._known_urls, *self._usernames] if d]

    def redact(self, text: str) -> str:
        """Replace contact details with placeholders such as [NAME], [EMAIL], [URL_1]."""
        text = self._sub(_OWN_PLACEHOLDER_RE, "LITERAL", text)
        # Emails first: a personal domain in basics.url must not cut an address in half.
        text = self._sub(EMAIL_RE, "EMAIL", text)
        for url in self._known_urls:
            pattern = re.compile(r"(?<![\w.-])" + re.escape(url), re.IGNORECASE)
            text = self._sub(pattern, "URL", text)
        text = self._sub(URL_RE, "URL", text, trim=_trim_url)
        text = self._sub(_PHONE_SHAPE_RE, "PHONE", text, accept=self._is_phone)
        if self._address:
            text = self._sub(_loose(self._address, re.IGNORECASE), "ADDRESS", text)
        text = self._sub(STREET_RE, "ADDRESS", text)
        if len(self._name_parts) > 1:
            text = self._sub(_loose(self._name, re.IGNORECASE), "NAME", text)
        text = self._redact_name_parts(text)
        for username in self._usernames:
            pattern = re.compile(r"(?<![\w@/.])@?" + re.escape(username) + r"(?![\w])", re.I)
            text = self._sub(pattern, "USERNAME", text)
        return text

    def restore(self, text: str) -> str:
        """Put the original contact details back in place of the placeholders."""

        def put_back(m: re.Match[str]) -> str:
            return self._originals.get("[" + m.group(1).upper() + "]", m.group(0))

        return _PLACEHOLDER_RE.sub(put_back, text)

    def _redact_name_parts(self, text: str) -> str:
        parts = self._name_parts
        kinds = {0: "FIRST_NAME", len(parts) - 1: "LAST_NAME"} if len(parts) > 1 else {0: "NAME"}
        for i, part in enumerate(parts):
            if len(part) < MIN_NAME_PART or not part[0].isalpha():
                continue
            # Only capitalised or upper-case forms: a surname like "Rose" must not eat "rose".
            forms = {part[0].upper() + part[1:], part.upper()}
            pattern = r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b"
            text = self._sub(re.compile(pattern), kinds.get(i, "MIDDLE_NAME"), text)
        return text

    def _is_phone(self, text: str) -> bool:
        digits = _digits(text)
        if self._phone and _same_phone(digits, self._phone):
            return True
        return _is_generic_phone(text)

    def _sub(
        self,
        pattern: re.Pattern[str],
        kind: str,
        text: str,
        *,
        accept: Callable[[str], bool] | None = None,
        trim: Callable[[str], str] | None = None,
    ) -> str:
        def replace(m: re.Match[str]) -> str:
            found = m.group(0)
            core = trim(found) if trim else found
            if not core or (accept and not accept(core)):
                return found
            return self._placeholder(kind, core) + found[len(core) :]

        return pattern.sub(replace, text)

    def _placeholder(self, kind: str, original: str) -> str:
        """One placeholder per distinct surface form, so restoring is exact."""
        if original in self._placeholders:
            return self._placeholders[original]
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        placeholder = f"[{kind}_{n}]" if kind in ("URL", "LITERAL") or n > 1 else f"[{kind}]"
        self._placeholders[original] = placeholder
        self._originals[placeholder] = original
        return placeholder


def _loose(literal: str, flags: int = 0) -> re.Pattern[str]:
    """Match a literal with any run of whitespace where it has spaces."""
    words = literal.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", flags)


def _url_variants(urls: Iterable[str]) -> list[str]:
    """A URL as written, without scheme and without "www.", longest first."""
    variants: set[str] = set()
    for url in urls:
        bare = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE).rstrip("/")
        variants.update({url.strip(), bare, re.sub(r"^www\.", "", bare, flags=re.IGNORECASE)})
    return sorted((v for v in variants if len(v) > 4), key=len, reverse=True)
