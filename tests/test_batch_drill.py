"""Batch drills for the other ways a model server fails: hangs, refusals, junk, endless answers.

Each drill runs a real `resume-coach batch` against the fake OpenAI server on 127.0.0.1 (or a
port where nothing listens) with a 1 s timeout and no retries, then checks that the batch ends
in bounded time, that every file is `ok` or `failed` with a one-line reason, that no output is
half-written or trusted when unfinished, that the key leaks nowhere, and that a rerun against
a healthy server finishes the files that failed.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import time
from pathlib import Path

import pytest
import test_failing_and_secrets as flaky
from benches import load_bench
from builders import RESUME_LINES, docx_bytes, pdf_bytes
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from test_failing_and_secrets import (
    KEY,
    assert_no_key,
    assert_no_key_on_disk,
    batch_args,
    half_written,
    summary_rows,
)

from coach import batch
from coach.batch import BatchRunner
from coach.cli import main
from coach.llm import LLMClient, ProviderSettings
from coach.models import CoachOptions

pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]

# The flaky-server drill's fixtures, shared by name: the fake server on a thread, and the env.
start_server = flaky.start_server
openai_env = flaky.openai_env

TIMEOUT_S = 1.0
# Where no call should fail, a busy test machine must not make one time out.
HEALTHY_TIMEOUT_S = 20.0
FILES = 3
# Each file makes a handful of calls, one after another, each cut after TIMEOUT_S + grace;
# with as many workers as files, the batch is bounded well below this.
BATCH_BOUND_S = 25.0
# A broken server must fail some of the work, but leave some of it to succeed.
SHARE = "0.4"
# The SDK's own ways of saying "timed out" and "could not connect", and our deadline's.
TIMED_OUT = ("TimeoutError",)
NO_CONNECTION = ("ConnectionError",)


def write_resumes(folder: Path) -> list[str]:
    """Small resumes, each with its own bullet so no answer is shared through the cache."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(FILES):
        bullet = f"• Planned {i + 2} release trains with the support desk and QA leads."
        if i % 2:
            data = docx_bytes(lambda doc, b=bullet: doc.add_paragraph(b[2:], style="List Bullet"))
            name = f"r{i}.docx"
        else:
            data = pdf_bytes([*RESUME_LINES[:5], (bullet, 10, False), *RESUME_LINES[5:]])
            name = f"r{i}.pdf"
        (folder / name).write_bytes(data)
        names.append(name)
    return names


@pytest.fixture
def drill(tmp_path, openai_env, monkeypatch, capsys):
    """Run batches with quick timeouts against a server; return (code, seconds, rows) per run."""
    src, out = tmp_path / "in", tmp_path / "out"
    names = write_resumes(src)
    digests = {name: hashlib.sha256((src / name).read_bytes()).hexdigest() for name in names}

    def run(
        server=None, url: str | None = None, timeout: float = TIMEOUT_S
    ) -> tuple[int, float, list[dict]]:
        """One batch run; `url` instead of a server points at an address of our choosing."""
        if server is not None:
            openai_env(server)
        else:
            monkeypatch.setenv("OPENAI_API_KEY", KEY)
            monkeypatch.setenv("OPENAI_BASE_URL", url)
            monkeypatch.setenv("RESUME_COACH_MAX_RETRIES", "0")
        monkeypatch.setenv("RESUME_COACH_TIMEOUT", str(timeout))
        started = time.monotonic()
        code = main([*batch_args(src, out), "--concurrency", str(FILES)])
        seconds = time.monotonic() - started
        seen = capsys.readouterr()
        assert "Traceback" not in seen.err
        assert_no_key(seen.out + seen.err, "the batch's output")
        rows = summary_rows(out)
        check_nothing_lost(out, rows, digests, src)
        assert_no_key_on_disk(tmp_path)
        return code, seconds, rows

    run.out = out
    return run


def check_nothing_lost(out: Path, rows: list[dict], digests: dict[str, str], src: Path) -> None:
    """Every input has one row, ok or failed with a reason; outputs are whole and honest."""
    assert sorted(r["file"] for r in rows) == sorted(digests)
    for name, digest in digests.items():  # the inputs themselves are never touched
        assert hashlib.sha256((src / name).read_bytes()).hexdigest() == digest
    assert half_written(out) == []
    for row in rows:
        assert row["status"] in ("ok", "failed", "skipped"), row
        if row["status"] == "failed":
            assert row["error"].strip() and "\n" not in row["error"], row
        if not row["output"]:
            assert row["status"] == "failed"
            continue
        folder = out / row["output"]
        marker = batch.read_marker(folder)
        # An unfinished file's output is kept for reading but never trusted by a rerun.
        assert marker is not None and marker["complete"] is (row["status"] != "failed"), row
        result = json.loads((folder / "result.json").read_text())
        for change in result["changes"]:
            if change["status"] == "kept":
                assert change["rewritten"] == change["original"] and change["reason"], change


def failed_reasons(rows: list[dict]) -> list[str]:
    """The reasons of the rows that failed."""
    return [r["error"] for r in rows if r["status"] == "failed"]


def check_healthy_rerun(drill, server, failed: list[str]) -> None:
    """The same batch against the healed server finishes every file that failed."""
    code, _, rows = drill(server, timeout=HEALTHY_TIMEOUT_S)
    assert code == 0
    by_file = {r["file"]: r for r in rows}
    assert {r["status"] for r in rows} <= {"ok", "skipped"}
    assert all(by_file[name]["status"] == "ok" for name in failed)


# ---------------------------------------------------------------- slow, silent or endless

# (server options, words one of which the reason must hold, what heals the server)
STALLS = {
    "late answer": (["--late-rate", SHARE, "--late-seconds", "4"], TIMED_OUT, "late_rate"),
    "hang then close": (["--hang-rate", SHARE, "--hang-seconds", "4"], TIMED_OUT, "hang_rate"),
    "closed unanswered": (["--drop-rate", SHARE], NO_CONNECTION, "drop_rate"),
    "short body": (["--short-rate", SHARE, "--hang-seconds", "30"], TIMED_OUT, "short_rate"),
    # Before the call deadline, a byte every 0.1 s kept each call alive until the server quit.
    "endless answer": (
        ["--trickle-rate", SHARE, "--trickle-interval", "0.1", "--hang-seconds", "60"],
        TIMED_OUT,
        "trickle_rate",
    ),
}


@pytest.mark.parametrize("kind", list(STALLS))
def test_stalling_server_fails_files_in_bounded_time_then_rerun_finishes(kind, drill, start_server):
    options, words, share = STALLS[kind]
    server = start_server("--seed", "3", *options)
    code, seconds, rows = drill(server)
    assert code == 1 and seconds < BATCH_BOUND_S, (code, seconds)
    failed = [r["file"] for r in rows if r["status"] == "failed"]
    assert failed, f"a {SHARE} share of {kind} must fail some files"
    reasons = failed_reasons(rows)
    assert all("model call failed" in r and "run the batch again" in r for r in reasons)
    # On a busy machine a healthy answer may time out too; this kind's own reason must show.
    assert any(word in r for r in reasons for word in words), reasons

    setattr(server.args, share, 0.0)  # the server recovers
    check_healthy_rerun(drill, server, failed)


def test_connection_refused_fails_every_file_then_rerun_finishes(drill, start_server):
    with socket.socket() as probe:  # a free port, closed again: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, seconds, rows = drill(url=f"http://127.0.0.1:{port}/v1")
    assert code == 1 and seconds < BATCH_BOUND_S
    assert {r["status"] for r in rows} == {"failed"}
    for reason in failed_reasons(rows):
        assert any(word in reason for word in NO_CONNECTION), reason

    check_healthy_rerun(drill, start_server(), [r["file"] for r in rows])


# ---------------------------------------------------------------- answers that are not answers

BODY_JUNK = ("prose", "html", "empty", "truncated", "shape")


def test_malformed_completion_bodies_fail_files_then_rerun_finishes(drill, start_server):
    kinds = ",".join(BODY_JUNK)
    # A bad answer to a JSON-schema call is retried without the schema and often recovers,
    # so a bigger share makes sure some files fail.
    server = start_server("--seed", "5", "--garbage-rate", "0.6", "--garbage-kinds", kinds)
    code, seconds, rows = drill(server)
    assert server.stats.snapshot()["garbage"] > 0
    assert code == 1 and seconds < BATCH_BOUND_S
    failed = [r["file"] for r in rows if r["status"] == "failed"]
    assert failed
    for reason in failed_reasons(rows):
        assert "model call failed" in reason and "run the batch again" in reason, reason

    server.args.garbage_rate = 0.0
    check_healthy_rerun(drill, server, failed)


@pytest.mark.parametrize("kind", ["content-prose", "content-truncated"])
def test_completion_without_json_keeps_originals_with_a_reason(kind, drill, start_server):
    # The call worked and the model answered: a usable-or-not verdict, not a retryable failure.
    server = start_server("--garbage-rate", "1", "--garbage-kinds", kind)
    code, seconds, rows = drill(server, timeout=HEALTHY_TIMEOUT_S)
    assert code == 0 and seconds < BATCH_BOUND_S, failed_reasons(rows)
    assert {r["status"] for r in rows} == {"ok"}
    for row in rows:
        result = json.loads((drill.out / row["output"] / "result.json").read_text())
        bullets = [c for c in result["changes"] if ".highlights[" in c["path"]]
        assert bullets and all(c["status"] == "kept" for c in bullets)
        assert all("no valid JSON" in c["reason"] for c in bullets), bullets
        # Nothing the junk said reaches the resume.
        assert "Sure!" not in json.dumps(result["rewritten"])


# ---------------------------------------------------------------- regressions


class StoryTimeoutChat(FakeListChatModel):
    """Answers like the fake server, except that every STAR story call times out."""

    def _call(self, messages, stop=None, run_manager=None, **kwargs) -> str:
        prompt = messages[-1].content
        if "<bullet>" in prompt:
            raise TimeoutError("the story call timed out")
        return load_bench("fake_openai_server").canned_answer(prompt, True)


def test_file_whose_story_calls_failed_is_not_reported_ok(tmp_path):
    # Stories leave no change behind, so this file used to be `ok` and never retried.
    src, out = tmp_path / "in", tmp_path / "out"
    write_resumes(src)
    settings = ProviderSettings(provider="local", max_retries=0, use_cache=False)
    report = BatchRunner(
        source=src,
        out=out,
        options=CoachOptions(target_role="AI Project Manager"),
        request={"provider": "openai", "model": "m"},
        make_client=lambda: LLMClient(StoryTimeoutChat(responses=["x"]), settings),
        progress_stream=io.StringIO(),
    ).run()
    assert report.count("failed") == FILES
    for row in report.rows:
        assert row.star_stories > 0 and "model call(s) failed" in row.error, row
        assert "TimeoutError" in row.error and "run the batch again" in row.error
        assert batch.read_marker(out / row.output)["complete"] is False


class DribblingChat(FakeListChatModel):
    """A chat model whose answer never finishes, like a server sending a byte now and then."""

    def _call(self, *args, **kwargs) -> str:
        threading.Event().wait(30)
        return "never"


def test_remote_call_is_cut_at_its_deadline_even_while_bytes_arrive():
    # The SDK's per-read timeout never fires while bytes keep coming; only the deadline can.
    settings = ProviderSettings(provider="local", timeout_s=0.2, max_retries=1, use_cache=False)
    client = LLMClient(  # provider "openai": the deadline guards remote calls
        DribblingChat(responses=["x"]), settings, provider="openai", sleep=lambda s: None
    )
    started = time.monotonic()
    answer = client.complete([("human", "Say hi")])
    assert time.monotonic() - started < 4
    assert answer.error == "model call failed after 2 attempts: TimeoutError"
