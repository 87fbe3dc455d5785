"""Streamlit UI for resume-coach. UI only: every decision lives in the `coach` package."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from coach import settings
from coach.errors import CoachError
from coach.export import resume_to_markdown
from coach.models import ParseResult
from coach.parse import parse_bytes

SAMPLES_DIR = Path(__file__).parent / "sample_resumes"

st.set_page_config(page_title="resume-coach", page_icon="📄", layout="wide")
st.title("resume-coach")
st.caption("Upload a resume to see what the parser finds. Nothing leaves this machine.")


def _sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES_DIR.glob("*") if p.suffix in {".pdf", ".docx"})


def _chosen_file() -> tuple[str, bytes] | None:
    upload_tab, sample_tab = st.tabs(["Upload", "Try a sample"])
    with upload_tab:
        upload = st.file_uploader(
            "Resume (PDF, DOCX, TXT or Markdown)",
            type=["pdf", "docx", "txt", "md"],
            help=f"Up to {settings.max_file_bytes() // 1_048_576} MB.",
        )
    with sample_tab:
        samples = _sample_files()
        sample = st.selectbox(
            "Sample resume", [None, *samples], format_func=lambda p: p.name if p else "—"
        )
    if upload is not None:
        return upload.name, upload.getvalue()
    if sample is not None:
        return sample.name, sample.read_bytes()
    return None


def _show(result: ParseResult) -> None:
    resume = result.resume
    for warning in result.warnings:
        st.warning(warning)
    if result.hidden_text:
        with st.expander("Hidden text found in the file"):
            for text in result.hidden_text:
                st.text(text)
    basics = resume.basics
    st.subheader(basics.name or "Name not found")
    contact = {
        "Headline": basics.label,
        "Email": basics.email,
        "Phone": basics.phone,
        "Location": ", ".join(p for p in (basics.location.city, basics.location.region) if p)
        if basics.location
        else None,
        "Profiles": ", ".join(p.url or "" for p in basics.profiles) or None,
    }
    st.table({k: [v or "—"] for k, v in contact.items()})
    view, data = st.tabs(["Readable view", "JSON Resume"])
    with view:
        # st.text, not st.markdown: resume text is data and must not render as links or HTML.
        st.text(resume_to_markdown(resume))
    with data:
        st.json(resume.to_json_dict())


chosen = _chosen_file()
if chosen is not None:
    name, data = chosen
    if st.session_state.get("parsed_name") != (name, len(data)):
        try:
            with st.spinner("Parsing..."):
                st.session_state["parsed"] = parse_bytes(data)
            st.session_state["parse_error"] = None
        except CoachError as exc:
            st.session_state["parsed"] = None
            st.session_state["parse_error"] = str(exc)
        st.session_state["parsed_name"] = (name, len(data))
    if st.session_state.get("parse_error"):
        st.error(st.session_state["parse_error"])
    elif st.session_state.get("parsed"):
        _show(st.session_state["parsed"])
