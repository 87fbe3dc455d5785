"""The parser against the synthetic corpus: fails when accuracy drops below what we measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.scoring import FIELDS, Score, corpus_cases, score_file

ROOT = Path(__file__).resolve().parent.parent
# Measured with bench/parse_accuracy.py over both corpora and the samples (see BENCHMARKS.md):
# overall F1 0.992, every field >= 0.980. The floors leave a little room for a legitimate fix
# that trades one field against another.
OVERALL_F1_FLOOR = 0.985
FIELD_F1_FLOOR = 0.97


@pytest.fixture(scope="module")
def total() -> Score:
    cases = corpus_cases(ROOT)
    assert len(cases) >= 70, "a corpus or the sample resumes are missing"
    score = Score()
    for resume_path, truth_path in cases:
        score.add(score_file(resume_path, truth_path))
    return score


def test_overall_f1(total):
    assert total.overall.f1 >= OVERALL_F1_FLOOR


@pytest.mark.parametrize("field", FIELDS)
def test_field_f1(total, field):
    assert total.fields[field].f1 >= FIELD_F1_FLOOR, total.fields[field]


def test_scorer_can_fail():
    """A parse that gets everything wrong scores zero, so the floors above mean something."""
    from coach.models import Basics, Resume, Work

    truth = {
        "basics": {"name": "Dana Whitfield", "email": "dana@example.com"},
        "work": [{"name": "Meridian", "position": "Project Manager", "startDate": "2020"}],
        "skills": ["Jira"],
    }
    wrong = Resume(
        basics=Basics(name="Someone Else"), work=[Work(name="Elsewhere", position="Chef")]
    )
    from coach.scoring import score_resume

    assert score_resume(wrong, truth).overall.f1 == 0.0
