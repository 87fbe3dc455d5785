"""Which transferable skills each resume bullet demonstrates: keyword matching, no model.

A guide keyword of four or more letters matches as a word stem ("architect" finds "architected",
"architecture"); shorter ones match whole words with an optional plural ("ci", "aws"). Multi-word
keywords ("root cause", "cross-functional") weigh twice a single word, and a match on the
bullet's opening word (usually its verb) gets a small bonus, and a few very common words
("team", "led", "managed") count half. A skill's score is 1 - 0.5^weight,
so one word gives 0.5, a phrase 0.75, and more evidence approaches 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from coach.models import BulletEvidence, Guide, Resume, SkillMatch

PHRASE_WEIGHT = 2.0
WORD_WEIGHT = 1.0
OPENING_BONUS = 0.5
COMMON_WEIGHT = 0.5
STEM_MIN_LENGTH = 4
# Guide keywords so common in resumes that, alone, they are weak evidence for any one skill.
COMMON_KEYWORDS = frozenset(
    {"team", "lead", "led", "managed", "people", "members", "functions", "service", "platform"}
    | {"business", "issue", "completed", "relationship", "cost", "designed"}
)


@dataclass(frozen=True)
class _Hit:
    keyword: str
    start: int
    end: int
    weight: float


@lru_cache(maxsize=2048)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """The regular expression one guide keyword matches, case-insensitive."""
    words = [w for w in re.split(r"\s+", keyword.strip().lower()) if w]
    parts = [r"[\s-]?".join(re.escape(p) for p in w.split("-")) for w in words]
    tail = r"\w*" if len(words[-1]) >= STEM_MIN_LENGTH else r"(?:s|es)?"
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + tail + r"(?!\w)", re.IGNORECASE)


def _weight(keyword: str) -> float:
    if keyword.strip().lower() in COMMON_KEYWORDS:
        return COMMON_WEIGHT
    return PHRASE_WEIGHT if re.search(r"[\s/-]", keyword.strip()) else WORD_WEIGHT


def _hits(text: str, keywords: list[str]) -> list[_Hit]:
    hits = []
    for keyword in dict.fromkeys(k for k in keywords if k.strip()):
        for m in keyword_pattern(keyword).finditer(text):
            hits.append(_Hit(keyword, m.start(), m.end(), _weight(keyword)))
    # A word inside a matched phrase ("risk" in "risk register") is not separate evidence.
    return [h for h in hits if not any(_inside(h, o) for o in hits)]


def _inside(hit: _Hit, other: _Hit) -> bool:
    shorter = hit.end - hit.start < other.end - other.start
    return shorter and other.start <= hit.start and hit.end <= other.end


def _opening_start(text: str) -> int:
    m = re.search(r"\w", text)
    return m.start() if m else 0


def match_skills(text: str, guide: Guide) -> list[SkillMatch]:
    """The guide's transferable skills found in one text, strongest first (ties: earliest)."""
    scored: list[tuple[float, int, SkillMatch]] = []
    opening = _opening_start(text)
    for skill in guide.transferable_skills:
        hits = _hits(text, skill.keywords)
        if not hits:
            continue
        weight = sum({h.keyword: h.weight for h in hits}.values())
        if any(h.start == opening for h in hits):
            weight += OPENING_BONUS
        first = min(h.start for h in hits)
        ordered = sorted(hits, key=lambda h: h.start)
        matched = list(dict.fromkeys(text[h.start : h.end] for h in ordered))
        match = SkillMatch(name=skill.name, score=round(1 - 0.5**weight, 3), matched=matched)
        scored.append((match.score, first, match))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [match for _, _, match in scored]


def resume_bullets(resume: Resume) -> list[tuple[str, str]]:
    """(path, text) of every work and project bullet; a job's summary when it has no bullets."""
    bullets: list[tuple[str, str]] = []
    for i, work in enumerate(resume.work):
        bullets += [(f"work[{i}].highlights[{j}]", h) for j, h in enumerate(work.highlights)]
        if not work.highlights and work.summary:
            bullets.append((f"work[{i}].summary", work.summary))
    for i, project in enumerate(resume.projects):
        if project.description:
            bullets.append((f"projects[{i}].description", project.description))
        bullets += [(f"projects[{i}].highlights[{j}]", h) for j, h in enumerate(project.highlights)]
    return [(path, text) for path, text in bullets if text and text.strip()]


def find_evidence(resume: Resume, guide: Guide) -> list[BulletEvidence]:
    """Evidence for every work and project bullet of the resume against the guide's skills."""
    return [
        BulletEvidence(path=path, text=text, skills=match_skills(text, guide))
        for path, text in resume_bullets(resume)
    ]


def unproven_skills(evidence: list[BulletEvidence], guide: Guide) -> list[str]:
    """Transferable skills of the guide that no bullet demonstrates, in guide order."""
    proven = {s.name for bullet in evidence for s in bullet.skills}
    return [s.name for s in guide.transferable_skills if s.name not in proven]
