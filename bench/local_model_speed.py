"""Speed of the embedded model on rewrite-style prompts: load time, latency, tokens/s, peak RSS.

Usage: .venv/bin/python bench/local_model_speed.py [--model-path GGUF] [--max-tokens N]
                                                    [--threads N] [--runs N]

Each prompt has a system instruction, two worked examples and one synthetic bullet, like the
bullet-rewrite chain. Calls go through the factory's LocalLlamaChat, so the figures include our
adapter. Prints one JSON object; with --runs N, the medians over N fresh processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from coach.llm import ProviderSettings, build_chat_model
from coach.llm_local import LocalLlamaChat

SYSTEM = (
    "You rewrite one resume bullet for a career changer. Start with a strong verb, "
    "show the transferable skill, keep every fact, add nothing. Reply with the bullet only."
)
EXAMPLES = [
    (
        "Skill: stakeholder communication\nBullet: sent status emails to the client every week",
        "Kept the client informed with weekly status updates on scope, risks and progress.",
    ),
    (
        "Skill: risk management\nBullet: fixed bugs found late in testing before release",
        "Resolved late-stage defects before release, protecting the launch date.",
    ),
]
BULLETS = [
    ("planning", "made the sprint plan with the team each two weeks"),
    ("stakeholder communication", "presented demo of new feature to sales team"),
    ("data analysis", "looked at support tickets to find the most common problems"),
    ("process improvement", "set up automated tests for the billing service"),
    ("team leadership", "helped two new developers get started on the codebase"),
    ("risk management", "tracked open issues before each release"),
    ("vendor management", "worked with the cloud vendor on a billing problem"),
    ("requirements gathering", "talked to users to understand what the report should show"),
    ("budgeting", "kept the cloud costs of the test environment under the monthly limit"),
    ("cross-functional collaboration", "worked with design and QA on the checkout redesign"),
]


def prompt_for(skill: str, bullet: str) -> list[BaseMessage]:
    """System prompt, two worked examples, then the bullet to rewrite."""
    messages: list[BaseMessage] = [SystemMessage(SYSTEM)]
    for question, answer in EXAMPLES:
        messages += [HumanMessage(question), AIMessage(answer)]
    messages.append(HumanMessage(f"Skill: {skill}\nBullet: {bullet}"))
    return messages


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_medians(args: argparse.Namespace) -> int:
    """Run this script `args.runs` times in fresh processes and print each figure's median."""
    argv = ["--max-tokens", str(args.max_tokens)]
    if args.model_path:
        argv += ["--model-path", str(args.model_path)]
    if args.threads:
        argv += ["--threads", str(args.threads)]
    results = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, __file__, *argv], capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout))
    figures: dict[str, object] = {"runs": args.runs}
    for key, value in results[0].items():
        numbers = [r[key] for r in results]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        figures[key] = round(statistics.median(numbers), 3) if numeric else value
    figures["median_latency_s_each_run"] = [r["median_latency_s"] for r in results]
    figures["load_average_1m_after"] = os.getloadavg()[0]
    json.dump(figures, sys.stdout, indent=2)
    print()
    return 0


def main() -> int:
    """Run the benchmark once and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-path", type=Path, default=None)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=None, help="default: all cores")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes; medians reported")
    args = parser.parse_args()
    if args.runs > 1:
        return report_medians(args)

    settings = ProviderSettings(
        provider="local",
        model_path=args.model_path,
        max_tokens=args.max_tokens,
        n_threads=args.threads,
        use_cache=False,
    )
    model = build_chat_model(settings)
    assert isinstance(model, LocalLlamaChat)
    start = time.perf_counter()
    model.load()
    load_s = time.perf_counter() - start

    latencies, out_tokens, in_tokens = [], 0, 0
    for skill, bullet in BULLETS:
        start = time.perf_counter()
        message = model.invoke(prompt_for(skill, bullet))
        latencies.append(time.perf_counter() - start)
        usage = message.usage_metadata or {}
        in_tokens += usage.get("input_tokens", 0)
        out_tokens += usage.get("output_tokens", 0)

    figures = {
        "model": settings.model_name(),
        "cpus": os.cpu_count(),
        "threads": model.n_threads,
        "machine": platform.machine(),
        "load_s": round(load_s, 3),
        "prompts": len(BULLETS),
        # The first call evaluates the whole prompt; later ones reuse the shared prefix
        # (system prompt and examples) from llama.cpp's context.
        "first_latency_s": round(latencies[0], 3),
        "median_latency_s": round(statistics.median(latencies), 3),
        "max_latency_s": round(max(latencies), 3),
        "mean_prompt_tokens": round(in_tokens / len(BULLETS), 1),
        "mean_completion_tokens": round(out_tokens / len(BULLETS), 1),
        "completion_tokens_per_s": round(out_tokens / sum(latencies), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "sample_answer": message.text.strip(),
    }
    json.dump(figures, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
