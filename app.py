"""Streamlit UI for resume-coach. UI only: every decision lives in the `coach` package."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext

import pandas as pd
import streamlit as st

from coach import settings, ui_state
from coach.errors import CoachError
from coach.gaps import current_title
from coach.llm import LLMClient, ProviderSettings
from coach.models import CoachingResult, CoachOptions, ParseResult
from coach.parse import parse_bytes
from coach.pipeline import run_coaching

log = logging.getLogger("resume_coach.app")
ACCEPT = "accept:"  # session-state key prefix of the accept/revert checkbox of each change
OTHER_ROLE = "Another role (type it)"

st.set_page_config(page_title="resume-coach", page_icon="📄", layout="wide")


@st.cache_resource(show_spinner="Loading the embedded model (once per server)...")
def _local_client(model_path: str | None) -> LLMClient:
    """The embedded model, loaded once per process and shared; each run forks its counters."""
    return LLMClient.from_settings(
        ProviderSettings.from_env(provider="local", model_path=model_path)
    )


def _client(provider_settings: ProviderSettings) -> LLMClient:
    # Tests put a client wrapping a fake chat model here; real users never set this key.
    injected = st.session_state.get("_test_client")
    if injected is not None:
        return injected
    if provider_settings.provider == "local":
        path = provider_settings.model_path
        return _local_client(str(path) if path else None).fork()
    # A remote client holds the user's key: built per run, never cached across sessions.
    return LLMClient.from_settings(provider_settings)


# ---------------------------------------------------------------- sidebar


def _sidebar() -> ProviderSettings | None:
    with st.sidebar:
        st.header("Model")
        provider = st.radio(
            "Who rewrites your resume?",
            list(ui_state.PROVIDERS),
            format_func=ui_state.PROVIDERS.get,
            key="provider",
        )
        if provider == "openai":
            st.text_input(
                "API key",
                type="password",
                key="api_key",
                help="Kept in this browser session only: never saved to disk or logged.",
            )
            st.text_input("Base URL", key="base_url", placeholder=ui_state.DEFAULT_SERVER)
            st.text_input("Model", key="model", placeholder="gpt-4o-mini")
        try:
            chosen = ui_state.provider_settings(
                provider,
                api_key=st.session_state.get("api_key", ""),
                base_url=st.session_state.get("base_url", ""),
                model=st.session_state.get("model", ""),
            )
        except CoachError as exc:
            st.error(ui_state.friendly_error(exc))
            return None
        note = ui_state.md_escape(ui_state.destination_note(chosen))
        if provider == "openai":
            st.warning(note, icon=":material/public:")
            if not ui_state.has_key(chosen):
                st.error("Enter an API key above, or choose the embedded model.")
                return None
        else:
            st.success(note, icon=":material/lock:")
        st.caption(
            "The embedded model is small and fast; a larger model on an OpenAI-compatible "
            "server (OpenAI, Ollama, LM Studio, vLLM) writes better rewrites. Every rewrite "
            "is fact-checked against your original either way."
        )
    return chosen


# ---------------------------------------------------------------- input


def _chosen_file() -> tuple[str, bytes] | None:
    source = st.radio(
        "Resume", ["Upload a file", "Try a sample"], horizontal=True, key="source_kind"
    )
    if source == "Upload a file":
        upload = st.file_uploader(
            "Your resume (PDF, DOCX, TXT or Markdown)",
            type=list(ui_state.RESUME_TYPES),
            help=f"Up to {settings.max_file_bytes() // 1_048_576} MB.",
            key="upload",
        )
        return (upload.name, upload.getvalue()) if upload is not None else None
    samples = ui_state.sample_files()
    sample = st.selectbox(
        "Sample resume (synthetic people)",
        samples,
        index=None,
        format_func=lambda p: p.name,
        placeholder="Choose a sample",
        key="sample",
    )
    return (sample.name, sample.read_bytes()) if sample is not None else None


def _on_new_file(name: str, data: bytes) -> None:
    """Parse a newly chosen file, prefill the current role and forget the previous results."""
    state = st.session_state
    state["file_key"] = ui_state.file_key(name, data)
    state["file_name"], state["file_data"] = name, data
    state.pop("result", None)
    state["parse_error"] = None
    try:
        with st.spinner("Reading your resume..."):
            parsed = parse_bytes(data)
    except Exception as exc:  # noqa: BLE001 - any broken file becomes a message, not a crash
        if not isinstance(exc, CoachError):
            log.warning("parse failed: %s", type(exc).__name__)  # never the resume text
        state["parsed"] = None
        state["parse_error"] = ui_state.friendly_error(exc)
        return
    state["parsed"] = parsed
    state["from_role"] = current_title(parsed.resume) or ""


def _parse_summary(parsed: ParseResult) -> None:
    resume = parsed.resume
    bullets = sum(len(w.highlights) for w in resume.work)
    name = resume.basics.name or "Name not found"
    st.caption(
        ui_state.md_escape(
            f"Read {name}: {len(resume.work)} jobs, {bullets} experience bullets, "
            f"{len(resume.education)} education entries."
        )
    )
    for warning in parsed.warnings:
        st.warning(ui_state.md_escape(warning))


def _role_inputs() -> CoachOptions | None:
    left, right = st.columns(2)
    with left:
        from_role = st.text_input(
            "Current role", key="from_role", help="Prefilled from your latest job title."
        )
    with right:
        roles = ui_state.target_roles()
        picked = st.selectbox("Target role", [*roles, OTHER_ROLE], key="target_pick")
        target = picked
        if picked == OTHER_ROLE:
            target = st.text_input("Target role (typed)", key="target_typed")
    job = st.text_area(
        "Job description (optional)",
        key="job_text",
        height=120,
        placeholder="Paste a job ad to check which of its key terms your resume covers.",
    )
    if not target.strip():
        st.info("Type the role you want to move into.")
        return None
    return CoachOptions(
        target_role=target.strip(),
        from_role=from_role.strip() or None,
        job_text=job.strip() or None,
    )


# ---------------------------------------------------------------- run


def _run(data: bytes, options: CoachOptions, provider_settings: ProviderSettings) -> None:
    state = st.session_state
    with st.status("Coaching your resume...", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")

        def progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=ui_state.md_escape(stage))

        try:
            client = _client(provider_settings)
            with _shared_model_runs(provider_settings) as others:
                if note := ui_state.shared_model_note(others):
                    st.info(note, icon=":material/group:")
                result = run_coaching(data, options, client, progress=progress)
        except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
            if not isinstance(exc, CoachError):
                log.warning("coaching run failed: %s", type(exc).__name__)
            status.update(label="The run stopped", state="error", expanded=True)
            st.error(ui_state.friendly_error(exc))
            return
        status.update(label="Finished: your results are below", state="complete", expanded=False)
    for key in [k for k in state if str(k).startswith(ACCEPT)]:
        del state[key]
    state["result"] = result
    state.pop("exports", None)


def _shared_model_runs(provider_settings: ProviderSettings) -> AbstractContextManager[int]:
    """Runs on the embedded model are counted (sessions share it); a remote run shares nothing."""
    if provider_settings.provider == "local":
        return ui_state.LOCAL_RUNS.run()
    return nullcontext(0)


# ---------------------------------------------------------------- results


def _exports(result: CoachingResult) -> dict[str, bytes]:
    """Export bytes for the current choices, rebuilt only when a choice changes."""
    state = st.session_state
    choices = ui_state.choices_from_state(result, state, ACCEPT)
    cached = state.get("exports")
    if cached is None or cached[0] != choices:
        cached = (choices, ui_state.exports(result, choices, state["file_data"]))
        state["exports"] = cached
    return cached[1]


def _downloads(result: CoachingResult) -> None:
    files = _exports(result)
    columns = st.columns(len(ui_state.DOWNLOADS))
    for column, (name, label, mime) in zip(columns, ui_state.DOWNLOADS, strict=True):
        with column:
            st.download_button(
                label,
                data=files[name],
                file_name=name,
                mime=mime,
                key=f"download:{name}",
                width="stretch",
                on_click="ignore",
            )


def _set_all(result: CoachingResult, value: bool) -> None:
    for change in result.changes:
        if change.status == "rewritten":
            st.session_state[ACCEPT + change.path] = value


def _resume_tab(result: CoachingResult) -> None:
    rows = ui_state.change_rows(result)
    if not rows:
        st.info("No bullets were found to rewrite. Check the Parsed data tab.")
        return
    show = st.radio(
        "Show",
        ["All changes", "Rewritten only", "Kept or rejected"],
        horizontal=True,
        key="show_rows",
    )
    with st.container(horizontal=True):
        st.button("Accept all", on_click=_set_all, args=(result, True), key="accept_all")
        st.button("Revert all", on_click=_set_all, args=(result, False), key="revert_all")
    for row in rows:
        if show == "Rewritten only" and row.status != "rewritten":
            continue
        if show == "Kept or rejected" and row.status == "rewritten":
            continue
        with st.container(border=True):
            head, toggle = st.columns([4, 1])
            head.markdown(f"**{ui_state.md_escape(row.where)}**")
            if row.can_accept:
                toggle.checkbox("Use rewrite", value=True, key=ACCEPT + row.path)
            original, rewritten = st.columns(2)
            with original:
                st.caption("Original")
                st.text(row.original)
            with rewritten:
                st.caption("Rewritten" if row.status == "rewritten" else "Suggestion")
                st.text(row.rewritten or "(the original is kept)")
            facts = [f"Status: {row.status_label}"]
            if row.skill:
                facts.append(f"Skill: {row.skill}")
            if row.reason:
                facts.append(f"Why: {row.reason}")
            st.caption(ui_state.md_escape("  ·  ".join(facts)))


def _stories_tab(result: CoachingResult) -> None:
    if not result.star_stories:
        st.info("No STAR stories: the resume has no bullets that show a transferable skill.")
        return
    st.caption(
        "Stories use only facts from your bullets. Fill in every [add: ...] placeholder "
        "with what really happened before an interview."
    )
    for number, story in enumerate(result.star_stories, start=1):
        with st.expander(f"{number}. {ui_state.md_escape(story.question)}", expanded=number == 1):
            for part in ("situation", "task", "action", "result"):
                st.markdown(f"**{part.title()}**")
                st.text(getattr(story, part))
            sources = ui_state.story_sources(result, story)
            if sources:
                st.caption(ui_state.md_escape("From: " + "; ".join(sources)))
            if story.missing:
                st.warning(ui_state.md_escape("To fill in: " + ", ".join(story.missing)))


def _roadmap(result: CoachingResult) -> None:
    guide = ui_state.result_guide(result)
    st.subheader("Roadmap")
    if guide is None:
        st.info("No transition guide matched, so there is no roadmap for this move.")
        return
    if guide.timeline and guide.timeline.text:
        st.caption(ui_state.md_escape(f"Typical timeline: {guide.timeline.text}"))
    phases = ui_state.roadmap_phases(guide)
    if not phases:
        st.info("This guide has no week-by-week roadmap; see the coaching report.")
        return
    frame = pd.DataFrame([{"phase": p.name, "start": p.start, "end": p.end} for p in phases])
    _bars(frame, y="phase", x="start", x2="end", x_title="Week")
    for phase in phases:
        with st.expander(ui_state.md_escape(f"Weeks {phase.start + 1}-{phase.end}: {phase.name}")):
            for task in phase.tasks:
                st.markdown("- " + ui_state.md_escape(task))


def _bars(frame: pd.DataFrame, *, y: str, x: str, x_title: str, x2: str | None = None) -> None:
    """Horizontal bars with full labels (Streamlit's default cuts long skill names)."""
    encoding = {
        "y": {"field": y, "type": "nominal", "sort": None, "title": None},
        "x": {"field": x, "type": "quantitative", "title": x_title, "axis": {"tickMinStep": 1}},
        "tooltip": [{"field": c} for c in frame.columns],
    }
    if x2:
        encoding["x2"] = {"field": x2}
    st.vega_lite_chart(
        frame,
        {
            "mark": {"type": "bar", "cornerRadius": 3},
            "encoding": encoding,
            "config": {"axis": {"labelLimit": 320, "labelOverlap": False}},
        },
        width="stretch",
        height=60 + 36 * len(frame),
    )


def _gaps_tab(result: CoachingResult) -> None:
    coverage = ui_state.skill_coverage(result)
    st.subheader("Transferable skills your bullets prove")
    if coverage:
        frame = pd.DataFrame({"skill": list(coverage), "bullets": list(coverage.values())})
        _bars(frame, y="skill", x="bullets", x_title="Bullets that show the skill")
    else:
        st.info("No transferable skills matched (no guide for this move).")
    for skill in result.gaps.unproven:
        st.markdown(ui_state.md_escape(f"Not shown yet: {skill.name}. {skill.hint}".strip()))
    st.subheader("Skills to build")
    if not result.gaps.to_build:
        st.info("The guide lists no skills to build.")
    for gap in result.gaps.to_build:
        with st.container(border=True):
            st.markdown(f"**{gap.priority}. {ui_state.md_escape(gap.name)}**")
            if gap.description:
                st.markdown(ui_state.md_escape(gap.description))
            if gap.resources:
                st.caption(ui_state.md_escape("Resources: " + "; ".join(gap.resources)))
            if gap.partly_present:
                st.caption(
                    ui_state.md_escape("Your resume already mentions: " + ", ".join(gap.found))
                )
    job = result.gaps.job
    if job is not None:
        st.subheader("Job description terms")
        st.caption(ui_state.md_escape("Covered: " + (", ".join(job.covered) or "none")))
        st.caption(ui_state.md_escape("Missing: " + (", ".join(job.missing) or "none")))
    _roadmap(result)


def _parsed_tab(result: CoachingResult) -> None:
    if result.hidden_text:
        with st.expander("Hidden text found in the file", expanded=True):
            for text in result.hidden_text:
                st.text(text)
    st.json(result.resume.to_json_dict(), expanded=2)


def _results(result: CoachingResult) -> None:
    st.divider()
    counts = ui_state.status_counts(result.changes)
    metrics = st.columns(4)
    metrics[0].metric("Rewritten", counts["rewritten"])
    metrics[1].metric("Kept original", counts["kept"])
    metrics[2].metric("Rejected by fact check", counts["rejected"])
    metrics[3].metric("STAR stories", len(result.star_stories))
    st.caption(ui_state.md_escape(ui_state.run_summary(result)))
    for warning in result.warnings:
        st.warning(ui_state.md_escape(warning))
    _downloads(result)
    resume_tab, stories_tab, gaps_tab, parsed_tab = st.tabs(
        ["Resume", "STAR stories", "Skills and gaps", "Parsed data"]
    )
    with resume_tab:
        _resume_tab(result)
    with stories_tab:
        _stories_tab(result)
    with gaps_tab:
        _gaps_tab(result)
    with parsed_tab:
        _parsed_tab(result)


# ---------------------------------------------------------------- page


def main() -> None:
    """Lay out the page: sidebar, input, run button and results."""
    st.title("resume-coach")
    st.caption(
        "Reframe your experience for the role you want: bullet rewrites that keep your facts, "
        "STAR interview stories, and a plan for the skills to build."
    )
    provider_settings = _sidebar()
    chosen = _chosen_file()
    state = st.session_state
    if chosen is None:
        st.info("Upload your resume or pick a sample to start.")
        return
    name, data = chosen
    if state.get("file_key") != ui_state.file_key(name, data):
        _on_new_file(name, data)
    if state.get("parse_error"):
        st.error(state["parse_error"])
        return
    _parse_summary(state["parsed"])
    options = _role_inputs()
    ready = options is not None and provider_settings is not None
    if st.button("Coach my resume", type="primary", disabled=not ready, key="run"):
        _run(state["file_data"], options, provider_settings)
    result = state.get("result")
    if result is not None:
        _results(result)


main()
