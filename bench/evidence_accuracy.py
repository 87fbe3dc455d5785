"""Top-1 agreement of the evidence step with human labels (tests/fixtures/evidence_labels.json).

Run: .venv/bin/python bench/evidence_accuracy.py [-v]
The "test" rows are held out: keywords were tuned on the "train" rows only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from coach.evidence import match_skills
from coach.guides import get_guide

LABELS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "evidence_labels.json"


def agreement(rows: list[dict], verbose: bool = False) -> float:
    """Share of rows whose top-ranked skill equals the human label."""
    hits = 0
    for row in rows:
        matches = match_skills(row["text"], get_guide(row["guide"]))
        top = matches[0].name if matches else None
        hits += top == row["label"]
        if verbose and top != row["label"]:
            print(f"  miss: {row['text']!r}\n    label={row['label']} got={top} {matches[:2]}")
    return hits / len(rows)


def main() -> None:
    """Print top-1 agreement on the train and held-out test parts."""
    rows = json.loads(LABELS.read_text(encoding="utf-8"))
    verbose = "-v" in sys.argv
    for split in ("train", "test"):
        part = [r for r in rows if r["split"] == split]
        print(f"{split}: {agreement(part, verbose):.1%} top-1 agreement on {len(part)} bullets")


if __name__ == "__main__":
    main()
