"""End-to-end speed of `coach` with the embedded model: median seconds and peak memory.

Usage: .venv/bin/python bench/coach_speed.py [--runs 3] [--file sample_resumes/...pdf]

Each run is a fresh process (`resume-coach coach ... --provider local`) with the model cache
off, so every run loads the model and makes every call: the figure a first-time user sees.
Peak RSS is the child's maxrss. Targets: <= 20 s median, <= 1.5 GB. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "sample_resumes" / "alex-rivera-software-engineer.pdf"


def one_run(file: Path, target: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `coach` run in a child process."""
    cli = Path(sys.executable).with_name("resume-coach")
    env = {**os.environ, "RESUME_COACH_NO_CACHE": "1"}
    with tempfile.TemporaryDirectory() as out:
        cmd = [str(cli), "coach", str(file), "--target", target, "--provider", "local"]
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--out", out],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, usage_status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        err = proc.stderr.read() if proc.stderr else ""
        if os.waitstatus_to_exitcode(usage_status) != 0:
            raise SystemExit(f"coach failed:\n{err}")
    # ru_maxrss is in KiB on Linux.
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    """Run `coach` several times and print the median time and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--target", default="AI Project Manager")
    args = parser.parse_args()
    runs = [one_run(args.file, args.target) for _ in range(args.runs)]
    seconds = [s for s, _ in runs]
    report = {
        "file": args.file.name,
        "runs": len(runs),
        "seconds": [round(s, 1) for s in seconds],
        "median_s": round(statistics.median(seconds), 1),
        "peak_rss_mb": round(max(m for _, m in runs)),
        "targets": {"median_s": 20, "peak_rss_mb": 1536},
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
