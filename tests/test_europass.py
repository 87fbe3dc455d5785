"""Europass CVs: label/value table rows read as experience, education, skills and languages."""

from __future__ import annotations

import io

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.europass import ENTRY_LABELS, LANGUAGE_LABELS, normalize_europass
from coach.models import Line
from coach.parse import parse_bytes

ROWS = {
    "PERSONAL INFORMATION": [
        ("Name", "Lukas Brenner"),
        ("E-mail", "lukas.brenner@example.com"),
        ("Telephone", "+49 40 5550 1193"),
    ],
    "WORK EXPERIENCE": [
        ("Dates", "09.2020 – present"),
        ("Occupation or position held", "Process Engineer"),
        ("Name and address of employer", "Nordwerk Anlagenbau GmbH\nHamburg, Germany"),
        (
            "Main activities and responsibilities",
            "Ran 14 pump-line commissioning projects.\nWrote the plant's change-control procedure.",
        ),
        ("Dates", "07.2016 – 08.2020"),
        ("Occupation or position held", "Junior Engineer"),
        ("Name and address of employer", "Elbtal Chemie AG\nStade, Germany"),
    ],
    "EDUCATION AND TRAINING": [
        ("Dates", "10.2011 – 06.2016"),
        ("Title of qualification awarded", "Master of Science in Chemical Engineering"),
        ("Organisation providing education", "Technische Universität Hamburg\nHamburg, Germany"),
    ],
    "PERSONAL SKILLS": [
        ("Mother tongue", "German"),
        ("Other languages", "English (C1), Spanish (A2)"),
        ("Digital skills", "Aspen Plus, MATLAB, SAP PM"),
    ],
}


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def europass_docx() -> bytes:
    """The Europass Word template's shape: a heading, then a two-column label/value table."""
    document = docx.Document()
    document.add_paragraph("Curriculum Vitae")
    for heading, rows in ROWS.items():
        document.add_paragraph(heading)
        table = document.add_table(rows=0, cols=2)
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            for i, part in enumerate(value.split("\n")):
                paragraph = cells[1].paragraphs[0] if i == 0 else cells[1].add_paragraph()
                paragraph.text = part
    return saved(document)


def test_europass_rows_become_entries():
    resume = parse_bytes(europass_docx()).resume
    assert resume.basics.name == "Lukas Brenner"
    jobs = [(w.position, w.name, w.startDate, w.endDate) for w in resume.work]
    assert jobs == [
        ("Process Engineer", "Nordwerk Anlagenbau GmbH", "2020-09", None),
        ("Junior Engineer", "Elbtal Chemie AG", "2016-07", "2020-08"),
    ]
    assert resume.work[0].highlights == [
        "Ran 14 pump-line commissioning projects.",
        "Wrote the plant's change-control procedure.",
    ]
    [school] = resume.education
    assert (school.institution, school.studyType, school.area) == (
        "Technische Universität Hamburg",
        "Master of Science",
        "Chemical Engineering",
    )
    keywords = [k for skill in resume.skills for k in skill.keywords]
    assert keywords == ["Aspen Plus", "MATLAB", "SAP PM"]
    assert [(lang.language, lang.fluency) for lang in resume.languages] == [
        ("German", None),
        ("English", "C1"),
        ("Spanish", "A2"),
    ]


def test_a_table_with_a_dates_row_alone_is_not_europass():
    rows = ["Dates", "2019 - 2021", "Analyst, Ridge Bank", "Ran the rules engine."]
    lines = [Line(text=text, in_table=True) for text in rows]
    assert normalize_europass(lines) is lines
    signed = [*lines, Line(text="Occupation or position held", in_table=True)]
    assert normalize_europass(signed) is not signed


WORDS = [
    *ENTRY_LABELS,
    *LANGUAGE_LABELS,
    "PERSONAL SKILLS",
    "WORK EXPERIENCE",
    "Digital skills",
    "R, Python",
    "04.2021 – present",
    "Helix GmbH",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.booleans()), max_size=40))
def test_any_mix_of_europass_rows_keeps_every_value(rows):
    lines = [Line(text=text, in_table=in_table) for text, in_table in rows]
    lines.append(Line(text="Occupation or position held", in_table=True))  # always Europass
    out = normalize_europass(lines)
    joined = "\n".join(line.text for line in out)
    skipped = False  # the values of "Type of business or sector": JSON Resume has no field
    for line in lines:
        label = line.text.lower()
        if label in ENTRY_LABELS or not line.in_table:
            skipped = ENTRY_LABELS.get(label) == "skip" and line.in_table
        if line.text and not skipped and label not in {*ENTRY_LABELS, *LANGUAGE_LABELS}:
            # A value may be regrouped or split at its commas, never lost.
            assert all(part.strip() in joined for part in line.text.split(","))
