"""Guides: shipped data, Markdown round trip, user folder overrides, selection by role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coach.errors import GuideError
from coach.guides import (
    get_guide,
    guide_from_markdown,
    guide_to_markdown,
    list_guides,
    normalize_title,
    save_guide,
    select_guide,
    title_similarity,
    user_guides_dir,
)
from coach.models import Guide, Salary, TransferableSkill


def test_shipped_guides_are_listed_with_their_facts():
    ids = [g.id for g in list_guides()]
    assert ids == ["pm-to-ai-pm", "swe-to-ai-pm"]
    pm = get_guide("pm-to-ai-pm")
    assert pm.salary.from_ == 85000 and pm.salary.to == 120000
    assert (pm.timeline.min_months, pm.timeline.max_months) == (3, 6)
    assert "Google AI Essentials" in pm.certifications
    assert len(pm.transferable_skills) == 5 and len(pm.first_steps) == 7
    swe = get_guide("swe-to-ai-pm")
    assert [p.weeks for p in swe.roadmap] == [8, 10, 8, 6]
    assert [s.priority for s in swe.skills_to_build] == [1, 2, 3, 4, 5, 6]
    assert swe.skills_to_build[0].name == "Stakeholder Management"
    assert swe.timeline.min_months == 8 and swe.salary is None  # the seed gives no salary figures
    assert len(swe.action_plan.days_90) == 3 and swe.faq
    assert all(s.keywords for g in (pm, swe) for s in g.transferable_skills)


def test_markdown_round_trip_keeps_every_field():
    guide = get_guide("swe-to-ai-pm")
    text = guide_to_markdown(guide)
    assert text.startswith("---\n") and "# Software Engineer → AI Project Manager" in text
    assert guide_from_markdown(text, "x.md") == guide


def test_salary_alias_is_written_as_from():
    guide = Guide(id="a-to-b", from_role="A", to_role="B", salary=Salary(from_=1, to=2))
    text = guide_to_markdown(guide)
    assert "\n  from: 1\n" in text
    assert guide_from_markdown(text).salary.from_ == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("# no front matter\n", "no YAML front matter"),
        ("---\nid: [unclosed\n---\n", "not valid YAML"),
        ("---\n- a list\n---\n", "must be a mapping"),
        ("---\nid: x\nfrom_role: A\n---\n", "to_role"),
        ("---\nid: x\nfrom_role: A\nto_role: B\nroadmap: 3\n---\n", "roadmap"),
    ],
)
def test_malformed_guide_files_name_the_file(text, message):
    with pytest.raises(GuideError, match=message) as info:
        guide_from_markdown(text, "broken.md")
    assert "broken.md" in str(info.value)


def test_user_folder_adds_and_overrides(tmp_path):
    folder = Path(os.environ["RESUME_COACH_GUIDES_DIR"])
    assert user_guides_dir() == folder
    mine = get_guide("pm-to-ai-pm").model_copy(update={"summary": "My own words."})
    save_guide(mine)
    save_guide(Guide(id="nurse-to-informatics", from_role="Nurse", to_role="Informatics Nurse"))
    assert get_guide("pm-to-ai-pm").summary == "My own words."
    assert "nurse-to-informatics" in [g.id for g in list_guides()]


def test_malformed_user_guide_raises_with_its_path():
    folder = Path(os.environ["RESUME_COACH_GUIDES_DIR"])
    folder.mkdir(parents=True)
    (folder / "bad.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    with pytest.raises(GuideError, match="bad.md"):
        list_guides()


def test_unknown_id_lists_known_ones():
    with pytest.raises(GuideError, match="pm-to-ai-pm, swe-to-ai-pm"):
        get_guide("chef-to-pilot")


def test_save_refuses_ids_that_are_not_file_names(tmp_path):
    with pytest.raises(GuideError):
        save_guide(Guide(id="../escape", from_role="A", to_role="B"), tmp_path)


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Sr. Software Developer", "software engineer"),
        ("Senior Backend Engineer, Payments", "backend engineer"),
        ("Project Mgr (Contract)", "project manager"),
        ("Staff Full-Stack Dev", "full stack engineer"),
    ],
)
def test_normalize_title(title, expected):
    assert normalize_title(title) == expected


def test_title_similarity_tolerates_typos_but_not_other_jobs():
    assert title_similarity("Sofware Engineer", "Software Engineer") == 1.0
    assert title_similarity("Mechanical Engineer", "Software Engineer") < 0.65


@pytest.mark.parametrize(
    "target, current, guide_id",
    [
        ("AI Project Manager", "Sr. Software Developer", "swe-to-ai-pm"),
        ("AI Project Manager", "Backend Engineer", "swe-to-ai-pm"),
        ("ML Program Manager", "SDE II", "swe-to-ai-pm"),
        ("AI PM", "Program Manager", "pm-to-ai-pm"),
        ("AI Project Manager", "Scrum Master", "pm-to-ai-pm"),
        ("Senior AI Project Mgr", "Technical Programme Manager", "pm-to-ai-pm"),
    ],
)
def test_select_guide_by_fuzzy_titles(target, current, guide_id):
    match = select_guide(target, current)
    assert match is not None and match.guide.id == guide_id
    assert match.score >= 0.65


@pytest.mark.parametrize(
    "target, current",
    [
        ("AI Project Manager", "Pastry Chef"),
        ("AI Project Manager", "Mechanical Engineer"),
        ("Data Scientist", "Software Engineer"),
        ("Project Manager", "Software Engineer"),
    ],
)
def test_select_guide_returns_none_when_nothing_fits(target, current):
    assert select_guide(target, current) is None


def test_select_guide_without_current_role_uses_the_target_only():
    match = select_guide("AI Project Manager", None)
    assert match is not None and match.from_score is None


def test_select_guide_prefers_the_best_of_several():
    a = Guide(id="a", from_role="Teacher", to_role="Instructional Designer")
    b = Guide(id="b", from_role="Nurse", to_role="Instructional Designer")
    assert select_guide("Instructional Designer", "Nurse", [a, b]).guide.id == "b"
    assert select_guide("Instructional Designer", "High School Teacher", [a, b]).guide.id == "a"
    extra = TransferableSkill(name="x")
    assert extra.keywords == []


def test_shipped_guide_bodies_match_their_front_matter():
    from importlib import resources

    from coach.guides import guide_body

    folder = resources.files("coach") / "data" / "guides"
    for entry in folder.iterdir():
        text = entry.read_text(encoding="utf-8")
        assert text.endswith(guide_body(guide_from_markdown(text, entry.name))), entry.name
