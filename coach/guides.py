"""Transition guides: load, save, render as Markdown with YAML front matter, and select by role.

The front matter holds every structured field and is what resume-coach reads; the Markdown body
below it is a readable rendering for people and is regenerated on save.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from coach.errors import GuideError
from coach.models import Guide

GUIDES_DIR_ENV = "RESUME_COACH_GUIDES_DIR"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
# A title must be at least this similar (0..1) to a guide role or alias to count as a match.
MATCH_THRESHOLD = 0.65
# Score of a title that contains a whole role name and ends with its head noun.
CONTAINED_SCORE = 0.8


# ---------------------------------------------------------------- Markdown round trip


def guide_from_markdown(text: str, name: str = "<guide>") -> Guide:
    """Parse a guide file (YAML front matter + Markdown body); `name` appears in errors."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise GuideError(
            f"{name}: no YAML front matter; a guide file must start with a '---' line, "
            "the guide fields, and a closing '---' line"
        )
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        msg = f"{name}: the front matter is not valid YAML ({_first_line(exc)})"
        raise GuideError(msg) from exc
    if not isinstance(data, dict):
        raise GuideError(f"{name}: the front matter must be a mapping of guide fields")
    try:
        return Guide.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:3]
        )
        raise GuideError(f"{name}: invalid guide fields ({problems})") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def guide_to_markdown(guide: Guide) -> str:
    """Render a guide as YAML front matter plus a readable Markdown body."""
    data = guide.model_dump(by_alias=True, exclude_none=True)
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n\n{guide_body(guide)}"


def guide_body(guide: Guide) -> str:
    """The human-readable Markdown body of a guide (everything but the front matter)."""
    out: list[str] = [f"# {guide.from_role} → {guide.to_role}", ""]
    if guide.summary:
        out += [guide.summary, ""]
    if guide.transferable_skills:
        out += ["## Transferable skills", ""]
        for skill in guide.transferable_skills:
            out += [f"### {skill.name}", ""]
            if skill.description:
                out += [skill.description, ""]
    if guide.skills_to_build:
        out += ["## Skills to build (most important first)", ""]
        for skill in sorted(guide.skills_to_build, key=lambda s: s.priority):
            out += [f"### {skill.priority}. {skill.name}", ""]
            if skill.description:
                out += [skill.description, ""]
            out += [f"- {r}" for r in skill.resources] + ([""] if skill.resources else [])
    if guide.roadmap:
        out += ["## Roadmap", ""]
        for phase in guide.roadmap:
            weeks = f" ({phase.weeks} weeks)" if phase.weeks else ""
            out += [f"### {phase.name}{weeks}", ""] + [f"- {t}" for t in phase.tasks] + [""]
    out += _list_section("Recommended certifications", guide.certifications)
    if guide.timeline and guide.timeline.text:
        out += ["## Timeline", "", guide.timeline.text, ""]
    if guide.salary and (guide.salary.from_ or guide.salary.to):
        out += ["## Salary", "", _salary_line(guide), ""]
    out += _list_section("First steps", guide.first_steps)
    out += _list_section("What you will love", guide.what_you_will_love)
    out += _list_section("What you might miss", guide.what_you_might_miss)
    out += _list_section("Biggest challenges", guide.challenges)
    if guide.action_plan:
        out += _list_section("This week", guide.action_plan.week)
        out += _list_section("This month", guide.action_plan.month)
        out += _list_section("Next 90 days", guide.action_plan.days_90)
    if guide.faq:
        out += ["## Frequently asked questions", ""]
        for entry in guide.faq:
            out += [f"**{entry.question}**", "", entry.answer, ""]
    if guide.source:
        out += [f"_Source: {guide.source}_", ""]
    return "\n".join(out).rstrip() + "\n"


def _list_section(title: str, items: list[str]) -> list[str]:
    return [f"## {title}", ""] + [f"- {i}" for i in items] + [""] if items else []


def _salary_line(guide: Guide) -> str:
    salary = guide.salary
    assert salary is not None
    parts = []
    for title, amount in ((salary.from_title, salary.from_), (salary.to_title, salary.to)):
        if amount is not None:
            parts.append(f"{title or '?'}: {amount:,} {salary.currency}")
    return " → ".join(parts)


# ---------------------------------------------------------------- storage


def user_guides_dir() -> Path:
    """The user's guides folder: RESUME_COACH_GUIDES_DIR, else <user config dir>/guides."""
    env = os.environ.get(GUIDES_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("resume-coach")) / "guides"


def _shipped_guides() -> list[Guide]:
    # Copies, so no caller can change the cached originals.
    return [guide.model_copy(deep=True) for guide in _parsed_shipped_guides()]


@functools.cache
def _parsed_shipped_guides() -> tuple[Guide, ...]:
    # Package data does not change while the process runs; parsing its YAML took half the CPU
    # time of a coaching run when done on every call.
    folder = resources.files("coach") / "data" / "guides"
    guides = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            guides.append(guide_from_markdown(entry.read_text(encoding="utf-8"), entry.name))
    return tuple(guides)


def _folder_guides(folder: Path) -> list[Guide]:
    if not folder.is_dir():
        return []
    return [
        guide_from_markdown(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(folder.glob("*.md"))
    ]


def load_guides(user_dir: Path | None = None) -> dict[str, Guide]:
    """All guides by id: shipped ones first, then the user's, which override on the same id."""
    guides = {g.id: g for g in _shipped_guides()}
    guides.update({g.id: g for g in _folder_guides(user_dir or user_guides_dir())})
    return guides


def list_guides(user_dir: Path | None = None) -> list[Guide]:
    """Every available guide, sorted by id."""
    return sorted(load_guides(user_dir).values(), key=lambda g: g.id)


def get_guide(guide_id: str, user_dir: Path | None = None) -> Guide:
    """The guide with this id; GuideError naming the known ids when there is none."""
    guides = load_guides(user_dir)
    if guide_id not in guides:
        known = ", ".join(sorted(guides)) or "none"
        raise GuideError(
            f"no guide with id '{guide_id}' (known: {known}); see `resume-coach guides list`"
        )
    return guides[guide_id]


def save_guide(guide: Guide, folder: Path | None = None) -> Path:
    """Write a guide as <id>.md into `folder` (default: the user's guides folder)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", guide.id):
        raise GuideError(f"guide id '{guide.id}' cannot be a file name; use letters, digits, -")
    folder = folder or user_guides_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{guide.id}.md"
    path.write_text(guide_to_markdown(guide), encoding="utf-8")
    return path


# ---------------------------------------------------------------- selection

_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "dev": "developer",
    "devs": "developer",
    "eng": "engineer",
    "engr": "engineer",
    "swe": "software engineer",
    "sde": "software developer",
    "pm": "project manager",
    "tpm": "technical program manager",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "mgmt": "management",
    "programme": "program",
}
# Seniority and level words say nothing about which transition applies.
_NOISE = {
    "senior",
    "junior",
    "staff",
    "principal",
    "lead",
    "chief",
    "head",
    "associate",
    "assistant",
    "intern",
    "trainee",
    "entry",
    "level",
    "mid",
    "i",
    "ii",
    "iii",
    "iv",
    "1",
    "2",
    "3",
    "of",
    "the",
    "and",
    "a",
    "an",
    "for",
    "in",
    "to",
}
# Words that make two titles the same kind of job even when the rest differs.
_SYNONYMS = {"developer": "engineer", "programme": "program"}


@dataclass(frozen=True)
class GuideMatch:
    """The selected guide and how well the roles matched (0..1 each)."""

    guide: Guide
    score: float
    to_score: float
    from_score: float | None


def normalize_title(title: str) -> str:
    """Lower-case a job title, expand abbreviations and drop seniority words."""
    text = title.lower().replace("&", " and ")
    text = re.sub(r"\(.*?\)", " ", text)  # "(Contract)", "(Remote)"
    text = re.split(r"\s*[,@|]\s*|\s+-\s+|\s+at\s+", text)[0]  # "Engineer, Payments" -> "engineer"
    words: list[str] = []
    for raw in re.findall(r"[a-z0-9+#/]+", text.replace(".", " ").replace("-", " ")):
        for part in raw.split("/") if raw not in ("ci/cd",) else [raw]:
            expanded = _ABBREVIATIONS.get(part, part)
            words += [_SYNONYMS.get(w, w) for w in expanded.split() if w not in _NOISE]
    return " ".join(w for w in words if w and w not in _NOISE)


def title_similarity(a: str, b: str) -> float:
    """Similarity 0..1 of title `a` to role `b`: word overlap after normalisation, typo-tolerant."""
    ta, tb = normalize_title(a).split(), normalize_title(b).split()
    if not ta or not tb:
        return 0.0
    unmatched = list(tb)
    shared = 0
    for word in ta:
        close = next((w for w in unmatched if _same_word(word, w)), None)
        if close is not None:
            unmatched.remove(close)
            shared += 1
    jaccard = shared / (len(ta) + len(tb) - shared)
    # "High School Teacher" is a kind of "Teacher": every word of b, same head noun at the end.
    if shared == len(tb) and _same_word(ta[-1], tb[-1]):
        return max(jaccard, CONTAINED_SCORE)
    return jaccard


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _role_score(title: str, role: str, aliases: list[str]) -> float:
    return max(title_similarity(title, name) for name in [role, *aliases])


def select_guide(
    target_role: str, current_role: str | None = None, guides: list[Guide] | None = None
) -> GuideMatch | None:
    """The guide whose target (and, when given, current) role best fits; None when none fits."""
    best: GuideMatch | None = None
    for guide in guides if guides is not None else list_guides():
        to_score = _role_score(target_role, guide.to_role, guide.to_aliases)
        if to_score < MATCH_THRESHOLD:
            continue
        from_score = None
        score = to_score
        if current_role and current_role.strip():
            from_score = _role_score(current_role, guide.from_role, guide.from_aliases)
            if from_score < MATCH_THRESHOLD:
                continue
            score = (to_score + from_score) / 2
        if best is None or score > best.score:
            best = GuideMatch(
                guide,
                round(score, 3),
                round(to_score, 3),
                None if from_score is None else round(from_score, 3),
            )
    return best
