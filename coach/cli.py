"""Command line: `resume-coach parse|analyze|coach|batch|guides`.

Heavy libraries (LangChain, llama.cpp, Streamlit) are imported inside the commands that
need them, so `parse` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from coach.errors import CoachError


def _cmd_parse(args: argparse.Namespace) -> int:
    from coach.parse import parse_file

    result = parse_file(Path(args.file))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "md":
        from coach.export import resume_to_markdown  # only this view needs the export module

        print(resume_to_markdown(result.resume))
    else:
        print(json.dumps(result.resume.to_json_dict(), indent=2, ensure_ascii=False))
    return 0


def _read_text(path: str, what: str) -> str:
    from coach.errors import InputError

    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        msg = f"cannot read the {what} '{path}' ({exc.strerror}); check the path"
        raise InputError(msg) from exc


def _cmd_guides_list(args: argparse.Namespace) -> int:
    from coach.guides import list_guides

    for guide in list_guides():
        print(f"{guide.id}\t{guide.from_role} -> {guide.to_role}")
    return 0


def _cmd_guides_show(args: argparse.Namespace) -> int:
    from coach.guides import get_guide, guide_to_markdown

    guide = get_guide(args.id)
    if args.format == "md":
        print(guide_to_markdown(guide), end="")
    else:
        print(json.dumps(guide.model_dump(by_alias=True), indent=2, ensure_ascii=False))
    return 0


def _cmd_guides_import(args: argparse.Namespace) -> int:
    from coach.guide_import import import_guide_text
    from coach.guides import save_guide

    guide, missing = import_guide_text(_read_text(args.file, "guide file"), Path(args.file).stem)
    for section in missing:
        print(f"warning: section not found: {section}", file=sys.stderr)
    print(json.dumps(guide.model_dump(by_alias=True), indent=2, ensure_ascii=False))
    if args.save:
        print(f"saved: {save_guide(guide)}", file=sys.stderr)
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from coach.gaps import analysis_to_markdown, analyze_resume
    from coach.parse import parse_file

    job_text = _read_text(args.job, "job description") if args.job else None
    result = parse_file(Path(args.file))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    analysis = analyze_resume(result.resume, args.target, args.from_role, job_text)
    if args.format == "md":
        print(analysis_to_markdown(analysis), end="")
    else:
        print(json.dumps(analysis.model_dump(), indent=2, ensure_ascii=False))
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from coach.batch import run_batch
    from coach.errors import InputError
    from coach.models import CoachOptions

    source = Path(args.dir)
    if not source.is_dir():
        raise InputError(f"'{args.dir}' is not a folder; give the folder that holds the resumes")
    job_text = _read_text(args.job, "job description") if args.job else None
    options = CoachOptions(target_role=args.target, from_role=args.from_role, job_text=job_text)
    overrides = {"provider": args.provider, "model": args.model, "model_path": args.model_path}
    report = run_batch(
        source, Path(args.out), options, provider_overrides=overrides, concurrency=args.concurrency
    )
    return report.exit_code


def _cmd_coach(args: argparse.Namespace) -> int:
    from coach.errors import InputError
    from coach.export import write_outputs
    from coach.llm import LLMClient, ProviderSettings
    from coach.models import CoachOptions
    from coach.pipeline import run_coaching

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read '{args.file}' ({exc.strerror}); check the path") from None
    job_text = _read_text(args.job, "job description") if args.job else None
    settings = ProviderSettings.from_env(
        provider=args.provider, model=args.model, model_path=args.model_path
    )
    print(f"model: {settings.describe()}", file=sys.stderr)
    client = LLMClient.from_settings(settings)
    options = CoachOptions(target_role=args.target, from_role=args.from_role, job_text=job_text)

    def progress(stage: str, fraction: float) -> None:
        print(f"[{fraction:4.0%}] {stage}", file=sys.stderr)

    result = run_coaching(data, options, client, progress=progress)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    out_dir = Path(args.out)
    write_outputs(result, out_dir, data)
    counts = {
        s: sum(c.status == s for c in result.changes) for s in ("rewritten", "kept", "rejected")
    }
    st = result.stats
    print(
        f"{counts['rewritten']} rewritten, {counts['kept']} kept, {counts['rejected']} rejected; "
        f"{len(result.star_stories)} STAR stories; {st.llm_calls} model calls, "
        f"{st.cache_hits} cached, {st.seconds:.1f} s",
        file=sys.stderr,
    )
    print(out_dir)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="resume-coach",
        description="Resume optimizer and career-change coach.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print the parsed resume as JSON Resume")
    p.add_argument("file", help="resume file: PDF, DOCX, TXT or Markdown")
    p.add_argument("--format", choices=["json", "md"], default="json")
    p.set_defaults(handler=_cmd_parse)

    p = sub.add_parser("analyze", help="pick the guide, map bullets to skills, find the gaps")
    p.add_argument("file", help="resume file: PDF, DOCX, TXT or Markdown")
    p.add_argument("--target", required=True, help="the role you want, e.g. 'AI Project Manager'")
    p.add_argument("--from", dest="from_role", help="your current role (default: latest job title)")
    p.add_argument("--job", help="job description as a text file")
    p.add_argument("--format", choices=["json", "md"], default="json")
    p.set_defaults(handler=_cmd_analyze)

    p = sub.add_parser("batch", help="coach every resume under a folder (resumable)")
    p.add_argument("dir", help="folder of resumes (PDF, DOCX, TXT, MD), searched recursively")
    p.add_argument("--target", required=True, help="the role you want, e.g. 'AI Project Manager'")
    p.add_argument("--out", required=True, help="output folder: one sub-folder per resume")
    p.add_argument("--from", dest="from_role", help="current role (default: each latest title)")
    p.add_argument("--job", help="job description as a text file")
    p.add_argument("--concurrency", type=int, default=1, help="resumes in parallel (1-32)")
    p.add_argument("--provider", help="auto (default), local or openai")
    p.add_argument("--model", help="model name for the OpenAI-compatible provider")
    p.add_argument("--model-path", help="GGUF file for the local provider")
    p.set_defaults(handler=_cmd_batch)

    p = sub.add_parser("coach", help="rewrite bullets, summary and STAR stories for a target role")
    p.add_argument("file", help="resume file: PDF, DOCX, TXT or Markdown")
    p.add_argument("--target", required=True, help="the role you want, e.g. 'AI Project Manager'")
    p.add_argument("--from", dest="from_role", help="your current role (default: latest job title)")
    p.add_argument("--job", help="job description as a text file")
    p.add_argument("--out", default="coached", help="output folder (default: ./coached)")
    p.add_argument("--provider", choices=["auto", "local", "openai"], help="default: auto")
    p.add_argument("--model", help="model name for an OpenAI-compatible server")
    p.add_argument("--model-path", help="a GGUF model file for the local provider")
    p.set_defaults(handler=_cmd_coach)

    guides = sub.add_parser("guides", help="list, show or import transition guides")
    gsub = guides.add_subparsers(dest="guides_command", required=True)
    g = gsub.add_parser("list", help="list the available guides")
    g.set_defaults(handler=_cmd_guides_list)
    g = gsub.add_parser("show", help="print one guide")
    g.add_argument("id", help="guide id, as printed by `guides list`")
    g.add_argument("--format", choices=["json", "md"], default="json")
    g.set_defaults(handler=_cmd_guides_show)
    g = gsub.add_parser("import", help="turn a plain-text guide into a structured one")
    g.add_argument("file", help="plain-text guide")
    g.add_argument("--save", action="store_true", help="store it in your guides folder")
    g.set_defaults(handler=_cmd_guides_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `resume-coach` console script."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
