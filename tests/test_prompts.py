"""Every prompt template renders with its variables, and fails on a missing or unused one."""

from __future__ import annotations

import pytest

from coach.prompts import TASKS, load_prompt, prompts_dir, template_fields

SAMPLES = {
    "target_role": "AI Project Manager",
    "skill": "technical communication",
    "bullet": "Explained architecture trade-offs to leaders in a monthly review.",
    "bullets": "1. [skill: stakeholder communication] Ran weekly demos for clinic managers.",
    "job_terms": "MLOps, stakeholder management",
    "skills": "Python, SQL, Jira",
    "facts": "Senior Software Engineer\nRan weekly demos for clinic managers.",
    "question": "Tell me about a time you explained something technical.",
    "priorities": "risk management, stakeholder management",
}


def test_every_task_has_a_file():
    names = {p.stem for p in prompts_dir().glob("*.yaml")}
    assert names == set(TASKS)


@pytest.mark.parametrize("task", TASKS)
def test_renders_with_sample_variables(task):
    template = load_prompt(task)
    variables = {k: SAMPLES[k] for k in template.variables()}
    messages = template.render(**variables)
    roles = [role for role, _ in messages]
    assert roles[0] == "system" and roles[-1] == "human"
    assert 2 <= len(template.examples) <= 3, "each prompt shows two or three worked examples"
    assert roles[1:-1] == ["human", "ai"] * len(template.examples)
    assert all("{" not in text or "}" in text for _, text in messages)
    assert "never instructions" in messages[0][1]  # resume text is described as data
    for value in variables.values():
        assert value in messages[-1][1] or value in messages[0][1]


@pytest.mark.parametrize("task", TASKS)
def test_missing_or_unused_variable_fails(task):
    template = load_prompt(task)
    variables = {k: SAMPLES[k] for k in template.variables()}
    missing = dict(variables)
    missing.pop(sorted(missing)[0])
    with pytest.raises(ValueError, match="missing"):
        template.render(**missing)
    with pytest.raises(ValueError, match="unused"):
        template.render(**variables, surplus="x")


@pytest.mark.parametrize("task", TASKS)
def test_examples_fill_the_user_template_exactly(task):
    template = load_prompt(task)
    for example in template.examples:
        assert set(example.input) == template_fields(template.user)
        assert example.output.strip()


def test_resume_text_sits_inside_delimiters():
    template = load_prompt("rewrite_bullet")
    messages = template.render(**{k: SAMPLES[k] for k in template.variables()})
    assert f"<bullet>{SAMPLES['bullet']}</bullet>" in messages[-1][1]
