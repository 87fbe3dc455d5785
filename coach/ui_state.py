"""Decisions behind the Streamlit page, kept free of Streamlit so they can be tested directly.

The app (`app.py`) only lays out widgets; what to offer, what to show and what to export lives
here: sample files, target roles, provider settings and where text is sent, rows of the
side-by-side view, chart data, the roadmap timeline, downloads and error messages.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from coach.errors import CoachError, GuideError
from coach.export import export_bytes
from coach.guides import get_guide, list_guides
from coach.llm import DEFAULT_OPENAI_MODEL, REFUSED_HINT, ProviderSettings
from coach.models import SKILLS_PATH, Change, CoachingResult, Guide, Resume, StarStory

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "sample_resumes"
RESUME_TYPES = ("pdf", "docx", "txt", "md")
DEFAULT_SERVER = "https://api.openai.com/v1"
PROVIDERS = {
    "local": "Embedded model (runs on this machine)",
    "openai": "OpenAI-compatible server (API key)",
}
STATUS_LABELS = {
    "rewritten": "Rewritten",
    "kept": "Kept original",
    "rejected": "Rejected by the fact check",
}
# (export file name, button label, MIME type), in the order the buttons appear.
DOWNLOADS = (
    (
        "resume.docx",
        "Resume (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("resume.md", "Resume (Markdown)", "text/markdown"),
    ("resume.json", "JSON Resume", "application/json"),
    ("star_stories.md", "STAR stories", "text/markdown"),
    ("report.md", "Coaching report", "text/markdown"),
)
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r":/|(?i:www)\.|@")
WORD_JOINER = "\u2060"
_PATH = re.compile(r"(work|projects|volunteer)\[(\d+)\]\.highlights\[(\d+)\]")


def md_escape(text: str) -> str:
    """Text safe inside st.markdown: no link, HTML, emoji code, colour directive or formula."""
    # Bare URLs and emails are linked after escapes are resolved, so an invisible word joiner
    # inside "://", "www." and before "@" breaks their shape while the text reads the same.
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + WORD_JOINER + m.group(0)[-1], text)
    return _MD_PUNCTUATION.sub(r"\\\1", text).replace("\n", "  \n")


def sample_files(folder: Path = SAMPLES_DIR) -> list[Path]:
    """The sample resumes a user can try (PDF, DOCX, TXT, MD; the folder's README excluded)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower().lstrip(".") in RESUME_TYPES and p.name.lower() != "readme.md"
    )


def file_key(name: str, data: bytes) -> str:
    """Identity of an uploaded file, so a new file resets the page and an old one does not."""
    return f"{name}:{hashlib.sha256(data).hexdigest()[:16]}"


def target_roles(guides: list[Guide] | None = None) -> list[str]:
    """Target roles that have a guide, each offered once."""
    roles = {g.to_role.strip(): None for g in (list_guides() if guides is None else guides)}
    return sorted(r for r in roles if r)


def provider_settings(
    provider: str, *, api_key: str = "", base_url: str = "", model: str = ""
) -> ProviderSettings:
    """Settings for the sidebar's choice; blank fields fall back to the environment."""
    if provider != "openai":
        return ProviderSettings.from_env(provider="local")
    return ProviderSettings.from_env(
        provider="openai",
        api_key=api_key.strip() or None,
        base_url=base_url.strip() or None,
        model=model.strip() or None,
    )


def has_key(settings: ProviderSettings) -> bool:
    """Whether an API key is set (typed in the session or from the environment)."""
    return settings.api_key is not None and bool(settings.api_key.get_secret_value().strip())


def server_name(base_url: str | None) -> str:
    """The server as scheme://host[:port]: no user name, password, path or query shown."""
    parts = urlsplit((base_url or DEFAULT_SERVER).strip())
    if not parts.hostname:
        return (base_url or "").strip() or DEFAULT_SERVER
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'https'}://{parts.hostname}{port}"


def destination_note(settings: ProviderSettings) -> str:
    """One plain sentence saying where the resume text goes with these settings."""
    if settings.provider != "openai":
        return (
            "Your resume text stays on this machine: the embedded model runs inside this app "
            "and nothing is sent anywhere."
        )
    return (
        f"Your resume text will be sent to {server_name(settings.base_url)} "
        f"(model {settings.model or DEFAULT_OPENAI_MODEL}). Your name, email, phone number, "
        "address and links are replaced by placeholders before sending and put back afterwards."
    )


def _where(resume: Resume, path: str) -> str:
    """A readable place for a change: 'Summary', 'Senior Engineer, Acme - bullet 2'."""
    if path == "basics.summary":
        return "Summary"
    if path == SKILLS_PATH:
        return "Skills"
    match = _PATH.fullmatch(path)
    if not match:
        return path
    section, index, bullet = match.group(1), int(match.group(2)), int(match.group(3)) + 1
    items = getattr(resume, section)
    if index >= len(items):
        return path
    item = items[index]
    if section == "work":
        name = ", ".join(p for p in (item.position, item.name) if p) or f"Job {index + 1}"
    elif section == "volunteer":
        name = ", ".join(p for p in (item.position, item.organization) if p) or "Volunteering"
    else:
        name = item.name or f"Project {index + 1}"
    return f"{name} - bullet {bullet}"


def _skills_text(raw: str) -> str:
    """Regrouped skills (a JSON list of groups) as readable lines."""
    try:
        groups = json.loads(raw)
        return "\n".join(f"{g.get('name', '')}: {', '.join(g.get('keywords', []))}" for g in groups)
    except (ValueError, TypeError, AttributeError):
        return raw


@dataclass(frozen=True)
class ChangeRow:
    """One line of the side-by-side view."""

    path: str
    where: str
    original: str
    rewritten: str
    skill: str
    status: str
    status_label: str
    reason: str
    can_accept: bool  # only guard-approved rewrites can be accepted or reverted


def change_rows(result: CoachingResult) -> list[ChangeRow]:
    """The rows of the side-by-side view, in resume order (summary first, skills last)."""
    rows = []
    for change in result.changes:
        original, rewritten = change.original, change.rewritten
        if change.path == SKILLS_PATH:
            original, rewritten = _skills_text(original), _skills_text(rewritten)
        rows.append(
            ChangeRow(
                path=change.path,
                where=_where(result.resume, change.path),
                original=original,
                rewritten=rewritten if change.status != "kept" else "",
                skill=change.skill or "",
                status=change.status,
                status_label=STATUS_LABELS.get(change.status, change.status),
                reason=change.reason or "",
                can_accept=change.status == "rewritten",
            )
        )
    return rows


def story_sources(result: CoachingResult, story: StarStory) -> list[str]:
    """Where a STAR story's facts come from, as readable places in the resume."""
    return [_where(result.resume, path) for path in story.sources]


def status_counts(changes: list[Change]) -> dict[str, int]:
    """How many changes were rewritten, kept and rejected."""
    return {s: sum(c.status == s for c in changes) for s in STATUS_LABELS}


def skill_coverage(result: CoachingResult) -> dict[str, int]:
    """Bullets that prove each transferable skill (unproven skills count 0), most first."""
    counts = {s.name: len(s.bullets) for s in result.gaps.evidenced}
    counts.update({s.name: 0 for s in result.gaps.unproven if s.name not in counts})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def result_guide(result: CoachingResult) -> Guide | None:
    """The guide the run used, or None when none matched (or it was removed since)."""
    if not result.guide:
        return None
    try:
        return get_guide(result.guide)
    except GuideError:
        return None


@dataclass(frozen=True)
class Phase:
    """One roadmap phase placed on a week scale: weeks [start, end)."""

    name: str
    start: int
    end: int
    tasks: list[str] = field(default_factory=list)


def roadmap_phases(guide: Guide | None) -> list[Phase]:
    """The guide's roadmap as consecutive phases; a phase without weeks counts as 4."""
    phases, week = [], 0
    for phase in guide.roadmap if guide else []:
        weeks = phase.weeks or 4
        phases.append(Phase(phase.name, week, week + weeks, list(phase.tasks)))
        week += weeks
    return phases


def choices_from_state(result: CoachingResult, state: dict, prefix: str) -> dict[str, bool]:
    """The user's accept/revert choice per rewritten change (unticked means revert)."""
    return {
        c.path: bool(state.get(prefix + c.path, True))
        for c in result.changes
        if c.status == "rewritten"
    }


def exports(result: CoachingResult, choices: dict[str, bool], source: bytes) -> dict[str, bytes]:
    """Every download's bytes, honouring the accept/revert choices."""
    return export_bytes(result.with_choices(choices), source)


APP_REFUSED_HINT = "check the API key, Base URL and Model in the sidebar"


def friendly_error(exc: BaseException) -> str:
    """A message a user can act on; unexpected errors never show a traceback or resume text."""
    if isinstance(exc, CoachError):
        text = str(exc).strip().replace(REFUSED_HINT, APP_REFUSED_HINT)
        return text[:1].upper() + text[1:]
    return (
        f"Something unexpected went wrong ({type(exc).__name__}). Try again; if it happens "
        "again, try another file (for example a DOCX or plain-text export of your resume) "
        "or the embedded model."
    )


def run_summary(result: CoachingResult) -> str:
    """One line for the end of a run: what changed and what it cost."""
    counts = status_counts(result.changes)
    st = result.stats
    cached = f", {st.cache_hits} from cache" if st.cache_hits else ""
    guide = f" with guide {result.guide}" if result.guide else " (no guide matched)"
    return (
        f"Coached for {result.target_role}{guide}. "
        f"Finished in {st.seconds:.1f} s: {counts['rewritten']} rewritten, {counts['kept']} kept, "
        f"{counts['rejected']} rejected by the fact check; {len(result.star_stories)} STAR "
        f"stories. {st.llm_calls} model calls{cached} ({st.provider}: {st.model})."
    )


class SharedModelRuns:
    """Coaching runs in progress on the embedded model, which every session of this server
    shares: it answers one call at a time, so a run that starts beside others is slower."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0

    @contextmanager
    def run(self) -> Iterator[int]:
        """Count one run while it lasts; yields how many others were in progress at its start."""
        with self._lock:
            others = self._active
            self._active += 1
        try:
            yield others
        finally:
            with self._lock:
                self._active -= 1


# One per server process: the app's script is re-run per session, this module is not.
LOCAL_RUNS = SharedModelRuns()


def shared_model_note(others: int) -> str | None:
    """Why this run will be slower than usual, or None when it has the model to itself."""
    if not others:
        return None
    runs = "1 other run is" if others == 1 else f"{others} other runs are"
    slower = "twice" if others == 1 else f"{others + 1} times"
    return (
        f"{runs} using the embedded model on this server. It answers one request at a time, "
        f"so this run will take about {slower} as long as usual while they last."
    )
