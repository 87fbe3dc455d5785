"""Parser speed: in-process ms per page for text PDFs, and `resume-coach parse` as a process.

Usage: python bench/parse_speed.py [--runs N]

Wall time and CPU time are both reported: on a shared machine the CPU time is the steadier
figure, the wall time is what a user waits.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.ingest import ingest  # noqa: E402
from coach.parse import parse_bytes  # noqa: E402


def pdf_files() -> list[Path]:
    """Every text PDF we ship: the samples and both parse corpora."""
    fixtures = ROOT / "tests" / "fixtures"
    return sorted(
        [*(ROOT / "sample_resumes").glob("*.pdf"), *fixtures.glob("corpus/*.pdf")]
        + [*fixtures.glob("holdout/*.pdf")]
    )


def in_process_ms_per_page(runs: int) -> tuple[list[float], list[float]]:
    """(wall, cpu) ms per page of parse_bytes over every PDF, one figure per run."""
    blobs = [p.read_bytes() for p in pdf_files()]
    pages = sum(ingest(b).pages for b in blobs)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        for blob in blobs:
            parse_bytes(blob)
        wall.append((time.perf_counter() - start) * 1000 / pages)
        cpu.append((time.process_time() - start_cpu) * 1000 / pages)
    return wall, cpu


def process_seconds(runs: int) -> tuple[list[float], list[float]]:
    """(wall, cpu) seconds of the whole `resume-coach parse FILE` command on a 2-page resume."""
    sample = ROOT / "sample_resumes" / "alex-rivera-software-engineer.pdf"
    exe = Path(sys.executable).with_name("resume-coach")
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([str(exe), "parse", str(sample)], check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    page_wall, page_cpu = in_process_ms_per_page(args.runs)
    proc_wall, proc_cpu = process_seconds(args.runs)
    med = statistics.median
    print(f"PDFs: {len(pdf_files())}, runs: {args.runs}, load average at start: {load:.1f}")
    print(f"in-process parse, ms per page: wall {med(page_wall):.1f}, cpu {med(page_cpu):.1f}")
    print(f"`resume-coach parse` process, s: wall {med(proc_wall):.3f}, cpu {med(proc_cpu):.3f}")


if __name__ == "__main__":
    main()
