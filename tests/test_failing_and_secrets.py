"""Failure drills and secret hygiene against the fake OpenAI-compatible server on loopback.

A flaky server (30% of requests answer 429/500/503) must not break a batch, and a recognisable
API key must never reach stdout, stderr, logs, written files, exception text or the page.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from benches import load_bench
from streamlit.testing.v1 import AppTest

from coach import batch
from coach.cli import main
from coach.errors import ProviderError
from coach.llm import LLMClient, ProviderSettings
from coach.models import CoachOptions
from coach.pipeline import run_coaching

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_resumes"
APP = str(ROOT / "app.py")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KEY = "sk-test-SECRET-canary-12345"
# The tail alone is enough to spot a key that was shortened or partly masked.
CANARIES = (KEY, "canary-12345")
TARGET = "AI Project Manager"

pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]


class FakeServer:
    """The bench server run in-process on a thread; `args` can be changed while it runs."""

    def __init__(self, *argv: str) -> None:
        module = load_bench("fake_openai_server")
        self.args = module.parse_args(["--delay", "0.02", *argv])
        self.stats = module.Stats()
        handler = module.make_handler(self.args, self.stats)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def start_server() -> Iterator[Callable[..., FakeServer]]:
    servers: list[FakeServer] = []

    def start(*argv: str) -> FakeServer:
        servers.append(FakeServer(*argv))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def openai_env(monkeypatch) -> Callable[[FakeServer], None]:
    """Point the OpenAI provider at a fake server with the canary key and quick failures."""

    def point_at(server: FakeServer) -> None:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("RESUME_COACH_MAX_RETRIES", "0")
        monkeypatch.setenv("RESUME_COACH_TIMEOUT", "10")

    return point_at


def copy_samples(dest: Path, names: list[str]) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLES / name, dest / name)
    return dest


def batch_args(src: Path, out: Path) -> list[str]:
    return ["batch", str(src), "--target", TARGET, "--out", str(out), "--provider", "openai"]


def summary_rows(out: Path) -> list[dict]:
    return json.loads((out / batch.SUMMARY_JSON).read_text())["files"]


def half_written(out: Path) -> list[str]:
    """Staging/retired folders and temp files that a finished batch must not leave behind."""
    tags = (batch.STAGING_TAG, batch.RETIRED_TAG)
    return [
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if any(tag in p.name for tag in tags) or p.suffix == ".tmp"
    ]


# ---------------------------------------------------------------- failing models

# The 20 files: every sample resume, plus four copies in a sub-folder.
FLAKY_SAMPLES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))
FLAKY_COPIES = [f"copies/{name}" for name in FLAKY_SAMPLES[:4]]


def test_flaky_server_batch_finishes_then_healthy_rerun_completes(
    tmp_path, start_server, openai_env, capsys
):
    server = start_server("--fail-rate", "0.3", "--fail-status", "429,500,503")
    openai_env(server)
    src, out = copy_samples(tmp_path / "in", FLAKY_SAMPLES), tmp_path / "out"
    copy_samples(src / "copies", FLAKY_SAMPLES[:4])

    code = main([*batch_args(src, out), "--concurrency", "4"])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "Traceback" not in err
    assert server.stats.snapshot()["failed"] > 0, "the drill must actually fail some requests"
    rows = summary_rows(out)
    assert sorted(r["file"] for r in rows) == sorted(FLAKY_SAMPLES + FLAKY_COPIES)
    assert len(rows) == 20
    failure_reasons = []
    for row in rows:
        assert row["status"] in ("ok", "failed")
        if row["status"] == "failed":
            assert row["error"].strip() and "\n" not in row["error"]
        if not row["output"]:
            continue
        folder = out / row["output"]
        assert (folder / batch.DONE_MARKER).is_file()
        for name in ("result.json", "resume.md", "resume.json", "report.md", "star_stories.md"):
            assert (folder / name).stat().st_size > 0, f"{row['file']}: {name}"
        result = json.loads((folder / "result.json").read_text())
        for change in result["changes"]:
            if change["status"] == "kept" and "model call failed" in (change["reason"] or ""):
                # A failed call keeps the original text and says why; the file is not finished.
                assert change["rewritten"] == change["original"]
                assert row["status"] == "failed" and "run the batch again" in row["error"]
                failure_reasons.append(change["reason"])
    assert half_written(out) == []
    failed_rows = [r["file"] for r in rows if r["status"] == "failed"]
    assert failed_rows, "30% failing requests must leave some files to retry"
    assert all("HTTP" in reason for reason in failure_reasons)

    server.args.fail_rate = 0.0  # the server recovers
    code = main([*batch_args(src, out), "--concurrency", "4"])
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
    rerun = {r["file"]: r for r in summary_rows(out)}
    assert {r["status"] for r in rerun.values()} <= {"ok", "skipped"}
    assert all(rerun[name]["status"] == "ok" for name in failed_rows)
    for row in rerun.values():
        result = json.loads((out / row["output"] / "result.json").read_text())
        assert not any("model call failed" in (c["reason"] or "") for c in result["changes"])
    assert half_written(out) == []


# ---------------------------------------------------------------- secrets


def _texts_in(data: bytes) -> list[bytes]:
    """The bytes of a file, plus every member if it is a zip (DOCX compresses its XML)."""
    texts = [data]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(name) for name in archive.namelist()]
    return texts


def assert_no_key(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"the API key leaked into {where}"


def assert_no_key_on_disk(root: Path) -> list[Path]:
    """Search every file under root (zip members too); return the files searched."""
    files = [p for p in root.rglob("*") if p.is_file()]
    for path in files:
        for blob in _texts_in(path.read_bytes()):
            for canary in CANARIES:
                assert canary.encode() not in blob, f"the API key leaked into {path}"
    return files


@pytest.fixture
def all_logs(caplog) -> pytest.LogCaptureFixture:
    """Capture DEBUG records from every logger, including ones that do not propagate."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for name in list(logging.root.manager.loggerDict):
        logging.getLogger(name).removeHandler(caplog.handler)


def test_api_key_never_appears_in_any_output(tmp_path, start_server, openai_env, capsys, all_logs):
    server = start_server()
    openai_env(server)
    sample = "alex-rivera-software-engineer.docx"
    src = copy_samples(tmp_path / "in", [sample, "marcus-chen-data-analyst.pdf"])

    one = ["coach", str(src / sample), "--target", TARGET, "--out", str(tmp_path / "one")]
    assert main(one) == 0
    assert (tmp_path / "one" / "result.json").is_file()
    assert main([*batch_args(src, tmp_path / "many"), "--concurrency", "2"]) == 0
    assert server.stats.snapshot()["ok"] > 0

    refusing = start_server("--fail-rate", "1", "--fail-status", "401")
    openai_env(refusing)
    args = ["coach", str(src / sample), "--target", TARGET, "--out", str(tmp_path / "refused")]
    assert main(args) != 0
    assert main(batch_args(src, tmp_path / "refused-batch")) != 0
    with pytest.raises(ProviderError) as refused:
        client = LLMClient.from_settings(ProviderSettings.from_env(provider="openai"))
        run_coaching((src / sample).read_bytes(), CoachOptions(target_role=TARGET), client)

    settings = ProviderSettings.from_env(provider="openai")
    seen = capsys.readouterr()
    assert "refused" in seen.err  # the 401 was reported
    outputs = {
        "stdout": seen.out,
        "stderr": seen.err,
        "log records": "\n".join(
            f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in all_logs.records
        ),
        "the exception": f"{refused.value} {refused.value!r} {refused.value.args}",
        "ProviderSettings": f"{settings} {settings!r} {settings.model_dump()} "
        f"{settings.model_dump_json()} {settings.describe()}",
    }
    for where, text in outputs.items():
        assert_no_key(text, where)
    written = assert_no_key_on_disk(tmp_path)
    names = {p.name for p in written}
    assert {"result.json", "resume.docx", "report.md", "star_stories.md"} <= names
    assert {batch.SUMMARY_CSV, batch.SUMMARY_JSON, batch.DONE_MARKER} <= names


def _walk(node) -> Iterator:
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _walk(child)


def test_api_key_typed_in_the_app_stays_off_the_page_and_disk(
    tmp_path, start_server, monkeypatch, downloads
):
    server = start_server()
    monkeypatch.setenv("RESUME_COACH_MAX_RETRIES", "0")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="provider").set_value("openai").run()
    at.text_input(key="api_key").input(KEY).run()
    at.text_input(key="base_url").input(server.url).run()
    sample = SAMPLES / "alex-rivera-software-engineer.docx"
    at.file_uploader(key="upload").set_value((sample.name, sample.read_bytes(), DOCX_MIME))
    at.run()
    at.button(key="run").click()
    at.run()

    assert not at.exception
    assert server.stats.snapshot()["ok"] > 0, "the run went to the fake server"
    assert downloads, "the run produced downloads"
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            assert_no_key(str(proto), f"a {node.type} element")
        # The password box's own value is the key; the browser masks it.
        attrs = (
            ("body", "label", "help")
            if getattr(node, "key", None) == "api_key"
            else ("value", "body", "label", "help")
        )
        for attr in attrs:
            assert_no_key(str(getattr(node, attr, "")), f"a {node.type} element's {attr}")
    for name, data in downloads.items():
        for blob in _texts_in(data):
            assert KEY.encode() not in blob and b"canary-12345" not in blob, name
    assert_no_key_on_disk(tmp_path)
