"""Gap analysis: proven/unproven skills, skills to build, job terms, and the analyze step."""

from __future__ import annotations

from coach.gaps import (
    analysis_to_markdown,
    analyze_resume,
    current_title,
    job_gaps,
    job_key_terms,
)
from coach.models import Certificate, Education, Resume, Skill, Work

JOB = """AI Project Manager
We are hiring an AI Project Manager to run machine learning projects with our data scientists.
You will own the project plan, the risk register and stakeholder updates.
Requirements: 5+ years of project management. Hands-on with Jira, Confluence and AWS.
Familiarity with MLOps and PyTorch. PMP or CSM preferred. Machine learning basics are a plus.
"""


def _pm_resume() -> Resume:
    return Resume(
        work=[
            Work(
                name="Example Health",
                position="Senior Project Manager",
                endDate="Present",
                highlights=[
                    "Delivered a $1.2M billing system upgrade on time and under budget",
                    "Ran two-week sprints in Jira and facilitated retrospectives",
                    "Presented status reports to the executive steering committee",
                ],
            ),
            Work(name="Old Co", position="Project Coordinator", endDate="2019"),
        ],
        skills=[Skill(name="Tools", keywords=["Jira", "Smartsheet"])],
        certificates=[Certificate(name="Certified ScrumMaster (CSM)")],
        education=[Education(courses=["AI For Everyone (Coursera)"])],
    )


def test_analyze_picks_guide_from_latest_title_and_splits_skills():
    analysis = analyze_resume(_pm_resume(), "AI Project Manager")
    assert analysis.current_role == "Senior Project Manager"
    assert analysis.guide == "pm-to-ai-pm"
    assert [e.path for e in analysis.evidence] == [f"work[0].highlights[{i}]" for i in range(3)]
    evidenced = {s.name: s.bullets for s in analysis.gaps.evidenced}
    assert evidenced["Project planning and execution"][0] == "work[0].highlights[0]"
    assert "work[0].highlights[2]" in evidenced["Stakeholder management"]
    assert "work[0].highlights[1]" in evidenced["Agile and Scrum methodologies"]
    unproven = {s.name: s.hint for s in analysis.gaps.unproven}
    assert "Risk mitigation strategies" in unproven
    assert "'risk'" in unproven["Risk mitigation strategies"]


def test_skills_to_build_in_priority_order_with_partial_presence():
    analysis = analyze_resume(_pm_resume(), "AI Project Manager", "Project Manager")
    to_build = analysis.gaps.to_build
    assert [g.priority for g in to_build] == sorted(g.priority for g in to_build)
    by_name = {g.name: g for g in to_build}
    assert by_name["AI and machine learning fundamentals"].partly_present  # "AI" in a course
    assert not by_name["Data pipeline management"].partly_present
    assert by_name["Data pipeline management"].found == []


def test_software_engineer_tools_courses_and_certificates_count_as_partly_present():
    resume = Resume(
        work=[Work(position="Backend Engineer", highlights=["Tracked work in Asana"])],
        education=[Education(courses=["Machine Learning Specialization"])],
        certificates=[Certificate(name="Professional Scrum Master (PSM)")],
    )
    analysis = analyze_resume(resume, "AI Project Manager")
    by_name = {g.name: g for g in analysis.gaps.to_build}
    assert by_name["Project Management Fundamentals"].found == ["Asana"]
    assert "Machine Learning Specialization" in by_name["AI/ML Domain Knowledge"].found
    assert "PSM" in by_name["Agile/Scrum Certification"].found
    assert not by_name["Budget Management"].partly_present
    assert not by_name["AI Ethics and Governance"].partly_present


def test_job_terms_are_deterministic_and_split_into_covered_and_missing():
    terms = job_key_terms(JOB)
    assert terms == job_key_terms(JOB)
    for term in ("Jira", "Confluence", "AWS", "MLOps", "PyTorch", "PMP", "CSM"):
        assert term in terms
    lowered = [t.lower() for t in terms]
    assert "machine learning" in lowered
    assert not {"we", "you", "the", "requirements", "preferred"} & set(lowered)
    result = job_gaps(JOB, "Managed sprints in Jira; CSM certified; built machine learning demos")
    assert "Jira" in result.covered and "CSM" in result.covered
    assert "Confluence" in result.missing and "PyTorch" in result.missing
    assert set(result.covered) | set(result.missing) == set(result.terms)


def test_no_matching_guide_says_so_and_keeps_going_with_the_job():
    resume = Resume(work=[Work(position="Pastry Chef", highlights=["Baked 300 croissants a day"])])
    analysis = analyze_resume(resume, "AI Project Manager", job_text=JOB)
    assert analysis.guide is None
    assert "No transition guide matches 'Pastry Chef'" in analysis.guide_note
    assert analysis.evidence[0].skills == []
    assert analysis.gaps.evidenced == analysis.gaps.to_build == []
    assert analysis.gaps.job is not None and analysis.gaps.job.terms
    assert "No transition guide" in analysis_to_markdown(analysis)


def test_current_title_prefers_the_open_job():
    resume = Resume(
        work=[Work(position="Analyst", endDate="2020"), Work(position="Lead", endDate="present")]
    )
    assert current_title(resume) == "Lead"
    assert current_title(Resume()) is None


def test_markdown_report_has_every_part():
    analysis = analyze_resume(_pm_resume(), "AI Project Manager", job_text=JOB)
    text = analysis_to_markdown(analysis)
    for heading in (
        "## Evidence per bullet",
        "## Transferable skills with evidence",
        "## Transferable skills without evidence",
        "## Skills to build",
        "## Job description terms",
    ):
        assert heading in text
    assert "`work[0].highlights[0]`" in text


def test_without_a_guide_for_the_move_the_closest_guide_for_the_target_is_used():
    resume = Resume(
        work=[
            Work(
                position="Marketing Manager",
                highlights=[
                    "Coordinated a cross-functional team of designers and analysts for 3 launches.",
                    "Managed stakeholder reviews with the sales and legal leads every week.",
                    "Tracked launch risks and escalated blockers to the director early.",
                ],
            )
        ]
    )
    analysis = analyze_resume(resume, "AI Project Manager")
    assert analysis.guide == "pm-to-ai-pm" and analysis.guide_is_closest
    assert "No transition guide covers 'Marketing Manager'" in analysis.guide_note
    assert "written for project managers" in analysis.guide_note
    assert all(e.skills for e in analysis.evidence)
    assert analysis.gaps.evidenced


def test_an_exact_guide_is_not_marked_closest():
    resume = Resume(work=[Work(position="Project Manager", highlights=["Ran sprint planning"])])
    analysis = analyze_resume(resume, "AI Project Manager")
    assert analysis.guide == "pm-to-ai-pm" and not analysis.guide_is_closest
