"""Batch: coach every resume under a folder, resumably, with bounded concurrency.

Each resume gets its own output folder, mirroring its path under the source folder and named
after the file (`OUT/team-a/jane.pdf/`), so names never collide. A folder is built in a hidden
staging folder and renamed into place only when complete, with a `.done` marker written last:
an interrupted run (Ctrl-C, kill -9) leaves no half-written output, and a rerun skips every
file whose content and settings match a `.done` marker.

The per-resume work is one pure function, `process_resume(data, options, client)`, so it can
be handed to another execution engine unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from coach import __version__
from coach.errors import CoachError, InputError, ProviderError
from coach.models import CoachingResult, CoachOptions
from coach.settings import max_file_bytes

SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".txt", ".md"})
DONE_MARKER = ".done"
SUMMARY_CSV = "summary.csv"
SUMMARY_JSON = "summary.json"
LOCK_FILE = ".batch.lock"
# Hidden staging/retired folders next to the output folder they become or replace.
STAGING_TAG = ".partial-"
RETIRED_TAG = ".old-"
# Bump when the layout of an output folder or its marker changes: older outputs are redone.
BATCH_FORMAT = 1
# Each resume runs its chains on up to N threads too, so N*N threads exist at most.
MAX_CONCURRENCY = 32

Status = Literal["ok", "failed", "skipped"]
ProcessFn = Callable[[bytes, CoachOptions, Any], CoachingResult]
WriteFn = Callable[[CoachingResult, Path, bytes], Any]


def process_resume(data: bytes, options: CoachOptions, client: Any) -> CoachingResult:
    """Coach one resume: file bytes and options in, result out (no files, no global state)."""
    from coach.pipeline import run_coaching

    return run_coaching(data, options, client)


# ---- settings fingerprint ---------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prompt_version() -> str:
    """A digest of the package version and every prompt template it uses."""
    from coach.prompts import prompts_dir

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(prompts_dir().glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Environment variables that decide the provider and model (see DESIGN: provider settings);
# flags override them. Read here without importing the LLM stack, so that a rerun with nothing
# left to do starts fast.
_PROVIDER_ENV = {
    "provider": "RESUME_COACH_PROVIDER",
    "model": "RESUME_COACH_MODEL",
    "model_path": "RESUME_COACH_MODEL_PATH",
}


def provider_request(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The provider and model as asked for (flags over environment), before resolution.

    The provider and model a run uses are a function of exactly these values (and of the
    package version, which the prompt version covers), so equal requests mean equal models.
    """
    overrides = overrides or {}
    asked: dict[str, Any] = {}
    for key, env in _PROVIDER_ENV.items():
        value = overrides.get(key)
        if value in (None, ""):
            value = os.environ.get(env, "").strip() or None
        asked[key] = str(value) if value is not None else None
    asked["provider"] = (asked["provider"] or "auto").lower()
    if asked["model_path"]:
        asked["model_path"] = str(Path(asked["model_path"]).expanduser().resolve())
    # `auto` means OpenAI when a key is set; the key itself never goes into a file.
    asked["openai_key_set"] = bool(os.environ.get("OPENAI_API_KEY", "").strip())
    return asked


def settings_fingerprint(options: CoachOptions, request: dict[str, Any]) -> dict[str, Any]:
    """Everything besides the file's bytes that decides a resume's outputs."""
    return {
        "format": BATCH_FORMAT,
        "target_role": options.target_role,
        "from_role": options.from_role,
        "job_sha256": _sha256(options.job_text.encode()) if options.job_text else None,
        "max_stories": options.max_stories,
        **request,
        "prompt_version": prompt_version(),
    }


# ---- discovery --------------------------------------------------------------------------------


def _is_ignored(name: str) -> bool:
    # Hidden files, Office lock files (~$x.docx) and editor backups (x.md~) are not resumes.
    return name.startswith((".", "~")) or name.endswith("~")


def find_resumes(source: Path, out: Path | None = None) -> list[Path]:
    """Supported files under `source`, as sorted relative paths (skips hidden files and `out`)."""
    source = source.resolve()
    skip = out.resolve() if out is not None else None
    found: list[Path] = []
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not _is_ignored(d) and (here / d).resolve() != skip]
        for name in files:
            path = here / name
            if not _is_ignored(name) and path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path.relative_to(source))
    return sorted(found, key=lambda p: p.as_posix())


def output_dir_for(out: Path, rel: Path) -> Path:
    """The output folder of one resume: its relative path, file name included, under `out`."""
    # A folder and a file cannot share a name in one directory, so this never collides.
    return out / rel


# ---- atomic writes ----------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temp file in the same folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish_dir(staging: Path, final: Path) -> None:
    """Move a complete staging folder to `final`, retiring an older `final` first."""
    retired: Path | None = None
    if final.exists():
        # rename() cannot replace a non-empty folder: move the old one aside, then swap.
        retired = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}{RETIRED_TAG}"))
        os.replace(final, retired / "x")
    os.replace(staging, final)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def clean_leftovers(out: Path) -> int:
    """Remove staging and retired folders an interrupted run left behind; return how many."""
    removed = 0
    if not out.is_dir():
        return 0
    for folder, dirs, _files in os.walk(out):
        for name in list(dirs):
            if name.startswith(".") and (STAGING_TAG in name or RETIRED_TAG in name):
                shutil.rmtree(Path(folder) / name, ignore_errors=True)
                dirs.remove(name)
                removed += 1
    for tmp in out.glob(".*.tmp"):  # summary files caught mid-write
        tmp.unlink(missing_ok=True)
    return removed


@contextmanager
def batch_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on OUT so two batches never write the same folder at once."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; concurrent runs into one OUT are the user's call
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError(
                f"another batch is writing to '{out}'; wait for it or choose another --out"
            ) from None
        yield  # the kernel drops the lock when the process ends, even on kill -9


# ---- summary rows -----------------------------------------------------------------------------


@dataclass
class FileRow:
    """One line of summary.csv: what happened to one resume."""

    file: str
    status: Status
    error: str = ""
    output: str = ""
    rewritten: int = 0
    kept: int = 0
    rejected: int = 0
    star_stories: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    sha256: str = ""


SUMMARY_FIELDS = list(FileRow.__dataclass_fields__)


def _row_from_result(row: FileRow, result: CoachingResult) -> FileRow:
    counts = {s: sum(1 for c in result.changes if c.status == s) for s in ("rewritten", "kept")}
    row.rewritten, row.kept = counts["rewritten"], counts["kept"]
    row.rejected = sum(1 for c in result.changes if c.status == "rejected")
    row.star_stories = len(result.star_stories)
    stats = result.stats
    row.llm_calls, row.cache_hits = stats.llm_calls, stats.cache_hits
    row.prompt_tokens, row.completion_tokens = stats.prompt_tokens, stats.completion_tokens
    return row


def one_line(message: str, limit: int = 300) -> str:
    """A message squeezed onto one line, for CSV cells and progress lines."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_message(exc: BaseException) -> str:
    """The user-facing, one-line message of a failure."""
    if isinstance(exc, CoachError):
        return one_line(str(exc))
    if isinstance(exc, MemoryError):
        return "ran out of memory on this file; try it alone with `resume-coach coach`"
    # Other exceptions are bugs; their text may quote resume content, so only the type is shown.
    return f"unexpected error ({type(exc).__name__}); please report it with the file if you can"


# ---- progress ---------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """A redrawn bar with counts and ETA on a terminal; one plain line per file otherwise."""

    def __init__(self, total: int, stream: IO[str] | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = total
        self.counts: dict[str, int] = {"ok": 0, "failed": 0, "skipped": 0}
        self.processed = 0  # files that actually ran (for the ETA)
        self.started = time.monotonic()
        self._lock = threading.Lock()

    @property
    def done(self) -> int:
        """Files finished so far, whatever their status."""
        return sum(self.counts.values())

    def eta(self) -> float | None:
        """Seconds left, from the throughput so far (None before the first processed file)."""
        if not self.processed:
            return None
        rate = self.processed / max(time.monotonic() - self.started, 1e-6)
        return (self.total - self.done) / rate

    def skipped(self, count: int) -> None:
        """Count files skipped up front because a finished output matches."""
        with self._lock:
            self.counts["skipped"] += count
            if count:
                self._line(f"skipped {count} finished file(s) with the same content and settings")
            self._draw()

    def update(self, row: FileRow) -> None:
        """Record one finished file and redraw."""
        with self._lock:
            self.counts[row.status] += 1
            self.processed += 1
            eta = self.eta()
            left = f", ETA {_clock(eta)}" if eta is not None and self.done < self.total else ""
            what = f"{row.status:<6} {row.file} ({row.seconds:.1f} s{left})"
            if row.error:
                what += f": {row.error}"
            if not self.tty:
                self._line(f"[{self.done}/{self.total}] {what}")
            elif row.status == "failed":
                self._line(f"failed {row.file}: {row.error}")
            self._draw()

    def tick(self) -> None:
        """Redraw the bar so its clock moves while a slow file runs."""
        with self._lock:
            self._draw()

    def close(self) -> None:
        """End the bar's line."""
        with self._lock:
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()

    def note(self, text: str) -> None:
        """Print a message line without breaking the bar."""
        with self._lock:
            self._line(text)
            self._draw()

    def _line(self, text: str) -> None:
        prefix = "\r\033[K" if self.tty else ""
        self.stream.write(f"{prefix}{text}\n")
        self.stream.flush()

    def _draw(self) -> None:
        if not self.tty:
            return
        width = 24
        filled = width * self.done // max(self.total, 1)
        eta = self.eta()
        c = self.counts
        text = (
            f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} "
            f"ok {c['ok']} failed {c['failed']} skipped {c['skipped']} "
            f"| {_clock(time.monotonic() - self.started)}"
            + (f" ETA {_clock(eta)}" if eta is not None and self.done < self.total else "")
        )
        self.stream.write(f"\r\033[K{text}")
        self.stream.flush()


# ---- the batch --------------------------------------------------------------------------------


@dataclass
class BatchReport:
    """What a batch run did: one row per file, plus where the summaries are."""

    rows: list[FileRow]
    settings: dict[str, Any]
    seconds: float
    interrupted: bool = False
    summary_files: list[Path] = field(default_factory=list)

    def count(self, status: Status) -> int:
        """How many files ended with this status."""
        return sum(1 for row in self.rows if row.status == status)

    @property
    def exit_code(self) -> int:
        """0 when every file is ok or skipped, 1 when any failed."""
        return 1 if self.count("failed") else 0


@dataclass(frozen=True)
class _Job:
    rel: Path
    final: Path


def model_failures(result: CoachingResult) -> list:
    """Changes that kept their original only because a model call failed (worth a retry)."""
    return [
        change
        for change in result.changes
        if change.status == "kept" and (change.reason or "").startswith("model call failed")
    ]


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The `.done` marker of an output folder, or None when absent or unreadable."""
    try:
        data = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _finished_row(job: _Job, source: Path, out: Path, settings: dict[str, Any]) -> FileRow | None:
    """A skipped row when a finished output matches this file's bytes and the settings."""
    marker = read_marker(job.final)
    if marker is None or marker.get("settings") != settings or not marker.get("complete", True):
        return None
    try:
        digest = _sha256((source / job.rel).read_bytes())
    except OSError:
        return None
    if marker.get("sha256") != digest:
        return None
    previous = marker.get("row") or {}
    # Change counts describe the output on disk; time and tokens are this run's (none).
    return FileRow(
        file=job.rel.as_posix(),
        status="skipped",
        output=job.final.relative_to(out).as_posix(),
        rewritten=int(previous.get("rewritten", 0)),
        kept=int(previous.get("kept", 0)),
        rejected=int(previous.get("rejected", 0)),
        star_stories=int(previous.get("star_stories", 0)),
        sha256=digest,
    )


def _default_writer(result: CoachingResult, out_dir: Path, source: bytes) -> Any:
    from coach.export import write_outputs

    return write_outputs(result, out_dir, source)


class _FailedCalls:
    """The per-file client, noting each model call that failed for good.

    A failed STAR story call leaves no change behind (the story falls back to placeholders),
    so the changes alone cannot tell whether a file needs a rerun.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.reasons: list[str] = []

    def complete(self, *args: Any, **kwargs: Any) -> Any:
        """The wrapped client's answer, noting it when the call failed."""
        try:
            answer = self._client.complete(*args, **kwargs)
        except CoachError:
            raise  # stops the run with its own message
        except Exception as exc:
            self.reasons.append(f"model call failed: {type(exc).__name__}")
            raise
        if "model call failed" in (getattr(answer, "error", None) or ""):
            self.reasons.append(answer.error)
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def _per_file_client(shared: Any) -> Any:
    """A view of the shared client with its own usage counters, so rows count per file.

    The chat model (for the embedded provider, the one loaded llama), the disk cache and the
    limit on model calls in flight stay shared across files.
    """
    fork = getattr(shared, "fork", None)
    return fork() if callable(fork) else shared


@dataclass
class BatchRunner:
    """Runs one batch: discovery, skip check, bounded parallel work, summaries."""

    source: Path
    out: Path
    options: CoachOptions
    request: dict[str, Any]  # provider_request(): which provider and model were asked for
    make_client: Callable[[], Any]
    concurrency: int = 1
    process: ProcessFn = process_resume
    write: WriteFn = _default_writer
    progress_stream: IO[str] | None = None
    tty: bool | None = None
    _client: Any = field(default=None, init=False)
    _client_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _stop_reason: str = field(default="", init=False)

    def run(self) -> BatchReport:
        """Process every resume under `source`; never raises for one file's failure."""
        if not self.source.is_dir():
            raise InputError(f"'{self.source}' is not a folder; give the folder of resumes")
        started = time.monotonic()
        self.out.mkdir(parents=True, exist_ok=True)
        settings = settings_fingerprint(self.options, self.request)
        with batch_lock(self.out):
            clean_leftovers(self.out)
            rels = find_resumes(self.source, self.out)
            if not rels:
                raise InputError(
                    f"no PDF, DOCX, TXT or MD files found under '{self.source}'; check the folder"
                )
            jobs = [_Job(rel, output_dir_for(self.out, rel)) for rel in rels]
            rows: dict[Path, FileRow] = {}
            todo: list[_Job] = []
            for job in jobs:
                if (row := _finished_row(job, self.source, self.out, settings)) is not None:
                    rows[job.rel] = row
                else:
                    todo.append(job)
            if todo:
                # Built before any work, so a bad key or model is one user error, not N failures.
                self._shared_client()
            progress = Progress(len(jobs), self.progress_stream, self.tty)
            progress.skipped(len(rows))
            interrupted = False
            try:
                self._run_jobs(todo, settings, rows, progress)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                progress.close()
            if interrupted:
                print(
                    "interrupted: run the same command again to finish the batch "
                    "(finished files are kept and skipped)",
                    file=progress.stream,
                )
            for job in todo:  # files never started (interrupt, or the provider gave up)
                rows.setdefault(job.rel, self._not_run(job, interrupted))
            report = BatchReport(
                rows=[rows[job.rel] for job in jobs],
                settings=settings,
                seconds=round(time.monotonic() - started, 3),
                interrupted=interrupted,
            )
            report.summary_files = write_summaries(self.out, report)
        if interrupted:
            raise KeyboardInterrupt
        return report

    def _not_run(self, job: _Job, interrupted: bool) -> FileRow:
        if interrupted:
            why = "interrupted before this file finished; run the same command again to finish"
        else:
            why = f"not processed: {self._stop_reason}"
        return FileRow(file=job.rel.as_posix(), status="failed", error=why)

    def _run_jobs(
        self,
        todo: list[_Job],
        settings: dict[str, Any],
        rows: dict[Path, FileRow],
        progress: Progress,
    ) -> None:
        if not todo:
            return
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="batch")
        pending: dict[Future[FileRow | None], _Job] = {}
        try:
            for job in todo:
                pending[pool.submit(self._one, job, settings)] = job
            while pending:
                finished, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                self._collect(finished, pending, rows, progress)
                progress.tick()
        except KeyboardInterrupt:
            # Drop queued files; files in flight finish (they publish whole or not at all).
            self._stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            running = [f for f in pending if not f.cancelled()]
            if running:
                progress.note(
                    f"interrupted: finishing {len(running)} file(s) in progress "
                    "(Ctrl-C again to stop now)"
                )
            try:
                wait(running)
                self._collect(running, pending, rows, progress)
            except KeyboardInterrupt:
                pass  # a second Ctrl-C: leave now; unfinished files simply rerun next time
            raise
        finally:
            pool.shutdown(wait=not self._stop.is_set(), cancel_futures=True)

    @staticmethod
    def _collect(
        finished: Any,
        pending: dict[Future[FileRow | None], _Job],
        rows: dict[Path, FileRow],
        progress: Progress,
    ) -> None:
        for future in finished:
            job = pending.pop(future)
            if future.cancelled():
                continue
            # _one catches everything except BaseExceptions like KeyboardInterrupt.
            row = future.result()
            if row is not None:
                rows[job.rel] = row
                progress.update(row)

    def _shared_client(self) -> Any:
        # Built on first need, so a rerun with nothing to do never loads a model.
        with self._client_lock:
            if self._client is None:
                self._client = self.make_client()
            return self._client

    def _one(self, job: _Job, settings: dict[str, Any]) -> FileRow | None:
        """Process and publish one file; every failure becomes a failed row."""
        if self._stop.is_set():
            return None
        started = time.monotonic()
        row = FileRow(file=job.rel.as_posix(), status="failed")
        try:
            path = self.source / job.rel
            if path.stat().st_size > max_file_bytes():
                raise InputError(
                    f"file is larger than {max_file_bytes() // (1024 * 1024)} MB; "
                    "shorten it or raise RESUME_COACH_MAX_FILE_MB"
                )
            data = path.read_bytes()
            row.sha256 = _sha256(data)
            client = _FailedCalls(_per_file_client(self._shared_client()))
            result = self.process(data, self.options, client)
            _row_from_result(row, result)
            failed_calls = model_failures(result)
            unfinished = bool(failed_calls or client.reasons)
            row.status = "failed" if unfinished else "ok"
            # The outputs are still useful, but the file is not finished: no done marker
            # is trusted for it, so a rerun retries (the answers that worked are cached).
            if failed_calls:
                row.error = one_line(
                    f"{len(failed_calls)} change(s) kept their original text because the model "
                    f"call failed ({failed_calls[0].reason}); run the batch again to retry them"
                )
            elif client.reasons:
                row.error = one_line(
                    f"{len(client.reasons)} model call(s) failed ({client.reasons[0]}), so part "
                    "of the output (such as STAR stories) kept placeholders or the original "
                    "text; run the batch again to retry them"
                )
            row.output = job.final.relative_to(self.out).as_posix()
            row.seconds = round(time.monotonic() - started, 3)
            self._publish(job, result, data, settings, row, complete=not unfinished)
        except ProviderError as exc:
            # The provider refuses every call (bad key, unknown model): stop scheduling more.
            row.status, row.output, row.error = "failed", "", error_message(exc)
            self._stop_reason = row.error
            self._stop.set()
        except OSError as exc:
            row.status, row.output = "failed", ""
            row.error = one_line(f"cannot read or write a file ({exc.strerror or exc})")
        except Exception as exc:  # noqa: BLE001 - one file's failure never stops the batch
            row.status, row.output, row.error = "failed", "", error_message(exc)
        row.seconds = round(time.monotonic() - started, 3)
        return row

    def _publish(
        self,
        job: _Job,
        result: CoachingResult,
        data: bytes,
        settings: dict[str, Any],
        row: FileRow,
        *,
        complete: bool = True,
    ) -> None:
        job.final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=job.final.parent, prefix=f".{job.final.name}{STAGING_TAG}")
        )
        try:
            self.write(result, staging, data)
            marker = {
                "sha256": row.sha256,
                "settings": settings,
                "complete": complete,
                "row": asdict(row),
            }
            write_atomic(staging / DONE_MARKER, json.dumps(marker, indent=2).encode())
            publish_dir(staging, job.final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


# ---- summaries --------------------------------------------------------------------------------


def totals(rows: list[FileRow]) -> dict[str, Any]:
    """Counts and sums over all rows."""
    sums = {
        key: sum(getattr(row, key) for row in rows)
        for key in (
            "rewritten",
            "kept",
            "rejected",
            "star_stories",
            "llm_calls",
            "prompt_tokens",
            "completion_tokens",
            "cache_hits",
        )
    }
    statuses = {s: sum(1 for row in rows if row.status == s) for s in ("ok", "failed", "skipped")}
    return {"files": len(rows), **statuses, **sums}


def write_summaries(out: Path, report: BatchReport) -> list[Path]:
    """Write summary.csv and summary.json atomically; return their paths."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        writer.writerow(asdict(row))
    doc = {
        "settings": report.settings,
        "seconds": report.seconds,
        "interrupted": report.interrupted,
        "totals": totals(report.rows),
        "files": [asdict(row) for row in report.rows],
    }
    csv_path, json_path = out / SUMMARY_CSV, out / SUMMARY_JSON
    write_atomic(csv_path, buffer.getvalue().encode("utf-8"))
    write_atomic(json_path, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())
    return [csv_path, json_path]


def run_batch(
    source: Path,
    out: Path,
    options: CoachOptions,
    *,
    provider_overrides: dict[str, Any] | None = None,
    concurrency: int = 1,
    progress_stream: IO[str] | None = None,
) -> BatchReport:
    """The `resume-coach batch` command: settings from the environment and flags, then run."""
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise InputError(f"--concurrency must be between 1 and {MAX_CONCURRENCY}")
    stream = progress_stream or sys.stderr
    overrides = provider_overrides or {}

    def make_client() -> Any:
        # Imported only when a file needs the model: a finished batch reruns in a blink.
        from coach.llm import LLMClient, ProviderSettings

        # N resumes in parallel and at most N model calls in flight in all (one shared
        # limit), so concurrency 1 is a strictly sequential run.
        settings = ProviderSettings.from_env(**overrides, concurrency=concurrency)
        print(f"batch: provider {settings.describe()}, concurrency {concurrency}", file=stream)
        return LLMClient.from_settings(settings)

    runner = BatchRunner(
        source=source,
        out=out,
        options=options,
        request=provider_request(overrides),
        make_client=make_client,
        concurrency=concurrency,
        progress_stream=stream,
    )
    report = runner.run()
    print(
        f"done in {report.seconds:.1f} s: {report.count('ok')} ok, {report.count('failed')} "
        f"failed, {report.count('skipped')} skipped; summary: {out / SUMMARY_CSV}",
        file=stream,
    )
    return report
