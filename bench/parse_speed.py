"""Parser speed: in-process ms per page for text PDFs, and `resume-coach parse` as a process.

Usage: python bench/parse_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
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
    """Every text PDF we ship: the samples and the parse corpus."""
    return sorted((ROOT / "sample_resumes").glob("*.pdf")) + sorted(
        (ROOT / "tests" / "fixtures" / "corpus").glob("*.pdf")
    )


def in_process_ms_per_page(runs: int) -> list[float]:
    """Median over `runs` of (total parse time / total pages) across every PDF."""
    blobs = [p.read_bytes() for p in pdf_files()]
    pages = sum(ingest(b).pages for b in blobs)
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        for blob in blobs:
            parse_bytes(blob)
        results.append((time.perf_counter() - start) * 1000 / pages)
    return results


def process_seconds(runs: int) -> list[float]:
    """Wall time of the whole `resume-coach parse FILE` command."""
    sample = pdf_files()[0]
    exe = Path(sys.executable).with_name("resume-coach")
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "parse", str(sample)], check=True, capture_output=True)
        results.append(time.perf_counter() - start)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    per_page = in_process_ms_per_page(args.runs)
    whole = process_seconds(args.runs)
    print(f"PDFs: {len(pdf_files())}, runs: {args.runs}")
    print(f"in-process parse, ms per page: median {statistics.median(per_page):.1f}")
    print(f"`resume-coach parse` process, s: median {statistics.median(whole):.3f}")


if __name__ == "__main__":
    main()
