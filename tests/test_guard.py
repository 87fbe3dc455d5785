"""The faithfulness guard: each rule is hit by a fake answer that does exactly that wrong thing."""

from __future__ import annotations

import pytest

from coach.guard import (
    IDENTITY_FIELDS,
    check_rewrite,
    check_star_field,
    check_summary,
    find_fabrications,
    is_identity_field,
    numbers,
    resume_facts,
    stem,
)
from coach.models import Basics, Resume, Skill, Work

SOURCE = "Led migration of billing service to Kubernetes, cutting deploy time from 40 to 12 minutes"
ALLOWED = ["Product Manager", "stakeholder management", "AI project"]
PROMPT = """You rewrite one resume bullet. Lead with a strong verb and keep every fact.
Example input: Helped with onboarding of new hires in the support team
Example output: Streamlined onboarding for new support hires, shortening ramp-up from 6 to 4 weeks
Example input: Answered customer tickets about invoices
Example output: Resolved customer invoice tickets, keeping the queue under control"""


def rewrite(candidate: str, source: str = SOURCE):
    return check_rewrite(source, candidate, allowed_terms=ALLOWED, prompt_texts=[PROMPT])


# ---------------------------------------------------------------- honest rewrites pass


@pytest.mark.parametrize(
    "candidate",
    [
        "Cut deploy time from 40 to 12 minutes by leading the billing service's move to Kubernetes",
        "Spearheaded the billing service migration to Kubernetes, reducing deploy time from 40 to "
        "12 minutes",
        "Coordinated cross-functional stakeholders to migrate the billing service to Kubernetes, "
        "cutting deploy time from 40 to 12 minutes",
        "Drove the billing service's migration to Kubernetes, shrinking deploy time from forty to "
        "twelve minutes",
        SOURCE,
    ],
)
def test_honest_rewrites_pass(candidate: str) -> None:
    verdict = rewrite(candidate)
    assert verdict.ok, verdict.reason
    assert verdict.reason is None


@pytest.mark.parametrize(
    ("source", "candidate", "allowed"),
    [
        (
            "Mentored four engineers through their first on-call rotations and wrote the team's "
            "incident review template.",
            "Coached four engineers through their first on-call rotations and authored the "
            "team's incident review template",
            ["Technical Mentoring"],
        ),
        (
            "Added contract tests between six services, which caught 30 breaking changes before "
            "release in the first quarter.",
            "Introduced contract tests across 6 services that caught 30 breaking changes before "
            "release in the first quarter",
            [],
        ),
        (
            "Kept minutes and action logs for weekly owner-architect-contractor meetings.",
            "Maintained minutes and action logs for weekly owner, architect and contractor "
            "meetings, keeping stakeholders aligned",
            ["stakeholder management"],
        ),
        (
            "Cut coolant pressure drop by 18% through CFD-driven channel redesign validated on "
            "the test bench.",
            "Reduced coolant pressure drop 18% by redesigning channels with CFD and validating "
            "them on the test bench",
            [],
        ),
        (
            "Recovered a slipping lab-integration workstream, delivering 3 weeks early.",
            "Turned around a slipping lab-integration workstream and delivered it 3 weeks ahead "
            "of schedule",
            [],
        ),
    ],
)
def test_honest_rewrites_of_other_bullets_pass(source: str, candidate: str, allowed: list) -> None:
    verdict = check_rewrite(source, candidate, allowed_terms=allowed)
    assert verdict.ok, verdict.reason


def test_honest_rewrite_of_a_money_bullet_passes() -> None:
    source = "Negotiated vendor contracts worth $1,200,000 a year for 3 warehouses"
    candidate = "Secured vendor contracts worth $1.2 million a year across 3 warehouses"
    assert check_rewrite(source, candidate).ok


def test_allowed_role_title_may_be_added() -> None:
    source = "Ran weekly planning meetings with engineering and sales to set release priorities"
    candidate = (
        "Ran weekly planning with engineering and sales to set release priorities, "
        "the core of Product Manager stakeholder management"
    )
    assert check_rewrite(source, candidate, allowed_terms=ALLOWED).ok


def test_cleaning_removes_labels_bullets_and_quotes() -> None:
    verdict = rewrite('Rewritten bullet:\n• "Spearheaded the billing service migration to '
                      'Kubernetes, cutting deploy time from 40 to 12 minutes"')  # fmt: skip
    assert verdict.ok, verdict.reason
    assert verdict.cleaned.startswith("Spearheaded the billing")
    assert verdict.cleaned.endswith("12 minutes")


# ---------------------------------------------------------------- each rule rejects


def test_added_percentage_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes, cutting deploy time by 35% from 40 to "
        "12 minutes"
    )
    assert not verdict.ok
    assert "adds number" in verdict.reason and "35%" in verdict.reason


def test_added_money_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes, saving $1.2M and cutting deploy time "
        "from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "$1.2M" in verdict.reason
    assert "name" not in verdict.reason  # the M of $1.2M is not a proper noun


def test_added_number_word_is_rejected() -> None:
    verdict = rewrite(
        "Led a team of seven through the billing service migration to Kubernetes, cutting "
        "deploy time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "adds number" in verdict.reason


def test_added_one_is_a_number_but_one_of_is_not() -> None:
    source = "Ran weekly one-on-one meetings with support agents"
    assert check_rewrite(source, "Held weekly one-on-one meetings with support agents").ok
    assert check_rewrite(source, "Held weekly one-on-one meetings with each one of the agents").ok
    verdict = check_rewrite(source, "Held one-on-one meetings with support agents in one region")
    assert not verdict.ok and "adds number" in verdict.reason


def test_added_claim_with_few_words_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes, cutting deploy time from 40 to 12 "
        "minutes and winning the company award"
    )
    assert not verdict.ok
    assert "award" in verdict.reason


def test_added_vague_quantity_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes for dozens of teams, cutting deploy time "
        "from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "dozens" in verdict.reason


def test_dropped_number_is_rejected() -> None:
    verdict = rewrite("Led migration of billing service to Kubernetes, cutting deploy time from 40")
    assert not verdict.ok
    assert "drops number" in verdict.reason and "12" in verdict.reason


def test_added_organisation_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes at Google, cutting deploy time from 40 "
        "to 12 minutes"
    )
    assert not verdict.ok
    assert "Google" in verdict.reason


def test_added_capitalised_name_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of the Helios billing service to Kubernetes, cutting deploy time from 40 "
        "to 12 minutes"
    )
    assert not verdict.ok
    assert "adds name" in verdict.reason and "Helios" in verdict.reason


def test_added_tool_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes using TensorFlow, cutting deploy time "
        "from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "TensorFlow" in verdict.reason


def test_added_lowercase_tool_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to kubernetes with python scripts, cutting deploy "
        "time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "python" in verdict.reason


def test_added_hyphenated_tool_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes with excel-based tracking, cutting deploy "
        "time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "excel" in verdict.reason


def test_added_acronym_and_product_code_are_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service from EC2 to Kubernetes on GKE, cutting deploy time "
        "from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "EC2" in verdict.reason and "GKE" in verdict.reason


def test_added_claim_phrase_is_rejected() -> None:
    verdict = rewrite(
        "Led migration of billing service to Kubernetes, cutting deploy time from 40 to 12 "
        "minutes, including a demo of the new AI-powered chatbot"
    )
    assert not verdict.ok
    assert "adds new content" in verdict.reason and "chatbot" in verdict.reason


def test_allowed_terms_do_not_allow_other_names() -> None:
    verdict = check_rewrite(
        SOURCE,
        "Led migration of billing service to Kubernetes for Salesforce, cutting deploy time from "
        "40 to 12 minutes",
        allowed_terms=["stakeholder management"],
    )
    assert not verdict.ok
    assert "Salesforce" in verdict.reason


def test_allowed_terms_do_not_allow_numbers_outside_the_term() -> None:
    verdict = check_rewrite(
        SOURCE,
        "Led migration of billing service to Kubernetes in 5 years, cutting deploy time from 40 "
        "to 12 minutes",
        allowed_terms=["5 years of experience"],
    )
    assert not verdict.ok
    assert "adds number" in verdict.reason


def test_unrelated_topic_is_rejected() -> None:
    verdict = rewrite(
        "Designed a customer loyalty program that boosted retention among enterprise clients"
    )
    assert not verdict.ok
    assert "keeps too little" in verdict.reason


def test_prompt_instruction_echo_is_rejected() -> None:
    verdict = rewrite(
        "Lead with a strong verb and keep every fact: led migration of billing service to "
        "Kubernetes, cutting deploy time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "repeats the prompt" in verdict.reason


def test_few_shot_example_echo_is_rejected() -> None:
    verdict = rewrite("Resolved customer invoice tickets, keeping the queue under control")
    assert not verdict.ok
    assert "repeats the prompt" in verdict.reason


def test_assistant_chatter_is_rejected() -> None:
    verdict = rewrite(
        "Sure! Here is the rewrite: Led migration of billing service to Kubernetes, cutting "
        "deploy time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "chatter" in verdict.reason


def test_refusal_is_rejected() -> None:
    verdict = rewrite("As an AI language model, I cannot rewrite resume bullets.")
    assert not verdict.ok


@pytest.mark.parametrize("candidate", ["", "   \n ", "...", "- ", '""', "Rewritten:"])
def test_empty_answers_are_rejected(candidate: str) -> None:
    verdict = rewrite(candidate)
    assert not verdict.ok
    assert verdict.reason == "empty answer"


def test_three_times_longer_is_rejected() -> None:
    verdict = rewrite(" ".join([SOURCE] * 3))
    assert not verdict.ok
    assert "too long" in verdict.reason


def test_several_bullets_are_rejected() -> None:
    verdict = rewrite(
        "- Led migration of billing service to Kubernetes\n- Cut deploy time from 40 to 12 minutes"
    )
    assert not verdict.ok
    assert "several lines" in verdict.reason
    assert "\n" not in verdict.cleaned


# ---------------------------------------------------------------- summary

FACTS = """Operations Manager
Acme Logistics
Led migration of billing service to Kubernetes, cutting deploy time from 40 to 12 minutes
Managed a team of 8 warehouse supervisors across 3 sites
Coordinated vendor contracts worth $2M annually
Excel, SQL, stakeholder communication"""


def test_honest_summary_passes() -> None:
    summary = (
        "Operations manager who led a billing service migration to Kubernetes and coordinated "
        "vendor contracts worth $2M annually. Brings proven stakeholder management from leading "
        "8 supervisors across 3 sites, ready to grow into a Product Manager role."
    )
    verdict = check_summary(FACTS, summary, allowed_terms=ALLOWED)
    assert verdict.ok, verdict.reason


def test_summary_with_invented_years_employer_and_tools_is_rejected() -> None:
    summary = "Seasoned operations leader with 10 years at Amazon, skilled in Python and Tableau."
    verdict = check_summary(FACTS, summary, allowed_terms=ALLOWED)
    assert not verdict.ok
    for word in ("10", "Amazon", "Python", "Tableau"):
        assert word in verdict.reason


def test_summary_with_too_many_sentences_is_rejected() -> None:
    summary = (
        "Operations manager. Led teams. Managed vendors. Coordinated sites. Used SQL. Used Excel."
    )
    assert "sentences" in check_summary(FACTS, summary).reason


def test_summary_about_something_else_is_rejected() -> None:
    summary = (
        "Creative storyteller who loves brand design and community building for young audiences."
    )
    verdict = check_summary(FACTS, summary)
    assert not verdict.ok
    assert "too little of the resume" in verdict.reason


def test_summary_as_a_list_is_rejected() -> None:
    verdict = check_summary(FACTS, "- Led migration\n- Managed supervisors\n- Coordinated vendors")
    assert "list" in verdict.reason


# ---------------------------------------------------------------- STAR fields

BULLET = "Coordinated vendor contracts worth $2M annually"


def test_star_field_with_placeholder_passes() -> None:
    field = (
        "I coordinated vendor contracts worth $2M annually across [add: number of vendors] vendors."
    )
    verdict = check_star_field(BULLET, field)
    assert verdict.ok, verdict.reason
    assert "[add: number of vendors]" in verdict.cleaned


def test_star_field_that_is_only_a_placeholder_passes() -> None:
    assert check_star_field(BULLET, "[add: team size]").ok


def test_star_field_with_invented_facts_is_rejected() -> None:
    verdict = check_star_field(
        BULLET, "I renegotiated contracts with 12 vendors in SAP, saving 15%."
    )
    assert not verdict.ok
    for word in ("12", "15%", "SAP"):
        assert word in verdict.reason


def test_star_field_on_another_story_is_rejected() -> None:
    field = "The marketing team launched a brand campaign on social channels to attract shoppers."
    assert not check_star_field(BULLET, field).ok


# ---------------------------------------------------------------- helpers


def test_number_normalisation() -> None:
    assert set(numbers("1,200 users")) == set(numbers("1200 users")) == {"1200"}
    assert set(numbers("40 %")) == set(numbers("40%")) == set(numbers("40 percent")) == {"40%"}
    assert set(numbers("$1.2M")) == set(numbers("1.2 million")) == {"1200000"}
    assert set(numbers("10k")) == {"10000"}
    assert set(numbers("3x faster")) == set(numbers("tripled")) == {"3x"}
    assert set(numbers("twenty-five people")) == {"25"}
    assert numbers("S3 bucket and EC2 and v2") == {}


def test_stemming_groups_word_forms() -> None:
    assert stem("migration") == stem("migrated") == stem("migrating") == stem("migrate")
    assert stem("cutting") == stem("cut")
    assert stem("stakeholders") == stem("stakeholder")


def test_find_fabrications_lists_new_facts_only() -> None:
    original = "Jane Doe\nOperations Manager, Acme Logistics\nManaged a team of 8 across 3 sites"
    final = (
        "Jane Doe\nProfessional Summary\nOperations Manager, Acme Logistics\n"
        "Led a team of 9 across 3 sites at Google using jira [add: team size]"
    )
    assert find_fabrications(original, final) == ["9", "Google", "jira"]
    assert find_fabrications(original, original) == []


def test_identity_fields_are_never_generated() -> None:
    assert "basics.name" in IDENTITY_FIELDS
    assert is_identity_field("work[2].position")
    assert is_identity_field("education[0].area")
    assert is_identity_field("basics.profiles[1].url")
    assert not is_identity_field("work[2].highlights[0]")
    assert not is_identity_field("basics.summary")


def test_resume_facts_leave_out_contact_details() -> None:
    resume = Resume(
        basics=Basics(name="Jane Doe", email="jane@example.com", summary="Ops lead."),
        work=[Work(name="Acme", position="Ops Manager", highlights=[SOURCE])],
        skills=[Skill(name="Data", keywords=["SQL"])],
    )
    facts = resume_facts(resume)
    assert SOURCE in facts and "SQL" in facts and "Ops Manager" in facts
    assert "jane@example.com" not in facts and "Jane Doe" not in facts


@pytest.mark.parametrize(
    "answer",
    [
        '{"bullet": "Led the migration of the billing service to Kubernetes."}',
        "<bullet>Led the migration of the billing service to Kubernetes.</bullet>",
        '["Led the migration of the billing service to Kubernetes."]',
    ],
)
def test_answers_in_the_wrong_shape_are_rejected(answer):
    source = "Led the migration of the billing service to Kubernetes."
    assert not check_rewrite(source, answer).ok
    assert not check_summary(source, answer).ok
    assert not check_star_field(source, answer).ok


def test_summary_that_is_raw_json_is_rejected():
    facts = "Led migration of billing to Kubernetes. Coordinated 7 engineers. Python, SQL."
    verdict = check_summary(facts, '{"summary": "Engineer who led migration of billing."}')
    assert not verdict.ok and "not plain text" in verdict.reason


# ---------------------------------------------------------------- claims a small model bends


@pytest.mark.parametrize(
    ("source", "candidate", "reason"),
    [
        (
            "Joined the skin-care team that cut pressure injuries by 40% through weekly audits.",
            "Coached the skin-care team to cut pressure injuries by 40% through weekly audits.",
            "claims a role the bullet does not show: coached",
        ),
        (
            "Set up HubSpot lead scoring with the sales team, raising conversion 12% to 19%.",
            "Led the sales team to set up HubSpot lead scoring, raising conversion 12% to 19%.",
            "claims a role the bullet does not show: led",
        ),
        (
            "Ran 40+ water-quality analyses a day (ICP-OES, titration) under EPA methods.",
            "Ran 40+ water-quality analyses a day under EPA methods.",
            "drops the details in brackets: (ICP-OES, titration)",
        ),
        (
            "Built a churn scorecard that flags about 1,100 at-risk members a quarter.",
            "Built a churn scorecard that flags about 1,100 at-risk members.",
            "drops what a number is per: quarter",
        ),
        (
            "Built a tracking platform for 1,800 carriers; customer tickets fell 37%.",
            "Built a tracking platform for 1,800 carriers, cutting customer tickets to 37%.",
            'changes what a number means (adds "to" before it)',
        ),
        (
            "Led a $4.8M modernization with 25 people; delivered 3 weeks early.",
            "Led a $4.8M modernization with 25 people. delivered 3 weeks early.",
            "breaks a sentence",
        ),
    ],
)
def test_rewrites_that_bend_a_claim_are_rejected(source: str, candidate: str, reason: str) -> None:
    verdict = check_rewrite(source, candidate, allowed_terms=["team leadership"])
    assert not verdict.ok and reason in verdict.reason


@pytest.mark.parametrize(
    ("source", "candidate"),
    [
        (  # one authority verb for another is a reframing, not a new claim
            "Managed a 6-person support team across two shifts.",
            "Led a 6-person support team across two shifts.",
        ),
        (  # a cause, not a claim to have led anyone
            "Presented quarterly findings to the leadership team, which led to a redesign.",
            "Presented quarterly findings to the leadership team, leading to a redesign.",
        ),
        (  # the skill's own name is framing
            "Trained 4 new technicians on standard operating procedures.",
            "Trained 4 new technicians on standard operating procedures, showing team leadership.",
        ),
        (  # the unit kept in another form, the brackets kept with other spacing
            "Processed 90K reminders a week (SMS, email) for 140 clinics.",
            "Sent 90K weekly reminders ( SMS, email ) for 140 clinics.",
        ),
    ],
)
def test_rewrites_that_keep_every_claim_pass(source: str, candidate: str) -> None:
    verdict = check_rewrite(source, candidate, allowed_terms=["team leadership"])
    assert verdict.ok, verdict.reason
