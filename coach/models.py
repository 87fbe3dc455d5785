"""Data types shared by every stage: ingested lines, the JSON Resume model and guides."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    """Base for JSON Resume objects: unknown keys are kept so nothing a user wrote is lost."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_json_dict(self) -> dict:
        """Dump without empty fields, the way JSON Resume files are usually written."""
        return _prune(self.model_dump(by_alias=True, exclude_none=True))


class _Deferred(BaseModel):
    """Base for guide and result types: schemas are built on first use, keeping `parse` fast."""

    model_config = ConfigDict(defer_build=True)


def _prune(value: object) -> object:
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in ("", [], {}, None)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


# ---------------------------------------------------------------- ingest output


class SourceKind(StrEnum):
    """The detected type of an uploaded file."""

    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"


class Line(BaseModel):
    """One line of document text with the style hints the parser uses."""

    text: str
    page: int = 0
    font_size: float | None = None
    bold: bool = False
    x: float | None = None  # left edge in points (PDF) so columns can be told apart
    column: int = 0
    bullet: bool = False  # the source marked it as a list item (glyph, numbering, list style)
    heading_level: int | None = None  # explicit heading (Markdown #, Word Heading style)
    in_table: bool = False
    in_header_footer: bool = False
    hidden: bool = False  # text a reader cannot see: white, tiny, or off the page
    paragraph: int | None = None  # DOCX body paragraph index, for editing in place


class Document(BaseModel):
    """Everything ingest extracted from one file."""

    kind: SourceKind
    lines: list[Line]
    pages: int = 1
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """Plain visible text, one line per line."""
        return "\n".join(line.text for line in self.lines if not line.hidden)


# ---------------------------------------------------------------- JSON Resume


class Location(_Model):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    region: str | None = None
    countryCode: str | None = None


class Profile(_Model):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Model):
    name: str | None = None
    label: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(_Model):
    name: str | None = None
    position: str | None = None
    location: str | None = None
    url: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)

    @property
    def is_current(self) -> bool:
        """A job with no end date, or one that ends "present": the job held now."""
        return (self.endDate or "").strip().lower() in ("", "present", "current", "now")


class Volunteer(_Model):
    organization: str | None = None
    position: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(_Model):
    institution: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    score: str | None = None
    courses: list[str] = Field(default_factory=list)


class Skill(_Model):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Project(_Model):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class Certificate(_Model):
    name: str | None = None
    issuer: str | None = None
    date: str | None = None
    url: str | None = None


class Award(_Model):
    title: str | None = None
    awarder: str | None = None
    date: str | None = None
    summary: str | None = None


class Language(_Model):
    language: str | None = None
    fluency: str | None = None


class Resume(_Model):
    """A resume in the JSON Resume schema (https://jsonresume.org/schema)."""

    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)


class ParseResult(BaseModel):
    """A parsed resume plus what the parser noticed on the way."""

    resume: Resume
    kind: SourceKind
    warnings: list[str] = Field(default_factory=list)
    hidden_text: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- guides


class TransferableSkill(_Deferred):
    name: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)


class SkillToBuild(_Deferred):
    name: str
    description: str = ""
    resources: list[str] = Field(default_factory=list)
    priority: int = 1  # 1 = most important


class RoadmapPhase(_Deferred):
    name: str
    weeks: int | None = None
    tasks: list[str] = Field(default_factory=list)


class Timeline(_Deferred):
    text: str = ""
    min_months: int | None = None
    max_months: int | None = None


class Salary(_Deferred):
    model_config = ConfigDict(populate_by_name=True)

    from_title: str | None = None
    from_: int | None = Field(default=None, alias="from")
    to_title: str | None = None
    to: int | None = None
    currency: str = "USD"


class ActionPlan(_Deferred):
    week: list[str] = Field(default_factory=list)
    month: list[str] = Field(default_factory=list)
    days_90: list[str] = Field(default_factory=list)


class FaqEntry(_Deferred):
    question: str
    answer: str


class Guide(_Deferred):
    """A career-transition guide: the facts every generated text is grounded in."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    from_role: str
    to_role: str
    from_aliases: list[str] = Field(default_factory=list)
    to_aliases: list[str] = Field(default_factory=list)
    summary: str = ""
    transferable_skills: list[TransferableSkill] = Field(default_factory=list)
    skills_to_build: list[SkillToBuild] = Field(default_factory=list)
    roadmap: list[RoadmapPhase] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    timeline: Timeline | None = None
    salary: Salary | None = None
    first_steps: list[str] = Field(default_factory=list)
    challenges: list[str] = Field(default_factory=list)
    what_you_will_love: list[str] = Field(default_factory=list)
    what_you_might_miss: list[str] = Field(default_factory=list)
    action_plan: ActionPlan | None = None
    faq: list[FaqEntry] = Field(default_factory=list)
    source: str = ""


# ---------------------------------------------------------------- evidence and gaps


class SkillMatch(_Deferred):
    """A transferable skill a bullet demonstrates: score 0..1 and the bullet words that matched."""

    name: str
    score: float
    matched: list[str] = Field(default_factory=list)


class BulletEvidence(_Deferred):
    """The skills one work/project bullet shows; `path` is like `work[0].highlights[2]`."""

    path: str
    text: str
    skills: list[SkillMatch] = Field(default_factory=list)


class SkillEvidence(_Deferred):
    """A transferable skill and the bullets (paths) that prove it, strongest first."""

    name: str
    bullets: list[str] = Field(default_factory=list)
    hint: str = ""  # how to surface the skill when no bullet proves it


class SkillGap(_Deferred):
    """A skill to build from the guide; partly present when the resume shows related words."""

    name: str
    priority: int
    description: str = ""
    resources: list[str] = Field(default_factory=list)
    partly_present: bool = False
    found: list[str] = Field(default_factory=list)


class JobTerms(_Deferred):
    """Key terms of a job description and whether the resume mentions them."""

    terms: list[str] = Field(default_factory=list)
    covered: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class Gaps(_Deferred):
    """Gap analysis of a resume against a guide (and optionally a job description)."""

    evidenced: list[SkillEvidence] = Field(default_factory=list)
    unproven: list[SkillEvidence] = Field(default_factory=list)
    to_build: list[SkillGap] = Field(default_factory=list)
    job: JobTerms | None = None


class Analysis(_Deferred):
    """What `resume-coach analyze` reports: the chosen guide, evidence per bullet and the gaps."""

    target_role: str
    current_role: str | None = None
    guide: str | None = None  # guide id, None when no guide matched
    guide_note: str = ""
    # True when no guide covers the current role and the closest guide for the target is used.
    guide_is_closest: bool = False
    evidence: list[BulletEvidence] = Field(default_factory=list)
    gaps: Gaps = Field(default_factory=Gaps)


# ---------------------------------------------------------------- coaching results

ChangeStatus = Literal["rewritten", "kept", "rejected"]


class Change(_Deferred):
    """One generated text: where it goes, what it replaced, and whether it passed the guard.

    `status` is the guard's verdict; `accepted` is the user's choice (accept or revert) and
    only matters for rewritten changes.
    """

    path: str  # e.g. work[0].highlights[2], basics.summary
    original: str
    rewritten: str
    skill: str | None = None
    status: ChangeStatus
    reason: str | None = None
    accepted: bool = True

    @property
    def applied(self) -> bool:
        """Whether the rewritten text goes into the final resume."""
        return self.status == "rewritten" and self.accepted


class StarStory(_Deferred):
    """An interview story built from one or more real bullets; gaps are visible placeholders."""

    question: str
    skill: str | None = None
    situation: str
    task: str
    action: str
    result: str
    sources: list[str] = Field(default_factory=list)  # bullet paths
    missing: list[str] = Field(default_factory=list)  # facts the user should add


class RunStats(_Deferred):
    """What a coaching run cost."""

    provider: str = ""
    model: str = ""
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    seconds: float = 0.0


class CoachingResult(_Deferred):
    """Everything one coaching run produced; `result.json` is its JSON dump."""

    resume: Resume  # the parsed original
    rewritten: Resume  # the original with every applied change
    guide: str | None = None  # guide id
    target_role: str = ""
    current_role: str | None = None
    source_kind: SourceKind | None = None
    changes: list[Change] = Field(default_factory=list)
    star_stories: list[StarStory] = Field(default_factory=list)
    gaps: Gaps = Field(default_factory=Gaps)
    evidence: list[BulletEvidence] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    hidden_text: list[str] = Field(default_factory=list)
    stats: RunStats = Field(default_factory=RunStats)

    def with_choices(self, accepted: dict[str, bool]) -> CoachingResult:
        """A copy where the user's accept/revert choices (by path) are applied."""
        changes = [
            c.model_copy(update={"accepted": accepted.get(c.path, c.accepted)})
            for c in self.changes
        ]
        return self.model_copy(
            update={"changes": changes, "rewritten": apply_changes(self.resume, changes)}
        )


SKILLS_PATH = "skills"
_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def apply_changes(resume: Resume, changes: list[Change]) -> Resume:
    """The resume with the text of every applied change written at its path."""
    data = resume.model_dump(by_alias=True)
    for change in changes:
        if not change.applied:
            continue
        if change.path == SKILLS_PATH:  # regrouped skills travel as a JSON list of groups
            data["skills"] = json.loads(change.rewritten)
            continue
        parts = [_PATH_PART.fullmatch(p) for p in change.path.split(".")]
        if not all(parts):
            continue
        target = data
        for match in parts[:-1]:
            target = target[match.group(1)]
            if match.group(2) is not None:
                target = target[int(match.group(2))]
        last = parts[-1]
        if last.group(2) is None:
            target[last.group(1)] = change.rewritten
        else:
            target[last.group(1)][int(last.group(2))] = change.rewritten
    return Resume.model_validate(data)


class CoachOptions(_Deferred):
    """What the user asked for in one coaching run (the provider is configured separately)."""

    target_role: str
    from_role: str | None = None
    job_text: str | None = None
    max_stories: int = 4
