"""resume.docx: the user's DOCX edited in place, or a clean ATS-friendly DOCX for other inputs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from coach.export import docx_bytes, docx_in_place, export_bytes
from coach.ingest_docx import body_paragraphs
from coach.models import Change, CoachingResult, SourceKind, apply_changes
from coach.parse import parse_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "sample_resumes"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _result(source: bytes, changes: list[Change], kind: SourceKind | None = None) -> CoachingResult:
    parsed = parse_bytes(source)
    return CoachingResult(
        resume=parsed.resume,
        rewritten=apply_changes(parsed.resume, changes),
        target_role="AI Project Manager",
        source_kind=kind if kind is not None else parsed.kind,
        changes=changes,
    )


def _paragraphs(data: bytes) -> list:
    document = docx.Document(io.BytesIO(data))
    return body_paragraphs(document.element.body)


def _paragraph_text(element) -> str:
    return Paragraph(element, None).text


def _xml(element) -> bytes:
    return etree.tostring(element, method="c14n") if element is not None else b""


def _index_of(paragraphs: list, text: str) -> int:
    return next(i for i, p in enumerate(paragraphs) if _paragraph_text(p).strip() == text)


# ---------------------------------------------------------------- the sample resumes


@pytest.fixture
def alex() -> tuple[bytes, CoachingResult]:
    source = (SAMPLES / "alex-rivera-software-engineer.docx").read_bytes()
    resume = parse_bytes(source).resume
    work = resume.work
    changes = [
        Change(
            path="basics.summary",
            original=resume.basics.summary or "",
            rewritten="Engineer who plans and ships data platforms with cross-functional teams.",
            status="rewritten",
        ),
        Change(
            path="work[0].highlights[0]",
            original=work[0].highlights[0],
            rewritten="Led delivery of a shipment-tracking platform for 1,800 carrier accounts.",
            status="rewritten",
            skill="Stakeholder Management",
        ),
        Change(
            path="work[0].highlights[1]",
            original=work[0].highlights[1],
            rewritten="REVERTED TEXT",
            status="rewritten",
            accepted=False,
        ),
        Change(
            path="work[1].highlights[0]",
            original=work[1].highlights[0],
            rewritten="REJECTED TEXT with 99 new numbers",
            status="rejected",
            reason="adds the number 99",
        ),
        Change(
            path="work[1].highlights[1]",
            original=work[1].highlights[1],
            rewritten=work[1].highlights[1],
            status="kept",
        ),
    ]
    return source, _result(source, changes)


def test_in_place_replaces_accepted_text_and_keeps_paragraph_formatting(alex):
    source, result = alex
    before, after = _paragraphs(source), _paragraphs(docx_bytes(result, source))
    assert len(before) == len(after)
    for change in result.changes[:2]:
        index = _index_of(before, change.original)
        assert _paragraph_text(after[index]) == change.rewritten
        # Paragraph properties (style, numbering, spacing) and the first run's look are kept.
        assert _xml(after[index].find(f"{W}pPr")) == _xml(before[index].find(f"{W}pPr"))
        assert _xml(after[index].find(f"{W}r/{W}rPr")) == _xml(before[index].find(f"{W}r/{W}rPr"))


def test_in_place_leaves_reverted_rejected_and_other_paragraphs_identical(alex):
    source, result = alex
    before, after = _paragraphs(source), _paragraphs(docx_bytes(result, source))
    edited = {_index_of(before, c.original) for c in result.changes if c.applied}
    assert len(edited) == 2
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if index not in edited:
            assert _xml(old) == _xml(new), index
    texts = [_paragraph_text(p) for p in after]
    assert "REVERTED TEXT" not in texts
    assert not any("REJECTED" in t for t in texts)
    assert result.changes[2].original in texts


def test_in_place_copies_every_other_package_part_byte_for_byte(alex):
    source, result = alex
    out = docx_bytes(result, source)
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), name
        old_sect = etree.fromstring(a.read("word/document.xml")).find(f"{W}body/{W}sectPr")
        new_sect = etree.fromstring(b.read("word/document.xml")).find(f"{W}body/{W}sectPr")
        assert _xml(old_sect) == _xml(new_sect)


def test_in_place_with_nothing_applied_keeps_the_document_text(alex):
    source, result = alex
    reverted = result.with_choices({c.path: False for c in result.changes})
    before, after = _paragraphs(source), _paragraphs(docx_bytes(reverted, source))
    assert [_xml(p) for p in before] == [_xml(p) for p in after]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.docx")), ids=lambda p: p.stem)
def test_every_sample_bullet_and_summary_is_found(path):
    source = path.read_bytes()
    resume = parse_bytes(source).resume
    changes = [
        Change(
            path=f"work[{i}].highlights[{j}]",
            original=h,
            rewritten=f"NEW {i}.{j}",
            status="rewritten",
        )
        for i, work in enumerate(resume.work)
        for j, h in enumerate(work.highlights)
    ]
    if resume.basics.summary:
        changes.append(
            Change(
                path="basics.summary",
                original=resume.basics.summary,
                rewritten="NEW SUMMARY",
                status="rewritten",
            )
        )
    data, unplaced = docx_in_place(_result(source, changes), source)
    assert unplaced == []
    texts = {_paragraph_text(p) for p in _paragraphs(data)}
    assert {c.rewritten for c in changes} <= texts


# ---------------------------------------------------------------- a DOCX with every hard part


def _rich_docx() -> bytes:
    """Header, footer, a table, explicit list numbering, multi-run formatting, custom margins."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin = Inches(0.6)
    section.top_margin = Inches(0.5)
    section.header.paragraphs[0].text = "Jordan Vale | jordan.vale@example.com | (555) 010-0155"
    section.footer.paragraphs[0].text = "Page footer text"
    document.add_paragraph("Jordan Vale", style="Title")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Operations Lead — Harbor Example Co | 2019 – Present")
    numbered = document.add_paragraph(style="List Paragraph")
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "1")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    numbered._p.get_or_add_pPr().append(num_pr)
    first = numbered.add_run("Led the rollout")
    first.bold, first.italic, first.font.size, first.font.name = True, True, Pt(11), "Georgia"
    numbered.add_run(" of a scheduling tool to 4 depots.")
    document.add_paragraph("Kept 12 vendors on one weekly status call.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Skills"
    table.cell(0, 1).paragraphs[0].add_run("•\tCut overtime 15% with a shift planner.")
    document.add_paragraph("Ran the quarterly inventory count")
    document.add_paragraph("across three sites with 40 staff.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rich_result(source: bytes, applied: bool = True) -> CoachingResult:
    # Only `changes` matter for an in-place edit; the parsed resume is incidental here.
    changes = [
        Change(
            path="work[0].highlights[0]",
            original="Led the rollout of a scheduling tool to 4 depots.",
            rewritten="Planned and led a scheduling-tool rollout across 4 depots.",
            status="rewritten",
            accepted=applied,
        ),
        Change(
            path="work[0].highlights[1]",
            original="Kept 12 vendors on one weekly status call.",
            rewritten="Aligned 12 vendors through one weekly status call.",
            status="rewritten",
            accepted=applied,
        ),
        Change(
            path="work[0].highlights[2]",
            original="Cut overtime 15% with a shift planner.",
            rewritten="Reduced overtime 15% by introducing a shift planner.",
            status="rewritten",
            accepted=applied,
        ),
        Change(
            path="work[0].highlights[3]",
            original="Ran the quarterly inventory count across three sites with 40 staff.",
            rewritten="Coordinated a quarterly inventory count across three sites with 40 staff.",
            status="rewritten",
            accepted=applied,
        ),
        Change(
            path="work[0].highlights[4]",
            original="A bullet that is not in the file.",
            rewritten="Something new.",
            status="rewritten",
            accepted=applied,
        ),
    ]
    resume = parse_bytes(source).resume
    return CoachingResult(
        resume=resume, rewritten=resume, source_kind=SourceKind.DOCX, changes=changes
    )


def test_multi_run_bullet_keeps_numbering_and_first_run_formatting():
    source = _rich_docx()
    data, _ = docx_in_place(_rich_result(source), source)
    before, after = _paragraphs(source), _paragraphs(data)
    index = _index_of(before, "Led the rollout of a scheduling tool to 4 depots.")
    new = after[index]
    assert _paragraph_text(new) == "Planned and led a scheduling-tool rollout across 4 depots."
    assert _xml(new.find(f"{W}pPr")) == _xml(before[index].find(f"{W}pPr"))
    assert new.find(f"{W}pPr/{W}numPr") is not None
    paragraph = docx.Document(io.BytesIO(data)).paragraphs[index]
    assert paragraph.style.name == "List Paragraph"
    run = paragraph.runs[0]
    assert (run.bold, run.italic, run.font.size, run.font.name) == (True, True, Pt(11), "Georgia")
    assert run.text == "Planned and led a scheduling-tool rollout across 4 depots."
    assert [r.text for r in paragraph.runs[1:]] == [""]  # the other run stays, emptied


def test_typed_bullet_glyph_in_a_table_cell_is_kept():
    source = _rich_docx()
    data, _ = docx_in_place(_rich_result(source), source)
    document = docx.Document(io.BytesIO(data))
    cell = document.tables[0].cell(0, 1).paragraphs[0]
    assert _paragraph_text(cell._p) == "•\tReduced overtime 15% by introducing a shift planner."
    assert document.tables[0].cell(0, 0).text == "Skills"


def test_bullet_split_over_two_paragraphs_is_joined_and_unknown_text_is_reported():
    source = _rich_docx()
    data, unplaced = docx_in_place(_rich_result(source), source)
    texts = [_paragraph_text(p) for p in _paragraphs(data)]
    assert "Coordinated a quarterly inventory count across three sites with 40 staff." in texts
    assert "across three sites with 40 staff." not in texts
    assert len(texts) == len(_paragraphs(source)) - 1
    assert [c.path for c in unplaced] == ["work[0].highlights[4]"]


def test_header_footer_margins_and_styles_survive():
    source = _rich_docx()
    data, _ = docx_in_place(_rich_result(source), source)
    old, new = docx.Document(io.BytesIO(source)), docx.Document(io.BytesIO(data))
    assert new.sections[0].header.paragraphs[0].text == old.sections[0].header.paragraphs[0].text
    assert new.sections[0].footer.paragraphs[0].text == "Page footer text"
    assert new.sections[0].left_margin == Inches(0.6)
    assert new.sections[0].top_margin == Inches(0.5)
    with zipfile.ZipFile(io.BytesIO(source)) as a, zipfile.ZipFile(io.BytesIO(data)) as b:
        for name in a.namelist():
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), name


def test_reverted_changes_leave_the_rich_document_untouched():
    source = _rich_docx()
    data, unplaced = docx_in_place(_rich_result(source, applied=False), source)
    assert unplaced == []
    assert [_xml(p) for p in _paragraphs(source)] == [_xml(p) for p in _paragraphs(data)]


def test_docx_source_is_detected_from_bytes_when_the_kind_is_unknown(alex):
    source, result = alex
    unknown = result.model_copy(update={"source_kind": None})
    texts = [_paragraph_text(p) for p in _paragraphs(docx_bytes(unknown, source))]
    assert result.changes[0].rewritten in texts
    assert "Ridgeway Freight Technologies, Portland, OR" in texts  # the user's own layout


# ---------------------------------------------------------------- clean DOCX for other inputs


def test_pdf_source_gets_a_clean_docx_with_real_bullets():
    source = (SAMPLES / "dana-whitfield-project-manager.pdf").read_bytes()
    resume = parse_bytes(source).resume
    change = Change(
        path="work[0].highlights[0]",
        original=resume.work[0].highlights[0],
        rewritten="Ran a $4.8M claims-platform modernization with 25 people and two vendors.",
        status="rewritten",
    )
    result = _result(source, [change])
    assert result.source_kind == SourceKind.PDF
    document = docx.Document(io.BytesIO(export_bytes(result, source)["resume.docx"]))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == resume.basics.name
    assert "dana.whitfield@example.com" in paragraphs[1].text + paragraphs[2].text
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Summary", "Experience"]
    assert {"Education", "Skills", "Certifications"} <= set(headings)
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert change.rewritten in bullets
    assert change.original not in bullets
    assert len(bullets) == sum(len(w.highlights) for w in resume.work)
    assert not document.tables  # one column, nothing an ATS could misread
    roles = [p.text for p in paragraphs if " — " in p.text and p.runs and p.runs[0].bold]
    assert roles[0] == f"{resume.work[0].position} — {resume.work[0].name}"


def test_clean_docx_without_source_bytes():
    source = (SAMPLES / "sofia-delgado-teacher.pdf").read_bytes()
    result = _result(source, [])
    document = docx.Document(io.BytesIO(docx_bytes(result, None)))
    assert document.paragraphs[0].text == "Sofia Delgado"
    styles = {s.name for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    assert "List Bullet" in styles


def test_identical_bullets_map_one_to_one_in_order():
    document = docx.Document()
    for _ in range(2):
        document.add_paragraph("Answered customer calls.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    source = buffer.getvalue()
    changes = [
        Change(
            path=f"work[{i}].highlights[0]",
            original="Answered customer calls.",
            rewritten="Resolved customer issues by phone.",
            status=status,
        )
        for i, status in enumerate(("kept", "rewritten"))
    ]
    resume = parse_bytes(source).resume
    result = CoachingResult(resume=resume, rewritten=resume, source_kind="docx", changes=changes)
    data, unplaced = docx_in_place(result, source)
    assert unplaced == []
    texts = [_paragraph_text(p) for p in _paragraphs(data)]
    assert texts == ["Answered customer calls.", "Resolved customer issues by phone."]


def _text_box_docx() -> bytes:
    """A bullet inside a text box, stored twice as Word does: mc:Choice and mc:Fallback."""
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>Trained 8 new hires.</w:t></w:r></w:p></w:txbxContent>"
    xml = (
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps">{box}</mc:Choice>'
        f"<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r>"
    )
    document = docx.Document()
    document.add_paragraph()._p.append(etree.fromstring(xml))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_text_box_bullet_is_edited_in_both_copies():
    source = _text_box_docx()
    change = Change(
        path="work[0].highlights[0]",
        original="Trained 8 new hires.",
        rewritten="Onboarded and coached 8 new hires.",
        status="rewritten",
    )
    resume = parse_bytes((SAMPLES / "alex-rivera-software-engineer.docx").read_bytes()).resume
    result = CoachingResult(resume=resume, rewritten=resume, source_kind="docx", changes=[change])
    data, unplaced = docx_in_place(result, source)
    assert unplaced == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert xml.count("Onboarded and coached 8 new hires.") == 2
    assert "Trained 8 new hires." not in xml


# ---------------------------------------------------------------- skills, edited in place

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


def _skills_result(source: bytes, new_groups: list[dict]) -> CoachingResult:
    resume = parse_bytes(source).resume
    old = [{"name": s.name or "Skills", "keywords": list(s.keywords)} for s in resume.skills]
    change = Change(
        path="skills",
        original=json.dumps(old),
        rewritten=json.dumps(new_groups),
        status="rewritten",
    )
    return CoachingResult(
        resume=resume,
        rewritten=apply_changes(resume, [change]),
        source_kind=SourceKind.DOCX,
        changes=[change],
    )


def _skill_lines(data: bytes, needle: str) -> list:
    document = docx.Document(io.BytesIO(data))
    return [p for p in document.paragraphs if needle in p.text]


def test_reordered_skill_lines_keep_their_formatting():
    source = (SAMPLES / "alex-rivera-software-engineer.docx").read_bytes()
    new = [
        {
            "name": "Practices",
            "keywords": [
                "Jira",
                "Agile/Scrum",
                "System Design",
                "CI/CD",
                "Technical Mentoring",
                "Stakeholder Communication",
            ],
        },
        {"name": "Languages", "keywords": ["Python", "SQL", "Go", "TypeScript"]},
        {
            "name": "Cloud & DevOps",
            "keywords": ["AWS", "Docker", "Kubernetes", "Terraform", "GitHub Actions", "Jenkins"],
        },
        {
            "name": "Data & ML",
            "keywords": ["MLflow", "scikit-learn", "pandas", "PostgreSQL", "Kafka", "Airflow"],
        },
    ]
    before = _skill_lines(source, ": ")
    data, unplaced = docx_in_place(_skills_result(source, new), source)
    assert unplaced == []
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    start = texts.index(
        "Practices: Jira, Agile/Scrum, System Design, CI/CD, Technical Mentoring, "
        "Stakeholder Communication"
    )
    assert texts[start + 1] == "Languages: Python, SQL, Go, TypeScript"
    assert texts[start + 3].startswith("Data & ML: MLflow, scikit-learn")
    assert texts[start + 4] == "Education"
    old_line = next(p for p in before if p.text.startswith("Languages:"))
    new_line = document.paragraphs[start + 1]
    assert new_line.style.name == old_line.style.name
    assert [r.bold for r in new_line.runs] == [r.bold for r in old_line.runs]
    assert _xml(new_line._p.find(f"{W}pPr")) == _xml(old_line._p.find(f"{W}pPr"))


def test_regrouped_skills_get_one_line_per_new_group():
    source = (SAMPLES / "sofia-delgado-teacher.docx").read_bytes()
    new = [
        {
            "name": "Design",
            "keywords": ["Curriculum Design", "Backward Design", "Assessment Design"],
        },
        {
            "name": "Instruction",
            "keywords": [
                "Differentiated Instruction",
                "Data-Driven Instruction",
                "Teacher Coaching",
                "Workshop Facilitation",
            ],
        },
        {
            "name": "Tools",
            "keywords": ["Canvas", "Google Classroom", "Pear Deck", "Microsoft Excel"],
        },
        {"name": "Other", "keywords": ["Budgeting"]},
    ]
    data, unplaced = docx_in_place(_skills_result(source, new), source)
    assert unplaced == []
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    start = texts.index("Design: Curriculum Design, Backward Design, Assessment Design")
    assert texts[start + 3] == "Other: Budgeting"
    assert texts[start + 4] == "EDUCATION"
    assert not any(t.startswith("Leadership:") for t in texts)


def test_skills_in_table_cells_are_reordered_inside_their_cells():
    source = (CORPUS / "11-backend-engineer-berlin-tables.docx").read_bytes()
    new = [
        {"name": "Platform", "keywords": ["GCP", "Kubernetes", "Docker", "PostgreSQL", "Kafka"]},
        {"name": "Languages", "keywords": ["Python", "Kotlin", "Java"]},
    ]
    data, unplaced = docx_in_place(_skills_result(source, new), source)
    assert unplaced == []
    cells = [
        c.text for t in docx.Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells
    ]
    # Group names sit in their own cells, so group order stays and each cell keeps its group.
    assert "Python, Kotlin, Java" in cells
    assert "GCP, Kubernetes, Docker, PostgreSQL, Kafka" in cells


def test_skills_that_cannot_be_mapped_are_reported_and_untouched():
    source = (CORPUS / "13-case-manager-word-lists.docx").read_bytes()
    new = [
        {"name": "People", "keywords": ["Case management", "Motivational interviewing"]},
        {
            "name": "Tools",
            "keywords": [
                "Airtable",
                "Microsoft Excel",
                "Grant reporting",
                "Bilingual English/Spanish",
            ],
        },
    ]
    result = _skills_result(source, new)
    data, unplaced = docx_in_place(result, source)
    assert [c.path for c in unplaced] == ["skills"]
    assert [_xml(p) for p in _paragraphs(source)] == [_xml(p) for p in _paragraphs(data)]


def test_macro_enabled_source_gets_a_clean_macro_free_docx():
    import hostile

    from coach.export import _docx_with_notes
    from coach.models import CoachingResult, SourceKind
    from coach.parse import parse_bytes

    source = hostile.macro_docm()
    parsed = parse_bytes(source).resume
    result = CoachingResult(resume=parsed, rewritten=parsed, source_kind=SourceKind.DOCX)
    data, notes = _docx_with_notes(result, source)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("vbaproject" in name.lower() for name in archive.namelist())
    assert any("macro" in note for note in notes)
