"""Parser accuracy: field precision / recall / F1 over the synthetic corpus and the samples.

Usage: python bench/parse_accuracy.py [--verbose] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.parse import parse_file  # noqa: E402
from coach.scoring import FIELDS, Score, score_resume  # noqa: E402


def corpus_cases() -> list[tuple[Path, Path]]:
    """(resume file, truth file) pairs: the parse corpus plus every sample resume format."""
    cases = []
    corpus = ROOT / "tests" / "fixtures" / "corpus"
    for truth in sorted(corpus.glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        cases += [(f, truth) for f in sorted(corpus.glob(f"{stem}.*")) if f != truth]
    for truth in sorted((ROOT / "tests" / "fixtures" / "sample_truth").glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        for ext in ("pdf", "docx"):
            resume = ROOT / "sample_resumes" / f"{stem}.{ext}"
            if resume.exists():
                cases.append((resume, truth))
    return cases


def evaluate(cases: list[tuple[Path, Path]], verbose: bool = False) -> Score:
    """Parse every case and add up its field counts."""
    total = Score()
    for resume_path, truth_path in cases:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        parsed = parse_file(resume_path).resume
        score = score_resume(parsed, truth)
        total.add(score)
        if verbose:
            bad = [n for n, c in score.fields.items() if c.fp or c.fn]
            print(f"{resume_path.name:45s} F1={score.overall.f1:.3f} misses: {', '.join(bad)}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    cases = [c for c in corpus_cases() if args.only in c[0].name]
    total = evaluate(cases, args.verbose)
    print(f"\n{len(cases)} files")
    print(f"{'field':14s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for name in FIELDS:
        c = total.fields[name]
        print(f"{name:14s} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f}")
    o = total.overall
    print(f"{'overall':14s} {o.precision:9.3f} {o.recall:7.3f} {o.f1:6.3f}")


if __name__ == "__main__":
    main()
