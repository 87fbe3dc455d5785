"""Export: the rewritten resume (DOCX, Markdown, JSON Resume), STAR stories and coaching report.

Every export reads `result.rewritten` and `change.applied`, so the user's accept/revert choices
(`CoachingResult.with_choices`) decide what lands in each file.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import logging
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError, GuideError
from coach.models import SKILLS_PATH, Change, CoachingResult, Guide, Resume, SourceKind

log = logging.getLogger(__name__)

OUTPUT_FILES = (
    "resume.docx",
    "resume.md",
    "resume.json",
    "star_stories.md",
    "report.md",
    "result.json",
)
# Paths whose text sits in one DOCX paragraph and can be replaced in place.
_IN_PLACE_PATH = re.compile(r"basics\.summary|(work|projects|volunteer)\[\d+\]\.highlights\[\d+\]")
# A bullet or summary split over at most this many consecutive paragraphs is still found.
_MAX_JOINED_PARAGRAPHS = 4
# The evidence table shows this many bullets per skill (strongest first) to stay readable.
_TABLE_PROOFS = 3


# ---------------------------------------------------------------- Markdown resume


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?")


def _pretty_date(value: str) -> str:
    """JSON Resume's ISO dates ("2021-03") as people write them on a resume ("Mar 2021")."""
    match = _ISO_DATE.fullmatch(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return value
    return f"{_MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def _span(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    return f"{_pretty_date(start) if start else '?'} – {_pretty_date(end) if end else 'Present'}"


def _place(resume: Resume) -> str:
    location = resume.basics.location
    if not location:
        return ""
    return ", ".join(p for p in (location.city, location.region, location.countryCode) if p)


def _contact_line(resume: Resume) -> str:
    basics = resume.basics
    parts = [basics.email, basics.phone, _place(resume), basics.url]
    parts += [profile.url for profile in basics.profiles]
    return " | ".join(part for part in parts if part)


def _degree(studytype: str | None, area: str | None) -> str:
    return " in ".join(p for p in (studytype, area) if p)


def _when(start: str | None, end: str | None) -> str:
    return _span(start, end) if start else _pretty_date(end or "")


def _group_label(name: str | None) -> bool:
    """Whether a skill group's name is worth printing ("Skills: ..." under Skills is not)."""
    return bool(name and name.strip().lower() not in ("skills", "skill"))


def resume_to_markdown(resume: Resume) -> str:
    """A plain Markdown view of a resume, one section per JSON Resume part."""
    basics = resume.basics
    out: list[str] = [f"# {basics.name or 'Unnamed candidate'}"]
    if basics.label:
        out.append(f"**{basics.label}**")
    contact = _contact_line(resume)
    if contact:
        out.append(contact)
    if basics.summary:
        out += ["", "## Summary", "", basics.summary]
    if resume.work:
        out += ["", "## Experience"]
        for work in resume.work:
            title = " — ".join(part for part in (work.position, work.name) if part)
            out += ["", f"### {title or 'Role'}"]
            meta = " · ".join(p for p in (_span(work.startDate, work.endDate), work.location) if p)
            if meta:
                out.append(f"*{meta}*")
            if work.summary:
                out.append(work.summary)
            out += [f"- {highlight}" for highlight in work.highlights]
    if resume.projects:
        out += ["", "## Projects"]
        for project in resume.projects:
            out += ["", f"### {project.name or 'Project'}"]
            if project.description:
                out.append(project.description)
            out += [f"- {highlight}" for highlight in project.highlights]
    if resume.volunteer:
        out += ["", "## Volunteering"]
        for item in resume.volunteer:
            title = " — ".join(p for p in (item.position, item.organization) if p)
            out += ["", f"### {title or 'Volunteer role'}"]
            span = _span(item.startDate, item.endDate)
            if span:
                out.append(f"*{span}*")
            if item.summary:
                out.append(item.summary)
            out += [f"- {highlight}" for highlight in item.highlights]
    if resume.education:
        out += ["", "## Education", ""]
        for edu in resume.education:
            line = ", ".join(p for p in (_degree(edu.studyType, edu.area), edu.institution) if p)
            when = _when(edu.startDate, edu.endDate)
            out.append(f"- {line}" + (f" ({when})" if when else ""))
    if resume.skills:
        out += ["", "## Skills", ""]
        for skill in resume.skills:
            label = f"**{skill.name}:** " if _group_label(skill.name) else ""
            out.append(f"- {label}{', '.join(skill.keywords)}")
    if resume.certificates:
        out += ["", "## Certifications", ""]
        for cert in resume.certificates:
            extra = ", ".join(p for p in (cert.issuer, cert.date) if p)
            out.append(f"- {cert.name}" + (f" ({extra})" if extra else ""))
    if resume.awards:
        out += ["", "## Awards", ""]
        for award in resume.awards:
            extra = ", ".join(p for p in (award.awarder, award.date) if p)
            out.append(f"- {award.title}" + (f" ({extra})" if extra else ""))
    if resume.languages:
        out += ["", "## Languages", ""]
        out += [
            f"- {lang.language}" + (f" ({lang.fluency})" if lang.fluency else "")
            for lang in resume.languages
        ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- shared text helpers

_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def text_at(resume: Resume, path: str) -> str | None:
    """The text at a change/evidence path such as `work[0].highlights[2]`, or None."""
    target: object = resume.model_dump(by_alias=True)
    for part in path.split("."):
        match = _PATH_PART.fullmatch(part)
        if not match or not isinstance(target, dict):
            return None
        target = target.get(match.group(1))
        if match.group(2) is not None:
            index = int(match.group(2))
            if not isinstance(target, list) or index >= len(target):
                return None
            target = target[index]
    return target if isinstance(target, str) else None


def _inert(text: str) -> str:
    """Resume or model text made safe for Markdown: no raw HTML, one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _inert(text).replace("|", "\\|")


def _code_block(lines: list[str]) -> list[str]:
    """Lines as a fenced code block: shown verbatim, never rendered as links or HTML."""
    body = [" ".join(line.split()) for line in lines]
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *body, fence]


def _bullets(items: list[str]) -> list[str]:
    return [f"- {_inert(item)}" for item in items]


# ---------------------------------------------------------------- DOCX, edited in place

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_W_NS}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _norm(text: str) -> str:
    """Whitespace collapsed and a leading bullet glyph removed: how bullets are compared."""
    from coach.ingest import strip_bullet

    body, _ = strip_bullet(" ".join(text.split()))
    return " ".join(body.split())


def _text_nodes(paragraph) -> list:
    """The w:t, w:tab, w:br and w:cr run children of this paragraph in reading order.

    Tab-stop definitions (pPr/tabs/tab) are not text, and text boxes anchored in the paragraph
    are paragraphs of their own, so both are left out.
    """
    nodes = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.getparent().tag != f"{_W}r":
            continue
        owner = next(node.iterancestors(f"{_W}p"), None)
        if owner is paragraph:
            nodes.append(node)
    return nodes


def _runs_text(paragraph) -> str:
    return "".join(_node_text(node) for node in _text_nodes(paragraph))


# Characters XML 1.0 cannot hold (parsers sometimes leave them in extracted text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _scrub(value: object) -> object:
    """Every string in a JSON-like value made storable in XML."""
    if isinstance(value, str):
        return _xml_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _node_text(node) -> str:
    if node.tag == f"{_W}t":
        return node.text or ""
    return "\t" if node.tag == f"{_W}tab" else "\n"


def _glyph_prefix(text: str) -> str:
    """The leading bullet glyph and spacing typed into the text ("• ", "➤\t"), kept on edit."""
    from coach.ingest import strip_bullet

    lead = len(text) - len(text.lstrip(" \t\u00a0"))
    body, had = strip_bullet(text[lead:])
    if not had:
        return text[:lead]
    prefix_len = len(text) - len(body)
    while prefix_len < len(text) and text[prefix_len] in " \t\u00a0":
        prefix_len += 1
    return text[:prefix_len]


def _set_t(node, text: str) -> None:
    text = _xml_text(text)
    node.text = text
    if text != text.strip():
        node.set(_XML_SPACE, "preserve")


def _replace_span(paragraph, start: int, end: int, new_text: str) -> bool:
    """Replace characters start..end of the paragraph's run text with new_text.

    The new text goes into the first text node the span touches, so it takes that run's
    formatting; text after it inside the span is emptied (runs stay, with their properties),
    tabs and breaks inside the span go. False (and nothing changed) when no text node is hit.
    """
    nodes, spans, pos = _text_nodes(paragraph), [], 0
    for node in nodes:
        size = len(_node_text(node))
        spans.append((pos, pos + size))
        pos += size
    hit = [
        (node, lo)
        for node, (lo, hi) in zip(nodes, spans, strict=True)
        if hi > start and lo < end or (lo == hi == start and node.tag == f"{_W}t")
    ]
    if not any(node.tag == f"{_W}t" for node, _ in hit):
        return False
    placed = False
    for node, lo in hit:
        if node.tag != f"{_W}t":
            node.getparent().remove(node)
            continue
        text = node.text or ""
        before, after = text[: max(0, start - lo)], text[max(0, end - lo) :]
        _set_t(node, before + (new_text if not placed else "") + after)
        placed = True
    return True


def _replace_paragraph_text(paragraph, new_text: str) -> bool:
    """Put new_text in the first text run after any bullet glyph; empty the runs after it.

    Run properties, paragraph properties (style, numbering) and every non-text node stay.
    """
    text = _runs_text(paragraph)
    return _replace_span(paragraph, len(_glyph_prefix(text)), len(text), new_text)


def _find_paragraphs(
    paragraphs: list, texts: list[str], original: str, used: set[int]
) -> list[int] | None:
    """Indexes of the paragraph (or consecutive sibling paragraphs) holding `original`."""
    target = _norm(original)
    if not target:
        return None
    for index, text in enumerate(texts):
        if index not in used and text == target:
            return [index]
    for index, text in enumerate(texts):
        if index in used or not text or not target.startswith(text):
            continue
        run = [index]
        for nxt in range(index + 1, min(len(texts), index + _MAX_JOINED_PARAGRAPHS)):
            same_parent = paragraphs[nxt].getparent() is paragraphs[index].getparent()
            if nxt in used or not same_parent or not texts[nxt]:
                break
            run.append(nxt)
            joined = " ".join(texts[i] for i in run)
            if joined == target:
                return run
            if not target.startswith(joined):
                break
    return None


def _fallback_twin(paragraph):
    """The copy of a text-box paragraph in the mc:Fallback branch (for older readers), if any."""
    choice = next(paragraph.iterancestors(f"{_MC}Choice"), None)
    fallback = choice.getparent().find(f"{_MC}Fallback") if choice is not None else None
    if fallback is None:
        return None
    mine, theirs = list(choice.iter(f"{_W}p")), list(fallback.iter(f"{_W}p"))
    if len(mine) != len(theirs):
        return None
    twin = theirs[mine.index(paragraph)]
    return twin if _norm(_runs_text(twin)) == _norm(_runs_text(paragraph)) else None


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The main document part named in _rels/.rels (almost always word/document.xml)."""
    from lxml import etree

    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), _safe_parser())
        for rel in rels:
            if rel.get("Type") == _OFFICE_DOC:
                return rel.get("Target", "").lstrip("/")
    except (KeyError, etree.XMLSyntaxError):
        pass
    return "word/document.xml"


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _edit_text(paragraphs: list, texts: list[str], used: set[int], change: Change) -> bool:
    """Write one bullet or summary change into its paragraph; False when it is not found."""
    found = _find_paragraphs(paragraphs, texts, change.original, used)
    if found is None:
        return False
    used.update(found)  # claimed even when not applied, so identical bullets map in order
    if not change.applied:
        return True
    twin = _fallback_twin(paragraphs[found[0]]) if len(found) == 1 else None
    if not _replace_paragraph_text(paragraphs[found[0]], change.rewritten):
        return False
    if twin is not None:
        _replace_paragraph_text(twin, change.rewritten)
    for extra in found[1:]:
        paragraphs[extra].getparent().remove(paragraphs[extra])
    return True


def docx_in_place(result: CoachingResult, source: bytes) -> tuple[bytes, list[Change]]:
    """The user's DOCX with every applied change written into its paragraph.

    Only the main document part is rewritten; every other part of the package (styles,
    numbering, headers, footers, fonts, images) is copied byte for byte. Returns the new file
    and the applied changes that could not be placed (for the report).
    """
    from lxml import etree

    from coach.ingest_docx import body_paragraphs, check_zip_size

    check_zip_size(source)
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        part = _main_part_name(archive)
        root = etree.fromstring(archive.read(part), _safe_parser())
        body = root.find(f"{_W}body")
        paragraphs = body_paragraphs(body if body is not None else root)
        texts = [_norm(_runs_text(p)) for p in paragraphs]
        used: set[int] = set()
        unplaced: list[Change] = []
        # Skills last: regrouping may add or drop paragraphs, and the indexes must stay valid.
        ordered = sorted(result.changes, key=lambda c: c.path == SKILLS_PATH)
        for change in ordered:
            if change.path == SKILLS_PATH:
                placed = not change.applied or _edit_skills(paragraphs, used, change)
            else:
                placed = bool(_IN_PLACE_PATH.fullmatch(change.path)) and _edit_text(
                    paragraphs, texts, used, change
                )
            if change.applied and not placed:
                unplaced.append(change)
        document_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                data = document_xml if info.filename == part else archive.read(info)
                target.writestr(info, data)
    log.info("DOCX edited in place; %d applied change(s) not placed", len(unplaced))
    return out.getvalue(), unplaced


# ---------------------------------------------------------------- skills, edited in place

# What may stand between two skills on one line: "a, b", "a · b", "a | b", "a; b", "a / b".
_SKILL_SEP = re.compile(r"\s*[,;·•|]\s*|\s+[/–—-]\s+|\s*\t\s*")
_NAME_SEP = re.compile(r"\s*[:|–—-]?\s*")
_MAX_SKIP = 2  # paragraphs without skills allowed between skill lines (a group-name cell)


@dataclass
class _Slot:
    """One paragraph's run of skills: where it sits and how its items are separated."""

    paragraph: object
    start: int
    end: int
    count: int
    sep: str


def _find_skill(text: str, skill: str, pos: int) -> re.Match | None:
    return re.compile(rf"(?<!\w){re.escape(skill)}(?!\w)", re.IGNORECASE).search(text, pos)


def _skill_slots(paragraphs: list, used: set[int], keywords: list[str]) -> list[_Slot] | None:
    """Paragraphs holding every skill in order, separated only by list punctuation."""
    texts = [_runs_text(p) for p in paragraphs]
    for first, text in enumerate(texts):
        if first in used or not _find_skill(text, keywords[0], 0):
            continue
        slots = _chain_slots(paragraphs, texts, used, first, keywords)
        if slots:
            return slots
    return None


def _chain_slots(paragraphs, texts, used, first, keywords) -> list[_Slot] | None:
    slots: list[_Slot] = []
    index, skipped, k = first, 0, 0
    while k < len(keywords):
        if index >= len(texts) or index in used:
            return None
        text = texts[index]
        match = _find_skill(text, keywords[k], 0)
        if match is None:
            skipped += 1
            if skipped > _MAX_SKIP:
                return None
            index += 1
            continue
        slot = _Slot(paragraphs[index], match.start(), match.end(), 1, ", ")
        k += 1
        while k < len(keywords):
            nxt = _find_skill(text, keywords[k], slot.end)
            if nxt is None or not _SKILL_SEP.fullmatch(text[slot.end : nxt.start()]):
                break
            if slot.count == 1:
                slot.sep = text[slot.end : nxt.start()]
            slot.end, slot.count, k = nxt.end(), slot.count + 1, k + 1
        if text[slot.end :].strip(" .\t"):
            return None  # more words after the skills: a sentence, not a skills line
        slots.append(slot)
        index, skipped = index + 1, 0
    return slots


def _named_lines(slots: list[_Slot], groups: list[dict]) -> list[int] | None:
    """Where each group's name starts when every group is one "Name: a, b" line, in order."""
    if len(slots) != len(groups):
        return None
    if any(s.count != len(g["keywords"]) for s, g in zip(slots, groups, strict=True)):
        return None
    starts = []
    for slot, group in zip(slots, groups, strict=True):
        text = _runs_text(slot.paragraph)
        name = (group.get("name") or "").strip()
        lead = len(text) - len(text.lstrip())
        if not name or text[lead : lead + len(name)].lower() != name.lower():
            return None
        if not _NAME_SEP.fullmatch(text[lead + len(name) : slot.start]):
            return None
        starts.append(lead)
    for a, b in itertools.pairwise(slots):
        if a.paragraph.getnext() is not b.paragraph:
            return None
    return starts


def _edit_skills(paragraphs: list, used: set[int], change: Change) -> bool:
    """Write regrouped/reordered skills into the user's own skill lines; False if impossible."""
    try:
        old, new = json.loads(change.original), json.loads(change.rewritten)
    except ValueError:
        return False
    keywords = [k for g in old for k in g.get("keywords", [])]
    if not keywords or not new:
        return False
    slots = _skill_slots(paragraphs, used, keywords)
    if slots is None:
        return False
    names = _named_lines(slots, old)
    if names is not None:  # one line per group: rebuild the lines from the first as template
        _rewrite_named_lines(slots, names, old, new)
        return True
    if _group_sets(old) != _group_sets(new):
        return False
    # Same groups, new order inside them: refill the lines with as many skills as before.
    by_name = {g.get("name"): g["keywords"] for g in new}
    flat = [k for g in old for k in by_name.get(g.get("name"), g["keywords"])]
    for slot in reversed(slots):
        taken = flat[sum(s.count for s in slots[: slots.index(slot)]) :][: slot.count]
        _replace_span(slot.paragraph, slot.start, slot.end, slot.sep.join(taken))
    return True


def _group_sets(groups: list[dict]) -> list[tuple[str, list[str]]]:
    return sorted((g.get("name") or "", sorted(g.get("keywords", []))) for g in groups)


def _rewrite_named_lines(slots: list[_Slot], names: list[int], old: list, new: list) -> None:
    """Replace the group lines by one copy of a template line per new group."""
    anchor = slots[0].paragraph
    for index, group in enumerate(new):
        at = min(index, len(slots) - 1)
        slot, name_start, old_name = slots[at], names[at], (old[at].get("name") or "")
        line = copy.deepcopy(slot.paragraph)
        _replace_span(line, slot.start, slot.end, slot.sep.join(group["keywords"]))
        _replace_span(line, name_start, name_start + len(old_name), group.get("name") or "Skills")
        anchor.addprevious(line)
    for slot in slots:
        slot.paragraph.getparent().remove(slot.paragraph)


def _is_docx_source(result: CoachingResult, source: bytes | None) -> bool:
    if not source:
        return False
    if result.source_kind is not None:
        return result.source_kind == SourceKind.DOCX
    from coach.ingest import detect_kind

    try:
        return detect_kind(source) == SourceKind.DOCX
    except CoachError:
        return False


# ---------------------------------------------------------------- DOCX, built clean


def _style_document(document) -> None:
    """One plain font, black headings, modest margins: easy for people and ATS parsers."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Inches, Pt, RGBColor

    for section in document.sections:
        section.left_margin = section.right_margin = Inches(0.8)
        section.top_margin = section.bottom_margin = Inches(0.7)
    normal = document.styles["Normal"]
    _plain_font(normal)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title = document.styles["Title"]
    _plain_font(title)
    title.font.size = Pt(22)
    title.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
    title.paragraph_format.space_after = Pt(2)
    border = title.element.find(f"{_W}pPr/{_W}pBdr")
    if border is not None:  # the default template underlines the title; ATS-neutral is plainer
        border.getparent().remove(border)
    heading = document.styles["Heading 1"]
    _plain_font(heading)
    heading.font.size = Pt(12.5)
    heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    heading.paragraph_format.space_before = Pt(10)
    heading.paragraph_format.space_after = Pt(3)
    bullet = document.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(1)


def _plain_font(style, name: str = "Arial") -> None:
    """Set one font everywhere: theme fonts would otherwise override it in Word."""
    style.font.name = name
    fonts = style.element.find(f"{_W}rPr/{_W}rFonts")
    if fonts is not None:
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(f"{_W}{attr}", None)
        fonts.set(f"{_W}cs", name)


def _entry(document, title: str, meta: str) -> None:
    if title:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = _pt(6)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(title).bold = True
    if meta:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(meta).italic = True


def _pt(size: float):
    from docx.shared import Pt

    return Pt(size)


def _add_bullets(document, items: list[str]) -> None:
    for item in items:
        if item.strip():
            document.add_paragraph(item, style="List Bullet")


def clean_docx(resume: Resume) -> bytes:
    """A one-column ATS-friendly DOCX: Title name, contact line, standard headings, bullets."""
    import docx

    resume = Resume.model_validate(_scrub(resume.model_dump(by_alias=True)))
    document = docx.Document()
    _style_document(document)
    basics = resume.basics
    name = basics.name or "Resume"
    document.core_properties.author = basics.name or ""
    document.core_properties.title = f"{name} – Resume"
    document.core_properties.last_modified_by = ""
    document.core_properties.comments = ""
    document.add_paragraph(name, style="Title")
    for line in (basics.label, _contact_line(resume)):
        if line:
            document.add_paragraph(line)
    if basics.summary:
        document.add_heading("Summary", level=1)
        document.add_paragraph(basics.summary)
    if resume.work:
        document.add_heading("Experience", level=1)
        for work in resume.work:
            title = " — ".join(p for p in (work.position, work.name) if p)
            meta = " | ".join(p for p in (_span(work.startDate, work.endDate), work.location) if p)
            _entry(document, title, meta)
            if work.summary:
                document.add_paragraph(work.summary)
            _add_bullets(document, work.highlights)
    if resume.projects:
        document.add_heading("Projects", level=1)
        for project in resume.projects:
            _entry(document, project.name or "", _span(project.startDate, project.endDate))
            if project.description:
                document.add_paragraph(project.description)
            _add_bullets(document, project.highlights)
    if resume.volunteer:
        document.add_heading("Volunteering", level=1)
        for item in resume.volunteer:
            title = " — ".join(p for p in (item.position, item.organization) if p)
            _entry(document, title, _span(item.startDate, item.endDate))
            if item.summary:
                document.add_paragraph(item.summary)
            _add_bullets(document, item.highlights)
    if resume.education:
        document.add_heading("Education", level=1)
        for edu in resume.education:
            title = " — ".join(p for p in (_degree(edu.studyType, edu.area), edu.institution) if p)
            _entry(document, title, _when(edu.startDate, edu.endDate))
            if edu.score:
                document.add_paragraph(edu.score)
    if resume.skills:
        document.add_heading("Skills", level=1)
        for skill in resume.skills:
            paragraph = document.add_paragraph()
            if _group_label(skill.name):
                paragraph.add_run(f"{skill.name}: ").bold = True
            paragraph.add_run(", ".join(skill.keywords))
    _simple_section(
        document,
        "Certifications",
        [
            " — ".join(p for p in (c.name, ", ".join(x for x in (c.issuer, c.date) if x)) if p)
            for c in resume.certificates
        ],
    )
    _simple_section(
        document,
        "Awards",
        [
            " — ".join(p for p in (a.title, ", ".join(x for x in (a.awarder, a.date) if x)) if p)
            for a in resume.awards
        ],
    )
    _simple_section(
        document,
        "Languages",
        [
            (lang.language or "") + (f" ({lang.fluency})" if lang.fluency else "")
            for lang in resume.languages
        ],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _simple_section(document, heading: str, lines: list[str]) -> None:
    lines = [line for line in lines if line.strip()]
    if lines:
        document.add_heading(heading, level=1)
        for line in lines:
            document.add_paragraph(line)


def _has_macros(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def _docx_with_notes(result: CoachingResult, source_bytes: bytes | None) -> tuple[bytes, list[str]]:
    """The DOCX export and what the report should say about it (changes it could not hold)."""
    if _is_docx_source(result, source_bytes) and _has_macros(source_bytes or b""):
        # A macro-enabled source would give a .docx that Word refuses: build a clean one.
        note = "Your document holds macros, so resume.docx is a new, macro-free layout."
        return clean_docx(result.rewritten), [note]
    if _is_docx_source(result, source_bytes):
        assert source_bytes is not None
        try:
            data, unplaced = docx_in_place(result, source_bytes)
        except Exception:  # a DOCX we parsed but cannot rewrite still gets a clean resume
            log.warning("DOCX could not be edited in place; building a clean one instead")
            note = (
                "Your DOCX could not be edited in place, so resume.docx is a new, plain layout "
                "of the rewritten resume."
            )
            return clean_docx(result.rewritten), [note]
        if not unplaced:
            return data, []
        paths = ", ".join(f"`{c.path}`" for c in unplaced)
        note = (
            "These accepted changes could not be placed in your DOCX and appear only in "
            f"resume.md and resume.json: {paths}"
        )
        return data, [note]
    return clean_docx(result.rewritten), []


def docx_bytes(result: CoachingResult, source_bytes: bytes | None) -> bytes:
    """resume.docx: the user's DOCX edited in place, else a clean DOCX of the rewritten resume."""
    return _docx_with_notes(result, source_bytes)[0]


# ---------------------------------------------------------------- STAR stories


def star_stories_markdown(result: CoachingResult) -> str:
    """star_stories.md: each story with its question, skill, S/T/A/R, sources and gaps."""
    out = ["# STAR interview stories", ""]
    if not result.star_stories:
        out.append("No stories were written in this run.")
        return "\n".join(out) + "\n"
    out += [
        "Each story is built only from your own bullets. Where a fact was missing it is left "
        "as a placeholder: fill it in before you tell the story.",
    ]
    for number, story in enumerate(result.star_stories, 1):
        out += ["", f"## {number}. {_inert(story.question)}", ""]
        if story.skill:
            out += [f"**Skill:** {_inert(story.skill)}", ""]
        for label, text in (
            ("Situation", story.situation),
            ("Task", story.task),
            ("Action", story.action),
            ("Result", story.result),
        ):
            out += [f"**{label}:** {_inert(text)}", ""]
        if story.sources:
            out.append("**Built from:**")
            for path in story.sources:
                source = text_at(result.resume, path)
                out.append(f"- `{path}`" + (f": {_inert(source)}" if source else ""))
            out.append("")
        if story.missing:
            out.append("**Add before you use this story:**")
            out += [f"- [ ] {_inert(item)}" for item in story.missing]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- coaching report


def _load_guide(guide_id: str | None) -> tuple[Guide | None, str]:
    if not guide_id:
        return None, ""
    from coach.guides import get_guide

    try:
        return get_guide(guide_id), ""
    except GuideError:
        return None, f"The guide '{guide_id}' used for this run is no longer installed."


def _salary_lines(guide: Guide) -> list[str]:
    salary = guide.salary
    if salary is None or (salary.from_ is None and salary.to is None):
        return []
    out = ["## Salary (as the guide states it)", ""]
    for title, amount in ((salary.from_title, salary.from_), (salary.to_title, salary.to)):
        if amount is not None:
            out.append(f"- {_inert(title or 'Role')}: {amount:,} {salary.currency}")
    return out + [""]


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _evidence_lines(result: CoachingResult) -> list[str]:
    gaps = result.gaps
    out: list[str] = []
    if gaps.evidenced:
        out += ["## Transferable skills you already show", ""]
        out += ["| Skill | Bullets that prove it |", "| --- | --- |"]
        for skill in gaps.evidenced:
            proofs = [_short(text_at(result.resume, p) or p) for p in skill.bullets[:_TABLE_PROOFS]]
            more = len(skill.bullets) - _TABLE_PROOFS
            cell = " • ".join(_cell(p) for p in proofs) + (f" (+{more} more)" if more > 0 else "")
            out.append(f"| {_cell(skill.name)} | {cell} |")
        out.append("")
    if gaps.unproven:
        out += ["## Transferable skills without evidence yet", ""]
        for skill in gaps.unproven:
            hint = f": {_inert(skill.hint)}" if skill.hint else ""
            out.append(f"- **{_inert(skill.name)}**{hint}")
        out.append("")
    return out


def _to_build_lines(result: CoachingResult) -> list[str]:
    gaps = sorted(result.gaps.to_build, key=lambda g: g.priority)
    if not gaps:
        return []
    out = ["## Skills to build (most important first)", ""]
    for number, gap in enumerate(gaps, 1):
        out += [f"### {number}. {_inert(gap.name)}", ""]
        if gap.description:
            out += [_inert(gap.description), ""]
        if gap.partly_present:
            found = ", ".join(_inert(f) for f in gap.found)
            out += [f"Partly present: your resume already mentions {found}.", ""]
        if gap.resources:
            out += ["Resources:", *_bullets(gap.resources), ""]
    return out


def _guide_lines(guide: Guide) -> list[str]:
    out: list[str] = []
    if guide.roadmap:
        out += ["## Roadmap", ""]
        week = 1
        for phase in guide.roadmap:
            span = ""
            if phase.weeks:
                span = f" (weeks {week}–{week + phase.weeks - 1})"
                week += phase.weeks
            out += [f"### {_inert(phase.name)}{span}", "", *_bullets(phase.tasks), ""]
    if guide.certifications:
        out += ["## Certifications to consider", "", *_bullets(guide.certifications), ""]
    if guide.timeline and guide.timeline.text:
        out += ["## Timeline", "", _inert(guide.timeline.text), ""]
    out += _salary_lines(guide)
    if guide.first_steps:
        out += ["## First steps", "", *_bullets(guide.first_steps), ""]
    plan = guide.action_plan
    if plan and (plan.week or plan.month or plan.days_90):
        out += ["## Action plan", ""]
        for label, items in (
            ("This week", plan.week),
            ("This month", plan.month),
            ("Next 90 days", plan.days_90),
        ):
            if items:
                out += [f"**{label}**", "", *_bullets(items), ""]
    if guide.challenges:
        out += ["## Challenges to expect", "", *_bullets(guide.challenges), ""]
    return out


def _status_label(change: Change) -> str:
    if change.status == "rewritten":
        return "rewritten" if change.accepted else "rewritten, reverted by you"
    return change.status


def _skill_groups_line(groups_json: str) -> str:
    """A skills change (JSON list of groups) as one readable line."""
    try:
        groups = json.loads(groups_json)
        return "; ".join(
            _inert(f"{g.get('name') or 'Skills'}: {', '.join(map(str, g.get('keywords', [])))}")
            for g in groups
        )
    except (ValueError, TypeError, AttributeError):
        return "see resume.md"


def _change_lines(changes: list[Change]) -> list[str]:
    if not changes:
        return []
    counts = {s: sum(c.status == s for c in changes) for s in ("rewritten", "kept", "rejected")}
    reverted = sum(c.status == "rewritten" and not c.accepted for c in changes)
    out = [
        "## Changes",
        "",
        f"{counts['rewritten']} rewritten ({reverted} reverted by you), {counts['kept']} kept, "
        f"{counts['rejected']} rejected by the fact check (the original was kept).",
        "",
    ]
    for change in changes:
        skill = f" · {_inert(change.skill)}" if change.skill else ""
        out.append(f"- `{change.path}` **{_status_label(change)}**{skill}")
        if change.path == SKILLS_PATH:
            out.append(f"  - Skills now read: {_skill_groups_line(change.rewritten)}")
        else:
            out.append(f"  - Original: {_inert(change.original)}")
            if change.rewritten and change.rewritten != change.original:
                out.append(f"  - Suggested: {_inert(change.rewritten)}")
        if change.reason:
            why = "Why it was rejected" if change.status == "rejected" else "Note"
            out.append(f"  - {why}: {_inert(change.reason)}")
    return out + [""]


def _warning_lines(result: CoachingResult, docx_notes: list[str]) -> list[str]:
    out: list[str] = []
    if result.warnings or result.hidden_text or docx_notes:
        out += ["## Warnings", ""]
    out += _bullets(result.warnings)
    out += [f"- {note}" for note in docx_notes]  # our own text: already Markdown
    if result.hidden_text:
        out += [
            "- Your file contains text a reader cannot see (white, tiny or off-page). Recruiters "
            "and ATS tools treat hidden text as a red flag; remove it. It reads:",
            "",
            *_code_block(result.hidden_text),
        ]
    return out + ([""] if out else [])


def _job_lines(result: CoachingResult) -> list[str]:
    job = result.gaps.job
    if job is None:
        return []
    share = f"{len(job.covered)} of {len(job.terms)}" if job.terms else "0"
    return [
        "## Job description coverage",
        "",
        f"Your resume mentions {share} key terms of the job description.",
        "",
        f"- Covered: {', '.join(_inert(t) for t in job.covered) or 'none'}",
        f"- Missing: {', '.join(_inert(t) for t in job.missing) or 'none'}",
        "",
    ]


def report_markdown(result: CoachingResult, docx_notes: list[str] | None = None) -> str:
    """report.md: guide, evidence, gaps, skills to build, roadmap, changes, warnings, stats."""
    guide, guide_problem = _load_guide(result.guide)
    name = result.resume.basics.name or "your resume"
    current = result.current_role or "current role"
    out = [f"# Coaching report: {_inert(name)}", ""]
    out.append(f"**Move:** {_inert(current)} → {_inert(result.target_role or 'target role')}")
    out.append("")
    if guide:
        out += [
            f"**Guide used:** {_inert(guide.from_role)} → {_inert(guide.to_role)} (`{guide.id}`)",
            "",
        ]
        if guide.summary:
            out += [_inert(guide.summary), ""]
    else:
        out += [
            guide_problem
            or "No transition guide matched this move, so the rewrite used general "
            "transferable-skill framing and there is no roadmap, certification or salary data. "
            "Add a guide with `resume-coach guides import FILE`.",
            "",
        ]
    out += _evidence_lines(result)
    out += _to_build_lines(result)
    if guide:
        out += _guide_lines(guide)
    out += _job_lines(result)
    out += _change_lines(result.changes)
    out += _warning_lines(result, docx_notes or [])
    stats = result.stats
    out += [
        "## Run",
        "",
        f"- Provider: {_inert(stats.provider or 'unknown')}, model: {_inert(stats.model or '-')}",
        f"- Model calls: {stats.llm_calls} ({stats.cache_hits} answered from cache)",
        f"- Tokens: {stats.prompt_tokens} prompt, {stats.completion_tokens} completion",
        f"- Time: {stats.seconds:.1f} s",
    ]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- all outputs


def result_json(result: CoachingResult) -> dict:
    """result.json: the whole coaching result as plain JSON."""
    return result.model_dump(mode="json", by_alias=True)


def export_bytes(result: CoachingResult, source_bytes: bytes | None) -> dict[str, bytes]:
    """Every output file's content by file name (for downloads and for write_outputs)."""
    docx_data, docx_notes = _docx_with_notes(result, source_bytes)

    def as_json(data: object) -> bytes:
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return {
        "resume.docx": docx_data,
        "resume.md": resume_to_markdown(result.rewritten).encode("utf-8"),
        "resume.json": as_json(result.rewritten.to_json_dict()),
        "star_stories.md": star_stories_markdown(result).encode("utf-8"),
        "report.md": report_markdown(result, docx_notes).encode("utf-8"),
        "result.json": as_json(result_json(result)),
    }


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so readers see the old content or the new, never a half-written one."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o644)  # mkstemp makes 0600; outputs are ordinary files
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_outputs(
    result: CoachingResult, out_dir: Path, source_bytes: bytes | None
) -> dict[str, Path]:
    """Write the six output files into out_dir (created if needed), each atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, data in export_bytes(result, source_bytes).items():
        paths[name] = out_dir / name
        write_atomic(paths[name], data)
    return paths
