"""Faithfulness guard: decide whether a generated text may replace the resume text it came from.

Every check is lexical and deterministic, so no model answer (however persuasive) can talk past it:
a candidate is accepted only when its numbers, names and tools all come from its source (or from
terms the caller explicitly allows) and its wording stays close enough to be about the same work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from coach.models import Resume

# ---------------------------------------------------------------- thresholds

# A rewrite that keeps fewer than 40% of the source's content words (stems, lead verbs excluded)
# describes different work; honest reorderings keep 60-90% in practice.
MIN_SOURCE_KEPT = 0.4
# A bullet rewrite may add a couple of framing words ("cross-functional", "ahead of schedule") ...
MIN_NEW_WORDS_ALLOWED = 2
# ... but when more than a fifth of its content words are new, it is adding claims
# ("... and winning the company award" is three new words in a twelve-word bullet).
MAX_NEW_WORD_RATIO = 0.2
# A stronger bullet is rarely much longer; "1.8x + 8 words" leaves room for a framing clause only.
MAX_LENGTH_FACTOR = 1.8
LENGTH_SLACK = 8
# Five words in a row copied from the prompt (two shared 4-grams) that are not in the source mean
# the model is echoing instructions or few-shot examples rather than rewriting.
ECHO_NGRAM = 4
MAX_ECHO_NGRAMS = 1
# A 2-3 sentence summary; one extra sentence is tolerated, more is a different document.
SUMMARY_MAX_SENTENCES = 4
SUMMARY_MAX_WORDS = 90
# A summary reframes the whole resume, so half its content words may be framing ...
SUMMARY_MAX_NEW_RATIO = 0.5
# ... but it must still name at least a few things the resume actually says.
SUMMARY_MIN_SHARED = 3
# STAR fields narrate one bullet: a bit more room for connecting words than a bullet rewrite.
STAR_LENGTH_FACTOR = 2.5
STAR_LENGTH_SLACK = 15
STAR_MIN_NEW_ALLOWED = 4
STAR_MAX_NEW_RATIO = 0.5
# A STAR field this long (content words) must share at least one word with its bullet.
STAR_GROUNDING_MIN_WORDS = 5

# JSON Resume paths that are copied from the parsed resume and never generated.
IDENTITY_FIELDS: tuple[str, ...] = (
    "basics.name",
    "basics.email",
    "basics.phone",
    "basics.url",
    "basics.location",
    "basics.profiles",
    "work[].name",
    "work[].position",
    "work[].startDate",
    "work[].endDate",
    "work[].location",
    "work[].url",
    "volunteer[].organization",
    "volunteer[].position",
    "volunteer[].startDate",
    "volunteer[].endDate",
    "education[]",
    "certificates[]",
)


class Verdict(BaseModel):
    """The guard's decision on one generated text."""

    ok: bool
    reason: str | None = None
    cleaned: str = ""


def is_identity_field(path: str) -> bool:
    """True when a JSON Resume path like `work[2].name` or `education[0].area` is copied only."""
    plain = _without_indices(path)
    return any(
        plain == field or plain.startswith(field + ".")
        for field in map(_without_indices, IDENTITY_FIELDS)
    )


def _without_indices(path: str) -> str:
    return re.sub(r"\[\d*\]|\.\d+(?=\.|$)", "", path)


# ---------------------------------------------------------------- word lists

STOP_WORDS = frozenset(
    """
    a about above across after again against all also am among an and any are around as at be
    because been before being below between both but by can could did do does doing done down
    during each either else etc ever every few for from further had has have having he her here
    hers him his how however i if in including into is it its itself just least less like made
    make makes many may me might more most much must my near neither no nor not now of off often
    on once only onto or other others our ours out over own per same several she should since so
    some such than that the their theirs them then there these they this those though through
    throughout thus to too toward towards under until up upon us use used using very via was we
    well were what when where whether which while who whom whose why will with within without
    would yet you your yours
    """.split()
)

# Lead verbs a rewrite may swap in: they reframe the same work rather than add facts.
ACTION_VERBS = frozenset(
    """
    author authored coach coached
    accelerate accelerated achieve achieved administer administered advance advanced align
    aligned analyse analysed analyze analyzed apply applied assess assessed assist assisted
    automate automated boost boosted build built carry carried champion championed collaborate
    collaborated communicate communicated complete completed conduct conducted contribute
    contributed coordinate coordinated create created cut cutting decrease decreased define
    defined deliver delivered design designed develop developed direct directed drive drove
    enable enabled enhance enhanced ensure ensured establish established evaluate evaluated
    execute executed expand expanded facilitate facilitated generate generated grew grow guide
    guided handle handled head headed help helped identify identified implement implemented
    improve improved increase increased initiate initiated introduce introduced lead leading led
    leverage leveraged lower lowered maintain maintained manage managed mentor mentored
    modernize modernized monitor monitored negotiate negotiated orchestrate orchestrated
    organise organised organize organized overhaul overhauled oversaw oversee own owned partner
    partnered perform performed pioneer pioneered plan planned prepare prepared present
    presented prioritize prioritized produce produced raise raised redesign redesigned reduce
    reduced resolve resolved restructure restructured revamp revamped run ran scale scaled
    secure secured shape shaped shorten shortened simplify simplified spearhead spearheaded
    steer steered streamline streamlined strengthen strengthened support supported track tracked
    train trained transform transformed turn turned unify unified utilize utilized work worked
    """.split()
)

# Manner adverbs a rewrite may add: puffery at worst, never a checkable fact.
BULLET_FRAMING = frozenset(
    "actively closely consistently effectively efficiently proactively successfully".split()
)

# Generic words a summary may use to frame a career without stating a new fact.
SUMMARY_FRAMING = frozenset(
    """
    ability background bring bringing career combine combining committed eager expertise
    experience experienced focus focused goal hands-on interest interested keen looking passion
    passionate professional proven record seeking skill skilled skills strength strengths strong
    track transition transitioning value years
    """.split()
)

# Neutral narrative words a STAR field may add around the bullet's facts.
STAR_FRAMING = frozenset(
    """
    aim approach challenge company goal needed needs outcome problem project responsible result
    resulting role situation step steps task team
    """.split()
)

# Section headings a rendered resume may add without it being a fabricated name.
HEADING_WORDS = frozenset(
    """
    achievements awards certificates certifications competencies contact core education
    employment experience history interests key languages objective profile professional
    projects publications references skills summary technical volunteer work
    """.split()
)

# Tools, platforms, companies and certifications, lower case, so an added "python" is caught too.
# Words that are also everyday English ("go", "swift", "slack", "spring", "excel at") are left out.
TOOL_LEXICON = frozenset(
    """
    python java javascript typescript golang ruby php perl scala kotlin c++ c# .net matlab
    objective-c haskell elixir clojure fortran cobol vba bash powershell sql nosql mysql
    postgresql postgres sqlite oracle mongodb redis cassandra elasticsearch dynamodb neo4j kafka
    rabbitmq pyspark hadoop airflow dbt snowflake databricks bigquery redshift tableau looker
    qlik alteryx informatica talend ssis excel powerpoint sharepoint salesforce hubspot marketo
    mailchimp zendesk servicenow jira confluence trello asana smartsheet airtable zapier figma
    photoshop indesign canva miro lucidchart visio aws azure gcp ec2 s3 sagemaker docker
    kubernetes k8s openshift terraform ansible jenkins circleci gitlab github bitbucket git
    linux unix macos ios android react.js reactjs angular angularjs vue vue.js node.js nodejs
    django flask fastapi laravel graphql grpc html css sass webpack tensorflow pytorch keras
    scikit-learn sklearn pandas numpy scipy matplotlib seaborn plotly jupyter mlflow kubeflow
    langchain openai chatgpt gpt-4 llama huggingface sap quickbooks xero netsuite workday
    peoplesoft shopify wordpress magento autocad solidworks revit sas spss stata minitab powerbi
    selenium cypress pytest junit postman prometheus grafana datadog splunk pagerduty nginx
    vmware kibana okta cloudflare heroku vercel netlify firebase supabase twilio paypal google
    amazon microsoft ibm deloitte accenture mckinsey pmp csm cspo cissp cisa cism cpa cfa ccna
    ccnp comptia itil prince2 togaf scrum
    """.split()
) | frozenset(
    (
        "power bi",
        "google analytics",
        "google ads",
        "google cloud",
        "microsoft excel",
        "apache spark",
        "react native",
        "six sigma",
        "hugging face",
        "after effects",
        "premiere pro",
        "new relic",
        "ruby on rails",
        "spring boot",
        "aws lambda",
    )
)

_TOOL_RE = re.compile(
    r"(?<![\w.+#])(?:"
    + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(TOOL_LEXICON, key=len)[::-1])
    + r")(?![\w+#]|\.\w)",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- text helpers

# A word starts with a letter (any script) and may hold digits, "+", "#", and inner ' . - joins.
_WORD_RE = re.compile(r"[^\W\d_][\w+#]*(?:['’.\-][^\W_][\w+#]*)*")
_NGRAM_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_PLACEHOLDER_RE = re.compile(r"\[(?:add|fill|insert|todo)\b[^\]]*\]", re.IGNORECASE)
_LABEL_RE = re.compile(
    r"^(?:rewritten|rewrite|revised|improved|new|final|output|answer|response|bullet|summary|"
    r"professional summary|situation|task|action|result)"
    r"(?:\s+(?:bullet|version|text|point|summary))?\s*:\s*",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^(?:[•·‣▪◦●○■□➢➤►→]\s*|[-*+>]\s+|\d{1,2}[.)]\s+)")
_INLINE_BULLET_RE = re.compile(r"\s[•‣▪◦●■➢➤►]\s")
_QUOTES = "\"'“”‘’`*"
_META_RE = re.compile(
    r"\bas an? (?:ai|language model|assistant)\b"
    r"|^(?:sure|certainly|of course|okay|absolutely|great)\b"
    r"|\bhere(?:'s|’s| is| are)\b"
    r"|\bi (?:cannot|can't|can’t|can not|am unable|'m unable|apologi[sz]e)\b"
    r"|\blanguage model\b"
    r"|\b(?:rewritten|revised|improved) (?:bullet|version|text|sentence)\b"
    r"|\bthe (?:original|above|following) (?:bullet|text|sentence)\b"
    r"|\b(?:note|explanation)\s*:",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)")


def _clean(text: str) -> tuple[str, int, int]:
    """Strip labels, bullet glyphs and quotes; return (one-line text, lines, bulleted lines)."""
    text = (text or "").strip()
    previous = None
    while previous != text:
        previous = text
        text = _LABEL_RE.sub("", text).strip()
        text = _BULLET_RE.sub("", text).strip()
        # wrapping quotes go on both ends; a lone trailing quote or bold marker is dropped too
        text = text.strip(_QUOTES) if text[:1] in _QUOTES else text.rstrip('"”`*')
        text = text.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bulleted = sum(1 for line in lines if _BULLET_RE.match(line))
    cleaned = " ".join(_BULLET_RE.sub("", line).strip() for line in lines)
    return re.sub(r"\s+", " ", cleaned).strip(), len(lines), bulleted


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _word_count(text: str) -> int:
    return len(text.split())


def stem(word: str) -> str:
    """Light suffix stripping so "migrated", "migrating" and "migration" compare equal."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    for _ in range(2):
        stripped = _strip_suffix(w)
        if stripped == w:
            break
        w = stripped
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # cutt -> cut, plann -> plan
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


# Irregular past forms, so "wrote 12 runbooks" and "writing 12 runbooks" share their stems.
_IRREGULAR = {
    past: base
    for base, forms in {
        "begin": "began begun",
        "bring": "brought",
        "build": "built",
        "buy": "bought",
        "catch": "caught",
        "choose": "chose chosen",
        "drive": "drove driven",
        "fall": "fell fallen",
        "find": "found",
        "give": "gave given",
        "grow": "grew grown",
        "hold": "held",
        "keep": "kept",
        "lead": "led",
        "make": "made",
        "meet": "met",
        "oversee": "oversaw overseen",
        "rebuild": "rebuilt",
        "rise": "rose risen",
        "run": "ran",
        "sell": "sold",
        "send": "sent",
        "speak": "spoke spoken",
        "spend": "spent",
        "take": "took taken",
        "teach": "taught",
        "tell": "told",
        "think": "thought",
        "undertake": "undertook undertaken",
        "win": "won",
        "write": "wrote written",
    }.items()
    for past in forms.split()
}
_SUFFIXES = (
    "izations", "ization", "isations", "isation", "ments", "ment", "ness", "ings", "ing",
    "ions", "ion", "ers", "er", "ed", "ly", "es", "s",
)  # fmt: skip


def _strip_suffix(w: str) -> str:
    if len(w) > 4 and w.endswith(("ies", "ied")):
        return w[:-3] + "y"
    for suffix in _SUFFIXES:
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            continue
        if suffix == "ed" and w.endswith("eed"):
            continue
        return w[: -len(suffix)]
    return w


def _words(text: str) -> list[str]:
    """Word parts of a text; hyphenated words are split so "AI-powered" gives "AI", "powered"."""
    return [part for token in _WORD_RE.findall(text) for part in token.split("-") if part]


_ACTION_STEMS = frozenset(stem(v) for v in ACTION_VERBS)
_BULLET_STEMS = frozenset(stem(v) for v in BULLET_FRAMING)
_SUMMARY_STEMS = frozenset(stem(v) for v in SUMMARY_FRAMING)
_STAR_STEMS = frozenset(stem(v) for v in STAR_FRAMING)


def _content(text: str) -> dict[str, str]:
    """Content-word stems of a text mapped to the first surface form seen."""
    out: dict[str, str] = {}
    for word in _words(_mask_numbers(text)):
        low = word.lower()
        if low in STOP_WORDS or low in _NUMBER_WORDS or len(low) < 2:
            continue
        out.setdefault(stem(low), word)
    return out


# ---------------------------------------------------------------- numbers

_NUM_RE = re.compile(
    r"""
    (?<![\w.])
    (?P<cur>[$€£¥])?\s?
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?
    (?:
        \s?(?P<pct>%|percent\b|per\s?cent\b)
      | \s(?P<word>thousand|million|billion|trillion)\b
      | (?P<mag>k|K|m|M|mm|MM|bn|BN|b|B)(?![A-Za-z0-9])
      | \s?(?P<times>x|X|×)(?![A-Za-z0-9])
    )?
    """,
    re.VERBOSE,
)
_MAGNITUDE = {
    "k": 10**3, "thousand": 10**3, "m": 10**6, "mm": 10**6, "million": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_MULTIPLIERS = {
    "twice": "2x", "double": "2x", "doubled": "2x", "doubling": "2x", "twofold": "2x",
    "triple": "3x", "tripled": "3x", "tripling": "3x", "threefold": "3x", "quadrupled": "4x",
    "fourfold": "4x", "tenfold": "10x", "halved": "0.5x", "halving": "0.5x",
}  # fmt: skip
# Vague quantities are claims too ("dozens of clients"); they compare by word.
_VAGUE = frozenset({"dozens", "hundreds", "thousands", "millions", "billions"})
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_MULTIPLIERS) | _VAGUE
_NUMBER_WORD_RE = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[-\s](?P<unit>" + "|".join(_UNITS) + r"))?"
    r"|(?P<single>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"))"
    r"(?:\s(?P<mag>hundred|thousand|million|billion)\b)?\b"
    r"|\b(?P<other>" + "|".join(list(_MULTIPLIERS) + sorted(_VAGUE)) + r")\b",
    re.IGNORECASE,
)


def _canonical(value: Decimal, suffix: str = "") -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + suffix


def _digit_number(m: re.Match[str]) -> str | None:
    try:
        value = Decimal(m.group("int").replace(",", "") + "." + (m.group("dec") or "0"))
    except InvalidOperation:
        return None
    magnitude = m.group("word") or m.group("mag")
    if magnitude:
        value *= _MAGNITUDE[magnitude.lower()]
    suffix = "%" if m.group("pct") else "x" if m.group("times") else ""
    return _canonical(value, suffix)


def _word_number(m: re.Match[str]) -> str:
    other = m.group("other")
    if other:
        low = other.lower()
        return _MULTIPLIERS.get(low, low)
    if m.group("tens"):
        value = _TENS[m.group("tens").lower()] + _UNITS.get((m.group("unit") or "").lower(), 0)
    else:
        value = _UNITS[m.group("single").lower()]
    if m.group("mag"):
        value *= _UNITS[m.group("mag").lower()]
    return str(value)


def numbers(text: str) -> dict[str, str]:
    """Numbers in a text, canonical form ("1200", "40%", "1200000", "3x") to surface form."""
    found: dict[str, str] = {}
    for m in _NUM_RE.finditer(text):
        key = _digit_number(m)
        if key is not None:
            found.setdefault(key, m.group(0).strip())
    masked = _mask_numbers(text)
    for m in _NUMBER_WORD_RE.finditer(masked):
        if not _is_pronoun_one(masked, m):
            found.setdefault(_word_number(m), m.group(0).strip())
    return found


_PRONOUN_ONE_AFTER = re.compile(r"(?:\s+(?:of|another)\b|-on-|-off\b)", re.IGNORECASE)
_PRONOUN_ONE_BEFORE = re.compile(
    r"\b(?:no|any|every|each|the|which|this|that|on)[\s-]+$|-$", re.IGNORECASE
)


def _is_pronoun_one(text: str, m: re.Match[str]) -> bool:
    """True for "one of the first", "no one", "one-on-one": a word there, not a count."""
    if (m.group("single") or "").lower() != "one" or m.group("mag"):
        return False
    after, before = text[m.end() :], text[: m.start()]
    return bool(_PRONOUN_ONE_AFTER.match(after) or _PRONOUN_ONE_BEFORE.search(before))


def _mask_numbers(text: str) -> str:
    return _NUM_RE.sub(lambda m: " " * len(m.group(0)), text)


def _mask_terms(text: str, terms: Iterable[str]) -> str:
    """Blank out exact occurrences of allowed terms so their numbers and names are not counted."""
    for term in terms:
        words = term.split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?:s|es)?(?!\w)"
        text = re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    return text


# ---------------------------------------------------------------- names and tools


def _at_sentence_start(text: str, index: int) -> bool:
    prefix = text[:index].rstrip(" \t\"'“‘([•*-–—")
    return not prefix or prefix[-1] in ".!?:;\n|"


def _looks_proper(word: str, at_start: bool) -> bool:
    """Capitalised mid-sentence, CamelCase, an acronym, or letters with digits (S3, EC2)."""
    if re.fullmatch(r"I(?:['’](?:m|ve|d|ll))?", word):
        return False
    if any(ch.isdigit() for ch in word):
        return True
    if any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) >= 2 and (word.isupper() or re.fullmatch(r"[A-Z]{2,}s", word)):
        return True
    return word[0].isupper() and not at_start


def _keys(text: str) -> set[str]:
    """Stems of every word and word part, for case-insensitive presence tests."""
    keys = {stem(token) for token in _WORD_RE.findall(text)}
    keys.update(stem(word) for word in _words(text))
    return keys


def proper_nouns(text: str) -> dict[str, str]:
    """Name-like words of a text (stem to surface form)."""
    found: dict[str, str] = {}
    text = _mask_numbers(text)  # the "M" of "$1.2M" is a magnitude, not a name
    for m in _WORD_RE.finditer(text):
        at_start = _at_sentence_start(text, m.start())
        for i, part in enumerate(p for p in m.group(0).split("-") if p):
            bare = re.sub(r"['’]s$", "", part)
            if bare and _looks_proper(bare, at_start and i == 0):
                found.setdefault(stem(bare), bare)
    return found


def tools(text: str) -> dict[str, str]:
    """Tools, platforms, companies and certifications of the lexicon found in a text."""
    found: dict[str, str] = {}
    for m in _TOOL_RE.finditer(text):
        found.setdefault(re.sub(r"\s+", " ", m.group(0).lower()), m.group(0))
    return found


def _listing(words: Iterable[str]) -> str:
    return ", ".join(words)


def _fact_reasons(
    source: str, text: str, allowed_terms: list[str], *, check_dropped: bool
) -> list[str]:
    """Numbers, tools and names the text adds (or numbers it drops) relative to its source."""
    reasons: list[str] = []
    masked = _mask_terms(text, allowed_terms)
    allowed_text = " ".join(allowed_terms)
    src_numbers, cand_numbers = numbers(source), numbers(masked)
    added = [shown for key, shown in cand_numbers.items() if key not in src_numbers]
    if added:
        reasons.append(f"adds number(s) not in the source: {_listing(added)}")
    if check_dropped:
        dropped = [shown for key, shown in src_numbers.items() if key not in numbers(text)]
        if dropped:
            reasons.append(f"drops number(s) from the source: {_listing(dropped)}")
    src_tools, ok_tools = tools(source), tools(allowed_text)
    new_tools = {k: v for k, v in tools(masked).items() if k not in src_tools and k not in ok_tools}
    if new_tools:
        shown = _listing(new_tools.values())
        reasons.append(f"adds tool(s) or organisation(s) not in the source: {shown}")
    known = _keys(source) | _keys(allowed_text)
    tool_keys = {stem(k) for k in new_tools}
    names = [
        shown
        for key, shown in proper_nouns(masked).items()
        if key not in known and key not in tool_keys
    ]
    if names:
        reasons.append(f"adds name(s) not in the source: {_listing(names)}")
    return reasons


# ---------------------------------------------------------------- other rules


def _meta_reasons(text: str) -> list[str]:
    m = _META_RE.search(text)
    return [f'contains assistant chatter: "{m.group(0).strip()}"'] if m else []


# JSON, tags or code fences in an answer that should be one plain sentence: the model
# answered in the wrong shape (or echoed the prompt's delimiters).
_STRUCTURE_RE = re.compile(r'[{}]|</?[A-Za-z][\w-]*>|"[\w ]+"\s*:|^\s*\[|```')


def _structure_reasons(source: str, text: str) -> list[str]:
    match = _STRUCTURE_RE.search(text)
    if match and match.group(0).strip() not in source:
        return [f'is not plain text (contains "{match.group(0).strip()}")']
    return []


def _ngrams(text: str) -> list[tuple[str, ...]]:
    tokens = _NGRAM_TOKEN_RE.findall(text.lower())
    grams = [tuple(tokens[i : i + ECHO_NGRAM]) for i in range(len(tokens) - ECHO_NGRAM + 1)]
    return list(dict.fromkeys(grams))


def _echo_reasons(source: str, text: str, prompt_texts: Iterable[str]) -> list[str]:
    """Flag runs of words copied from the prompt or its examples that the source does not have."""
    candidate = [g for g in _ngrams(text) if sum(w not in STOP_WORDS for w in g) >= 2]
    if not candidate:
        return []
    in_source = set(_ngrams(source))
    for prompt in prompt_texts:
        in_prompt = set(_ngrams(prompt))
        shared = [g for g in candidate if g in in_prompt and g not in in_source]
        if len(shared) > MAX_ECHO_NGRAMS:
            return [f'repeats the prompt or its examples: "{" ".join(shared[0])} ..."']
    return []


def _length_reasons(source: str, text: str, factor: float, slack: int) -> list[str]:
    limit = math.floor(factor * _word_count(source) + slack)
    words = _word_count(text)
    if words > limit:
        return [f"too long: {words} words for a {_word_count(source)}-word source"]
    return []


def _new_words(
    source: str, text: str, allowed_terms: list[str], framing: frozenset[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(content words of the text, those new relative to source, allowed terms and framing)."""
    content = _content(text)
    ok = set(_content(source)) | set(_content(" ".join(allowed_terms))) | framing | _ACTION_STEMS
    return content, {k: v for k, v in content.items() if k not in ok}


def new_content_words(source: str, text: str, allowed_terms: Iterable[str] = ()) -> list[str]:
    """Content words of `text` that neither the source, the allowed terms, action verbs nor
    framing words account for, as written in the text."""
    _, new = _new_words(source, text, [t for t in allowed_terms if t.strip()], _BULLET_STEMS)
    return list(new.values())


def _novelty_reasons(
    new: dict[str, str], content: dict[str, str], floor: int, ratio: float
) -> list[str]:
    if len(new) > max(floor, ratio * len(content)):
        return [f"adds new content: {_listing(new.values())}"]
    return []


def _retention_reasons(source: str, text: str) -> list[str]:
    src = {k for k in _content(source) if k not in _ACTION_STEMS}
    if not src:
        return []
    kept = len(src & set(_content(text)))
    if kept < math.ceil(MIN_SOURCE_KEPT * len(src)):
        return [f"keeps too little of the source ({kept} of {len(src)} content words)"]
    return []


# Verbs that claim authority over people or work: a rewrite may keep them, never introduce them
# ("Joined the team that cut injuries" must not become "Coached the team to cut injuries").
AUTHORITY_VERBS = frozenset(
    "lead led leading leads coach coached mentor mentored direct directed manage managed "
    "supervise supervised oversee oversaw head headed spearhead spearheaded own owned "
    "champion championed drive drove".split()
)
_AUTHORITY_STEMS = frozenset(stem(v) for v in AUTHORITY_VERBS)
# Units that give a number its meaning: "1,100 members a quarter" is not "1,100 members".
_RATE_UNITS = {
    **{w: w for w in ("hour", "day", "week", "month", "quarter", "year")},
    **{"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month"},
    **{"quarterly": "quarter", "annual": "year", "annually": "year", "yearly": "year"},
}
# The first word of each clause: where a bullet's verbs are ("lead" in "lead scoring" is not one).
_CLAUSE_VERB_RE = re.compile(r"(?:^|[;:,]\s*|\band\s+)\W*([A-Za-z]+)")
# "which led to a redesign" is a cause, not a claim to have led anyone.
_LED_TO_RE = re.compile(r"\b(?:lead|leads|led|leading|drove|driving)\s+to\b", re.IGNORECASE)
_BROKEN_SENTENCE_RE = re.compile(r"\.\s+[a-z]")
_PARENS_RE = re.compile(r"\(([^()]{2,})\)")
# "fell 37%" and "to 37%" say different things; so do "by 20%" and "to 20%".
_TO_NUMBER_RE = re.compile(r"\bto\s+(?=[$€£¥]?\d)", re.IGNORECASE)


def _claim_reasons(source: str, text: str, terms: list[str]) -> list[str]:
    """What a bullet rewrite must not change even with every number and name kept."""
    reasons = []
    # "Led" may become "Spearheaded"; "Joined" or "Coordinated" may not become "Led". A skill
    # the prompt named ("team leadership") is framing, not a claim.
    claims_authority = bool(_authority_words(source))
    shown = _mask_terms(text, terms)
    raised = [] if claims_authority else _authority_words(shown)
    if raised:
        reasons.append(f"claims a role the bullet does not show: {_listing(raised)}")
    lost = [g for g in _PARENS_RE.findall(source) if _squash(g) not in _squash(text)]
    if lost:
        reasons.append(f"drops the details in brackets: ({lost[0]})")
    lost_units = sorted(_rate_units(source) - _rate_units(text))
    if lost_units:
        reasons.append(f"drops what a number is per: {_listing(lost_units)}")
    if len(_TO_NUMBER_RE.findall(text)) > len(_TO_NUMBER_RE.findall(source)):
        reasons.append('changes what a number means (adds "to" before it)')
    if _BROKEN_SENTENCE_RE.search(text) and not _BROKEN_SENTENCE_RE.search(source):
        reasons.append("breaks a sentence (a lower-case word after a full stop)")
    return reasons


def _authority_words(text: str) -> list[str]:
    """Authority verbs leading a clause (nouns like "owner" or "leaders" are not claims)."""
    clauses = _CLAUSE_VERB_RE.findall(_LED_TO_RE.sub(" ", text))
    return sorted({w.lower() for w in clauses if stem(w) in _AUTHORITY_STEMS})


def _rate_units(text: str) -> set[str]:
    words = {w.lower() for w in _words(text)}
    return {_RATE_UNITS[w] for w in words if w in _RATE_UNITS}


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _verdict(reasons: list[str], cleaned: str) -> Verdict:
    return Verdict(ok=not reasons, reason="; ".join(reasons) or None, cleaned=cleaned)


# ---------------------------------------------------------------- public checks


def check_rewrite(
    source: str,
    candidate: str,
    *,
    allowed_terms: Iterable[str] = (),
    prompt_texts: Iterable[str] = (),
) -> Verdict:
    """Accept a one-bullet rewrite only if it keeps the source's facts and adds none."""
    cleaned, lines, _ = _clean(candidate)
    if not _has_words(cleaned):
        return Verdict(ok=False, reason="empty answer", cleaned=cleaned)
    terms = [t for t in allowed_terms if t.strip()]
    reasons = _meta_reasons(cleaned) + _structure_reasons(source, cleaned)
    if lines > 1 or _INLINE_BULLET_RE.search(cleaned):
        reasons.append("contains several lines or bullets where one bullet was asked")
    reasons += _fact_reasons(source, cleaned, terms, check_dropped=True)
    reasons += _length_reasons(source, cleaned, MAX_LENGTH_FACTOR, LENGTH_SLACK)
    reasons += _echo_reasons(source, cleaned, prompt_texts)
    content, new = _new_words(source, cleaned, terms, _BULLET_STEMS)
    reasons += _novelty_reasons(new, content, MIN_NEW_WORDS_ALLOWED, MAX_NEW_WORD_RATIO)
    reasons += _retention_reasons(source, cleaned)
    reasons += _claim_reasons(source, cleaned, terms)
    return _verdict(reasons, cleaned)


def check_summary(
    source: str | Iterable[str],
    candidate: str,
    *,
    allowed_terms: Iterable[str] = (),
    prompt_texts: Iterable[str] = (),
) -> Verdict:
    """Accept a 2-3 sentence summary whose numbers, names and tools all come from the resume."""
    source = source if isinstance(source, str) else "\n".join(source)
    cleaned, lines, bulleted = _clean(candidate)
    if not _has_words(cleaned):
        return Verdict(ok=False, reason="empty answer", cleaned=cleaned)
    terms = [t for t in allowed_terms if t.strip()]
    reasons = _meta_reasons(cleaned) + _structure_reasons(source, cleaned)
    if bulleted > 1 or _INLINE_BULLET_RE.search(cleaned):
        reasons.append("is a list where a paragraph was asked")
    reasons += _fact_reasons(source, cleaned, terms, check_dropped=False)
    sentences = len([s for s in _SENTENCE_END_RE.split(cleaned) if _has_words(s)])
    if sentences > SUMMARY_MAX_SENTENCES:
        reasons.append(f"too long: {sentences} sentences (at most {SUMMARY_MAX_SENTENCES})")
    elif _word_count(cleaned) > SUMMARY_MAX_WORDS:
        reasons.append(f"too long: {_word_count(cleaned)} words (at most {SUMMARY_MAX_WORDS})")
    reasons += _echo_reasons(source, cleaned, prompt_texts)
    content, new = _new_words(source, cleaned, terms, _SUMMARY_STEMS)
    reasons += _novelty_reasons(new, content, 0, SUMMARY_MAX_NEW_RATIO)
    shared = len(content.keys() & _content(source).keys())
    if shared < SUMMARY_MIN_SHARED:
        reasons.append(f"mentions too little of the resume ({shared} shared content words)")
    return _verdict(reasons, cleaned)


def check_star_field(
    source: str,
    candidate: str,
    *,
    allowed_terms: Iterable[str] = (),
    prompt_texts: Iterable[str] = (),
) -> Verdict:
    """Accept a STAR field that uses only its bullet's facts; `[add: ...]` placeholders are fine."""
    cleaned, _, bulleted = _clean(candidate)
    body = re.sub(r"\s+", " ", _PLACEHOLDER_RE.sub(" ", cleaned)).strip()
    if not _has_words(body):
        if _PLACEHOLDER_RE.search(cleaned):
            return Verdict(ok=True, reason=None, cleaned=cleaned)
        return Verdict(ok=False, reason="empty answer", cleaned=cleaned)
    terms = [t for t in allowed_terms if t.strip()]
    reasons = _meta_reasons(body) + _structure_reasons(source, body)
    if bulleted > 1 or _INLINE_BULLET_RE.search(body):
        reasons.append("is a list where one story field was asked")
    reasons += _fact_reasons(source, body, terms, check_dropped=False)
    reasons += _length_reasons(source, body, STAR_LENGTH_FACTOR, STAR_LENGTH_SLACK)
    reasons += _echo_reasons(source, body, prompt_texts)
    content, new = _new_words(source, body, terms, _STAR_STEMS)
    reasons += _novelty_reasons(new, content, STAR_MIN_NEW_ALLOWED, STAR_MAX_NEW_RATIO)
    if len(content) >= STAR_GROUNDING_MIN_WORDS and not content.keys() & _content(source).keys():
        reasons.append("shares no words with its source bullet")
    return _verdict(reasons, cleaned)


def find_fabrications(
    original_resume_text: str, final_text: str, *, allowed_terms: Iterable[str] = ()
) -> list[str]:
    """Numbers, names and tools present in the final text but absent from the original resume."""
    terms = [t for t in allowed_terms if t.strip()]
    final = _mask_terms(_PLACEHOLDER_RE.sub(" ", final_text), terms)
    allowed_text = " ".join(terms)
    src_numbers = numbers(original_resume_text)
    found = [shown for key, shown in numbers(final).items() if key not in src_numbers]
    src_tools, ok_tools = tools(original_resume_text), tools(allowed_text)
    new_tools = {k: v for k, v in tools(final).items() if k not in src_tools and k not in ok_tools}
    found += new_tools.values()
    known = _keys(original_resume_text) | _keys(allowed_text) | {stem(k) for k in new_tools}
    found += [
        shown
        for key, shown in proper_nouns(final).items()
        if key not in known and shown.lower() not in HEADING_WORDS
    ]
    return list(dict.fromkeys(found))


def resume_facts(resume: Resume) -> str:
    """The resume's own words (no contact details), one item a line: the source for a summary."""
    b = resume.basics
    parts: list[str | None] = [b.label, b.summary]
    for job in resume.work:
        parts += [job.position, job.name, job.summary, *job.highlights]
    for vol in resume.volunteer:
        parts += [vol.position, vol.organization, vol.summary, *vol.highlights]
    for project in resume.projects:
        parts += [project.name, project.description, *project.highlights, *project.keywords]
    for skill in resume.skills:
        parts += [skill.name, *skill.keywords]
    for edu in resume.education:
        parts += [edu.studyType, edu.area, edu.institution, *edu.courses]
    parts += [c.name for c in resume.certificates] + [a.title for a in resume.awards]
    parts += [lang.language for lang in resume.languages]
    return "\n".join(p.strip() for p in parts if p and p.strip())
