"""The coaching run: bytes -> parse -> guide -> evidence -> chains -> guard -> CoachingResult.

`run_coaching` is a pure function of (file bytes, options, client): no global state, so the CLI,
the batch runner and the app all call it the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from coach.chains import ChainContext, run_chains
from coach.gaps import analyze_resume, job_key_terms
from coach.guides import get_guide
from coach.llm import LLMClient
from coach.models import CoachingResult, CoachOptions, RunStats, apply_changes
from coach.parse import parse_bytes

ProgressFn = Callable[[str, float], None]
# Share of the progress bar the model calls take; parsing and matching are quick.
CHAINS_START, CHAINS_END = 0.15, 0.98
# A change's kind as shown in progress lines.
_STAGE_NAMES = {
    "summary": "summary",
    "rewrite": "bullets",
    "star": "STAR stories",
    "skills": "skills",
}


def run_coaching(
    data: bytes,
    options: CoachOptions,
    client: LLMClient,
    *,
    progress: ProgressFn | None = None,
) -> CoachingResult:
    """Coach one resume file end to end; every generated text has passed the guard."""
    started = time.perf_counter()
    report = progress or (lambda _stage, _fraction: None)
    report("parse", 0.0)
    parsed = parse_bytes(data)
    resume = parsed.resume
    report("guide", 0.05)
    analysis = analyze_resume(resume, options.target_role, options.from_role, options.job_text)
    guide = get_guide(analysis.guide) if analysis.guide else None
    report(f"evidence: {len(analysis.evidence)} bullets", 0.1)
    job_terms = job_key_terms(options.job_text) if options.job_text else []
    ctx = ChainContext.create(client, resume, guide, options.target_role, job_terms)
    skills = [s.name for s in analysis.gaps.evidenced]
    counts: dict[str, int] = {}

    def on_done(kind: str, done: int, total: int) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        share = CHAINS_START + (CHAINS_END - CHAINS_START) * done / max(total, 1)
        report(f"{_STAGE_NAMES.get(kind, kind)} {counts[kind]} ({done}/{total} model tasks)", share)

    output = run_chains(
        ctx, analysis.evidence, skills, max_stories=options.max_stories, progress=on_done
    )
    warnings = list(parsed.warnings)
    if parsed.hidden_text:
        warnings.append(
            f"{len(parsed.hidden_text)} piece(s) of hidden text (white, tiny or off-page) found: "
            "applicant tracking systems may see text a reader cannot; remove it"
        )
    if guide is None or analysis.guide_is_closest:
        warnings.append(analysis.guide_note)
    stats = RunStats(**client.stats(), seconds=round(time.perf_counter() - started, 2))
    report("done", 1.0)
    return CoachingResult(
        resume=resume,
        rewritten=apply_changes(resume, output.changes),
        guide=analysis.guide,
        target_role=options.target_role,
        current_role=analysis.current_role,
        source_kind=parsed.kind,
        changes=output.changes,
        star_stories=output.star_stories,
        gaps=analysis.gaps,
        evidence=analysis.evidence,
        warnings=warnings,
        hidden_text=parsed.hidden_text,
        stats=stats,
    )
