"""Europass CVs: label/value table rows turned into the one-line entries the parser reads.

A Europass DOCX puts every fact in a two-column table: "Occupation or position held" on the
left, "Research Scientist" on the right. Read line by line, the labels look like job titles.
Here each Dates / position / employer / activities group becomes one entry line
("Research Scientist | Helix GmbH | Berlin | 04.2021 - present") with its activities as
bullets; a personal-skills row becomes "Digital skills: R, Python", and the language rows
become a Languages section. Europass PDFs lose the table and are read as ordinary text.
"""

from __future__ import annotations

import re

from coach.models import Line

# Left-column labels of the Europass template, by the field they introduce.
ENTRY_LABELS = {
    "dates": "dates",
    "occupation or position held": "title",
    "name and address of employer": "organisation",
    "main activities and responsibilities": "bullets",
    "type of business or sector": "skip",
    "title of qualification awarded": "title",
    "organisation providing education": "organisation",
    "name and type of organisation providing education and training": "organisation",
    "principal subjects / occupational skills covered": "bullets",
    "level in national or international classification": "skip",
}
LANGUAGE_LABELS = {"mother tongue", "mother tongue(s)", "other languages", "other language(s)"}
# Only a document with one of these labels is read as Europass: "Dates" alone is too common.
_SIGNATURE = {"occupation or position held", "title of qualification awarded"}
_SKILLS_HEADING = re.compile(r"^personal skills(?: and competences)?$", re.IGNORECASE)


def _label(line: Line) -> str:
    return line.text.strip().rstrip(":").strip().lower()


def is_europass(lines: list[Line]) -> bool:
    """True when label rows of the Europass template sit in a table."""
    return any(line.in_table and _label(line) in _SIGNATURE for line in lines)


def normalize_europass(lines: list[Line]) -> list[Line]:
    """The lines with Europass label/value rows rewritten as entries; other lines unchanged."""
    if not is_europass(lines):
        return lines
    out: list[Line] = []
    skills_heading: Line | None = None  # set while inside the personal-skills section
    languages: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.in_table:
            _add_languages(out, skills_heading, languages)
            skills_heading = line if _SKILLS_HEADING.match(line.text.strip()) else None
            out.append(line)
            i += 1
        elif _label(line) in ENTRY_LABELS:
            i = _entry(lines, i, out)
        elif skills_heading is not None and i + 1 < len(lines) and lines[i + 1].in_table:
            label, value = line.text.strip().rstrip(":"), lines[i + 1].text.strip()
            if label.lower() in LANGUAGE_LABELS:
                languages.extend(part.strip() for part in value.split(",") if part.strip())
            else:
                out.append(line.model_copy(update={"text": f"{label}: {value}"}))
            i += 2
        else:
            out.append(line)
            i += 1
    _add_languages(out, skills_heading, languages)
    return out


def _add_languages(out: list[Line], heading: Line | None, languages: list[str]) -> None:
    """Languages from the personal-skills table, under a heading styled like that section's."""
    if heading is None or not languages:
        return
    out.append(heading.model_copy(update={"text": "Languages"}))
    out.extend(heading.model_copy(update={"text": name, "bold": False}) for name in languages)
    languages.clear()


def _values(lines: list[Line], i: int) -> tuple[list[str], int]:
    """The value lines after the label at i, up to the next label or the end of the table."""
    values = []
    i += 1
    while i < len(lines) and lines[i].in_table and _label(lines[i]) not in ENTRY_LABELS:
        values.append(lines[i].text.strip())
        i += 1
    return values, i


def _entry(lines: list[Line], i: int, out: list[Line]) -> int:
    """One experience or education entry, starting at a label; returns the index after it."""
    fields: dict[str, list[str]] = {}
    first = lines[i]
    while i < len(lines) and lines[i].in_table and _label(lines[i]) in ENTRY_LABELS:
        field = ENTRY_LABELS[_label(lines[i])]
        if field == "dates" and fields:
            break  # the next entry's dates
        values, i = _values(lines, i)
        fields.setdefault(field, []).extend(values)
    head = [*fields.get("title", []), *fields.get("organisation", []), *fields.get("dates", [])]
    if head:
        out.append(first.model_copy(update={"text": " | ".join(head), "bullet": False}))
    for text in fields.get("bullets", []):
        out.append(first.model_copy(update={"text": text, "bullet": True}))
    return i
