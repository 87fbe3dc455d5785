"""Batch over a folder: discovery, failures, summaries, resume after interruption, settings."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import types
from pathlib import Path

import pytest
from benches import load_bench
from fakes import FakeChat

from coach import batch
from coach.batch import BatchRunner, Progress, find_resumes
from coach.cli import main
from coach.errors import InputError, ProviderError
from coach.llm import LLMClient, ProviderSettings
from coach.models import Change, CoachingResult, CoachOptions, Resume, RunStats, StarStory

OPTIONS = CoachOptions(target_role="AI Project Manager")
OUTPUT_FILES = ("result.json", "resume.md")  # sorted


def fake_result(data: bytes) -> CoachingResult:
    """A small result: two rewritten changes, one kept, one rejected, one story."""
    text = data.decode("utf-8", "replace").strip()
    changes = [
        Change(
            path="work[0].highlights[0]", original=text, rewritten=text + "!", status="rewritten"
        ),
        Change(path="work[0].highlights[1]", original="a", rewritten="b", status="rewritten"),
        Change(path="work[0].highlights[2]", original="c", rewritten="c", status="kept"),
        Change(path="basics.summary", original="d", rewritten="e 99", status="rejected"),
    ]
    story = StarStory(question="q", situation="s", task="t", action="a", result="r")
    stats = RunStats(llm_calls=5, prompt_tokens=100, completion_tokens=40, cache_hits=1)
    return CoachingResult(
        resume=Resume(), rewritten=Resume(), changes=changes, star_stories=[story], stats=stats
    )


class Recorder:
    """A per-resume function that records the files it saw and fails on 'broken' content."""

    def __init__(self, fail_on: bytes = b"broken", interrupt_at: int | None = None) -> None:
        self.seen: list[bytes] = []
        self.fail_on = fail_on
        self.interrupt_at = interrupt_at
        self._lock = threading.Lock()

    def __call__(self, data: bytes, options: CoachOptions, client) -> CoachingResult:
        with self._lock:
            self.seen.append(data)
            count = len(self.seen)
        if self.interrupt_at is not None and count == self.interrupt_at:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C: Python raises it in the main thread
        if data.startswith(self.fail_on):
            raise InputError("this PDF is damaged\nand cannot be read; export it again")
        return fake_result(data)


def fake_write(result: CoachingResult, out_dir: Path, source: bytes) -> dict[str, Path]:
    """Writes two of the real output names, like coach.export.write_outputs."""
    paths = {}
    for name in OUTPUT_FILES:
        path = out_dir / name
        path.write_text(result.model_dump_json() if name.endswith(".json") else "# resume\n")
        paths[name] = path
    return paths


def make_folder(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def runner(src: Path, out: Path, process, *, options=OPTIONS, model="m1", **kw) -> BatchRunner:
    clients = kw.pop("clients", [])
    return BatchRunner(
        source=src,
        out=out,
        options=options,
        request=kw.pop("request", {"provider": "openai", "model": model}),
        make_client=lambda: clients.append(object()) or clients[-1],
        process=process,
        write=kw.pop("write", fake_write),
        progress_stream=kw.pop("stream", io.StringIO()),
        tty=False,
        **kw,
    )


def visible_tree(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))


def leftovers(out: Path) -> list[str]:
    return [
        p.name
        for p in out.rglob("*")
        if batch.STAGING_TAG in p.name or batch.RETIRED_TAG in p.name or p.suffix == ".tmp"
    ]


@pytest.fixture
def src(tmp_path):
    return make_folder(
        tmp_path / "in",
        {
            "alex.txt": b"Alex resume",
            "team-a/jane.md": b"Jane resume",
            "team-a/broken.pdf": b"broken pdf bytes",
            "team-b/sam.DOCX": b"Sam resume",
            ".hidden.txt": b"not a resume",
            "team-a/~$jane.docx": b"office lock file",
            "notes.csv": b"a,b",
            ".git/x.md": b"hidden folder",
        },
    )


def test_find_resumes_skips_hidden_temp_unsupported_and_out(src):
    out = src / "results"
    make_folder(out, {"alex.txt/resume.md": b"# old output"})
    found = [p.as_posix() for p in find_resumes(src, out)]
    assert found == ["alex.txt", "team-a/broken.pdf", "team-a/jane.md", "team-b/sam.DOCX"]


def test_mixed_folder_gives_ok_and_failed_rows(src, tmp_path):
    out = tmp_path / "out"
    stream = io.StringIO()
    report = runner(src, out, Recorder(), concurrency=3, stream=stream).run()
    assert report.exit_code == 1
    by_file = {row.file: row for row in report.rows}
    assert [r.status for r in report.rows] == ["ok", "failed", "ok", "ok"]
    broken = by_file["team-a/broken.pdf"]
    assert broken.error == "this PDF is damaged and cannot be read; export it again"
    assert broken.output == ""
    assert not (out / "team-a/broken.pdf").exists()
    jane = by_file["team-a/jane.md"]
    assert (jane.rewritten, jane.kept, jane.rejected, jane.star_stories) == (2, 1, 1, 1)
    assert (jane.llm_calls, jane.prompt_tokens, jane.completion_tokens) == (5, 100, 40)
    assert jane.output == "team-a/jane.md"
    for rel in ("alex.txt", "team-a/jane.md", "team-b/sam.DOCX"):
        folder = out / rel
        assert sorted(p.name for p in folder.iterdir()) == [".done", *OUTPUT_FILES]
    # Non-terminal progress: one plain line per file with its position.
    lines = stream.getvalue().splitlines()
    assert sum(1 for line in lines if line.startswith("[")) == 4
    assert any(line.startswith("[") and "failed" in line and "damaged" in line for line in lines)
    assert leftovers(out) == []


def test_summary_csv_and_json(src, tmp_path):
    out = tmp_path / "out"
    runner(src, out, Recorder()).run()
    with open(out / "summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["file"] for r in rows] == [
        "alex.txt",
        "team-a/broken.pdf",
        "team-a/jane.md",
        "team-b/sam.DOCX",
    ]
    assert rows[0]["status"] == "ok" and rows[0]["rewritten"] == "2" and rows[0]["kept"] == "1"
    assert rows[0]["rejected"] == "1" and rows[0]["prompt_tokens"] == "100"
    assert float(rows[0]["seconds"]) >= 0
    assert rows[1]["status"] == "failed" and "\n" not in rows[1]["error"]
    doc = json.loads((out / "summary.json").read_text())
    assert doc["totals"]["files"] == 4
    assert (doc["totals"]["ok"], doc["totals"]["failed"], doc["totals"]["skipped"]) == (3, 1, 0)
    assert doc["totals"]["rewritten"] == 6 and doc["totals"]["llm_calls"] == 15
    assert doc["settings"]["target_role"] == "AI Project Manager"
    assert doc["settings"]["model"] == "m1" and doc["settings"]["prompt_version"]
    assert doc["files"][2]["file"] == "team-a/jane.md"


def test_rerun_skips_finished_files_and_makes_no_model_calls(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A", "b/c.md": b"C", "d.txt": b"D"})
    out = tmp_path / "out"
    first = runner(src, out, Recorder(), concurrency=2).run()
    assert first.exit_code == 0 and first.count("ok") == 3
    before = {p: p.stat().st_mtime_ns for p in out.rglob("resume.md")}
    again, clients = Recorder(), []
    report = runner(src, out, again, concurrency=2, clients=clients).run()
    assert report.exit_code == 0
    assert [r.status for r in report.rows] == ["skipped"] * 3
    assert again.seen == [] and clients == []  # no model built, no call made
    assert all(r.llm_calls == 0 and r.rewritten == 2 for r in report.rows)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("resume.md")} == before


def test_failed_files_are_retried_on_rerun(src, tmp_path):
    out = tmp_path / "out"
    runner(src, out, Recorder()).run()
    (src / "team-a/broken.pdf").write_bytes(b"fixed now")
    again = Recorder()
    report = runner(src, out, again).run()
    assert again.seen == [b"fixed now"]
    assert report.exit_code == 0
    assert [r.status for r in report.rows] == ["skipped", "ok", "skipped", "skipped"]


def test_changed_settings_or_content_rerun_and_replace_outputs(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A", "b.txt": b"B"})
    out = tmp_path / "out"
    runner(src, out, Recorder()).run()
    (src / "b.txt").write_bytes(b"B v2")
    content = Recorder()
    runner(src, out, content).run()
    assert content.seen == [b"B v2"]

    for changed in (
        {"options": CoachOptions(target_role="Data Scientist")},
        {"options": CoachOptions(target_role="AI Project Manager", job_text="Lead AI work")},
        {"options": CoachOptions(target_role="AI Project Manager", from_role="Teacher")},
        {"model": "m2"},
    ):
        rec = Recorder()
        report = runner(src, out, rec, **changed).run()
        assert sorted(rec.seen) == [b"A", b"B v2"], changed
        assert [r.status for r in report.rows] == ["ok", "ok"]
        marker = json.loads((out / "a.txt/.done").read_text())
        assert marker["settings"] == report.settings
    assert leftovers(out) == []


def test_prompt_change_invalidates_finished_outputs(tmp_path, monkeypatch):
    src = make_folder(tmp_path / "in", {"a.txt": b"A"})
    out = tmp_path / "out"
    runner(src, out, Recorder()).run()
    monkeypatch.setattr(batch, "prompt_version", lambda: "new-prompts")
    rec = Recorder()
    runner(src, out, rec).run()
    assert rec.seen == [b"A"]


def test_interruption_mid_batch_then_rerun_finishes(tmp_path):
    files = {f"r{i}.txt": f"R{i}".encode() for i in range(6)}
    src = make_folder(tmp_path / "in", files)
    out = tmp_path / "out"
    stream = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        runner(src, out, Recorder(interrupt_at=3), concurrency=1, stream=stream).run()
    assert "interrupted" in stream.getvalue()
    doc = json.loads((out / "summary.json").read_text())
    assert doc["interrupted"] is True
    status = {f["file"]: f["status"] for f in doc["files"]}
    # The file in flight at Ctrl-C finished; queued files never started.
    assert [status[f"r{i}.txt"] for i in range(3)] == ["ok"] * 3
    assert status["r5.txt"] == "failed"
    assert "run the same command again" in doc["files"][5]["error"]
    # The summary matches the disk: only whole output folders, one per ok file.
    for rel in files:
        folder = out / rel
        assert folder.exists() == (status[rel] == "ok")
        if folder.exists():
            assert sorted(p.name for p in folder.iterdir()) == [".done", *OUTPUT_FILES]
    assert leftovers(out) == []

    rec = Recorder()
    report = runner(src, out, rec, concurrency=2).run()
    assert report.exit_code == 0
    unfinished = sorted(files[rel] for rel in files if status[rel] != "ok")
    assert sorted(rec.seen) == unfinished
    assert {r.status for r in report.rows} == {"skipped", "ok"}
    assert all((out / rel / ".done").exists() for rel in files)


def test_half_written_leftovers_are_cleaned_and_redone(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A", "team/b.txt": b"B"})
    out = make_folder(
        tmp_path / "out",
        {
            "a.txt/resume.md": b"# half",  # an output folder without its .done marker
            "team/.b.txt.partial-1234/resume.md": b"# half",  # a staging folder of a killed run
            "team/.b.txt.old-5678/x/resume.md": b"# old",  # a retired folder mid-swap
            ".summary.csv.abc.tmp": b"file,st",  # a summary caught mid-write
        },
    )
    rec = Recorder()
    report = runner(src, out, rec).run()
    assert sorted(rec.seen) == [b"A", b"B"]
    assert report.exit_code == 0
    assert leftovers(out) == []
    assert (out / "a.txt/resume.md").read_text() == "# resume\n"
    assert visible_tree(out) == [
        ".batch.lock",
        "a.txt",
        "a.txt/.done",
        "a.txt/result.json",
        "a.txt/resume.md",
        "summary.csv",
        "summary.json",
        "team",
        "team/b.txt",
        "team/b.txt/.done",
        "team/b.txt/result.json",
        "team/b.txt/resume.md",
    ]


def test_writer_failure_leaves_no_partial_folder_and_keeps_old_output(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A"})
    out = tmp_path / "out"
    runner(src, out, Recorder()).run()
    old = (out / "a.txt/result.json").read_text()

    def failing_write(result, out_dir, source):
        (out_dir / "resume.md").write_text("# partial")
        raise OSError(28, "No space left on device")

    opts = CoachOptions(target_role="Data Scientist")
    report = runner(src, out, Recorder(), options=opts, write=failing_write).run()
    assert report.rows[0].status == "failed"
    assert report.rows[0].error == "cannot read or write a file (No space left on device)"
    assert (out / "a.txt/result.json").read_text() == old  # the finished old output survives
    assert leftovers(out) == []


def test_unexpected_errors_do_not_leak_their_text(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A"})

    def buggy(data, options, client):
        raise ValueError("secret resume text 555-0100")

    report = runner(src, tmp_path / "out", buggy).run()
    assert report.rows[0].status == "failed"
    assert "secret" not in report.rows[0].error and "ValueError" in report.rows[0].error


def test_provider_refusal_stops_scheduling_more_files(tmp_path):
    src = make_folder(tmp_path / "in", {f"r{i}.txt": b"x" for i in range(5)})
    calls = []

    def refused(data, options, client):
        calls.append(data)
        raise ProviderError("the provider refused the request (HTTP 401): check OPENAI_API_KEY")

    report = runner(src, tmp_path / "out", refused, concurrency=1).run()
    assert len(calls) == 1
    assert report.exit_code == 1
    assert all(r.status == "failed" and "OPENAI_API_KEY" in r.error for r in report.rows)
    assert report.rows[1].error.startswith("not processed: ")


def test_shared_model_with_per_file_usage_counts(tmp_path):
    src = make_folder(tmp_path / "in", {"a.txt": b"A", "b.txt": b"B B", "c.txt": b"C C C"})
    fake = FakeChat(default_reply="ok")
    shared = LLMClient(fake, ProviderSettings(provider="local", use_cache=False))
    clients: list = []

    def calls_per_word(data, options, client):
        clients.append(client)
        for _ in data.split():
            client.complete([("human", "hi")])
        return fake_result(data).model_copy(update={"stats": RunStats(**client.usage.snapshot())})

    r = runner(src, tmp_path / "out", calls_per_word, concurrency=3)
    r.make_client = lambda: shared
    report = r.run()
    assert [row.llm_calls for row in report.rows] == [1, 2, 3]
    assert fake.calls == 6
    assert {id(c.model) for c in clients} == {id(fake)}  # one model shared by every file


def test_terminal_progress_bar_shows_counts_and_eta():
    stream = io.StringIO()
    progress = Progress(4, stream, tty=True)
    progress.skipped(1)
    progress.update(batch.FileRow(file="a.txt", status="ok", seconds=0.1))
    progress.update(batch.FileRow(file="b.txt", status="failed", error="damaged", seconds=0.1))
    progress.close()
    text = stream.getvalue()
    assert "\r\033[K[" in text and "3/4" in text and "ETA" in text
    assert "ok 1 failed 1 skipped 1" in text
    assert "failed b.txt: damaged" in text


# ---- command line -----------------------------------------------------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stand-ins for coach.pipeline.run_coaching and coach.export.write_outputs."""
    calls = []

    def run_coaching(data, options, client, *, progress=None):
        calls.append((data, options))
        return Recorder()(data, options, client)

    monkeypatch.setitem(
        sys.modules, "coach.pipeline", types.SimpleNamespace(run_coaching=run_coaching)
    )
    monkeypatch.setattr("coach.export.write_outputs", fake_write, raising=False)
    # Building a real ChatOpenAI probes socket options; the fake pipeline never calls it anyway.
    monkeypatch.setattr(LLMClient, "from_settings", classmethod(lambda cls, settings: "client"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    return calls


def test_cli_batch_end_to_end(src, tmp_path, capsys, fake_pipeline):
    out = tmp_path / "out"
    job = tmp_path / "job.txt"
    job.write_text("We want an AI project manager.")
    args = ["batch", str(src), "--target", "AI PM", "--out", str(out), "--job", str(job)]
    code = main([*args, "--concurrency", "2", "--provider", "openai"])
    assert code == 1
    err = capsys.readouterr().err
    assert "batch: provider openai: gpt-4o-mini at http://127.0.0.1:9/v1" in err
    assert "3 ok, 1 failed, 0 skipped" in err
    assert fake_pipeline[0][1].job_text == "We want an AI project manager."
    assert fake_pipeline[0][1].target_role == "AI PM"
    (src / "team-a/broken.pdf").unlink()
    fake_pipeline.clear()
    assert main([*args, "--provider", "openai"]) == 0
    assert fake_pipeline == []
    assert "0 ok, 0 failed, 3 skipped" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--provider", "bogus"], "provider must be auto, local or openai"),
        (["--provider", "openai"], "OPENAI_API_KEY"),
        (["--concurrency", "0"], "--concurrency must be between 1 and 32"),
        (["--job", "/no/such/job.txt"], "cannot read the job description"),
    ],
)
def test_cli_batch_user_errors_exit_2_with_one_line(src, tmp_path, capsys, extra, message):
    code = main(["batch", str(src), "--target", "AI PM", "--out", str(tmp_path / "o"), *extra])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and message in err and err.startswith("error: ")


def test_cli_batch_missing_dir_and_empty_dir(tmp_path, capsys):
    out = str(tmp_path / "o")
    assert main(["batch", str(tmp_path / "nope"), "--target", "X", "--out", out]) == 2
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert (
        main(
            ["batch", str(tmp_path / "empty"), "--target", "X", "--out", out, "--provider", "local"]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "no PDF, DOCX, TXT or MD files" in err


# ---- a real kill -9 ---------------------------------------------------------------------------

KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from coach.batch import BatchRunner
    from coach.models import CoachOptions
    sys.path.insert(0, sys.argv[3])
    from test_batch import fake_result

    def slow(data, options, client):
        time.sleep(0.05)
        return fake_result(data)

    def slow_write(result, out_dir, source):
        for name in ("resume.md", "resume.docx", "result.json"):
            (out_dir / name).write_text("x")
            print("writing", flush=True)
            time.sleep(0.2)  # the parent kills us somewhere in here

    BatchRunner(
        source=Path(sys.argv[1]), out=Path(sys.argv[2]),
        options=CoachOptions(target_role="AI Project Manager"), request={"provider": "openai"},
        make_client=lambda: None, process=slow, write=slow_write, concurrency=2,
    ).run()
    """
)


def test_kill_9_mid_write_leaves_no_partial_output_and_rerun_finishes(tmp_path):
    files = {f"r{i}.txt": f"R{i}".encode() for i in range(4)}
    src = make_folder(tmp_path / "in", files)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(src), str(out), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        seen = 0
        while seen < 5:  # first folder published, second ones mid-write
            line = proc.stdout.readline()
            assert line, "the batch subprocess ended before it could be killed"
            seen += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    # Whatever is visible is whole; the staging folders of the killed workers are hidden.
    published = [rel for rel in files if (out / rel).exists()]
    for rel in published:
        names = sorted(p.name for p in (out / rel).iterdir())
        assert names == [".done", "resume.docx", "resume.md", "result.json"]
    assert len(published) < len(files)
    assert leftovers(out)  # a staging folder was caught mid-write...

    rec = Recorder()
    start = time.monotonic()
    report = runner(src, out, rec, concurrency=2).run()
    assert time.monotonic() - start < 10
    assert report.exit_code == 0
    assert len(rec.seen) == len(files) - len(published)
    assert leftovers(out) == []  # ...and the rerun cleaned it up and finished the job
    assert all((out / rel / ".done").exists() for rel in files)


def test_provider_request_flags_over_env_and_key_presence(monkeypatch, tmp_path):
    monkeypatch.setenv("RESUME_COACH_PROVIDER", "OpenAI")
    monkeypatch.setenv("RESUME_COACH_MODEL", "env-model")
    asked = batch.provider_request({"model": "flag-model", "provider": None})
    assert asked["provider"] == "openai" and asked["model"] == "flag-model"
    assert asked["openai_key_set"] is False
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-secret")
    with_key = batch.provider_request({})
    assert with_key["openai_key_set"] is True and with_key["model"] == "env-model"
    assert "sk-test" not in json.dumps(with_key)  # the key itself is never recorded
    monkeypatch.chdir(tmp_path)
    local = batch.provider_request({"provider": "local", "model_path": "m.gguf"})
    assert local["model_path"] == str(tmp_path / "m.gguf")


def test_auto_provider_reruns_when_a_key_appears(tmp_path, monkeypatch):
    src = make_folder(tmp_path / "in", {"a.txt": b"A"})
    out = tmp_path / "out"
    runner(src, out, Recorder(), request=batch.provider_request({})).run()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-secret")  # auto now means OpenAI
    rec = Recorder()
    runner(src, out, rec, request=batch.provider_request({})).run()
    assert rec.seen == [b"A"]


def test_batch_module_does_not_import_the_llm_stack():
    code = "import sys, coach.cli, coach.batch; print('langchain_core' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_fake_server_answers_only_with_facts_from_the_prompt():
    server = load_bench("fake_openai_server")
    role = "<bullets>\n1. [skill: planning] Ran 12 sprints.\n2. Wrote the runbook.\n</bullets>"
    assert json.loads(server.canned_answer(role, True)) == {
        "bullets": [{"id": 1, "text": "Ran 12 sprints."}, {"id": 2, "text": "Wrote the runbook."}]
    }
    assert server.canned_answer("Skill: x\n<bullet>Ran 12 sprints.</bullet>", False) == (
        "Ran 12 sprints."
    )
    story = json.loads(server.canned_answer("<bullet>Ran 12 sprints.</bullet>", True))
    assert story["action"] == "Ran 12 sprints." and story["result"].startswith("[add:")
    skills = json.loads(server.canned_answer("<skills>Jira, SQL</skills>", True))
    assert skills["groups"][0]["keywords"] == ["Jira", "SQL"]
