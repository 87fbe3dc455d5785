"""Field-level precision and recall of a parsed resume against a hand-written truth file."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from coach.models import Resume

FIELDS = (
    "name",
    "email",
    "phone",
    "location",
    "titles",
    "employers",
    "dates",
    "degrees",
    "institutions",
    "skills",
)


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Counts per field; `overall` is the micro average over every field."""

    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})

    def add(self, other: Score) -> None:
        for name, counts in other.fields.items():
            self.fields[name].add(counts)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total


def _text(value: str | None) -> str:
    value = (value or "").lower().replace("&", "and")
    value = re.sub(r"[^\w+#]+", " ", value)
    return " ".join(value.split())


def _phone(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def _degree(value: str | None) -> str:
    return re.sub(r"[^a-z]", "", (value or "").lower())


def _location(data: dict | None) -> str:
    data = data or {}
    return _text(" ".join(str(data.get(k) or "") for k in ("city", "region")))


def _single(truth: str, predicted: str) -> Counts:
    if not truth and not predicted:
        return Counts()
    if truth and truth == predicted:
        return Counts(tp=1)
    return Counts(fp=1 if predicted else 0, fn=1 if truth else 0)


def _multi(truth: list[str], predicted: list[str]) -> Counts:
    want, got = Counter(t for t in truth if t), Counter(p for p in predicted if p)
    tp = sum((want & got).values())
    return Counts(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)


def _span(item: dict) -> str:
    return f"{item.get('startDate') or ''}..{item.get('endDate') or ''}"


def _skills(data: dict) -> list[str]:
    skills = data.get("skills") or []
    if skills and isinstance(skills[0], str):
        return [_text(s) for s in skills]
    return [_text(k) for group in skills for k in group.get("keywords", [])]


def score_resume(predicted: Resume, truth: dict) -> Score:
    """Compare a parse with a truth dict (a subset of JSON Resume, skills as a flat list)."""
    got = predicted.to_json_dict()
    got_basics, want_basics = got.get("basics", {}), truth.get("basics", {})
    got_work, want_work = got.get("work", []), truth.get("work", [])
    got_edu, want_edu = got.get("education", []), truth.get("education", [])
    score = Score()
    f = score.fields
    f["name"] = _single(_text(want_basics.get("name")), _text(got_basics.get("name")))
    f["email"] = _single(_text(want_basics.get("email")), _text(got_basics.get("email")))
    f["phone"] = _single(_phone(want_basics.get("phone")), _phone(got_basics.get("phone")))
    if want_basics.get("location"):
        want_loc, got_loc = (
            _location(want_basics["location"]),
            _location(got_basics.get("location")),
        )
        f["location"] = _single(want_loc, got_loc)
    f["titles"] = _multi(
        [_text(w.get("position")) for w in want_work], [_text(w.get("position")) for w in got_work]
    )
    f["employers"] = _multi(
        [_text(w.get("name")) for w in want_work], [_text(w.get("name")) for w in got_work]
    )
    f["dates"] = _multi([_span(w) for w in want_work], [_span(w) for w in got_work])
    f["degrees"] = _multi(
        [_degree(e.get("studyType")) for e in want_edu],
        [_degree(e.get("studyType")) for e in got_edu],
    )
    f["institutions"] = _multi(
        [_text(e.get("institution")) for e in want_edu],
        [_text(e.get("institution")) for e in got_edu],
    )
    f["skills"] = _multi(_skills(truth), _skills(got))
    return score


def corpus_cases(root: Path) -> list[tuple[Path, Path]]:
    """(resume file, truth file) pairs: both parse corpora plus every format of each sample."""
    cases = []
    for corpus in (root / "tests" / "fixtures" / "corpus", root / "tests" / "fixtures" / "holdout"):
        for truth in sorted(corpus.glob("*.truth.json")):
            stem = truth.name.removesuffix(".truth.json")
            cases += [(f, truth) for f in sorted(corpus.glob(f"{stem}.*")) if f != truth]
    for truth in sorted((root / "tests" / "fixtures" / "sample_truth").glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        cases += [
            (resume, truth)
            for resume in sorted((root / "sample_resumes").glob(f"{stem}.*"))
            if resume.suffix in {".pdf", ".docx", ".txt", ".md"}
        ]
    return cases


def score_file(resume_path: Path, truth_path: Path) -> Score:
    """Parse one file and score it against its truth file."""
    from coach.parse import parse_file

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return score_resume(parse_file(resume_path).resume, truth)
