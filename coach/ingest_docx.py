"""DOCX -> lines with style hints, using python-docx.

Every paragraph of the body is read in document order, including the ones inside tables and
text boxes (resume templates love both), plus headers and footers, where contact details often
live. Paragraph indexes are kept so the export can later edit the same paragraphs in place.
"""

from __future__ import annotations

import io
import weakref
import zipfile

from coach import settings
from coach.errors import CoachError, InputError
from coach.ingest import MAX_LINES, _Deadline, strip_bullet, too_long_warning
from coach.models import Document, Line, SourceKind

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTENT_TYPES = "[Content_Types].xml"
# Parsed XML takes about ten times its size in memory; a long CV's document.xml is under 2 MB.
_MAX_MARKUP_BYTES = 8 * 1_048_576
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Macro-enabled documents and templates hold the same WordprocessingML as a DOCX; python-docx
# refuses them only by content type.
_OTHER_MAINS = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)


def check_zip_size(data: bytes) -> None:
    """Refuse a DOCX whose unpacked size is absurd (a zip bomb) before anything unpacks it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            markup = max((i.file_size for i in archive.infolist() if _is_markup(i)), default=0)
    except zipfile.BadZipFile as exc:
        raise InputError(
            "The DOCX is damaged or truncated; open and save it again in Word, then retry."
        ) from exc
    if total > settings.max_unzipped_bytes():
        raise InputError(
            f"The DOCX unpacks to {total / 1_048_576:.0f} MB, far more than any resume; "
            "it may be malicious. Save the resume again as a normal DOCX or PDF."
        )
    if markup > _MAX_MARKUP_BYTES:
        raise InputError(
            f"The DOCX holds {markup / 1_048_576:.0f} MB of text markup in one part, far more "
            "than any resume; save the resume again as a normal DOCX or PDF."
        )


def _is_markup(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith((".xml", ".rels"))


def as_plain_docx(data: bytes) -> tuple[bytes, list[str]]:
    """A .docm/.dotx/.dotm relabelled as a DOCX so its text can be read; macros never run."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        types = archive.read(_CONTENT_TYPES) if _CONTENT_TYPES in names else b""
        warnings = []
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            warnings.append(
                "The document contains macros; they were ignored (only its text is read, "
                "nothing in it is run)."
            )
        if not any(main in types for main in _OTHER_MAINS):
            return data, warnings
        for main in _OTHER_MAINS:
            types = types.replace(main, _DOCX_MAIN)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in archive.infolist():
                body = types if info.filename == _CONTENT_TYPES else archive.read(info)
                copy.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue(), warnings


def body_paragraphs(body) -> list:
    """Every w:p element in reading order, skipping the duplicate copies in mc:Fallback."""
    paragraphs = []
    for element in body.iter(f"{_W}p"):
        parent = element.getparent()
        inside_fallback = False
        while parent is not None:
            if parent.tag == _MC_FALLBACK:
                inside_fallback = True
                break
            parent = parent.getparent()
        if not inside_fallback:
            paragraphs.append(element)
    return paragraphs


# Resolving a paragraph's style scans every style of the document (milliseconds each), so a
# long document took minutes; chains are cached per part and style id instead.
_STYLE_CHAINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style_chain(paragraph) -> tuple:
    chains = _STYLE_CHAINS.setdefault(paragraph.part, {})
    key = paragraph._p.style
    if key not in chains:
        chain = []
        style = paragraph.style
        while style is not None and len(chain) < 50:  # a basedOn cycle must not loop forever
            chain.append(style)
            style = style.base_style
        chains[key] = tuple(chain)
    return chains[key]


def _heading_level(paragraph) -> int | None:
    for style in _style_chain(paragraph):
        name = (style.name or "").lower()
        if name == "title":
            return 0
        if name.startswith("heading"):
            digits = "".join(ch for ch in name if ch.isdigit())
            return int(digits) if digits else 1
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        return int(outline.get(f"{_W}val", "0")) + 1
    return None


def _is_list(paragraph) -> bool:
    if paragraph._p.find(f"{_W}pPr/{_W}numPr") is not None:
        return True
    for style in _style_chain(paragraph):
        name = (style.name or "").lower()
        if "list" in name or "bullet" in name:
            return True
        if style.element.find(f"{_W}pPr/{_W}numPr") is not None:
            return True
    return False


def _font_size(paragraph) -> float | None:
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    if sizes:
        return max(sizes)
    for style in _style_chain(paragraph):
        if style.font is not None and style.font.size is not None:
            return style.font.size.pt
    return None


def _is_bold(paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs):
        return True
    style_bold = any(s.font is not None and s.font.bold for s in _style_chain(paragraph))
    return bool(runs) and style_bold and all(run.bold is not False for run in runs)


def _shaded(element) -> bool:
    """Whether a paragraph sits on a coloured fill (cell, paragraph or table shading)."""
    for node in [element, *element.iterancestors(f"{_W}tc", f"{_W}tbl")]:
        for shading in node.iter(f"{_W}shd"):
            fill = (shading.get(f"{_W}fill") or "auto").upper()
            if fill not in {"AUTO", "FFFFFF"}:
                return True
            break  # only the node's own shading counts, not a nested table's
    return False


def _is_hidden(paragraph) -> bool:
    """All visible runs are hidden, tiny, or white on no coloured fill."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    shaded: bool | None = None

    def invisible(run) -> bool:
        nonlocal shaded
        if run.font.hidden or (run.font.size is not None and run.font.size.pt < 3):
            return True
        color = run.font.color.rgb if run.font.color is not None and run.font.color.type else None
        if str(color or "").upper() != "FFFFFF":
            return False
        if shaded is None:
            shaded = _shaded(paragraph._p)
        return not shaded

    return all(invisible(run) for run in runs)


def _owning_paragraph(node):
    return next(node.iterancestors(f"{_W}p"), None)


def _paragraph_text(element) -> str:
    """Text of a w:p including tabs and line breaks (python-docx drops some of them).

    Only the paragraph's own runs count: a text box inside it is a paragraph of its own, and
    w:tab under w:pPr/w:tabs is a tab-stop setting, not a tab character.
    """
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.getparent().tag != f"{_W}r" or _owning_paragraph(node) is not element:
            continue
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _lines_from(paragraph, element, index: int | None, header_footer: bool) -> list[Line]:
    text = _paragraph_text(element)
    if not text.strip():
        return []
    in_table = any(
        ancestor.tag == f"{_W}tc" for ancestor in element.iterancestors(f"{_W}tc", f"{_W}body")
    )
    size = _font_size(paragraph)
    common = {
        "font_size": size,
        "bold": _is_bold(paragraph),
        "heading_level": _heading_level(paragraph),
        "in_table": in_table,
        "in_header_footer": header_footer,
        "hidden": _is_hidden(paragraph),
        "paragraph": index,
    }
    listed = _is_list(paragraph)
    lines = []
    for part in text.split("\n"):
        body = part.strip(" \u00a0")
        body, glyph = strip_bullet(body)
        if body.strip():
            lines.append(Line(text=body.strip(), bullet=listed or glyph, **common))
    return lines


def read_docx(data: bytes, deadline: _Deadline) -> Document:
    """Read paragraphs, tables, text boxes, headers and footers of a DOCX."""
    check_zip_size(data)
    try:
        import docx
        from docx.text.paragraph import Paragraph

        data, warnings = as_plain_docx(data)
        document = docx.Document(io.BytesIO(data))
        lines: list[Line] = []
        seen_parts = set()
        for section in document.sections:
            for part in (section.first_page_header, section.header):
                if part.is_linked_to_previous or id(part.part) in seen_parts:
                    continue
                seen_parts.add(id(part.part))
                for element in body_paragraphs(part._element):
                    lines += _lines_from(Paragraph(element, part), element, None, True)
        for index, element in enumerate(body_paragraphs(document.element.body)):
            if index % 200 == 0:
                deadline.check()
            if index >= MAX_LINES:
                warnings.append(too_long_warning())
                break
            lines += _lines_from(Paragraph(element, document), element, index, False)
        for section in document.sections:
            part = section.footer
            if part.is_linked_to_previous or id(part.part) in seen_parts:
                continue
            seen_parts.add(id(part.part))
            for element in body_paragraphs(part._element):
                lines += _lines_from(Paragraph(element, part), element, None, True)
    except CoachError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on broken files
        raise InputError(
            "The DOCX is damaged and cannot be read; open and save it again in Word, then retry."
        ) from exc
    return Document(kind=SourceKind.DOCX, lines=lines, warnings=warnings)
