"""Prompt chains: bullet rewrites, summary, STAR stories and skills, each checked by the guard.

Every generated text ends up as a `Change` (or a STAR field): `rewritten` when the guard accepts
it, `rejected` with the guard's reason when it does not, `kept` when the model gave no usable
answer. Identity fields (names, employers, titles, dates, schools) are never sent to a model.
With a remote provider every prompt is redacted first and every answer restored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from coach.errors import CoachError
from coach.guard import (
    ACTION_VERBS,
    STOP_WORDS,
    check_rewrite,
    check_star_field,
    check_summary,
    find_fabrications,
    is_identity_field,
    new_content_words,
    numbers,
    resume_facts,
    stem,
    tools,
)
from coach.llm import LENGTH_LIMIT_REASON, TIME_LIMIT_REASON, Completion, LLMClient
from coach.models import (
    SKILLS_PATH,
    BulletEvidence,
    Change,
    Guide,
    Resume,
    StarStory,
)
from coach.privacy import Redactor
from coach.prompts import PromptTemplate, load_prompt

# A bullet shorter than this is a label ("personal project, 2024"), not a sentence to rewrite.
MIN_BULLET_WORDS = 5
MIN_STORIES, MAX_STORIES = 3, 5
# The summary prompt shows the strongest bullets only: a small model's context is short, and
# every prompt token costs the embedded model ~5 ms.
SUMMARY_BULLETS = 3
SUMMARY_MAX_SENTENCES = 3
# A full stop that ends a sentence: another one starts after it ("3.5x" and "e.g. x" do not).
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-Z\[])")
SKILL_DESCRIPTION_WORDS = 14
# Content words an embedded-model rewrite may add (besides action verbs and the skill) or drop.
LOCAL_MAX_NEW_WORDS = 1
# Measured with bench/quality.py-style runs over the 8 sample resumes: none of the 135M model's
# summaries was usable (loops, copied bullets, a new job title), and each cost 2-5 s.
EMBEDDED_SUMMARY_REASON = (
    "the embedded model does not write summaries (none of its trial summaries was usable); "
    "use --provider openai or an OpenAI-compatible server for a new summary"
)
# A rewritten bullet may run this many tokens past twice its source's word count.
BULLET_EXTRA_TOKENS = 16
# A bullet rewrite must keep this share of the source's content words (lead verb aside): the
# guard's own floor (40%) lets a small model drop half a bullet, which is a loss, not a rewrite;
# at 80% it still dropped whole clauses ("during remote learning").
MIN_BULLET_KEPT = 0.9
# STAR fields must be mostly the bullet's own words (placeholders aside).
STAR_MIN_GROUNDED = {"situation": 0.5, "task": 0.5, "action": 0.7, "result": 0.6}
# Lead verbs that weaken a bullet: a rewrite may keep them but never switch to them.
WEAK_VERBS = frozenset(
    "assist assisted help helped handle handled support supported utilize utilized work worked "
    "use used".split()
)
# Lead verbs that name the same kind of work. A bullet that leads with a concrete action verb
# may swap it only within its family: "Coordinated a team" -> "Organized a team" reframes, but
# the 135M model's "Implemented a team" or "Collaborated 25+ trade shows" changes what was done.
SAME_WORK_VERBS = (
    "build create develop produce",
    "coordinate organize organise orchestrate facilitate",
    "cut reduce lower decrease shorten",
    "improve enhance strengthen boost raise increase accelerate advance",
    "run conduct execute perform carry",
    "lead head spearhead steer direct",
    "manage oversee administer",
    "introduce establish initiate launch pioneer",
    "explain communicate present",
    "analyze analyse assess evaluate",
    "streamline simplify",
    "redesign overhaul revamp restructure modernize transform",
    "partner collaborate",
    "grow expand scale",
    "deliver complete achieve",
    "resolve fix",
    "track monitor",
    "author write draft prepare",
)
_SAME_WORK_STEMS = [frozenset(stem(v) for v in family.split()) for family in SAME_WORK_VERBS]
_PLACEHOLDER_RE = re.compile(r"\[(?:add|fill|insert|todo)\s*:?\s*([^\]]*)\]", re.IGNORECASE)
# Clauses that usually carry a bullet's outcome: after a semicolon, or a participle of change.
_RESULT_SPLIT_RE = re.compile(
    r";\s+|,\s+(?=(?:cutting|reducing|raising|lowering|bringing|saving|increasing|improving|"
    r"growing|which|resulting|leading to)\b)",
    re.IGNORECASE,
)
_STORY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("situation", "task", "action", "result")},
    "required": ["situation", "task", "action", "result"],
}
_ROLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bullets": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                "required": ["id", "text"],
            },
        }
    },
    "required": ["bullets"],
}
_SKILLS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "keywords": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["name", "keywords"],
            },
        }
    },
    "required": ["groups"],
}
QUESTION_TEMPLATES = (
    "Tell me about a time your {skill} made a real difference to a project.",
    "Describe a situation where you relied on your {skill}. What did you do?",
    "Give an example of how you used {skill} to deliver a result under pressure.",
    "Walk me through a piece of work that shows your {skill}.",
    "Tell me about a challenge where your {skill} helped the team succeed.",
)

Progress = Callable[[str], None]


@dataclass
class ChainContext:
    """What every chain needs: the model, the resume, the guide and the target role."""

    client: LLMClient
    resume: Resume
    guide: Guide | None
    target_role: str
    job_terms: list[str] = field(default_factory=list)
    redactor: Redactor | None = None

    @classmethod
    def create(
        cls,
        client: LLMClient,
        resume: Resume,
        guide: Guide | None,
        target_role: str,
        job_terms: list[str] | None = None,
    ) -> ChainContext:
        """A context that redacts contact details when the provider is remote."""
        redactor = Redactor(resume) if client.provider != "local" else None
        return cls(client, resume, guide, target_role, list(job_terms or []), redactor)

    @property
    def embedded(self) -> bool:
        """The 135M model that ships with the package (not a --model-path GGUF): too small for
        summaries and STAR fields (see `EMBEDDED_SUMMARY_REASON` and `assemble_story`)."""
        return self.client.provider == "local" and not self.client.settings.model_path

    @property
    def batched(self) -> bool:
        """Remote models take a whole role's bullets per call; the local one goes one by one."""
        return self.client.provider != "local"

    def skill_description(self, name: str) -> str:
        """The guide's description of a transferable skill, cut to a prompt-sized phrase."""
        for skill in self.guide.transferable_skills if self.guide else []:
            if skill.name == name:
                words = skill.description.split()
                short = " ".join(words[:SKILL_DESCRIPTION_WORDS])
                return short.rstrip(",;:") + ("..." if len(words) > SKILL_DESCRIPTION_WORDS else "")
        return ""

    def ask(
        self,
        template: PromptTemplate,
        variables: dict[str, str],
        *,
        schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        """Render, redact (remote only), call the model, restore; errors become a Completion.

        `max_tokens` narrows the template's answer budget for this call.
        """
        messages = template.render(**variables)
        if self.redactor is not None:
            messages = [(role, self.redactor.redact(text)) for role, text in messages]
        try:
            answer = self.client.complete(
                messages,
                schema=schema,
                task=template.name,
                max_tokens=min(filter(None, (template.max_tokens, max_tokens)), default=None),
                stop=template.stop,
            )
        except CoachError:
            raise  # a refused key or missing model stops the run with its own message
        except Exception as exc:  # noqa: BLE001 - a broken model must not crash the run
            return Completion(text="", error=f"model call failed: {type(exc).__name__}")
        if self.redactor is None:
            return answer
        return Completion(
            text=self.redactor.restore(answer.text),
            data=_restore_data(answer.data, self.redactor),
            error=answer.error,
            cached=answer.cached,
        )


def _restore_data(data: Any, redactor: Redactor) -> Any:
    if isinstance(data, str):
        return redactor.restore(data)
    if isinstance(data, list):
        return [_restore_data(v, redactor) for v in data]
    if isinstance(data, dict):
        return {k: _restore_data(v, redactor) for k, v in data.items()}
    return data


# ---------------------------------------------------------------- bullet rewrites


def bullets_to_rewrite(evidence: list[BulletEvidence]) -> list[BulletEvidence]:
    """Bullets worth a rewrite: full sentences that show at least one transferable skill."""
    return [
        e
        for e in evidence
        if e.skills and len(e.text.split()) >= MIN_BULLET_WORDS and not is_identity_field(e.path)
    ]


def judge_bullet(
    source: str,
    answer: Completion,
    *,
    path: str,
    skill: str | None,
    prompt_texts: list[str],
    strict: bool = False,
    current: bool = False,
) -> Change:
    """Turn one model answer for one bullet into a Change, via the guard.

    `strict` (the embedded model) allows one new content word and no repeated words: that
    model's additions are mostly its input looped back ("..., including a B2B business").
    `current` says the bullet belongs to the job the person holds now (present tense).
    """
    if not answer.ok:
        return _change(path, source, source, skill, "kept", answer.error)
    verdict = check_rewrite(
        source,
        answer.text,
        allowed_terms=[skill.lower()] if skill else [],
        prompt_texts=prompt_texts,
    )
    if not verdict.ok:
        return _change(path, source, verdict.cleaned, skill, "rejected", verdict.reason)
    text = verdict.cleaned
    problem = (
        _lead_verb_problem(source, text)
        or _fabrication_problem(source, text)
        or _dropped_problem(source, text)
        or _named_skill_problem(source, text, skill)
        or (current and _tense_problem(source, text))
        or (strict and _strict_problem(source, text, skill))
    )
    if problem:
        return _change(path, source, text, skill, "rejected", problem)
    if _normalized(text) == _normalized(source):
        return _change(path, source, source, skill, "kept", "the model returned it unchanged")
    if _is_small_edit(source, text):
        reason = "the model changed only one word past the lead verb (no reframing)"
        return _change(path, source, source, skill, "kept", reason)
    return _change(path, source, text, skill, "rewritten", None)


def _is_small_edit(source: str, text: str) -> bool:
    """One word added, dropped or changed after the lead verb: a tense or an article, which is
    not worth a reviewer's time and is often a slip ("sends" -> "sent" in a current role)."""
    before, after = _normalized(source).split(), _normalized(text).split()
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    edits = [(i1, max(i2 - i1, j2 - j1)) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    return sum(size for _, size in edits) <= 1 and all(start > 0 for start, _ in edits)


def _change(
    path: str, original: str, rewritten: str, skill: str | None, status: str, reason: str | None
) -> Change:
    return Change(
        path=path,
        original=original,
        rewritten=rewritten,
        skill=skill,
        status=status,  # type: ignore[arg-type]
        reason=reason,
    )


def _first_word(text: str) -> str:
    match = re.match(r"\W*([A-Za-z][\w-]*)", text)
    return match.group(1).lower() if match else ""


def _lead_verb_problem(source: str, text: str) -> str | None:
    """A rewrite must lead with the source's verb or a strong action verb from the guard's list;
    a bullet that already leads with a concrete verb keeps the kind of work it names."""
    verb, original = _first_word(text), _first_word(source)
    if verb == original:
        return None
    if verb not in ACTION_VERBS:
        return f'does not lead with a known action verb ("{verb}")'
    if verb in WEAK_VERBS:
        return f'leads with a weaker verb ("{verb}" instead of "{original}")'
    concrete = original in ACTION_VERBS and original not in WEAK_VERBS
    if concrete and not (_same_work(original, verb) or _keeps_action_as_means(original, text)):
        return f'changes what was done ("{original}" -> "{verb}")'
    return None


def _same_work(verb: str, other: str) -> bool:
    return stem(verb) == stem(other) or any(
        stem(verb) in family and stem(other) in family for family in _SAME_WORK_STEMS
    )


def _keeps_action_as_means(verb: str, text: str) -> bool:
    """A new lead that frames the purpose and keeps the original action as the means:
    "Streamlined releases by rebuilding the pipeline" still says what was done."""
    return any(stem(word) == stem(verb) for word in re.findall(r"\b([a-z]+ing)\b", text.lower()))


def _fabrication_problem(source: str, text: str) -> str | None:
    """The final check the quality bench runs too: nothing capitalised or numeric that is new."""
    found = find_fabrications(source, text)
    return f"adds name(s) not in the source: {', '.join(found)}" if found else None


def _tense_problem(source: str, text: str) -> str | None:
    """A current job's bullet reads in the present tense ("Manage a $2.1M budget"); a rewrite
    must not move it into the past ("Managed ...") as if the person had left."""
    before, after = _first_word(source), _first_word(text)
    if before != after and stem(before) == stem(after) and not before.endswith("ed"):
        return f'puts a current job in the past tense ("{before}" -> "{after}")'
    return None


def is_current_job(resume: Resume, path: str) -> bool:
    """True for a bullet of a job with no end date or one that ends "present"."""
    match = re.match(r"work\[(\d+)\]", path)
    index = int(match.group(1)) if match else len(resume.work)
    return index < len(resume.work) and resume.work[index].is_current


def _repeat_problem(source: str, text: str) -> str | None:
    """A word or number used more often than in the bullet: a small model looping on its input
    ("..., using the model to train 3 new consultants", "including ... including")."""
    before, after = Counter(_fact_tokens(source)), Counter(_fact_tokens(text))
    repeated = [token for token, count in after.items() if count > before[token] and count > 1]
    return f"repeats {', '.join(repeated)}" if repeated else None


def _fact_tokens(text: str) -> list[str]:
    """Content-word stems and numbers, in order, with repeats."""
    words = re.findall(r"[A-Za-z][A-Za-z'+#]*|\d[\d.,]*", text)
    return [stem(w) for w in words if w.lower() not in STOP_WORDS and len(w) > 1]


def _strict_problem(source: str, text: str, skill: str | None) -> str | None:
    """The embedded model keeps a bullet's wording, so more than one word in or out is a loop
    on its input or a lost fact, not a reframing."""
    return (
        _added_problem(source, text, skill)
        or _lost_problem(source, text)
        or _repeat_problem(source, text)
    )


def _added_problem(source: str, text: str, skill: str | None) -> str | None:
    added = new_content_words(source, text, [skill] if skill else [])
    if len(added) > LOCAL_MAX_NEW_WORDS:
        return f"adds words the bullet does not have: {', '.join(added)}"
    return None


def _lost_problem(source: str, text: str) -> str | None:
    # The lead verb may change; every other content word of the bullet stays.
    kept = content_stems(text) | {stem(_first_word(source))}
    lost = sorted({w.lower() for w in content_words(source) if stem(w) not in kept})
    if len(lost) > LOCAL_MAX_NEW_WORDS:
        return f"drops words of the bullet: {', '.join(lost)}"
    return None


def _named_skill_problem(source: str, text: str, skill: str | None) -> str | None:
    """A skill's name pasted in ("coordinated project planning and execution with 40 users")
    reads as filler and often replaces the work it stood for: show the skill, never name it."""
    name = _normalized(skill or "")
    if len(name.split()) < 2 or name in _normalized(source):
        return None
    if name in _normalized(text):
        return f'names the skill ("{skill}") instead of showing it'
    return None


def content_words(text: str) -> list[str]:
    """A text's content words as written (no stop words, no numbers)."""
    words = re.findall(r"[A-Za-z][A-Za-z'+#]*", text)
    return [w for w in words if w.lower() not in STOP_WORDS and len(w) > 1]


def content_stems(text: str) -> set[str]:
    """Stems of a text's content words."""
    return {stem(w) for w in content_words(text)}


def _dropped_problem(source: str, text: str) -> str | None:
    """A rewrite that loses a tool or a fifth of the bullet's content is a loss, not a gain."""
    lost_tools = [shown for key, shown in tools(source).items() if key not in tools(text)]
    if lost_tools:
        return f"drops tool(s) the bullet names: {', '.join(lost_tools)}"
    src = content_stems(source) - {stem(_first_word(source))}
    if not src:
        return None
    kept = len(src & content_stems(text)) / len(src)
    if kept < MIN_BULLET_KEPT:
        return f"drops too much of the bullet (keeps {kept:.0%} of its content words)"
    return None


def _normalized(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def _top_skill(evidence: BulletEvidence) -> str | None:
    return evidence.skills[0].name if evidence.skills else None


def rewrite_one(ctx: ChainContext, evidence: BulletEvidence) -> Change:
    """Rewrite a single bullet (one call): the local model's way.

    The prompt holds only what changes per bullet (skill and bullet) after a fixed prefix, so
    llama.cpp reuses the prefix's evaluation from the previous call.
    """
    template = load_prompt("rewrite_bullet")
    skill = _top_skill(evidence)
    answer = ctx.ask(
        template,
        {
            "target_role": ctx.target_role,
            "skill": (skill or "clear communication").lower(),
            "bullet": evidence.text,
        },
        max_tokens=bullet_budget(evidence.text),
    )
    return judge_bullet(
        evidence.text,
        answer,
        path=evidence.path,
        skill=skill,
        prompt_texts=template.example_texts(),
        strict=True,
        current=is_current_job(ctx.resume, evidence.path),
    )


def bullet_budget(bullet: str) -> int:
    """Answer tokens for one rewritten bullet: room for a longer bullet, not for rambling."""
    return 2 * len(bullet.split()) + BULLET_EXTRA_TOKENS


def rewrite_role(ctx: ChainContext, items: list[BulletEvidence]) -> list[Change]:
    """Rewrite all bullets of one role in one JSON call: the capable model's way."""
    template = load_prompt("rewrite_role")
    lines = []
    for i, evidence in enumerate(items, start=1):
        skills = "; ".join(
            f"{m.name.lower()} - {ctx.skill_description(m.name)}".rstrip(" -")
            for m in evidence.skills[:2]
        )
        lines.append(f"{i}. [skill: {skills}] {evidence.text}")
    answer = ctx.ask(
        template,
        {
            "target_role": ctx.target_role,
            "job_terms": ", ".join(ctx.job_terms) or "none",
            "bullets": "\n".join(lines),
        },
        schema=_ROLE_SCHEMA,
    )
    texts = _texts_by_id(answer.data) if answer.ok else {}
    changes = []
    for i, evidence in enumerate(items, start=1):
        text = texts.get(i)
        if text is None:
            reason = answer.error if not answer.ok else "no answer for this bullet"
            one = Completion(text="", error=reason)
        else:
            one = Completion(text=text)
        changes.append(
            judge_bullet(
                evidence.text,
                one,
                path=evidence.path,
                skill=_top_skill(evidence),
                prompt_texts=template.example_texts(),
                current=is_current_job(ctx.resume, evidence.path),
            )
        )
    return changes


def _texts_by_id(data: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    for item in (data or {}).get("bullets", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            try:
                out.setdefault(int(item.get("id")), item["text"])
            except (TypeError, ValueError):
                continue
    return out


def role_groups(items: list[BulletEvidence]) -> list[list[BulletEvidence]]:
    """Bullets grouped by their role (`work[0]`, `projects[1]`), in resume order."""
    groups: dict[str, list[BulletEvidence]] = {}
    for evidence in items:
        groups.setdefault(evidence.path.split(".")[0], []).append(evidence)
    return list(groups.values())


# ---------------------------------------------------------------- summary


def summary_facts(resume: Resume, evidence: list[BulletEvidence]) -> str:
    """What the summary prompt shows: old summary (or headline), strongest bullets, skills.

    Names, employers, titles, dates and schools are left out: the model never sees them.
    """
    strongest = sorted(
        (e for e in evidence if e.skills), key=lambda e: -max(m.score for m in e.skills)
    )[:SUMMARY_BULLETS]
    keywords = [k for s in resume.skills for k in (s.keywords or [s.name or ""]) if k]
    # The headline only when there is no summary: a small model copies a title line first.
    parts = [resume.basics.summary or resume.basics.label or ""]
    parts += [e.text for e in strongest]
    if keywords:
        parts.append("Skills: " + ", ".join(keywords[:12]))
    return "\n".join(p.strip() for p in parts if p and p.strip())


def write_summary(ctx: ChainContext, evidence: list[BulletEvidence], skills: list[str]) -> Change:
    """A 2-3 sentence summary for the target role, checked against the whole resume."""
    template = load_prompt("summary")
    original = ctx.resume.basics.summary or ""
    answer = ctx.ask(
        template,
        {
            "target_role": ctx.target_role,
            "skills": ", ".join(s.lower() for s in skills) or "clear communication",
            "facts": summary_facts(ctx.resume, evidence),
        },
    )
    skill = skills[0] if skills else None
    answer = whole_sentences(answer)
    if not answer.ok:
        return _change("basics.summary", original, original, skill, "kept", answer.error)
    allowed = [ctx.target_role, *(s.lower() for s in skills)]
    source = resume_facts(ctx.resume)
    verdict = check_summary(
        source, answer.text, allowed_terms=allowed, prompt_texts=template.example_texts()
    )
    if not verdict.ok:
        return _change(
            "basics.summary", original, verdict.cleaned, skill, "rejected", verdict.reason
        )
    leftover = find_fabrications(source, verdict.cleaned, allowed_terms=allowed)
    problem = (
        f"adds name(s) not in the resume: {', '.join(leftover)}" if leftover else None
    ) or _summary_problem(verdict.cleaned, ctx.target_role)
    if problem:
        return _change("basics.summary", original, verdict.cleaned, skill, "rejected", problem)
    if _normalized(verdict.cleaned) == _normalized(original):
        return _change("basics.summary", original, original, skill, "kept", "returned unchanged")
    return _change("basics.summary", original, verdict.cleaned, skill, "rewritten", None)


def _summary_problem(text: str, target_role: str) -> str | None:
    """A summary that loops on one sentence, or says the person already holds the target role
    ("I'm a senior AI project manager"): the role is where they are going, not a fact."""
    sentences = [_normalized(p) for p in _SENTENCE_END_RE.split(text) if _normalized(p)]
    if len(set(sentences)) < len(sentences):
        return "repeats a sentence"
    # "I'm a senior AI project manager", or a sentence that opens with the title as if held.
    role = re.escape(_normalized(target_role))
    claim = re.compile(rf"(?:^|\bi a?m )(?:an? )?(?:\w+ )?{role}\b")
    if any(claim.search(sentence) for sentence in sentences):
        return f"claims the person already is a {target_role}"
    return None


def keep_summary(ctx: ChainContext, _evidence: list[BulletEvidence], skills: list[str]) -> Change:
    """The summary as it is, with the reason: the embedded model does not write summaries."""
    original = ctx.resume.basics.summary or ""
    skill = skills[0] if skills else None
    return _change("basics.summary", original, original, skill, "kept", EMBEDDED_SUMMARY_REASON)


def whole_sentences(answer: Completion) -> Completion:
    """An answer cut at its token budget, trimmed to the sentences it finished (if any).

    A small model often writes three good sentences and starts a fourth; the cut-off one is
    dropped rather than the whole answer.
    """
    if answer.error not in (LENGTH_LIMIT_REASON, TIME_LIMIT_REASON):
        return answer
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(answer.text)]
    if not ends:
        return answer
    return Completion(text=answer.text[: ends[min(len(ends), SUMMARY_MAX_SENTENCES) - 1]].strip())


# ---------------------------------------------------------------- STAR stories


def pick_story_bullets(evidence: list[BulletEvidence], count: int) -> list[BulletEvidence]:
    """The strongest bullets, one per transferable skill first, then the next strongest."""
    count = max(MIN_STORIES, min(MAX_STORIES, count))
    usable = [e for e in evidence if e.skills and len(e.text.split()) >= MIN_BULLET_WORDS]
    ranked = sorted(usable, key=lambda e: -e.skills[0].score)  # stable: resume order on ties
    chosen: list[BulletEvidence] = []
    covered: set[str] = set()
    for e in ranked:
        if len(chosen) < count and e.skills[0].name not in covered:
            chosen.append(e)
            covered.add(e.skills[0].name)
    for e in ranked:
        if len(chosen) < count and e not in chosen:
            chosen.append(e)
    return chosen


def story_question(skill: str, index: int, guide: Guide | None) -> str:
    """A likely interview question for a skill (deterministic: template, or a guide challenge)."""
    challenges = guide.challenges if guide else []
    if index < len(challenges) and index % 2 == 1:
        challenge = challenges[index].rstrip(".")
        lead = challenge[0].lower() + challenge[1:]
        return f"This role involves {lead}. Tell me about a time you did that."
    return QUESTION_TEMPLATES[index % len(QUESTION_TEMPLATES)].format(skill=skill.lower())


def fallback_fields(bullet: str) -> dict[str, str]:
    """STAR fields built from the bullet alone: its action, its outcome clause, placeholders."""
    parts = _RESULT_SPLIT_RE.split(bullet.strip().rstrip("."), maxsplit=1)
    action = parts[0].strip()
    result = parts[1].strip() if len(parts) > 1 else ""
    if result:
        result = result[0].upper() + result[1:] + "."
    return {
        "situation": "[add: the situation - team, product and problem]",
        "task": "[add: your goal or responsibility]",
        "action": action + ".",
        "result": result or "[add: the result, ideally a number]",
    }


def write_story(ctx: ChainContext, evidence: BulletEvidence, question: str) -> StarStory:
    """One STAR story from one bullet; each field is guarded or replaced by the fallback."""
    template = load_prompt("star_story")
    answer = ctx.ask(
        template, {"question": question, "bullet": evidence.text}, schema=_STORY_SCHEMA
    )
    fallback = fallback_fields(evidence.text)
    data = answer.data if answer.ok and isinstance(answer.data, dict) else {}
    fields: dict[str, str] = {}
    for name, default in fallback.items():
        value = data.get(name)
        fields[name] = default
        if isinstance(value, str):
            verdict = check_star_field(evidence.text, value, prompt_texts=template.example_texts())
            text = verdict.cleaned
            if verdict.ok and not _story_field_problem(name, text, evidence.text, fields):
                fields[name] = text
    return StarStory(
        question=question,
        skill=_top_skill(evidence),
        sources=[evidence.path],
        missing=_missing(fields),
        **fields,
    )


def assemble_story(evidence: BulletEvidence, question: str, changes: list[Change]) -> StarStory:
    """A STAR story built from the bullet without a model call (the embedded model's way).

    The action and result come from the bullet as rewritten (when the guard accepted a
    rewrite), the situation and task stay placeholders: measured on the sample resumes, the
    135M model's own STAR fields failed the guard 30 times out of 32 and cost ~7 s each.
    """
    text = next(
        (c.rewritten for c in changes if c.path == evidence.path and c.status == "rewritten"),
        evidence.text,
    )
    fields = fallback_fields(text)
    return StarStory(
        question=question,
        skill=_top_skill(evidence),
        sources=[evidence.path],
        missing=_missing(fields),
        **fields,
    )


def _missing(fields: dict[str, str]) -> list[str]:
    """What the placeholders ask the user to add, in order, without repeats."""
    found = [
        m.group(1).strip() or "detail"
        for text in fields.values()
        for m in _PLACEHOLDER_RE.finditer(text)
    ]
    return list(dict.fromkeys(found))


def _story_field_problem(name: str, text: str, bullet: str, earlier: dict[str, str]) -> bool:
    """Stricter than the guard: grounded in the bullet, no repeats, numbers where they belong."""
    if find_fabrications(bullet, text):
        return True
    body = _PLACEHOLDER_RE.sub(" ", text)
    words = content_stems(body)
    if words and len(words & content_stems(bullet)) / len(words) < STAR_MIN_GROUNDED[name]:
        return True
    norm = _normalized(body)
    if norm and any(
        norm in _normalized(_PLACEHOLDER_RE.sub(" ", other)) or _normalized(other) in norm
        for key, other in earlier.items()
        if key != name and _normalized(_PLACEHOLDER_RE.sub(" ", other))
    ):
        return True  # a field that repeats another says nothing new
    if name != "action" and norm == _normalized(bullet):
        return True  # the whole bullet is not a situation, task or result
    if name == "action" and _first_word(body) not in ACTION_VERBS | {_first_word(bullet)}:
        return True
    if name in ("situation", "task"):
        # The bullet's outcome figures belong in the result, not in the set-up.
        outcome = fallback_fields(bullet)["result"]
        return bool(set(numbers(body)) & set(numbers(outcome)))
    return False


# ---------------------------------------------------------------- skills


def _skill_groups(resume: Resume) -> list[dict[str, Any]]:
    return [
        {"name": s.name or "Skills", "keywords": list(s.keywords or ([s.name] if s.name else []))}
        for s in resume.skills
    ]


def _relevance_terms(ctx: ChainContext) -> list[str]:
    terms = list(ctx.job_terms)
    if ctx.guide:
        for skill in ctx.guide.transferable_skills:
            terms += [skill.name, *skill.keywords]
        terms += [s.name for s in ctx.guide.skills_to_build]
    return [t.lower() for t in terms if t.strip()]


def _relevance(keyword: str, terms: list[str]) -> int:
    low = keyword.lower()
    return sum(1 for t in terms if t in low or (len(low) > 2 and low in t))


def reorder_skills(ctx: ChainContext) -> list[dict[str, Any]]:
    """Deterministic regrouping: most relevant groups and keywords first, nothing added."""
    terms = _relevance_terms(ctx)
    groups = []
    for group in _skill_groups(ctx.resume):
        keywords = sorted(group["keywords"], key=lambda k: -_relevance(k, terms))
        score = sum(_relevance(k, terms) for k in keywords) + _relevance(group["name"], terms)
        groups.append((score, {"name": group["name"], "keywords": keywords}))
    return [g for _, g in sorted(groups, key=lambda item: -item[0])]


def check_skill_groups(
    original: list[dict[str, Any]], groups: Any
) -> tuple[list[dict[str, Any]] | None, str | None]:
    """Validate a regrouping: only the resume's own keywords; dropped ones are put back."""
    if not isinstance(groups, list) or not groups:
        return None, "no skill groups in the answer"
    known = {k.strip().lower(): k for g in original for k in g["keywords"]}
    source = "\n".join(k for g in original for k in [g["name"], *g["keywords"]])
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for group in groups:
        if not isinstance(group, dict):
            return None, "a skill group is not an object"
        name = str(group.get("name", "")).strip() or "Skills"
        if len(name.split()) > 5 or find_fabrications(source, name.lower()):
            return None, f'group name adds something new: "{name}"'
        keywords = []
        for raw in group.get("keywords") or []:
            key = str(raw).strip().lower()
            if key not in known:
                return None, f'adds a skill the resume does not show: "{raw}"'
            if key not in seen:
                seen.add(key)
                keywords.append(known[key])
        if keywords:
            out.append({"name": name, "keywords": keywords})
    dropped = [k for key, k in known.items() if key not in seen]
    if dropped:
        out.append({"name": "Other", "keywords": dropped})
    return out, None


def regroup_skills(ctx: ChainContext) -> Change | None:
    """Reorder and group the resume's own skills; None when the resume lists none."""
    original = _skill_groups(ctx.resume)
    if not any(g["keywords"] for g in original):
        return None
    before = json.dumps(original, ensure_ascii=False)
    if not ctx.batched:
        # A 135M model cannot regroup reliably; relevance ordering is deterministic and safe.
        groups = reorder_skills(ctx)
        after = json.dumps(groups, ensure_ascii=False)
        status, reason = (
            ("rewritten", "ordered by relevance")
            if after != before
            else ("kept", "already in order")
        )
        return _change(SKILLS_PATH, before, after, None, status, reason)
    template = load_prompt("skills")
    priorities = [s.name.lower() for s in ctx.guide.transferable_skills] if ctx.guide else []
    answer = ctx.ask(
        template,
        {
            "target_role": ctx.target_role,
            "priorities": ", ".join([*ctx.job_terms[:8], *priorities]) or "none",
            "skills": ", ".join(k for g in original for k in g["keywords"]),
        },
        schema=_SKILLS_SCHEMA,
    )
    if not answer.ok:
        return _change(SKILLS_PATH, before, before, None, "kept", answer.error)
    groups, problem = check_skill_groups(original, (answer.data or {}).get("groups"))
    if groups is None:
        return _change(SKILLS_PATH, before, answer.text, None, "rejected", problem)
    return _change(
        SKILLS_PATH, before, json.dumps(groups, ensure_ascii=False), None, "rewritten", None
    )


# ---------------------------------------------------------------- all chains


@dataclass
class ChainOutput:
    """Changes (summary, bullets, skills) and STAR stories of one run."""

    changes: list[Change]
    star_stories: list[StarStory]


def run_chains(
    ctx: ChainContext,
    evidence: list[BulletEvidence],
    skills: list[str],
    *,
    max_stories: int = 4,
    progress: Callable[[str, int, int], None] | None = None,
) -> ChainOutput:
    """Run every chain, independent calls concurrently within the client's concurrency limit.

    With the embedded model the summary is kept and the STAR stories are assembled from the
    (rewritten) bullets after the rewrites, without model calls; other models write both.
    """
    targets = bullets_to_rewrite(evidence)
    story_bullets = pick_story_bullets(evidence, max_stories) if evidence else []
    questions = [
        story_question(_top_skill(e) or "", i, ctx.guide) for i, e in enumerate(story_bullets)
    ]
    write = keep_summary if ctx.embedded else write_summary
    jobs: list[tuple[str, Callable[[], Any]]] = [("summary", lambda: write(ctx, evidence, skills))]
    if ctx.batched:
        jobs += [("rewrite", lambda g=g: rewrite_role(ctx, g)) for g in role_groups(targets)]
    else:
        jobs += [("rewrite", lambda e=e: rewrite_one(ctx, e)) for e in targets]
    if not ctx.embedded:
        jobs += [
            ("star", lambda e=e, q=q: write_story(ctx, e, q))
            for e, q in zip(story_bullets, questions, strict=True)
        ]
    jobs.append(("skills", lambda: regroup_skills(ctx)))
    results = _run_jobs(ctx, jobs, progress)
    changes: list[Change] = []
    star_stories: list[StarStory] = []
    for (kind, _), result in zip(jobs, results, strict=True):
        if kind == "star":
            star_stories.append(result)
        elif isinstance(result, list):
            changes += result
        elif result is not None:
            changes.append(result)
    if ctx.embedded:
        star_stories = [
            assemble_story(e, q, changes) for e, q in zip(story_bullets, questions, strict=True)
        ]
    return ChainOutput(changes=changes, star_stories=star_stories)


def _run_jobs(
    ctx: ChainContext,
    jobs: list[tuple[str, Callable[[], Any]]],
    progress: Callable[[str, int, int], None] | None,
) -> list[Any]:
    """Each job's result, in job order; progress is reported as jobs finish."""
    results: list[Any] = [None] * len(jobs)
    # The local model runs one call at a time anyway; in submission order, consecutive calls of
    # one task share their prompt prefix (system + examples), which llama.cpp does not recompute.
    workers = max(1, ctx.client.settings.concurrency) if ctx.batched else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(fn): i for i, (_, fn) in enumerate(jobs)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(jobs[index][0], done, len(jobs))
    return results
