"""Gap analysis: proven and unproven transferable skills, skills to build, job-description terms.

Everything here is deterministic word matching, so each finding can be explained by the words
that were (or were not) found.
"""

from __future__ import annotations

import re
from collections import Counter

from coach.evidence import find_evidence, keyword_pattern, resume_bullets
from coach.guides import GuideMatch, list_guides, select_guide
from coach.models import (
    Analysis,
    BulletEvidence,
    Gaps,
    Guide,
    JobTerms,
    Resume,
    SkillEvidence,
    SkillGap,
    SkillToBuild,
)

# Words in a resume that show a skill to build is partly there already. The first skill-name
# pattern that matches wins, so the more specific patterns come first.
_RELATED: list[tuple[str, list[str]]] = [
    (
        r"project management",
        ["jira", "asana", "monday.com", "smartsheet", "trello", "ms project", "microsoft project"]
        + ["wrike", "basecamp", "gantt", "pmp", "capm", "prince2", "project management"],
    ),
    (r"agile|scrum", ["scrum", "agile", "kanban", "sprint", "csm", "psm", "retrospective"]),
    (r"stakeholder", ["stakeholder", "executive", "steering committee", "client", "sponsor"]),
    (r"budget", ["budget", "cost", "forecast", "p&l", "excel", "smartsheet"]),
    (
        r"ethic|governance|responsible",
        ["responsible ai", "ai ethics", "fairness", "bias", "governance", "gdpr", "privacy"],
    ),
    (
        r"lifecycle|life cycle|mlops",
        ["mlops", "mlflow", "model training", "model deployment", "model monitoring"]
        + ["sagemaker", "kubeflow", "vertex ai"],
    ),
    (r"data pipeline", ["etl", "airflow", "data pipeline", "kafka", "spark", "dbt", "warehouse"]),
    (r"data science|technical communication", ["data scien", "ml engineer", "machine learning"]),
    (
        r"\bai\b|machine learning|\bml\b",
        ["machine learning", "deep learning", "tensorflow", "pytorch", "scikit-learn", "sklearn"]
        + ["neural network", "nlp", "llm", "computer vision", "ai", "ml", "data scien"],
    ),
]

_STOP_WORDS = frozenset(
    """a about above across after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either etc few for
    from further had has have having he her here hers him his how i if in into is it its itself just
    may me might more most must my no nor not now of off on once only or other our ours out over own
    per same shall she should so some such than that the their them then there these they this those
    through to too under until up upon us very via was we were what when where which while who whom
    why will with within without would yet you your yours

    ability able apply applicant applicants benefits bonus candidate candidates company description
    desired environment equal excellent experience experienced familiarity focus good great help
    ideal include includes including job join knowledge level looking minimum new offer opportunity
    plus position preferred proven qualifications related required requirements responsibilities
    responsible role salary skills strong successful understanding well work working world year
    years ensure key like make part across using used within based day days best build""".split()
)
MAX_JOB_TERMS = 25


# ---------------------------------------------------------------- text helpers


def resume_text(resume: Resume) -> str:
    """All resume text the gap checks search (bullets, summaries, skills, courses, certificates)."""
    parts: list[str] = [resume.basics.summary or "", resume.basics.label or ""]
    for work in resume.work:
        parts += [work.position or "", work.summary or "", *work.highlights]
    for project in resume.projects:
        parts += [project.name or "", project.description or "", *project.highlights]
        parts += project.keywords
    for skill in resume.skills:
        parts += [skill.name or "", *skill.keywords]
    for cert in resume.certificates:
        parts += [cert.name or "", cert.issuer or ""]
    for edu in resume.education:
        parts += [edu.area or "", *edu.courses]
    for item in resume.volunteer:
        parts += [item.summary or "", *item.highlights]
    parts += [award.title or "" for award in resume.awards]
    return "\n".join(p for p in parts if p)


def _found(terms: list[str], text: str) -> list[str]:
    """The resume's own spelling of every term that occurs in text, first occurrence order."""
    hits: list[tuple[int, str]] = []
    for term in dict.fromkeys(t for t in terms if t.strip()):
        # Acronyms are matched case-sensitively so "CSM" does not match a stray "csm".
        if term.isupper():
            m = re.search(rf"(?<!\w){re.escape(term)}s?(?!\w)", text)
        else:
            m = keyword_pattern(term).search(text)
        if m:
            hits.append((m.start(), m.group(0)))
    words = list(dict.fromkeys(word for _, word in sorted(hits)))
    # "ScrumMaster" adds nothing next to "Certified ScrumMaster".
    return [w for w in words if not any(w != o and w.lower() in o.lower() for o in words)]


# ---------------------------------------------------------------- transferable skills


def _skill_evidence(evidence: list[BulletEvidence], guide: Guide) -> list[SkillEvidence]:
    result = []
    for skill in guide.transferable_skills:
        scored = [
            (m.score, bullet.path)
            for bullet in evidence
            for m in bullet.skills
            if m.name == skill.name
        ]
        bullets = [path for _, path in sorted(scored, key=lambda item: -item[0])]
        result.append(SkillEvidence(name=skill.name, bullets=bullets))
    return result


def _surface_hint(name: str, guide: Guide) -> str:
    skill = next(s for s in guide.transferable_skills if s.name == name)
    words = ", ".join(f"'{k}'" for k in skill.keywords[:5])
    hint = f"No bullet shows {name} yet. If you have done it, add a bullet that says what you did"
    hint += f" and the result, using words such as {words}." if words else " and the result."
    return f"{hint} {skill.description}".strip()


# ---------------------------------------------------------------- skills to build


def _resource_names(resource: str) -> list[str]:
    """Names a resume might use for a resource: the title, a course name, an acronym."""
    names = re.findall(r"\(([A-Z][A-Za-z]{1,6})\)", resource)  # "(CSM)", "(PSM)"
    title = re.sub(r"\(.*?\)", "", resource).split(",")[0]
    title = re.sub(r"\b(book|course)\b", "", title, flags=re.IGNORECASE)
    title = title.split(":")[-1].strip(" '\"")
    # "Andrew Ng's Machine Learning Specialization" -> the course name a resume would use
    title = re.sub(r"^(?:\S+\s+)?\S+'s\s+", "", title)
    if len(title) >= 3:
        names.append(title)
    return names


def _related_terms(skill: SkillToBuild) -> list[str]:
    terms: list[str] = []
    for resource in skill.resources:
        terms += _resource_names(resource)
    for pattern, words in _RELATED:
        if re.search(pattern, skill.name, re.IGNORECASE):
            return terms + words
    return terms


def _skills_to_build(guide: Guide, text: str) -> list[SkillGap]:
    gaps = []
    for skill in sorted(guide.skills_to_build, key=lambda s: s.priority):
        found = _found(_related_terms(skill), text)
        gaps.append(
            SkillGap(
                name=skill.name,
                priority=skill.priority,
                description=skill.description,
                resources=skill.resources,
                partly_present=bool(found),
                found=found,
            )
        )
    return gaps


# ---------------------------------------------------------------- job description


def job_key_terms(job_text: str, limit: int = MAX_JOB_TERMS) -> list[str]:
    """Key terms of a job description: technical/capitalised terms and repeated words or pairs."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    order: dict[str, int] = {}
    technical: set[str] = set()
    capitalised: set[str] = set()  # proper nouns and title words: kept even when said once

    def add(term: str, is_technical: bool = False) -> None:
        key = term.lower()
        counts[key] += 1
        spelling.setdefault(key, term)
        order.setdefault(key, len(order))
        if is_technical:
            technical.add(key)

    for sentence in re.split(r"[.!?;:\n]+(?:\s|$)|\n", job_text):
        tokens = re.findall(r"[A-Za-z][A-Za-z0-9+#./&-]*[A-Za-z0-9+#]|[A-Za-z]", sentence)
        words = [t.strip(".") for t in tokens]
        for i, word in enumerate(words):
            low = word.lower()
            if low in _STOP_WORDS or len(word) < 2:
                continue
            add(word, _looks_technical(word))
            if word[0].isupper() and i > 0:
                capitalised.add(low)
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt and nxt.lower() not in _STOP_WORDS and len(nxt) > 2 and len(word) > 2:
                add(f"{word} {nxt}")
    # Keep technical terms, and other words or pairs that the description repeats.
    keep = [
        k for k in counts if k in technical or k in capitalised or (counts[k] >= 2 and len(k) > 3)
    ]
    pairs = {k for k in keep if " " in k}
    # A word that only ever appears inside a kept pair adds nothing on its own.
    keep = [
        k
        for k in keep
        if " " in k or k in technical or counts[k] > sum(counts[p] for p in pairs if k in p.split())
    ]
    keep.sort(key=lambda k: (-(counts[k] + (k in technical) + (k in capitalised)), order[k]))
    return [spelling[k] for k in keep[:limit]]


def _looks_technical(word: str) -> bool:
    """Acronyms, mixed case (PyTorch, MLOps) and symbols (C++, CI/CD, Node.js) mark a tool."""
    return bool(
        re.search(r"[0-9+#/.&]", word[1:])
        or re.fullmatch(r"[A-Z]{2,}s?", word)
        or re.search(r"[a-z][A-Z]", word)
    )


def job_gaps(job_text: str, text: str) -> JobTerms:
    """Key terms of the job description split into those the resume covers and those it misses."""
    terms = job_key_terms(job_text)
    covered_found = {t.lower() for t in terms if _found([t], text)}
    covered = [t for t in terms if t.lower() in covered_found]
    return JobTerms(terms=terms, covered=covered, missing=[t for t in terms if t not in covered])


# ---------------------------------------------------------------- the analyze step


def find_gaps(
    resume: Resume,
    guide: Guide | None,
    evidence: list[BulletEvidence],
    job_text: str | None = None,
) -> Gaps:
    """Gap analysis for a resume; without a guide only the job-description part is filled."""
    text = resume_text(resume)
    gaps = Gaps(job=job_gaps(job_text, text) if job_text and job_text.strip() else None)
    if guide is None:
        return gaps
    for item in _skill_evidence(evidence, guide):
        if item.bullets:
            gaps.evidenced.append(item)
        else:
            gaps.unproven.append(item.model_copy(update={"hint": _surface_hint(item.name, guide)}))
    gaps.to_build = _skills_to_build(guide, text)
    return gaps


def current_title(resume: Resume) -> str | None:
    """The most recent job title: a job with no end date (or 'Present'), else the first listed."""
    jobs = [w for w in resume.work if w.position and w.position.strip()]
    for work in jobs:
        if work.is_current:
            return work.position
    return jobs[0].position if jobs else None


def analyze_resume(
    resume: Resume,
    target_role: str,
    current_role: str | None = None,
    job_text: str | None = None,
    guides: list[Guide] | None = None,
) -> Analysis:
    """Choose the guide, map every bullet to its skills, and find the gaps."""
    current = current_role or current_title(resume)
    match: GuideMatch | None = select_guide(target_role, current, guides)
    closest = None if match or not current else closest_target_guide(resume, target_role, guides)
    guide = match.guide if match else closest
    if match:
        note = f"Using guide '{match.guide.id}' ({match.guide.from_role} → {match.guide.to_role})."
        if match.from_score is None:
            note += " The current role is unknown, so it was chosen by the target role alone."
    elif closest:
        note = (
            f"No transition guide covers '{current}' → '{target_role}'; using '{closest.id}' "
            f"({closest.from_role} → {closest.to_role}), the guide for the target role whose "
            "transferable skills your bullets show most. Its roadmap, timeline and salary figures "
            f"are written for {closest.from_role.lower()}s; add a guide for your own move with "
            "`resume-coach guides import FILE --save`."
        )
    else:
        note = (
            f"No transition guide matches '{current or 'unknown role'}' → '{target_role}'; "
            "this analysis uses the target role and job description only. "
            "Add a guide with `resume-coach guides import FILE --save`."
        )
    if guide:
        evidence = find_evidence(resume, guide)
    else:
        evidence = [BulletEvidence(path=p, text=t) for p, t in resume_bullets(resume)]
    return Analysis(
        target_role=target_role,
        current_role=current,
        guide=guide.id if guide else None,
        guide_note=note,
        guide_is_closest=closest is not None,
        evidence=evidence,
        gaps=find_gaps(resume, guide, evidence, job_text),
    )


def closest_target_guide(
    resume: Resume, target_role: str, guides: list[Guide] | None = None
) -> Guide | None:
    """Among the guides for the target role, the one most of the resume's bullets give evidence
    for; None when no guide leads to the target role or no bullet shows any of its skills.

    A data analyst moving into AI project management has no guide of their own, but most of a
    project manager's transferable skills (planning, stakeholders, risk) are theirs too.
    """
    best: tuple[int, float, Guide] | None = None
    for guide in guides if guides is not None else list_guides():
        if select_guide(target_role, None, [guide]) is None:
            continue
        evidence = [e for e in find_evidence(resume, guide) if e.skills]
        strength = (len(evidence), sum(e.skills[0].score for e in evidence))
        if strength[0] and (best is None or strength > best[:2]):
            best = (*strength, guide)
    return best[2] if best else None


def analysis_to_markdown(analysis: Analysis) -> str:
    """A readable report of an analysis: guide, evidence per bullet, gaps."""
    current = analysis.current_role or "current role unknown"
    out = [f"# Analysis: {current} → {analysis.target_role}"]
    out += ["", analysis.guide_note, "", "## Evidence per bullet", ""]
    for bullet in analysis.evidence:
        skills = "; ".join(
            f"{s.name} {s.score:.2f} ({', '.join(s.matched)})" for s in bullet.skills
        )
        skills = skills or "no transferable skill found"
        out += [f"- `{bullet.path}` {bullet.text}", f"  - {skills}"]
    gaps = analysis.gaps
    if gaps.evidenced:
        out += ["", "## Transferable skills with evidence", ""]
        out += [f"- {s.name}: {', '.join(f'`{b}`' for b in s.bullets)}" for s in gaps.evidenced]
    if gaps.unproven:
        out += ["", "## Transferable skills without evidence", ""]
        out += [f"- {s.name}: {s.hint}" for s in gaps.unproven]
    if gaps.to_build:
        out += ["", "## Skills to build (most important first)", ""]
        for gap in gaps.to_build:
            status = f" - partly present ({', '.join(gap.found)})" if gap.partly_present else ""
            out.append(f"{gap.priority}. {gap.name}{status}")
            out += [f"   - {r}" for r in gap.resources]
    if gaps.job:
        out += ["", "## Job description terms", ""]
        out.append(f"- covered: {', '.join(gaps.job.covered) or 'none'}")
        out.append(f"- missing: {', '.join(gaps.job.missing) or 'none'}")
    return "\n".join(out) + "\n"
