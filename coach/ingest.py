"""Ingest: file bytes -> text lines with style hints (PDF, DOCX, TXT, Markdown).

The type is detected from the content, never from the file name. Every failure a user can
cause (wrong type, broken or encrypted file, oversized input) becomes an `InputError` whose
message says what to do.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

from coach import settings
from coach.errors import InputError, ParseTimeoutError, ScannedDocumentError
from coach.models import Document, Line, SourceKind

# Glyphs people use as bullets; \x7f and \uf0b7 are what symbol-font bullets decode to.
BULLET_CHARS = "•◦▪▫●○■□►▸▹➤➢✓✔❖◆◇∙·‣⁃*-–—\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
_BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(BULLET_CHARS)}]|\d{{1,2}}[.)])\s+")
_MAX_PDF_PAGES = 30  # a resume is 1-3 pages; a 1000-page PDF is not worth minutes of work
# A long CV has a few hundred lines; past this the parse costs seconds and memory for nothing.
MAX_LINES = 3000


class _Deadline:
    """Cooperative time limit: long loops call `check()` between units of work."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise ParseTimeoutError(
                f"Reading the file took longer than {self.seconds:.0f} s and was stopped; "
                "save it again from your editor (or as DOCX) and retry."
            )


def strip_bullet(text: str) -> tuple[str, bool]:
    """Remove a leading bullet glyph or list number; report whether there was one."""
    match = _BULLET_RE.match(text)
    if not match:
        return text, False
    return text[match.end() :], True


def detect_kind(data: bytes) -> SourceKind:
    """Tell PDF, DOCX, Markdown and plain text apart by their bytes."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return SourceKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "This is an old Word .doc (or other Office 97) file; save it as .docx or PDF and retry."
        )
    if head.lstrip().startswith(b"{\\rtf"):
        raise InputError("RTF files are not supported; save the resume as .docx or PDF and retry.")
    # The start of the text shows its kind; scanning megabytes of it would only cost time.
    text = decode_text(data)[:100_000]
    return SourceKind.MARKDOWN if _looks_like_markdown(text) else SourceKind.TEXT


def _zip_kind(data: bytes) -> SourceKind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise InputError(
            "The file looks like a damaged or truncated DOCX; open and save it again, then retry."
        ) from exc
    if "word/document.xml" in names:
        return SourceKind.DOCX
    raise InputError(
        "This archive is not a Word document; upload a PDF, DOCX, TXT or Markdown resume."
    )


def decode_text(data: bytes) -> str:
    """Decode text: BOM first (UTF-8/16/32), then UTF-8, then cp1252 as a last resort."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _checked_text(data.decode(codec, errors="replace"))
    try:
        return _checked_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # UTF-16 without a BOM shows up as every other byte being NUL.
    if data[1::2].count(0) > len(data) // 4:
        return _checked_text(data.decode("utf-16-le", errors="replace"))
    legacy = _legacy_cjk(data)
    if legacy is not None:
        return _checked_text(legacy)
    return _checked_text(data.decode("cp1252", errors="replace"))


def _legacy_cjk(data: bytes) -> str | None:
    """Shift-JIS or GB18030 (GBK) text, when the bytes clearly are one of them."""
    sample = data[:20_000]
    high = {i for i, byte in enumerate(sample) if byte >= 0x80}
    if not high:
        return None
    try:
        text = sample.decode("shift_jis", errors="ignore")
        # Japanese always has kana (lead bytes 0x82/0x83, rare in Western text): Chinese
        # or accented text read as Shift-JIS gets none.
        if sum(1 for ch in text if "\u3040" <= ch <= "\u30ff") >= 0.1 * len(high):
            return data.decode("shift_jis")
    except UnicodeDecodeError:
        pass
    # GBK writes a character as two high bytes; cp1252 accents stand alone between letters.
    if sum(1 for i in high if i + 1 in high or i - 1 in high) < 0.8 * len(high):
        return None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


def _checked_text(text: str) -> str:
    sample = text[:4000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and (controls / len(sample) > 0.05 or sample.count("\ufffd") / len(sample) > 0.1):
        raise InputError(
            "The file is not a readable document (binary data); "
            "upload a PDF, DOCX, TXT or Markdown resume."
        )
    return text


def _looks_like_markdown(text: str) -> bool:
    lines = text.splitlines()
    headings = sum(1 for line in lines if re.match(r"^#{1,6}\s+\S", line))
    emphasis = len(re.findall(r"\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)", text))
    return headings >= 1 or emphasis >= 2


def ingest(data: bytes, *, timeout_s: float | None = None) -> Document:
    """Turn the bytes of an uploaded file into lines with style hints."""
    limit = settings.max_file_bytes()
    if len(data) > limit:
        raise InputError(
            f"The file is {len(data) / 1_048_576:.1f} MB, over the {limit / 1_048_576:.0f} MB "
            "limit; a resume is rarely over 1 MB: remove embedded images or export it again."
        )
    if not data.strip():
        raise InputError("The file is empty; choose the file that holds your resume.")
    deadline = _Deadline(timeout_s if timeout_s is not None else settings.parse_timeout_seconds())
    kind = detect_kind(data)
    if kind is SourceKind.PDF:
        from coach.ingest_pdf import read_pdf

        document = read_pdf(data, deadline, max_pages=_MAX_PDF_PAGES)
    elif kind is SourceKind.DOCX:
        from coach.ingest_docx import read_docx

        document = read_docx(data, deadline)
    else:
        document = read_text(decode_text(data), markdown=kind is SourceKind.MARKDOWN)
    if not any(line.text.strip() for line in document.lines):
        if kind is SourceKind.PDF:
            raise ScannedDocumentError(
                "The PDF has no extractable text; it looks scanned. Export the resume from your "
                "editor as DOCX or a text PDF, or run OCR on it first."
            )
        raise InputError("The file holds no text; choose the file that holds your resume.")
    if len(document.lines) > MAX_LINES:
        document.lines = document.lines[:MAX_LINES]
        if too_long_warning() not in document.warnings:
            document.warnings.append(too_long_warning())
    return document


def too_long_warning() -> str:
    """The warning for a file cut at MAX_LINES lines."""
    return f"The file is very long; only its first {MAX_LINES} lines were read."


# ------------------------------------------------------------------ text and Markdown

_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _md_inline(text: str) -> tuple[str, bool]:
    """Strip Markdown emphasis and links, keeping link targets a parser may need (URLs)."""
    whole_bold = bool(re.fullmatch(r"\s*(\*\*|__).+?\1\s*", text))

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        if url.startswith("mailto:"):
            return url[len("mailto:") :]
        if not label or label.lower() in {"linkedin", "github", "website", "portfolio", "site"}:
            return url
        return label if label in url else f"{label} ({url})"

    text = _MD_LINK.sub(link, text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)([^_]+?)_(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = text.replace("\\", "")
    return text, whole_bold


def read_text(text: str, *, markdown: bool = False) -> Document:
    """Plain text or Markdown -> lines; Markdown headings and list markers become hints."""
    lines: list[Line] = []
    warnings: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            continue
        if len(lines) >= MAX_LINES:
            warnings.append(too_long_warning())
            break
        if re.fullmatch(r"\s*([-*_=~])(\s*\1){2,}\s*", raw):
            # An underline makes the line above a heading; alone it is a rule.
            if lines and raw.strip()[0] in "=-~" and lines[-1].heading_level is None:
                lines[-1].heading_level = 1 if raw.strip()[0] == "=" else 2
            continue
        heading_level = None
        bold = False
        body = raw.rstrip()
        if markdown and body.lstrip().startswith("|"):
            # A table row becomes tab-separated cells; the header row and the |---| rule
            # carry no resume content.
            cells = [c.strip() for c in body.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells):
                if lines and lines[-1].in_table:
                    lines.pop()
                continue
            body = "\t".join(c for c in cells if c)
            in_table = True
        else:
            in_table = False
        if markdown:
            heading = _MD_HEADING.match(body)
            if heading:
                heading_level = len(heading.group(1))
                body = heading.group(2)
            body, bold = _md_inline(body)
        body, bullet = strip_bullet(body)
        lines.append(
            Line(
                text=body.strip(),
                bullet=bullet,
                heading_level=heading_level,
                bold=bold,
                x=float(len(raw) - len(raw.lstrip())),
                in_table=in_table,
            )
        )
    kind = SourceKind.MARKDOWN if markdown else SourceKind.TEXT
    return Document(kind=kind, lines=lines, warnings=warnings)
