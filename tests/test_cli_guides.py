"""CLI: guides list/show/import and analyze."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "guides"


def test_guides_list(capsys):
    assert main(["guides", "list"]) == 0
    out = capsys.readouterr().out
    assert "pm-to-ai-pm\tProject Manager -> AI Project Manager" in out
    assert "swe-to-ai-pm" in out


def test_guides_show_json_and_md(capsys):
    assert main(["guides", "show", "pm-to-ai-pm"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["salary"]["from"] == 85000 and data["id"] == "pm-to-ai-pm"
    assert main(["guides", "show", "swe-to-ai-pm", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("---\nid: swe-to-ai-pm\n")


def test_unknown_guide_exits_2_with_one_line(capsys):
    assert main(["guides", "show", "chef-to-pilot"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no guide with id 'chef-to-pilot'")
    assert err.count("\n") == 1


def test_guides_import_prints_json_warns_and_saves(capsys):
    path = FIXTURES / "teacher-to-instructional-designer.txt"
    assert main(["guides", "import", str(path), "--save"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["salary"] == {
        "from_title": "Teacher",
        "from": 52000,
        "to_title": "Instructional Designer",
        "to": 71000,
        "currency": "USD",
    }
    assert "warning: section not found: roadmap" in captured.err
    saved = Path(os.environ["RESUME_COACH_GUIDES_DIR"]) / "teacher-to-instructional-designer.md"
    assert saved.is_file()
    assert main(["guides", "list"]) == 0
    assert "teacher-to-instructional-designer" in capsys.readouterr().out


def test_guides_import_missing_file_exits_2(capsys, tmp_path):
    assert main(["guides", "import", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read the guide file" in capsys.readouterr().err


def _resume_file(tmp_path: Path) -> Path:
    path = tmp_path / "resume.md"
    path.write_text(
        "# Alex Example\n\nalex@example.com | (555) 010-0123\n\n## Experience\n\n"
        "### Senior Software Engineer, Example Corp\nJan 2020 - Present\n\n"
        "- Debugged a memory leak and found the root cause of nightly crashes\n"
        "- Set up GitHub Actions pipelines with unit tests for 12 services\n",
        encoding="utf-8",
    )
    return path


def test_analyze_json_and_md(capsys, tmp_path):
    pytest.importorskip("coach.parse")
    resume = _resume_file(tmp_path)
    job = tmp_path / "job.txt"
    job.write_text("We need Jira, Confluence and PyTorch experience.\n", encoding="utf-8")
    args = ["analyze", str(resume), "--target", "AI Project Manager", "--from", "Software Dev"]
    assert main([*args, "--job", str(job)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["guide"] == "swe-to-ai-pm"
    assert data["evidence"], "the parser found no bullets"
    assert data["evidence"][0]["path"].startswith("work[0].highlights[")
    assert "Confluence" in data["gaps"]["job"]["missing"]
    assert main([*args, "--format", "md"]) == 0
    assert "## Skills to build" in capsys.readouterr().out


def test_analyze_with_no_matching_guide_says_so(capsys, tmp_path):
    pytest.importorskip("coach.parse")
    args = ["analyze", str(_resume_file(tmp_path)), "--target", "Pastry Chef"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["guide"] is None and "No transition guide matches" in data["guide_note"]


def test_analyze_missing_job_file_exits_2(capsys, tmp_path):
    args = ["analyze", str(_resume_file(tmp_path)), "--target", "AI PM", "--job", "missing.txt"]
    assert main(args) == 2
    assert "cannot read the job description" in capsys.readouterr().err
