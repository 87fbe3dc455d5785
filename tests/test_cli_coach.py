"""`resume-coach coach`: outputs, provider line, progress on stderr, user errors exit 2."""

from __future__ import annotations

import json

import pytest
from coach_fakes import RESUME_BYTES, TARGET, honest, make_client

from coach import cli
from coach.llm import LLMClient


@pytest.fixture
def resume_file(tmp_path):
    path = tmp_path / "resume.md"
    path.write_bytes(RESUME_BYTES)
    return path


@pytest.fixture
def fake_client(tmp_path, monkeypatch):
    client, fake = make_client(honest, tmp_path)
    monkeypatch.setattr(LLMClient, "from_settings", classmethod(lambda cls, settings: client))
    return fake


def test_coach_writes_every_output(resume_file, tmp_path, fake_client, capsys):
    out = tmp_path / "out"
    code = cli.main(
        ["coach", str(resume_file), "--target", TARGET, "--out", str(out), "--provider", "local"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "model: local: SmolLM2-135M-Instruct (embedded)" in captured.err
    assert "] parse" in captured.err and "] done" in captured.err
    assert "rewritten" in captured.err
    for name in ("resume.docx", "resume.md", "resume.json", "star_stories.md", "report.md"):
        assert (out / name).is_file(), name
    data = json.loads((out / "result.json").read_text())
    for key in ("resume", "rewritten", "guide", "changes", "star_stories", "gaps", "stats"):
        assert key in data
    assert data["guide"] == "swe-to-ai-pm"
    assert fake_client.calls > 0


def test_job_description_is_read(resume_file, tmp_path, fake_client, capsys):
    job = tmp_path / "job.txt"
    job.write_text("We need an AI Project Manager with MLOps and stakeholder management skills.")
    code = cli.main(
        ["coach", str(resume_file), "--target", TARGET, "--job", str(job), "--out", str(tmp_path)]
    )
    assert code == 0, capsys.readouterr().err
    data = json.loads((tmp_path / "result.json").read_text())
    assert data["gaps"]["job"]["terms"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--provider", "openai"], "OPENAI_API_KEY"),
        (["--provider", "local", "--model-path", "/nonexistent/model.gguf"], "model file"),
    ],
)
def test_provider_errors_exit_2(resume_file, tmp_path, capsys, extra, message):
    code = cli.main(["coach", str(resume_file), "--target", TARGET, "--out", str(tmp_path), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()[-1]) > 0


def test_bad_file_exits_2(tmp_path, fake_client, capsys):
    missing = tmp_path / "nope.pdf"
    code = cli.main(["coach", str(missing), "--target", TARGET, "--out", str(tmp_path)])
    assert code == 2 and "nope.pdf" in capsys.readouterr().err
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    code = cli.main(["coach", str(broken), "--target", TARGET, "--out", str(tmp_path / "o")])
    assert code == 2
    assert not (tmp_path / "o" / "result.json").exists()
