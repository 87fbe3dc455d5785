"""Guide import from plain text in the short and the long layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import GuideError
from coach.guide_import import import_guide_text
from coach.guides import guide_from_markdown, guide_to_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "guides"


def _load(name: str):
    path = FIXTURES / name
    return import_guide_text(path.read_text(encoding="utf-8"), path.stem)


def test_short_layout():
    guide, missing = _load("teacher-to-instructional-designer.txt")
    assert (guide.id, guide.from_role, guide.to_role) == (
        "teacher-to-instructional-designer",
        "Teacher",
        "Instructional Designer",
    )
    assert guide.summary.startswith("Classroom teachers")
    assert [s.name for s in guide.transferable_skills][:2] == [
        "Curriculum and lesson planning",
        "Assessment design",
    ]
    assert "lesson" in guide.transferable_skills[0].keywords
    assert [(s.priority, s.name) for s in guide.skills_to_build][0] == (
        1,
        "E-learning authoring tools",
    )
    assert guide.salary.from_title == "Teacher" and guide.salary.from_ == 52000
    assert guide.salary.to_title == "Instructional Designer" and guide.salary.to == 71000
    assert (guide.timeline.min_months, guide.timeline.max_months) == (4, 9)
    assert len(guide.certifications) == 2 and len(guide.first_steps) == 3
    # The closing links are not guide content.
    assert not any("Resume" in step for step in guide.first_steps)
    assert set(missing) == {
        "roadmap",
        "challenges",
        "what_you_will_love",
        "what_you_might_miss",
        "action_plan",
        "faq",
    }


def test_long_layout():
    guide, missing = _load("data-analyst-to-data-scientist.txt")
    assert (guide.from_role, guide.to_role) == ("Data Analyst", "Data Scientist")
    assert "cleaning data" in guide.summary
    skills = {s.name: s.description for s in guide.transferable_skills}
    assert list(skills) == [
        "SQL and Data Wrangling",
        "Data Visualization",
        "Business Communication",
    ]
    assert skills["Data Visualization"].startswith("Dashboards")
    build = guide.skills_to_build
    assert [s.priority for s in build] == [1, 2, 3]
    assert build[0].resources == ["Practical Statistics for Data Scientists"]
    assert build[1].resources == ["Machine Learning Specialization"]
    assert build[2].resources == ["Python for Everybody"]
    assert [(p.name, p.weeks, len(p.tasks)) for p in guide.roadmap] == [
        ("Statistics Refresh", 6, 2),
        ("Modelling Practice", 12, 3),
        ("Portfolio and Applications", 10, 2),
    ]
    assert guide.roadmap[1].tasks[0] == "Complete the Machine Learning Specialization"
    assert guide.what_you_will_love == [
        "Open-ended problems",
        "Building things that make predictions",
    ]
    assert guide.what_you_might_miss == ["Quick wins from a finished dashboard"]
    assert len(guide.challenges) == 2
    assert guide.action_plan.week == ["Install Python and Jupyter", "Pick a statistics course"]
    assert len(guide.action_plan.days_90) == 2
    assert [f.question for f in guide.faq] == ["Do I need a master's degree?", "Will I earn more?"]
    assert guide.faq[0].answer.startswith("No. A portfolio")
    assert guide.timeline.min_months == 7  # from the title: "Your 7-Month Transition Guide"
    assert guide.salary is None  # absent facts stay absent
    assert set(missing) == {"certifications", "salary", "first_steps"}


def test_reordered_sections_and_other_heading_words():
    guide, missing = _load("nurse-to-health-informatics-variant.txt")
    assert guide.from_role == "Registered Nurse"
    assert guide.to_role == "Clinical Informatics Specialist"
    assert [s.name for s in guide.skills_to_build] == ["Health IT systems", "Data analysis basics"]
    assert len(guide.transferable_skills) == 3
    assert guide.timeline.min_months == 12
    assert (guide.salary.from_, guide.salary.to) == (78000, 92000)
    assert "summary" in missing and "roadmap" in missing


def test_imported_guide_survives_the_markdown_round_trip():
    guide, _ = _load("data-analyst-to-data-scientist.txt")
    assert guide_from_markdown(guide_to_markdown(guide)) == guide


def test_answer_without_question_keeps_an_empty_question():
    text = "From A to B\nFrequently Asked Questions\nYes, it is worth it.\n"
    guide, _ = import_guide_text(text)
    assert guide.faq[0].question == "" and guide.faq[0].answer == "Yes, it is worth it."


@pytest.mark.parametrize("text", ["", "\n\n", "Just some notes about careers\n- a\n"])
def test_unusable_text_raises_guide_error(text):
    with pytest.raises(GuideError):
        import_guide_text(text)
