"""`resume-coach parse`: output formats, user errors and a light import path."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from builders import docx_bytes, pdf_bytes

from coach.cli import main


def test_parse_prints_json_resume(tmp_path, capsys):
    path = tmp_path / "resume.bin"  # the extension is irrelevant: content decides
    path.write_bytes(pdf_bytes())
    assert main(["parse", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["basics"]["name"] == "Riley Quinn"
    assert data["work"][0]["name"] == "Bluebird Health"


def test_parse_markdown_view(tmp_path, capsys):
    path = tmp_path / "resume.docx"
    path.write_bytes(docx_bytes())
    assert main(["parse", str(path), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Riley Quinn")
    assert "### Project Manager — Bluebird Health" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 garbage", "damaged"),
        (bytes(range(256)) * 10, "binary"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "resume.pdf"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err


def test_missing_file(capsys):
    assert main(["parse", "/nonexistent/resume.pdf"]) == 2
    assert "No such file" in capsys.readouterr().err


def test_parse_path_does_not_import_heavy_libraries(tmp_path):
    path = tmp_path / "resume.pdf"
    path.write_bytes(pdf_bytes())
    code = (
        "import sys; from coach.cli import main; main(['parse', sys.argv[1]]);"
        "heavy = [m for m in ('langchain_core', 'llama_cpp', 'streamlit', 'openai') "
        "if m in sys.modules]; print('HEAVY', heavy, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in done.stderr
