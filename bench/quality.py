"""Rewrite quality of the embedded model over every sample resume.

Usage: .venv/bin/python bench/quality.py [--target "AI Project Manager"] [--ext pdf] [--cache]

For each sample resume: how many generated texts were rewritten / kept / rejected, and how many
fabrications (numbers, names, tools not in the original resume) are left in the final output
(rewritten resume + STAR stories; must be 0). Prints one JSON object with the totals, the rewrite
rate and five before/after examples. The cache is off unless --cache is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from coach.export import resume_to_markdown
from coach.guard import find_fabrications
from coach.llm import LLMClient, ProviderSettings
from coach.models import CoachingResult, CoachOptions
from coach.pipeline import run_coaching

SAMPLES = Path(__file__).resolve().parent.parent / "sample_resumes"


def final_text(result: CoachingResult) -> str:
    """Everything the user takes away: the rewritten resume and the STAR stories."""
    stories = [" ".join([s.situation, s.task, s.action, s.result]) for s in result.star_stories]
    return "\n".join([resume_to_markdown(result.rewritten), *stories])


def measure(path: Path, target: str, client: LLMClient) -> tuple[dict, CoachingResult]:
    """Counts and fabrications for one resume."""
    started = time.perf_counter()
    result = run_coaching(path.read_bytes(), CoachOptions(target_role=target), client)
    counts = Counter(c.status for c in result.changes if c.path != "skills")
    bullets = Counter(c.status for c in result.changes if ".highlights[" in c.path)
    fabrications = find_fabrications(
        resume_to_markdown(result.resume), final_text(result), allowed_terms=[target]
    )
    row = {
        "file": path.name,
        "guide": result.guide,
        "changes": dict(counts),
        "bullets": dict(bullets),
        "stories": len(result.star_stories),
        "stories_from_a_rewrite": _stories_from_rewrites(result),
        "reasons": dict(Counter(_reason(c.reason) for c in result.changes if c.reason)),
        "fabrications": fabrications,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return row, result


def _stories_from_rewrites(result: CoachingResult) -> int:
    """STAR stories whose action comes from a bullet the model rewrote (and the guard passed)."""
    rewritten = {c.path for c in result.changes if c.status == "rewritten"}
    return sum(1 for story in result.star_stories if set(story.sources) & rewritten)


def _reason(reason: str) -> str:
    """The kind of a keep/reject reason, without the bullet-specific details."""
    return reason.split(":")[0].split("(")[0].strip()


def main() -> int:
    """Run the bench and print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="AI Project Manager")
    parser.add_argument("--ext", default="pdf", help="which sample files: pdf, docx or all")
    parser.add_argument("--cache", action="store_true", help="use the on-disk model cache")
    parser.add_argument("--model-path", help="another GGUF file (default: the embedded model)")
    parser.add_argument("files", nargs="*", type=Path, help="resumes (default: every sample)")
    args = parser.parse_args()
    pattern = "*.*" if args.ext == "all" else f"*.{args.ext}"
    files = args.files or sorted(p for p in SAMPLES.glob(pattern) if p.suffix in (".pdf", ".docx"))
    settings = ProviderSettings.from_env(
        provider="local", model_path=args.model_path, use_cache=args.cache
    )
    client = LLMClient.from_settings(settings)
    rows, examples, totals, bullet_totals = [], [], Counter(), Counter()
    for path in files:
        row, result = measure(path, args.target, client)
        print(json.dumps(row), file=sys.stderr)
        rows.append(row)
        totals.update(row["changes"])
        bullet_totals.update(row["bullets"])
        examples += [
            {"before": c.original, "after": c.rewritten, "skill": c.skill}
            for c in result.changes
            if c.status == "rewritten" and ".highlights[" in c.path
        ][:1]
    bullets = sum(bullet_totals.values())
    report = {
        "model": settings.model_name(),
        "target": args.target,
        "resumes": len(rows),
        "changes": dict(totals),
        "bullets": dict(bullet_totals),
        "bullet_rewrite_rate": round(bullet_totals["rewritten"] / bullets, 3) if bullets else 0,
        "fabrications_in_final_output": sum(len(r["fabrications"]) for r in rows),
        "examples": examples[:5],
        "per_resume": rows,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
