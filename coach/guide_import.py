"""Turn a plain-text transition guide into a structured Guide.

Two layouts are understood, in any order and with varied heading wording: a short one (intro,
bare skill lists, a salary line, a timeline, certifications, first steps) and a long one
(overview, skills with explanations, skills to learn with resources, a roadmap of phases with
weeks and tasks, reality check, action plan, FAQ). Facts that are not in the text stay absent.
"""

from __future__ import annotations

import re

from coach.errors import GuideError
from coach.models import (
    ActionPlan,
    FaqEntry,
    Guide,
    RoadmapPhase,
    Salary,
    SkillToBuild,
    Timeline,
    TransferableSkill,
)

# Section name -> heading pattern (matched against the whole heading line, case-insensitive).
_HEADINGS: dict[str, str] = {
    "overview": r"overview|introduction|about this (?:transition|guide)|summary",
    "transferable_skills": r"(?:your )?transferable skills|what carries over"
    r"|skills you already have",
    "skills_to_build": r"skills (?:you'?ll|you will) need to (?:build|learn|develop)"
    r"|skills to (?:build|learn|develop)|skills? gaps?|what you(?:'ll| will) need to learn",
    "roadmap": r"(?:your )?(?:learning )?roadmap|learning path|step[- ]by[- ]step plan",
    "reality": r"(?:a )?reality check|what to expect",
    "what_you_will_love": r"what you(?:'ll| will) love|the upsides?|pros",
    "what_you_might_miss": r"what you (?:might|may|will) miss|what you'll miss|downsides|cons",
    "challenges": r"(?:the )?(?:biggest |main )?challenges",
    "action": r"start your journey(?: now)?|(?:your )?action plan",
    "week": r"this week",
    "month": r"this month",
    "days_90": r"(?:next|first) 90 days",
    "faq": r"frequently asked questions|faqs?",
    "salary": r"salary(?: comparison)?|pay|compensation",
    "timeline": r"timeline|time ?frame|how long (?:it|does it) takes?",
    "certifications": r"(?:recommended )?certifications?(?: worth getting)?",
    "first_steps": r"first steps.*|getting started|how to start.*",
    # Closing calls to action: their lines are not guide content.
    "end": r"related career transitions|ready to start.*|optimi[sz]e your resume.*",
}
_HEADING_RES = {k: re.compile(rf"(?:{v})", re.IGNORECASE) for k, v in _HEADINGS.items()}
# Sections a complete guide has; the ones not found are reported to the user.
EXPECTED_SECTIONS = [
    "summary",
    "transferable_skills",
    "skills_to_build",
    "roadmap",
    "certifications",
    "timeline",
    "salary",
    "first_steps",
    "challenges",
    "what_you_will_love",
    "what_you_might_miss",
    "action_plan",
    "faq",
]
_BULLET = re.compile(r"^\s*(?:[-*•–·]|\d{1,2}[.)])\s+")
_TITLE = re.compile(
    r"^(?:career change:\s*)?(?:from\s+)?(?P<from>.+?)\s+(?:to|→|->)\s+(?P<to>.+?)\s*(?::.*)?$",
    re.IGNORECASE,
)
# Words that describe a skill's form rather than its content, left out of generated keywords.
_GENERIC = {
    "and",
    "or",
    "the",
    "of",
    "with",
    "for",
    "skills",
    "skill",
    "understanding",
    "mindset",
    "experience",
    "proficiency",
    "strategies",
    "methodologies",
    "knowledge",
    "fundamentals",
    "basics",
    "working",
}


# ---------------------------------------------------------------- splitting


def _heading(line: str) -> str | None:
    text = line.strip().lstrip("#").strip().rstrip(":").strip()
    if not text or _BULLET.match(line) or len(text) > 60:
        return None
    for name, pattern in _HEADING_RES.items():
        if pattern.fullmatch(text):
            return name
    return None


def _split(text: str) -> tuple[str, list[str], dict[str, list[str]]]:
    """Title line, lines before the first heading, and the lines of every section."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise GuideError("the guide file is empty; it needs a title line such as 'X to Y'")
    title, rest = lines[0].strip().lstrip("#").strip(), lines[1:]
    intro: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] = intro
    for line in rest:
        name = _heading(line)
        if name:
            current = sections.setdefault(name, [])
        else:
            current.append(line.strip())
    sections.pop("end", None)
    return title, intro, sections


def _is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def _unbullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


def _is_prose(line: str) -> bool:
    """A sentence (lead-in or explanation) rather than a short title."""
    return line.rstrip().endswith((".", "!", "?")) or len(line.split()) > 8


def _items(lines: list[str]) -> list[str]:
    """The bullet items of a section, or its lines when it has no bullets."""
    bullets = [_unbullet(line) for line in lines if _is_bullet(line)]
    return bullets or [line for line in lines if not _is_prose(line) or len(lines) == 1]


def _titled_blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """'Title' lines each followed by explanation lines; lead-in prose before a title is dropped."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        if not _is_prose(line) and not _is_bullet(line):
            blocks.append((line.strip(), []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


# ---------------------------------------------------------------- fields


def _keywords(name: str) -> list[str]:
    """Starting keywords for a transferable skill: its name and its content words."""
    words = [w for w in re.findall(r"[A-Za-z][\w/+#-]*", name.lower()) if w not in _GENERIC]
    return list(dict.fromkeys([name.lower(), *words]))


def _transferable(lines: list[str]) -> list[TransferableSkill]:
    if any(_is_bullet(line) for line in lines):
        return [TransferableSkill(name=n, keywords=_keywords(n)) for n in _items(lines)]
    return [
        TransferableSkill(name=title, description=" ".join(body), keywords=_keywords(title))
        for title, body in _titled_blocks(lines)
    ]


_NAMED = r"Certificate|Certification|Specialization|Course|Bootcamp|Program"
_CAPS = r"[A-Z][\w.&/-]*(?:'s)?"  # a capitalised word, possibly possessive ("Ng's")
_LEAD_VERBS = re.compile(r"^(?:(?:complete|take|get|start|finish|read|earn|try)\s+)+", re.I)


def _resources(text: str) -> list[str]:
    """Book, course and tool names in an explanation: quoted titles, named courses, tool lists."""
    found = re.findall(r"(?<![\w'])['‘\"“]([^'‘’\"“”]{3,80}?)[.,]?['’\"”](?!\w)", text)
    link = r"(?:(?:for|of|and|in|to)\s+)?"
    for name in re.findall(rf"((?:{_CAPS}\s+{link}){{0,6}}{_CAPS}\s+(?:{_NAMED}|course))\b", text):
        found.append(re.sub(r"\s+course$", "", name))
    acronyms = re.findall(rf"((?:{_CAPS}\s+){{1,5}})(\([A-Z]{{2,6}}\))", text)
    found += [f"{words.strip()} {acronym}" for words, acronym in acronyms]
    for tools in re.findall(r"(?:tools? (?:like|such as)|such as)\s+((?:[^.]|\.(?=\w))+)", text):
        found += re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+", tools)
    names = [_LEAD_VERBS.sub("", f).strip(" .,'\"") for f in found]
    names = list(dict.fromkeys(n for n in names if len(n) >= 2))
    # "Certified ScrumMaster" adds nothing next to "Certified ScrumMaster (CSM)".
    return [n for n in names if not any(n != o and n.lower() in o.lower() for o in names)]


def _to_build(lines: list[str]) -> list[SkillToBuild]:
    if any(_is_bullet(line) for line in lines):
        names = _items(lines)
        return [SkillToBuild(name=n, priority=i) for i, n in enumerate(names, 1)]
    skills = []
    for i, (title, body) in enumerate(_titled_blocks(lines), 1):
        text = " ".join(body)
        skills.append(
            SkillToBuild(name=title, description=text, resources=_resources(text), priority=i)
        )
    return skills


_WEEKS = re.compile(r"^(\d{1,3})\s*weeks?\b\s*[-–:]?\s*(.*)$", re.IGNORECASE)
_WEEKS_IN_NAME = re.compile(r"\s*[(\-–:,]\s*(\d{1,3})\s*weeks?\)?\s*$", re.IGNORECASE)


def _roadmap(lines: list[str]) -> list[RoadmapPhase]:
    phases: list[RoadmapPhase] = []
    for line in lines:
        weeks = _WEEKS.match(line)
        if weeks and phases:
            phases[-1].weeks = int(weeks.group(1))
            task = _unbullet(weeks.group(2)) if weeks.group(2) else ""
            phases[-1].tasks += [task] if task else []
        elif _is_bullet(line) and phases:
            phases[-1].tasks.append(_unbullet(line))
        elif not _is_prose(line):
            in_name = _WEEKS_IN_NAME.search(line)
            name = line[: in_name.start()] if in_name else line
            phases.append(
                RoadmapPhase(name=name.strip(), weeks=int(in_name.group(1)) if in_name else None)
            )
    return phases


def _amount(raw: str) -> int:
    number = float(raw.lower().rstrip("k").replace(",", ""))
    return int(number * 1000) if raw.lower().endswith("k") else int(number)


_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}


def _salary(lines: list[str]) -> Salary | None:
    text = " ".join(lines)
    pairs = re.findall(r"([A-Za-z][^:|$€£]*?)\s*:\s*([$€£])\s?(\d[\d,.]*k?)", text, re.IGNORECASE)
    if not pairs:
        return None
    (from_title, symbol, low), *rest = pairs
    salary = Salary(from_title=from_title.strip(), from_=_amount(low), currency=_CURRENCY[symbol])
    if rest:
        salary.to_title, salary.to = rest[0][0].strip(" >-→"), _amount(rest[0][2])
    return salary


def _months(text: str) -> tuple[int | None, int | None]:
    m = re.search(r"(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*months?", text, re.IGNORECASE)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"(\d{1,2})[\s-]*months?", text, re.IGNORECASE)
    if m:
        return int(m.group(1)), int(m.group(1))
    m = re.search(r"(\d{1,2}|a|one)\s*years?", text, re.IGNORECASE)
    if m:
        years = 1 if m.group(1).lower() in ("a", "one") else int(m.group(1))
        return years * 12, years * 12
    return None, None


def _timeline(lines: list[str], title: str) -> Timeline | None:
    if lines:
        text = " ".join(lines)
        low, high = _months(text)
        return Timeline(text=text, min_months=low, max_months=high)
    # The long layout names the duration only in its title ("Your 8-Month Transition Guide").
    low, high = _months(title)
    return Timeline(text=f"{low} months", min_months=low, max_months=high) if low else None


def _faq(lines: list[str]) -> list[FaqEntry]:
    entries: list[FaqEntry] = []
    for line in lines:
        text = re.sub(r"^(?:q|question)\s*[:.]\s*", "", line.strip(), flags=re.IGNORECASE)
        if text.endswith("?"):
            entries.append(FaqEntry(question=text, answer=""))
        else:
            answer = re.sub(r"^(?:a|answer)\s*[:.]\s*", "", text, flags=re.IGNORECASE)
            if not entries or entries[-1].answer:
                # An answer whose question the text does not state keeps an empty question.
                entries.append(FaqEntry(question="", answer=answer))
            else:
                entries[-1].answer = answer
    return [e for e in entries if e.answer or e.question]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _roles(title: str) -> tuple[str, str]:
    m = _TITLE.match(title)
    if not m:
        raise GuideError(
            f"cannot find the two roles in the title line '{title[:80]}'; "
            "start the guide with a line such as 'From Teacher to Instructional Designer'"
        )
    return m.group("from").strip(), m.group("to").strip()


# ---------------------------------------------------------------- entry point


def import_guide_text(text: str, name: str = "imported guide") -> tuple[Guide, list[str]]:
    """Parse a plain-text guide; returns the Guide and the expected sections it did not find."""
    title, intro, sections = _split(text)
    from_role, to_role = _roles(title)
    summary_lines = sections.get("overview") or intro
    action = None
    if any(k in sections for k in ("week", "month", "days_90")):
        action = ActionPlan(
            week=_items(sections.get("week", [])),
            month=_items(sections.get("month", [])),
            days_90=_items(sections.get("days_90", [])),
        )
    guide = Guide(
        id=_slug(f"{from_role} to {to_role}") or _slug(name),
        from_role=from_role,
        to_role=to_role,
        summary=" ".join(summary_lines),
        transferable_skills=_transferable(sections.get("transferable_skills", [])),
        skills_to_build=_to_build(sections.get("skills_to_build", [])),
        roadmap=_roadmap(sections.get("roadmap", [])),
        certifications=_items(sections.get("certifications", [])),
        timeline=_timeline(sections.get("timeline", []), title),
        salary=_salary(sections.get("salary", [])),
        first_steps=_items(sections.get("first_steps", [])),
        challenges=_items(sections.get("challenges", [])),
        what_you_will_love=_items(sections.get("what_you_will_love", [])),
        what_you_might_miss=_items(sections.get("what_you_might_miss", [])),
        action_plan=action,
        faq=_faq(sections.get("faq", [])),
        source=f"imported from {name}",
    )
    return guide, _missing(guide)


def _missing(guide: Guide) -> list[str]:
    present = {
        "summary": bool(guide.summary),
        "timeline": guide.timeline is not None,
        "salary": guide.salary is not None,
        "action_plan": guide.action_plan is not None,
    }
    return [s for s in EXPECTED_SECTIONS if not present.get(s, bool(getattr(guide, s)))]
