"""Parser accuracy: field precision / recall / F1 over the synthetic corpus and the samples.

Usage: python bench/parse_accuracy.py [--set all|corpus|holdout|samples] [--verbose] [--only TEXT]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.scoring import FIELDS, Score, corpus_cases, score_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="one line per file")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--set", choices=["all", "corpus", "holdout", "samples"], default="all")
    args = parser.parse_args()
    folder = {"corpus": "corpus", "holdout": "holdout", "samples": "sample_resumes"}.get(args.set)
    cases = [
        c
        for c in corpus_cases(ROOT)
        if args.only in c[0].name and (folder is None or c[0].parent.name == folder)
    ]
    total = Score()
    for resume_path, truth_path in cases:
        score = score_file(resume_path, truth_path)
        total.add(score)
        if args.verbose:
            misses = [name for name, c in score.fields.items() if c.fp or c.fn]
            print(f"{resume_path.name:45s} F1={score.overall.f1:.3f} misses: {', '.join(misses)}")
    print(f"\n{len(cases)} files")
    print(f"{'field':14s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for name in FIELDS:
        c = total.fields[name]
        print(f"{name:14s} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f}")
    o = total.overall
    print(f"{'overall':14s} {o.precision:9.3f} {o.recall:7.3f} {o.f1:6.3f}")


if __name__ == "__main__":
    main()
