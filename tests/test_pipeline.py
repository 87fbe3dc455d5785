"""The whole run with fake models: honest text lands, nothing unchecked does, nothing leaks."""

from __future__ import annotations

import json

import pytest
from coach_fakes import HONEST, RESUME_BYTES, TARGET, echoing, fabricating, honest, make_client

from coach.chains import EMBEDDED_SUMMARY_REASON
from coach.export import resume_to_markdown
from coach.guard import find_fabrications, resume_facts
from coach.models import CoachOptions
from coach.pipeline import run_coaching
from coach.privacy import Redactor

OPTIONS = CoachOptions(target_role=TARGET)


def test_honest_run_applies_rewrites_and_keeps_identity(tmp_path):
    client, _ = make_client(honest, tmp_path)
    stages = []
    result = run_coaching(
        RESUME_BYTES, OPTIONS, client, progress=lambda s, f: stages.append((s, f))
    )
    bullets = [h for w in result.rewritten.work for h in w.highlights]
    assert set(bullets) == set(HONEST.values())
    summary = next(c for c in result.changes if c.path == "basics.summary")
    assert summary.status == "kept" and summary.reason == EMBEDDED_SUMMARY_REASON
    assert result.rewritten.basics.summary == result.resume.basics.summary
    for before, after in zip(result.resume.work, result.rewritten.work, strict=True):
        assert (before.name, before.position, before.startDate, before.endDate) == (
            after.name,
            after.position,
            after.startDate,
            after.endDate,
        )
    assert result.rewritten.basics.email == result.resume.basics.email
    assert result.guide == "swe-to-ai-pm"
    assert 3 <= len(result.star_stories) <= 5
    assert result.stats.provider == "local" and result.stats.llm_calls > 0
    assert [s for s, _ in stages][:3] == ["parse", "guide", "evidence: 5 bullets"]
    assert stages[-1] == ("done", 1.0)
    assert [f for _, f in stages] == sorted(f for _, f in stages)


def _final_text(result) -> str:
    stories = " ".join(
        " ".join([s.situation, s.task, s.action, s.result]) for s in result.star_stories
    )
    return resume_to_markdown(result.rewritten) + "\n" + stories


def test_fabricating_model_leaves_no_fabrication(tmp_path):
    client, _ = make_client(fabricating, tmp_path)
    result = run_coaching(RESUME_BYTES, OPTIONS, client)
    original = resume_to_markdown(result.resume)
    assert find_fabrications(original, _final_text(result)) == []
    assert result.rewritten.work == result.resume.work


def test_echo_and_garbage_never_reach_the_resume(tmp_path):
    for reply in (echoing, "", "{not json", "Sure! Here's your bullet:"):
        client, _ = make_client(reply, tmp_path)
        result = run_coaching(RESUME_BYTES, OPTIONS, client)
        assert result.rewritten.work == result.resume.work
        assert result.rewritten.basics.summary == result.resume.basics.summary


def test_remote_prompts_hold_no_contact_details(tmp_path):
    client, fake = make_client(honest, tmp_path, provider="openai")
    result = run_coaching(RESUME_BYTES, OPTIONS, client)
    details = Redactor(result.resume).known_details
    assert {"Jordan Avery", "jordan.avery@example.com", "(555) 010-0142"} <= set(details)
    sent = "\n".join(m.text for prompt in fake.prompts for m in prompt)
    for detail in [*details, "Jordan", "Avery", "010-0142", "jordanavery.example.com"]:
        assert detail not in sent
    roles = len(result.resume.work) + len(result.resume.projects)
    assert fake.calls <= roles + 6
    bullets = [h for w in result.rewritten.work for h in w.highlights]
    assert set(bullets) == set(HONEST.values())


def test_identity_fields_are_never_sent(tmp_path):
    client, fake = make_client(honest, tmp_path)
    run_coaching(RESUME_BYTES, OPTIONS, client)
    sent = "\n".join(m.text for prompt in fake.prompts for m in prompt)
    for identity in ("Northwind Freight", "Contoso Labs", "University of Texas", "2019"):
        assert identity not in sent


def test_second_run_is_served_from_the_cache(tmp_path):
    client, fake = make_client(honest, tmp_path, use_cache=True)
    first = run_coaching(RESUME_BYTES, OPTIONS, client)
    calls = fake.calls
    client2, fake2 = make_client(honest, tmp_path, use_cache=True)
    second = run_coaching(RESUME_BYTES, OPTIONS, client2)
    assert calls > 0 and fake2.calls == 0
    assert second.stats.llm_calls == 0 and second.stats.cache_hits > 0
    assert second.rewritten == first.rewritten


def test_result_json_has_the_design_keys(tmp_path):
    client, _ = make_client(honest, tmp_path)
    result = run_coaching(RESUME_BYTES, OPTIONS, client)
    data = json.loads(result.model_dump_json())
    for key in ("resume", "rewritten", "guide", "changes", "star_stories", "gaps", "stats"):
        assert key in data
    assert set(data["stats"]) >= {
        "provider", "model", "llm_calls", "prompt_tokens", "completion_tokens", "cache_hits",
        "seconds",
    }  # fmt: skip
    change = data["changes"][0]
    assert set(change) >= {"path", "original", "rewritten", "skill", "status", "reason"}
    story = data["star_stories"][0]
    assert set(story) >= {"question", "skill", "situation", "task", "action", "result"}
    assert set(story) >= {"sources", "missing"}


def test_summary_source_is_the_whole_resume(tmp_path):
    client, _ = make_client(honest, tmp_path)
    result = run_coaching(RESUME_BYTES, OPTIONS, client)
    assert "billing service" in resume_facts(result.resume)


@pytest.mark.slow
def test_real_embedded_model_end_to_end(tmp_path):
    from pathlib import Path

    from coach.llm import LLMClient, ProviderSettings

    sample = Path(__file__).resolve().parent.parent / "sample_resumes"
    data = (sample / "alex-rivera-software-engineer.docx").read_bytes()
    settings = ProviderSettings(provider="local", cache_dir=tmp_path / "cache", use_cache=False)
    result = run_coaching(data, OPTIONS, LLMClient.from_settings(settings))
    assert result.stats.provider == "local" and result.stats.llm_calls > 0
    assert result.changes and 3 <= len(result.star_stories) <= 5
    original = resume_to_markdown(result.resume)
    assert find_fabrications(original, _final_text(result), allowed_terms=[TARGET]) == []
    for before, after in zip(result.resume.work, result.rewritten.work, strict=True):
        assert (before.name, before.position) == (after.name, after.position)
