"""Batch throughput against a fake OpenAI-compatible server on loopback, and a rerun's cost.

Starts bench/fake_openai_server.py on a free 127.0.0.1 port (fixed delay per answer), copies
the sample resumes into a temp folder of N files, then runs `resume-coach batch --provider
openai` at concurrency 1 and 8 (fresh output folder and no answer cache each time), and finally
reruns a finished batch. Reports medians of --runs runs. Everything stops by itself.

    .venv/bin/python bench/batch_throughput.py [--files 20] [--delay 0.2] [--runs 3]

Targets (issue 5): files/s at concurrency 8 >= 5x concurrency 1; a rerun of a finished batch
<= 2 s with 0 model calls.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_resumes"
TARGET_ROLE = "AI Project Manager"
RUN_TIMEOUT_S = 900  # one batch run; the whole benchmark is bounded by these


def start_server(delay: float) -> tuple[subprocess.Popen[str], str]:
    """Start the fake server on a free loopback port; return it and its base URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "fake_openai_server.py"),
            "--port",
            "0",
            "--delay",
            str(delay),
            "--max-seconds",
            "3600",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("listening "):
        proc.kill()
        raise SystemExit("the fake server did not start")
    return proc, line.split()[1]


def server_requests(base_url: str) -> int:
    """Requests the fake server has answered so far."""
    with urllib.request.urlopen(f"{base_url}/stats", timeout=5) as response:  # loopback only
        return int(json.load(response)["requests"])


def make_corpus(folder: Path, count: int) -> list[Path]:
    """`count` resumes: the PDF and DOCX samples, copied into sub-folders as needed."""
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".docx"})
    files = []
    for i in range(count):
        sample = samples[i % len(samples)]
        dest = folder / f"team-{i // len(samples)}" / sample.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample, dest)
        files.append(dest)
    return files


def run_batch(
    corpus: Path, out: Path, concurrency: int, env: dict[str, str]
) -> dict[str, float | int]:
    """One `resume-coach batch` process; wall time, the batch's own time and its model calls."""
    cmd = [
        sys.executable,
        "-m",
        "coach.cli",
        "batch",
        str(corpus),
        "--target",
        TARGET_ROLE,
        "--out",
        str(out),
        "--provider",
        "openai",
        "--concurrency",
        str(concurrency),
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"batch exited with {done.returncode}")
    summary = json.loads((out / "summary.json").read_text())
    totals = summary["totals"]
    return {
        "wall_s": wall,
        "batch_s": float(summary["seconds"]),
        "ok": totals["ok"],
        "skipped": totals["skipped"],
        "llm_calls": totals["llm_calls"],
    }


def main() -> int:
    """Run the benchmark and print a Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="server seconds per answer")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs=2, default=[1, 8], metavar=("LOW", "HIGH"))
    args = parser.parse_args()

    server, base_url = start_server(args.delay)
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        corpus = work / "resumes"
        make_corpus(corpus, args.files)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "OPENAI_BASE_URL": base_url,
            "OPENAI_API_KEY": "sk-test-not-secret",
            "RESUME_COACH_NO_CACHE": "1",  # every run really calls the server
            "RESUME_COACH_CACHE_DIR": str(work / "cache"),
        }
        results: dict[int, list[dict[str, float | int]]] = {}
        last_out = work / "out"
        for run in range(args.runs):
            for concurrency in args.concurrency:
                out = work / f"out-c{concurrency}-{run}"
                row = run_batch(corpus, out, concurrency, env)
                results.setdefault(concurrency, []).append(row)
                print(f"run {run + 1} concurrency {concurrency}: {row}", file=sys.stderr)
                last_out = out
        reruns = []
        for _ in range(args.runs):
            before = server_requests(base_url)
            row = run_batch(corpus, last_out, args.concurrency[1], env)
            row["server_requests"] = server_requests(base_url) - before
            reruns.append(row)
            print(f"rerun: {row}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    def median(rows: list[dict[str, float | int]], key: str) -> float:
        return statistics.median(float(r[key]) for r in rows)

    low, high = args.concurrency
    print(f"## Batch throughput ({args.files} resumes, fake server delay {args.delay} s)\n")
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"Median of {args.runs} runs; files/s from the batch's own time (process start excluded).\n"
    )
    print("| concurrency | batch s | wall s | files/s | model calls |")
    print("|---|---|---|---|---|")
    rate = {}
    for c in (low, high):
        rate[c] = args.files / median(results[c], "batch_s")
        print(
            f"| {c} | {median(results[c], 'batch_s'):.2f} | {median(results[c], 'wall_s'):.2f} "
            f"| {rate[c]:.2f} | {median(results[c], 'llm_calls'):.0f} |"
        )
    ratio = rate[high] / rate[low]
    print(f"\nSpeed-up at concurrency {high} vs {low}: {ratio:.1f}x (target >= 5x)")
    wall = median(reruns, "wall_s")
    calls = max(int(r["llm_calls"]) + int(r["server_requests"]) for r in reruns)
    print(
        f"Rerun of the finished batch: {wall:.2f} s wall ({median(reruns, 'batch_s'):.2f} s in "
        f"the batch), {calls} model calls (target <= 2 s, 0 calls)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
