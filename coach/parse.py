"""Parse: ingested lines -> a JSON Resume.

Deterministic heuristics in four passes: find section headings, read the contact block,
split each section into entries (a header group of title/company/date lines followed by its
bullets), then assign fields with word lists. Nothing here calls a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coach.dates import (
    DATE_RE,
    STATE_NAMES,
    WELL_KNOWN_CITIES,
    find_date_range,
    find_single_date,
    is_remote,
    normalize_date,
    parse_place,
)
from coach.errors import InputError
from coach.europass import normalize_europass
from coach.ingest import ingest
from coach.lexicon import (
    ACTION_VERB_HINTS,
    COMPANY_WORDS,
    CREDENTIAL_SUFFIXES,
    DEGREE_RE,
    HEADING_LOOKUP,
    INSTITUTION_WORDS,
    TITLE_WORDS,
)
from coach.models import (
    Award,
    Basics,
    Certificate,
    Document,
    Education,
    Language,
    Location,
    ParseResult,
    Profile,
    Project,
    Resume,
    Skill,
    Volunteer,
    Work,
)

# A match may only start where a run of address characters starts: without the look-behinds
# a search tries every position of a long unbroken token and takes quadratic time (a hang).
EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s|,;<>()\[\]]+"
    r"|(?<![\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|me|co|ai|app|site|page|info|xyz|tech|design)"
    r"(?:/[^\s|,;<>()\[\]]*)?",
    re.IGNORECASE,
)
PHONE_RE = re.compile(
    r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.-]{5,16}\d(?:\s*(?:x|ext\.?)\s*\d{1,5})?(?![\w/])"
)
_NETWORKS = {
    "linkedin": "LinkedIn", "github": "GitHub", "gitlab": "GitLab", "twitter": "Twitter",
    "x.com": "X", "behance": "Behance", "dribbble": "Dribbble", "medium": "Medium",
    "stackoverflow": "Stack Overflow", "kaggle": "Kaggle", "bitbucket": "Bitbucket",
}  # fmt: skip
_FIELD_SPLIT = re.compile(r"\s*(?:\t|\s\|\s|\|| • | · | ∙ | ⋅ | — | – | - | ― |\s{3,})\s*")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
# Certification levels written after a dash, part of the name rather than an issuer.
_CERTIFICATE_LEVEL = re.compile(
    r"(?:Associate|Professional|Practitioner|Specialty|Foundational|Fundamentals|Expert)",
    re.IGNORECASE,
)
_LEVEL_WORDS = {
    "expert", "advanced", "intermediate", "beginner", "basic", "proficient", "fluent", "native",
    "working knowledge", "familiar",
}  # fmt: skip
_SPACED_HEADINGS = {phrase.replace(" ", ""): kind for phrase, kind in HEADING_LOOKUP.items()}
# Words that name a section even inside a longer styled heading ("Selected Projects").
_PARTIAL_HEADING_WORDS = {
    "experience", "education", "skills", "projects", "certifications", "certificates", "awards",
    "honors", "languages", "summary", "volunteer", "volunteering", "competencies", "employment",
    "publications", "interests", "licenses", "expertise",
}  # fmt: skip
# "(3 years 2 months)", "· 1 yr 4 mos": LinkedIn-style durations next to a date range.
_DURATION = re.compile(
    r"[(·]?\s*\b\d+\+?\s*(?:years?|yrs?)(?:,?\s*\d+\s*(?:months?|mos?))?\b\s*\)?"
    r"|[(·]?\s*\b\d+\s*(?:months?|mos?)\b\s*\)?",
    re.IGNORECASE,
)
_EMPLOYMENT_TYPES = {
    "full-time", "full time", "part-time", "part time", "contract", "contractor", "freelance",
    "internship", "temporary", "seasonal", "self-employed", "permanent",
}  # fmt: skip
# Text written to steer an AI reader: flagged in the warnings, never followed.
INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)"
    r"\s+(?:instructions?|prompts?|directions?|rules?)"
    r"|\b(?:you\s+are\s+now|act\s+as|pretend\s+to\s+be)\s+(?:an?\s+)?(?:ai|assistant|model|gpt)"
    r"|\b(?:system\s+prompt|as\s+an\s+ai\s+language\s+model)"
    r"|\b(?:rank|rate|score|recommend)\s+(?:this|the)\s+(?:candidate|applicant|resume)\s+"
    r"(?:as\s+)?(?:the\s+)?(?:top|highest|best|first)",
    re.IGNORECASE,
)
# "Page 2", "2 of 3", "- 2 -", "Jane Doe — 2" style page marks carry nothing to parse.
_PAGE_MARK = re.compile(
    r"^(?:(?:page|seite|página)\s*)?[-–—]?\s*\d{1,2}\s*(?:(?:of|/|von|de)\s*\d{1,2})?\s*[-–—]?$"
    r"|^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}\s*[|·•–—-]\s*(?:page\s*)?\d{1,2}"
    r"(?:\s*(?:of|/)\s*\d{1,2})?$",
    re.IGNORECASE,
)
# Label/value layouts (Europass and form-like templates) name each field outright.
_FIELD_LABELS = {
    "dates": "dates", "date": "dates", "period": "dates",
    "occupation or position held": "title", "position held": "title", "position": "title",
    "job title": "title", "title": "title", "role": "title",
    "name and address of employer": "company", "employer": "company", "company": "company",
    "organisation": "company", "organization": "company",
}  # fmt: skip
_FIELD_LABEL = re.compile(
    r"^(" + "|".join(re.escape(k) for k in sorted(_FIELD_LABELS, key=len, reverse=True)) + r")"
    r"\s*(?::\s*|\t)",
    re.IGNORECASE,
)
_NOT_NAME_WORDS = {"resume", "résumé", "curriculum", "vitae", "cv", "page", "confidential"}


@dataclass
class _Section:
    kind: str
    lines: list = field(default_factory=list)
    inferred: bool = False  # found by content, not under a heading


# ------------------------------------------------------------------ public API


def parse_file(path: Path, *, timeout_s: float | None = None) -> ParseResult:
    """Read a resume file and parse it."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"No such file: {path}; check the path and retry.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a folder; give the path of a resume file.") from exc
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.") from exc
    return parse_bytes(data, timeout_s=timeout_s)


def parse_bytes(data: bytes, *, timeout_s: float | None = None) -> ParseResult:
    """Ingest and parse the bytes of a resume file."""
    return parse_document(ingest(data, timeout_s=timeout_s))


def parse_document(document: Document) -> ParseResult:
    """Turn ingested lines into a JSON Resume, with warnings about what looked wrong."""
    visible = [
        line
        for line in document.lines
        if not line.hidden and _clean(line.text) and not _PAGE_MARK.match(_clean(line.text))
    ]
    for line in visible:
        line.text = _clean(line.text)
    visible = normalize_europass(visible)
    # Page headers and footers hold contact details, never sections: they join the header.
    margins = [line for line in visible if line.in_header_footer]
    visible = [line for line in visible if not line.in_header_footer]
    hidden = [line.text.strip() for line in document.lines if line.hidden and line.text.strip()]
    warnings = list(document.warnings)
    if hidden:
        warnings.append(
            f"{len(hidden)} line(s) of text a reader cannot see (white, tiny or off-page text) "
            "were found and ignored; check the file for hidden keywords or instructions."
        )
    instructions = [line.text for line in visible if INSTRUCTION_RE.search(line.text)]
    if instructions:
        warnings.append(
            f"{len(instructions)} line(s) read like instructions to an AI (for example "
            f"'{instructions[0][:60]}'); they are treated as plain resume text, never obeyed."
        )

    header, sections = _split_sections(visible)
    header = header + [line for line in margins if not _repeats_name(line, header)]
    if all(section.inferred for section in sections):
        warnings.append(
            "No resume section headings (Experience, Education, Skills...) were recognised; "
            "the parse is a best effort."
        )
    resume = Resume(basics=_parse_basics(header, sections, visible))
    summary_parts: list[str] = []
    for section in sections:
        _fill_section(resume, section, summary_parts)
    header_skills = _header_skill_items(header)
    if header_skills and not any(s.kind == "skills" for s in sections):
        resume.skills.append(Skill(name="Skills", keywords=header_skills))
    if summary_parts and not resume.basics.summary:
        resume.basics.summary = " ".join(summary_parts)
    if not resume.work and not resume.education:
        warnings.append("No work experience or education entries were found.")
    return ParseResult(resume=resume, kind=document.kind, warnings=warnings, hidden_text=hidden)


def _header_skill_items(header: list) -> list[str]:
    """A heading-less line of four or more short items ('Python | SQL | Excel | R')."""
    for line in header[2:]:
        if _contact_bits(line.text) or parse_place(line.text):
            continue
        items = [i.strip() for i in re.split(r"\s*[|•·▪,]\s*", line.text) if i.strip()]
        if len(items) >= 4 and all(len(i.split()) <= 3 for i in items):
            return items
    return []


def _fill_section(resume: Resume, section: _Section, summary_parts: list[str]) -> None:
    lines = section.lines
    if section.kind == "summary":
        summary_parts.extend(_paragraphs(lines))
    elif section.kind == "experience":
        resume.work.extend(_parse_work(lines))
    elif section.kind == "education":
        resume.education.extend(_parse_education(lines))
    elif section.kind == "skills":
        resume.skills.extend(_parse_skills(lines))
    elif section.kind == "projects":
        resume.projects.extend(_parse_projects(lines))
    elif section.kind == "certificates":
        resume.certificates.extend(_parse_certificates(lines))
    elif section.kind == "awards":
        resume.awards.extend(_parse_awards(lines))
    elif section.kind == "languages":
        resume.languages.extend(_parse_languages(lines))
    elif section.kind == "volunteer":
        resume.volunteer.extend(
            Volunteer(
                organization=w.name,
                position=w.position,
                startDate=w.startDate,
                endDate=w.endDate,
                highlights=w.highlights,
            )
            for w in _parse_work(lines)
        )


# ------------------------------------------------------------------ text helpers


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    # Noncharacters and control codes (seen in PDF text) cannot even be stored in a DOCX.
    text = re.sub(r"[\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[\uf000-\uf8ff]", " ", text)  # private-use icon glyphs
    # Icons before contact items (⌂ ☎ ✉ ➚, emoji) separate fields like a tab would.
    text = re.sub(
        r"\s*[\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\U0001F300-\U0001FAFF]\s*", "\t", text
    )
    text = text.strip("\t ")
    parts = [" ".join(part.split()) for part in text.split("\t")]
    return "\t".join(part for part in parts if part)


def _norm_heading(text: str) -> str:
    text = text.strip().rstrip(":").strip()
    if re.fullmatch(r"(?:\w\s){2,}\w", text):  # letter-spaced: E X P E R I E N C E
        text = text.replace(" ", "")
    text = text.lower().replace("&", " and ").replace("/", " and ")
    text = re.sub(r"[^a-zà-ÿ ]", " ", text)
    return " ".join(text.split())


def _heading_kind(line) -> str | None:
    """The section a line opens, when it is a heading."""
    text = line.text
    if "\t" in text or len(text) > 48 or line.bullet:
        return None
    norm = _norm_heading(text)
    if not norm:
        return None
    if norm in HEADING_LOOKUP:
        return HEADING_LOOKUP[norm]
    if " " not in norm and norm in _SPACED_HEADINGS:  # A C A D E M I C B A C K G R O U N D
        return _SPACED_HEADINGS[norm]
    words = norm.split()
    styled = line.heading_level is not None or line.bold or text.isupper()
    if styled and len(words) <= 5 and not re.search(r"[|,@]|\s[–—-]\s", text):
        # "Clinical Skills", "Work Experience & Internships": a strong section word decides.
        for word in words:
            if word in _PARTIAL_HEADING_WORDS:
                return HEADING_LOOKUP[word]
    return None


def _heading_kinds(lines: list) -> list[str | None]:
    """Heading kind per line; a candidate set smaller than the resume's headings is a label."""
    kinds = [_heading_kind(line) for line in lines]
    sizes = sorted(
        line.font_size for line, k in zip(lines, kinds, strict=True) if k and line.font_size
    )
    if len(sizes) >= 3:
        floor = sizes[len(sizes) // 2] - 0.75
        kinds = [
            kind if kind is None or line.font_size is None or line.font_size >= floor else None
            for line, kind in zip(lines, kinds, strict=True)
        ]
    return kinds


def _inline_heading(line) -> tuple[str, str] | None:
    """'Skills: Python, SQL' -> ('skills', 'Python, SQL')."""
    match = re.match(r"^([A-Za-z &/]{3,40}):\s*(\S.*)$", line.text)
    if not match:
        return None
    kind = HEADING_LOOKUP.get(_norm_heading(match.group(1)))
    if kind in {"skills", "languages", "certificates", "summary"}:
        return kind, match.group(2)
    return None


def _split_sections(lines: list) -> tuple[list, list[_Section]]:
    """Header lines before the first heading, and the sections that follow."""
    header: list = []
    sections: list[_Section] = []
    current: _Section | None = None
    for line, kind in zip(lines, _heading_kinds(lines), strict=True):
        if kind:
            current = _Section(kind)
            sections.append(current)
            continue
        inline = _inline_heading(line)
        if inline and (current is None or current.kind not in {"skills", inline[0]}):
            kind, rest = inline
            sections.append(_Section(kind, [line.model_copy(update={"text": rest})]))
            current = None if kind != "summary" else sections[-1]
            continue
        if current is None:
            header.append(line)  # before any heading, or after an inline one
        else:
            current.lines.append(line)
    header, inferred = _infer_untitled(header)
    for section in sections:
        dated = sum(1 for line in section.lines if find_date_range(line.text))
        if section.kind == "summary" and dated >= 2:
            section.kind = "experience"  # "Career Summary" listing roles with dates
    return header, inferred + sections


def _infer_untitled(header: list) -> tuple[list, list[_Section]]:
    """Work entries that start before any heading (a resume without an Experience heading)."""
    for index, line in enumerate(header):
        if index < 2:
            continue
        if find_date_range(line.text) and not _contact_bits(line.text):
            start = index
            # The title/company lines just above the date belong to the entry.
            while start > 1 and _is_headerish(header[start - 1]) and start > index - 2:
                if _contact_bits(header[start - 1].text) or _name_like(header[start - 1].text):
                    break
                start -= 1
            return header[:start], _classify_untitled(header[start:])
    return header, []


def _classify_untitled(lines: list) -> list[_Section]:
    """Group heading-less lines into experience, education and skills runs by their content."""
    sections: list[_Section] = []
    for line in lines:
        if _degree_in(line.text) or _has_word(line.text, INSTITUTION_WORDS):
            kind = "education"
        elif sections and sections[-1].kind == "education" and not find_date_range(line.text):
            kind = "education" if not line.bullet else "experience"
        else:
            kind = "experience"
        if not sections or sections[-1].kind != kind:
            sections.append(_Section(kind, inferred=True))
        sections[-1].lines.append(line)
    return sections


def _has_word(text: str, words: Iterable[str]) -> bool:
    tokens = {t.strip(".,()").lower() for t in text.split()}
    return any(word in tokens for word in words)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'.&+-]+", text.lower())


# ------------------------------------------------------------------ basics


def _contact_bits(text: str) -> bool:
    return bool(EMAIL_RE.search(text) or URL_RE.search(text) or _find_phone(text))


def _find_phone(text: str) -> str | None:
    for match in PHONE_RE.finditer(text):
        candidate = match.group(0).strip(" .-")
        digits = re.sub(r"\D", "", candidate.split("x")[0].split("ext")[0])
        if not 7 <= len(digits) <= 15:
            continue
        if (
            find_date_range(candidate)
            or re.fullmatch(r"[\d\s./-]*", candidate)
            and (re.search(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", candidate))
        ):
            continue
        if re.fullmatch(r"\d{4}\s*-\s*\d{4}", candidate):
            continue
        if "(" in text[: match.start()][-1:]:
            candidate = "(" + candidate
        return candidate
    return None


def _name_like(text: str) -> bool:
    text = text.strip()
    if not text or any(ch.isdigit() for ch in text) or "@" in text or "\t" in text:
        return False
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5:
        return False
    lowered = {w.lower().strip(".") for w in words}
    if lowered & _NOT_NAME_WORDS or _norm_heading(text) in HEADING_LOOKUP:
        return False
    if lowered & (TITLE_WORDS - {"lead", "head", "fellow", "partner"}) and len(words) > 1:
        return False
    if lowered & COMPANY_WORDS:
        return False
    particles = {"de", "van", "von", "da", "del", "la"}
    return all(w[0].isupper() or w.lower() in particles for w in words)


def _is_credential(token: str) -> bool:
    """'PMP', 'RN', 'Ph.D.', 'DPT', 'MBA' - letters after a name, mostly capitals."""
    token = token.strip(" .,")
    compact = token.replace(".", "").replace("-", "")
    if token.lower().replace(" ", "") in CREDENTIAL_SUFFIXES:
        return True
    capitals = sum(1 for ch in compact if ch.isupper())
    return 2 <= len(compact) <= 6 and compact.isalpha() and capitals >= 2


def _strip_credentials(name: str) -> str:
    parts = [p.strip() for p in name.split(",")]
    while len(parts) > 1 and _is_credential(parts[-1]):
        parts.pop()
    words = ", ".join(parts).split()
    while len(words) > 2 and _is_credential(words[-1]):
        words.pop()
    return " ".join(words)


def _title_case_if_shouting(text: str) -> str:
    return text.title() if text.isupper() else text


def _repeats_name(line, header: list) -> bool:
    """A footer that only repeats something already in the header (a running name)."""
    return any(line.text == other.text for other in header)


def _find_name(header: list, all_lines: list) -> str | None:
    """The candidate's name: a Title-styled, else the biggest, name-like line near the top."""
    top = header[:8]
    pool = top + [line for line in all_lines[:40] if not any(line is t for t in top)]
    candidates = []
    for order, line in enumerate(pool):
        first = _strip_credentials(_FIELD_SPLIT.split(line.text)[0])
        if _name_like(first):
            rank = (line.heading_level == 0, line.font_size or 0, order < len(top), -order)
            candidates.append((rank, first))
    if not candidates:
        return None
    return _title_case_if_shouting(max(candidates, key=lambda c: c[0])[1])


def _profiles_and_url(text: str) -> tuple[list[Profile], str | None]:
    profiles: list[Profile] = []
    personal: str | None = None
    emails = {m.group(0).lower() for m in EMAIL_RE.finditer(text)}
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;)")
        low = url.lower()
        if any(low in email or email.endswith(low) for email in emails):
            continue
        if any(f"@{low}" in email for email in emails):
            continue
        bare = not low.startswith(("http://", "https://", "www."))
        if bare and "/" not in url and url != low:
            continue  # "DeepLearning.AI", "Socket.IO": names, not addresses
        network = next((name for key, name in _NETWORKS.items() if key in low), None)
        if network:
            username = low.rstrip("/").rsplit("/", 1)[-1] if "/" in low else None
            if all(p.url != url for p in profiles):
                profiles.append(Profile(network=network, username=username, url=url))
        elif personal is None:
            personal = url
    return profiles, personal


def _find_location(lines: list) -> Location | None:
    for line in lines:
        text = EMAIL_RE.sub(" ", line.text)
        text = URL_RE.sub(" ", text)
        for fragment in _FIELD_SPLIT.split(text):
            fragment = fragment.strip(" |•·,")
            phone = _find_phone(fragment)
            if phone:
                fragment = fragment.replace(phone, " ").strip(" |•·,")
            fragment = re.sub(r"\s+\d{4,6}(?:-\d{4})?$", "", fragment)  # postal code
            fragment = re.sub(r"^(?:location|address|based in)\s*:?\s*", "", fragment, flags=re.I)
            place = parse_place(fragment)
            if place is None and "," in fragment:
                # "12 Elm Street, Austin, TX": drop the street part
                rest = fragment.split(",", 1)[1]
                place = parse_place(rest)
                if place:
                    return Location(
                        address=fragment.split(",", 1)[0].strip(),
                        city=place.city,
                        region=place.region,
                        countryCode=place.country_code,
                    )
            if place:
                return Location(
                    city=place.city, region=place.region, countryCode=place.country_code
                )
    return None


def _parse_basics(header: list, sections: list[_Section], all_lines: list) -> Basics:
    contact_lines = list(header)
    for section in sections:
        if section.kind == "contact":
            contact_lines += section.lines
    first_page = [line for line in all_lines if line.page == 0] or all_lines
    name = _find_name(header, first_page)
    # By identity: `in` on a list compares pydantic models field by field, quadratic in lines.
    in_contact = {id(line) for line in contact_lines}
    search_space = contact_lines + [line for line in all_lines if id(line) not in in_contact]
    text = "\n".join(line.text for line in search_space)
    email = EMAIL_RE.search(text)
    phone = next((p for p in (_find_phone(line.text) for line in search_space) if p), None)
    profiles, url = _profiles_and_url(text)
    basics = Basics(
        name=name,
        email=email.group(0) if email else None,
        phone=phone,
        url=url,
        profiles=profiles,
        location=_find_location(contact_lines) or _find_location(all_lines[:15]),
        label=_find_label(header, name),
    )
    summary = [
        line.text
        for line in header
        if len(line.text.split()) >= 12 and not _contact_bits(line.text)
    ]
    if summary:
        basics.summary = " ".join(summary)
    return basics


def _find_label(header: list, name: str | None) -> str | None:
    """A headline such as 'Senior Software Engineer' right under the name."""
    if not name:
        return None
    for index, line in enumerate(header[:6]):
        first = _strip_credentials(_FIELD_SPLIT.split(line.text)[0])
        if _title_case_if_shouting(first) != name:
            continue
        rest = [f for f in _FIELD_SPLIT.split(line.text)[1:] if f and not _contact_bits(f)]
        if rest and _title_score(rest[0]) > 0:
            return rest[0]
        for follower in header[index + 1 : index + 3]:
            candidate = _FIELD_SPLIT.split(follower.text)[0]
            if _contact_bits(follower.text) or parse_place(candidate):
                continue
            if len(candidate.split()) <= 8 and not candidate.endswith("."):
                return candidate
        return None
    return None


# ------------------------------------------------------------------ entries


def _title_score(fragment: str) -> float:
    words = _words(fragment)
    if not words:
        return 0.0
    hits = sum(1 for w in words if w.strip(".,") in TITLE_WORDS)
    last = words[-1].strip(".,")
    return hits + (1.0 if last in TITLE_WORDS else 0.0)


def _company_score(fragment: str) -> float:
    words = _words(fragment)
    if not words:
        return 0.0
    score = sum(1.0 for w in words if w.strip(",") in COMPANY_WORDS)
    if re.search(r"\b(?:inc|llc|ltd|gmbh|plc|corp)\b\.?", fragment, re.IGNORECASE):
        score += 2
    if re.search(r"[A-Z][a-z]+[A-Z]|\.(?:com|io|ai)\b", fragment):  # CamelCase or a domain
        score += 1
    return score


def _is_sentence(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    first = words[0].lower().strip(",.;:")
    abbreviation = words[-1].lower() in {"inc.", "co.", "ltd.", "corp.", "jr.", "sr.", "llc."}
    return (
        len(words) >= 13
        or (text.endswith(".") and len(words) >= 3 and not abbreviation)
        or (first in ACTION_VERB_HINTS and len(words) >= 3)
        or (first.endswith("ed") and len(words) >= 4 and first not in TITLE_WORDS)
    )


def _is_headerish(line) -> bool:
    if line.bullet:
        return False
    if find_date_range(line.text):
        return True
    return not _is_sentence(line.text) and not line.text[:1].islower()


@dataclass
class _Header:
    fragments: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    has_dates: bool = False
    location: str | None = None
    at_split: tuple[str, str] | None = None
    labelled: dict[str, str] = field(default_factory=dict)  # "title"/"company" from labels


def _split_commas(fragment: str) -> list[str]:
    """Split 'Senior Engineer, Acme Corp' but not 'Acme, Inc.'."""
    parts = [p.strip() for p in fragment.split(",") if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and (part.lower().strip(".") in {"inc", "llc", "ltd", "l.l.c", "co", "corp"}):
            merged[-1] += ", " + part
        else:
            merged.append(part)
    return merged


def _header_fields(lines: list, *, date_single: bool = False) -> _Header:
    """Pull dates, location and the remaining text fragments out of a header group."""
    header = _Header()
    for line in lines:
        text = line.text
        date_range = find_date_range(text)
        if date_range and not header.has_dates:
            header.start, header.end, header.has_dates = date_range.start, date_range.end, True
            text = text[: date_range.span[0]] + "\t" + text[date_range.span[1] :]
        elif date_single and not header.has_dates:
            single = find_single_date(text)
            if single:
                header.end, header.has_dates = single[0], True
                span = single[1]
                text = text[: span[0]] + "\t" + text[span[1] :]
        text = _DURATION.sub("\t", text)
        text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
        label = _FIELD_LABEL.match(text)
        if label:  # Europass-style "Occupation or position held<TAB>Research Scientist"
            key = _FIELD_LABELS[_norm_heading(label.group(1))]
            value = text[label.end() :].strip(" \t:")
            if key == "dates" or not value:
                continue
            header.labelled[key] = _separate_place(value, header)[0] if key == "company" else value
            continue
        for raw in _FIELD_SPLIT.split(text):
            fragment = raw.strip(" |,;:()·•–—-")
            if not fragment or fragment.lower() in _EMPLOYMENT_TYPES:
                continue
            if DATE_RE.fullmatch(fragment) and not header.has_dates:
                # A lone date under a role ("2018"): a stint within that month or year.
                header.start = header.end = normalize_date(fragment)
                header.has_dates = True
                continue
            at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", fragment)
            if at and _title_score(at.group(1)) > 0:
                header.at_split = (at.group(1).strip(), at.group(2).strip())
                header.fragments.extend([at.group(1).strip(), at.group(2).strip()])
                continue
            for part in _separate_place(fragment, header):
                header.fragments.append(part)
    return header


def _separate_place(fragment: str, header: _Header) -> list[str]:
    """Move a trailing 'Austin, TX' / 'Remote' out of a fragment into the header's location."""
    if is_remote(fragment) or parse_place(fragment):
        header.location = header.location or fragment
        return []
    parts = _split_commas(fragment)
    for cut in (2, 1):
        if len(parts) > cut:
            tail = ", ".join(parts[-cut:])
            lone_city = cut == 1 and tail.lower() in WELL_KNOWN_CITIES
            if parse_place(tail) or lone_city or (cut == 1 and is_remote(tail)):
                header.location = header.location or tail
                return [", ".join(parts[:-cut])]
    return [fragment]


def _lean(fragment: str) -> float:
    """Positive when a fragment reads like a job title, negative when like an employer."""
    return _title_score(fragment) - _company_score(fragment)


def _title_and_company(header: _Header, title_first: bool = True) -> tuple[str | None, str | None]:
    if header.labelled:
        return header.labelled.get("title"), header.labelled.get("company")
    if header.at_split:
        return header.at_split
    fragments = [f for f in header.fragments if not _contact_bits(f)]
    if len(fragments) == 1:
        # One fragment: "Data Analyst, Ridge Bank" splits at its comma; "Ridge Bank" alone
        # is an employer and "Data Analyst" alone a title.
        parts = _split_commas(fragments[0])
        if len(parts) == 2:
            fragments = parts
        elif _company_score(fragments[0]) > _title_score(fragments[0]):
            return None, fragments[0]
        else:
            return fragments[0], None
    if not fragments:
        return None, None
    first, second = fragments[0], fragments[1]
    if _lean(second) > _lean(first) or (_lean(second) == _lean(first) and not title_first):
        return second, first
    return first, second


def _blocks(lines: list) -> list[tuple[list, list]]:
    """Split a section into (header lines, body lines) pairs."""
    blocks: list[tuple[list, list]] = []
    head: list = []
    body: list = []
    for line in lines:
        if body and _continues(body[-1], line):
            body[-1] = body[-1].model_copy(update={"text": body[-1].text + " " + line.text})
            continue
        if _is_headerish(line) and not (body and _is_body_tail(line, body)):
            if body:
                blocks.append((head, body))
                head, body = [], []
            head.append(line)
        else:
            body.append(line)
    if head or body:
        blocks.append((head, body))
    return blocks


def _is_body_tail(line, body: list) -> bool:
    """A short glyph-less line among glyph-less highlights is one more highlight."""
    return (
        not body[-1].bullet
        and not find_date_range(line.text)
        and _title_score(line.text) == 0
        and _company_score(line.text) == 0
        and len(line.text.split()) >= 4
    )


def _continues(previous, line) -> bool:
    """Whether `line` is the wrapped tail of the bullet before it."""
    if line.bullet or find_date_range(line.text) or line.paragraph is not None:
        return False  # a DOCX paragraph never wraps onto a line of its own
    # Wrapped text is indented to the bullet's text; title lines start at the margin.
    indented = line.x is not None and previous.x is not None and line.x > previous.x + 1
    if previous.bullet and indented and not (line.bold and not previous.bold):
        return True
    if previous.text.rstrip().endswith((".", "!", "?", ":", ";")):
        return line.text[:1].islower()
    return line.text[:1].islower() or bool(re.match(r"[\d.,$%]+\s+[a-z]", line.text))


def _highlights(body: list) -> list[str]:
    return [line.text.replace("\t", " ").strip() for line in body if line.text.strip()]


def _parse_work(lines: list) -> list[Work]:
    """Roles in an experience section, including several roles under one employer."""
    blocks = [(_role_groups(head), body) for head, body in _blocks(lines)]
    headers = [[_header_fields(group) for group in groups] for groups, _ in blocks]
    title_first = _title_first_order([h for group in headers for h in group])
    works: list[Work] = []
    employer: str | None = None
    for (groups, body), fields_list in zip(blocks, headers, strict=True):
        if not groups:
            if works:
                works[-1].highlights.extend(_highlights(body))
            continue
        for index, fields in enumerate(fields_list):
            title, company = _title_and_company(fields, title_first)
            is_last = index == len(groups) - 1
            if not title and not company and fields.has_dates and works:
                # A date line of its own after the bullets (a table's right-hand cell).
                if not works[-1].startDate:
                    works[-1].startDate, works[-1].endDate = fields.start, fields.end
                if is_last:
                    works[-1].highlights.extend(_highlights(body))
                continue
            if company and not title and (not is_last or not body):
                employer = company  # an employer line above its roles
                continue
            if title and not company:
                company = employer
            elif company:
                employer = company
            works.append(
                Work(
                    name=company,
                    position=title,
                    location=fields.location,
                    startDate=fields.start,
                    endDate=fields.end,
                    highlights=_highlights(body) if is_last else [],
                )
            )
    return [w for w in works if w.name or w.position or w.highlights]


def _title_first_order(headers: list[_Header]) -> bool:
    """Whether this resume writes the title before the employer, judged by its clear cases."""
    votes = 0
    for header in headers:
        fragments = [f for f in header.fragments if not _contact_bits(f)]
        if header.at_split or len(fragments) < 2:
            continue
        difference = _lean(fragments[0]) - _lean(fragments[1])
        if abs(difference) >= 1:
            votes += 1 if difference > 0 else -1
    return votes >= 0


def _role_groups(head: list) -> list[list]:
    """Cut a header group holding several dated roles into one group per role.

    When the group opens with a date, each role starts at its date line. When titles come
    first ("Store Manager" / "Mar 2017 - Jul 2021"), each role ends at its date line, and
    only place or duration lines right after a date still belong to it.
    """
    dated = [i for i, line in enumerate(head) if find_date_range(line.text)]
    if len(dated) <= 1:
        return [head] if head else []
    if dated[0] == 0:
        cuts = dated[1:]
    else:
        cuts = []
        for previous, following in zip(dated, dated[1:], strict=False):
            cut = previous + 1
            while cut < following and _is_role_detail(head[cut].text):
                cut += 1
            cuts.append(cut)
    bounds = [0, *cuts, len(head)]
    return [head[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if head[a:b]]


def _is_role_detail(text: str) -> bool:
    """A line that describes the role above it: its place, duration or employment type."""
    text = _DURATION.sub("", text).strip(" ·|,-–—()")
    return (
        not text or text.lower() in _EMPLOYMENT_TYPES or bool(parse_place(text) or is_remote(text))
    )


def _paragraphs(lines: list) -> list[str]:
    return [line.text.replace("\t", " ") for line in lines if line.text.strip()]


# ------------------------------------------------------------------ education


_HONOURS_RE = re.compile(r"\((?:hons?|honours|honors)\.?\)", re.IGNORECASE)


def _degree_in(text: str) -> tuple[str, str | None] | None:
    """'B.S. in Computer Science' -> ('B.S.', 'Computer Science')."""
    fragments = _FIELD_SPLIT.split(text)
    fragments += [part for f in fragments for part in _split_commas(f)[1:]]
    for fragment in fragments:
        fragment = fragment.strip(" ,;–—-")
        match = DEGREE_RE.match(fragment)
        if not match:
            continue
        study_type = match.group("type").strip()
        if re.fullmatch(r"[a-z]{1,2}", study_type):  # lowercase "ma", "as" are words
            continue
        if study_type.lower() in {"a", "as", "a.", "ma", "me", "be", "ba"} and not (
            study_type.isupper() or "." in study_type
        ):
            continue
        rest = fragment[match.end() :]
        # "Doctor of Natural Sciences (Dr. rer. nat.) in Biology": the title's own abbreviation.
        abbreviation = re.match(r"\s*(\([^()]{1,20}\.[^()]*\))", rest)
        if abbreviation and not _HONOURS_RE.fullmatch(abbreviation.group(1)):
            study_type = f"{study_type} {abbreviation.group(1)}"
            rest = rest[abbreviation.end() :]
        rest = re.sub(r"^[\s,:;(–—-]*(?:degree\s+)?(?:in|of)?\s+", "", rest, flags=re.I)
        rest = _HONOURS_RE.sub("", rest)
        rest = re.split(r"[,;(]|\s[–—-]\s|\bgpa\b|\bcum laude\b|\bminor\b", rest, flags=re.I)[0]
        area = rest.strip(" .,:") or None
        if area and _has_word(area, INSTITUTION_WORDS):
            area = None
        return study_type, area
    return None


def _parse_education(lines: list) -> list[Education]:
    entries: list[Education] = []
    current: Education | None = None
    for line in lines:
        # Dates go first: "10/2018 – 09/2019 MSc in Finance" starts with its degree.
        text = line.text
        date_range = find_date_range(text)
        undated = (
            text[: date_range.span[0]] + "\t" + text[date_range.span[1] :] if date_range else text
        )
        degree = _degree_in(undated)
        institution = _institution_in(undated)
        if line.bullet and current and not degree and not institution:
            current.courses.append(text)
            continue
        starts_new = current is None or (
            (institution and current.institution) or (degree and current.studyType)
        )
        if starts_new:
            current = Education()
            entries.append(current)
        if degree:
            current.studyType, current.area = degree[0], degree[1] or current.area
            if not current.area:
                current.area = _area_fragment(undated, degree[0])
        elif current.studyType and not current.area and not institution:
            area = _area_only(text)
            if area:
                current.area = area
        if institution and not current.institution:
            current.institution = institution
        if date_range:
            current.startDate, current.endDate = date_range.start, date_range.end
        elif not current.endDate:
            single = find_single_date(text)
            if single:
                current.endDate = single[0]
        gpa = re.search(r"\bGPA\b\s*:?\s*([\d.]+(?:\s*/\s*[\d.]+)?)", text, re.IGNORECASE)
        if gpa:
            current.score = gpa.group(1).replace(" ", "")
    return [e for e in entries if e.institution or e.studyType]


def _area_fragment(text: str, study_type: str) -> str | None:
    """'Computer Science, B.S.' -> the fragment next to a bare degree name."""
    for fragment in _FIELD_SPLIT.split(text):
        for part in _split_commas(fragment):
            if study_type in part or _institution_in(part) or DATE_RE.search(part):
                continue
            if parse_place(part) or not part.strip():
                continue
            if re.search(r"gpa|honou?rs|cum laude", part, re.IGNORECASE):
                continue
            return part.strip(" .")
    return None


def _area_only(text: str) -> str | None:
    if find_single_date(text) or len(text.split()) > 6 or _contact_bits(text):
        return None
    match = re.match(r"^(?:major|concentration|field)\s*:?\s*(.+)$", text, re.IGNORECASE)
    return (match.group(1) if match else None) or None


def _is_state_system(name: str) -> bool:
    """A US state university system whose campuses are named after their city."""
    match = re.match(r"(?:the\s+)?university\s+of\s+(.+)$", name.strip(), re.IGNORECASE)
    return bool(match) and match.group(1).strip().lower() in STATE_NAMES


def _institution_in(text: str) -> str | None:
    """The school in a line: 'University of California, Berkeley' keeps its campus."""
    for fragment in _FIELD_SPLIT.split(text):
        parts = [
            DATE_RE.sub("", part).strip(" ()–—-")
            for part in _split_commas(fragment.strip(" ,;–—-"))
            if not DEGREE_RE.match(part) and not parse_place(part)
        ]
        parts = [part for part in parts if part]
        while len(parts) >= 2 and parse_place(", ".join(parts[-2:])):
            parts = parts[:-2]
        for index, part in enumerate(parts):
            words = _words(part)
            if not words or len(words) > 9:
                continue
            # "Humboldt-Universität zu Berlin": the school word may end a hyphenated name.
            if any(w.strip(".,").rsplit("-", 1)[-1] in INSTITUTION_WORDS for w in words):
                campus = parts[index + 1 : index + 2]
                if campus and _is_state_system(part):
                    return f"{part}, {campus[0]}"  # "University of California, Berkeley"
                return part
    return None


# ------------------------------------------------------------------ skills and lists


def _split_items(text: str) -> list[str]:
    separators = r",|;|\||[•·∙▪◦●■♦★✦‧⋅]|\t|\s{2,}"
    if not re.search(separators, text):
        separators += r"|\s/\s"  # "Canvas / Jira / Excel", but keep "Lean / 5S" in a list
    items = re.split(rf"\s*(?:{separators})\s*", text)
    cleaned = []
    for item in items:
        item = item.strip(" .:-–—*")
        level = re.search(r"\s*\(([^)]*)\)$", item)
        if level and level.group(1).strip().lower() in _LEVEL_WORDS:
            item = item[: level.start()].strip()
        if item and len(item.split()) <= 6:
            cleaned.append(item)
    return cleaned


def _parse_skills(lines: list) -> list[Skill]:
    skills: list[Skill] = []
    loose: list[str] = []
    for line in lines:
        text = line.text
        category = re.match(r"^([^:]{2,40}):\s*(.+)$", text)
        if category and len(category.group(1).split()) <= 5:
            name, items = category.group(1).strip(), _split_items(category.group(2))
            skills.append(Skill(name=name, keywords=items))
        elif (
            "\t" in text
            and len(text.split("\t")) == 2
            and line.bold is False
            and (len(text.split("\t")[0].split()) <= 4 and "," in text.split("\t")[1])
        ):
            name, rest = text.split("\t")
            skills.append(Skill(name=name.strip(), keywords=_split_items(rest)))
        elif line.bold and not line.bullet and len(text.split()) <= 4 and "," not in text:
            skills.append(Skill(name=text.strip(), keywords=[]))
        elif skills and skills[-1].keywords == [] and skills[-1].name:
            skills[-1].keywords.extend(_split_items(text))
        else:
            loose.extend(_split_items(text))
    skills = [s for s in skills if s.keywords]
    if loose:
        skills.insert(0, Skill(name="Skills", keywords=loose))
    return skills


def _parse_languages(lines: list) -> list[Language]:
    languages: list[Language] = []
    for line in lines:
        for item in re.split(r"\s*(?:,|;|\||•|·|\t)\s*", line.text):
            match = re.match(r"^([A-Za-zÀ-ÿ ]+?)\s*(?:[(:–—-]\s*([^)]+)\)?)?$", item.strip())
            if match and match.group(1).strip():
                fluency = match.group(2).strip() if match.group(2) else None
                languages.append(Language(language=match.group(1).strip(), fluency=fluency))
    return languages


def _parse_certificates(lines: list) -> list[Certificate]:
    certificates: list[Certificate] = []
    for line in lines:
        text = line.text
        date = find_single_date(text)
        if date:
            text = (text[: date[1][0]] + text[date[1][1] :]).strip()
        parts = _certificate_fields(text)
        if not parts:
            continue
        name = parts[0]
        issuer = parts[1] if len(parts) > 1 else None
        if issuer is None and ", " in name and not re.search(r"\b(?:inc|llc)\b", name, re.I):
            name, issuer = (p.strip() for p in name.rsplit(", ", 1))
        certificates.append(Certificate(name=name, issuer=issuer, date=date[0] if date else None))
    return certificates


def _certificate_fields(text: str) -> list[str]:
    """Name, issuer, ...: a level after a dash stays with the name ("Architect – Associate")."""
    fields: list[str] = []
    for part in _FIELD_SPLIT.split(_EMPTY_BRACKETS.sub("", text)):
        part = _balanced(part.strip(" ,;-–—"))
        if fields and _CERTIFICATE_LEVEL.fullmatch(part):
            fields[-1] = f"{fields[-1]} – {part}"
        elif part:
            fields.append(part)
    return fields


def _balanced(text: str) -> str:
    """Without a bracket left over from a split or a removed date ("(2020)" -> "(")."""
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text[1:-1].strip()
    if text.count("(") > text.count(")"):
        return text.rstrip(" (").strip()
    if text.count(")") > text.count("("):
        return text.strip(" )")
    return text


def _parse_awards(lines: list) -> list[Award]:
    awards: list[Award] = []
    for line in lines:
        date = find_single_date(line.text)
        text = line.text
        if date:
            text = (text[: date[1][0]] + text[date[1][1] :]).strip(" ,()–—-")
        parts = [p for p in _FIELD_SPLIT.split(text) if p.strip()]
        if parts:
            awarder = parts[1].strip() if len(parts) > 1 else None
            when = date[0] if date else None
            awards.append(Award(title=parts[0].strip(), awarder=awarder, date=when))
    return awards


def _parse_projects(lines: list) -> list[Project]:
    projects: list[Project] = []
    for head, body in _blocks(lines):
        if not head and projects:
            projects[-1].highlights.extend(_highlights(body))
            continue
        fields = _header_fields(head)
        name = fields.fragments[0] if fields.fragments else None
        urls = [m.group(0) for line in head for m in URL_RE.finditer(line.text)]
        if name is None and not body:
            continue
        projects.append(
            Project(
                name=name,
                description=" ".join(fields.fragments[1:]) or None,
                url=urls[0] if urls else None,
                startDate=fields.start,
                endDate=fields.end,
                highlights=_highlights(body),
            )
        )
    return projects
