"""PDF -> lines with style hints, using PDFium (pypdfium2) for characters, fonts and colours.

PDFium gives every character with its box, font and fill colour. We join characters into
runs, rebuild rows from the baselines, split a row where a wide gap shows a tab stop (a
right-aligned date), and detect a column gutter so a sidebar is read as its own block
instead of being interleaved. pypdf was measured too slow for this (see BENCHMARKS.md).
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from coach.errors import CoachError, InputError
from coach.ingest import MAX_LINES, _Deadline, strip_bullet
from coach.models import Document, Line, SourceKind

_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
_TINY_FONT_PT = 3.0  # below this a reader cannot see the text: flagged as hidden
_ROW_TOLERANCE = 0.45  # rows: baselines within this fraction of the font size
_SEGMENT_GAP = 1.6  # a horizontal gap wider than this many font sizes splits a row
# A resume page has a few hundred segments; the column search costs candidates x segments,
# so a page crowded past this (thousands of scattered words) is read row by row instead.
_MAX_GUTTER_SEGMENTS = 400


@dataclass
class _Chunk:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    hidden: bool
    width: float = 0.0

    @property
    def end(self) -> float:
        return self.x + self.width


@dataclass
class _Segment:
    chunks: list[_Chunk] = field(default_factory=list)

    @property
    def x(self) -> float:
        return self.chunks[0].x

    @property
    def end(self) -> float:
        return max(chunk.end for chunk in self.chunks)

    @property
    def y(self) -> float:
        return self.chunks[0].y

    @property
    def text(self) -> str:
        # Chunks are built from whitespace-separated words, so a space always joins them.
        return " ".join(chunk.text for chunk in self.chunks)


_WORD = re.compile(r"\S+")
_WHITE = 243  # 0..255: fill at or above this on every channel is white
# PDFium is not thread-safe: batch workers and app sessions take turns (a page takes ms).
_PDFIUM_LOCK = threading.Lock()


@dataclass
class _Style:
    size: float
    bold: bool
    white: bool
    invisible: bool


def _style(textpage, index: int, obj) -> _Style:
    """Font size (scaled to page space), weight and colour of the text object of a char."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, matrix)
    size = raw.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.a, matrix.b)
    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(textpage, index, name, len(name), flags)
    font = name.value.decode("latin-1").lower()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    raw.FPDFText_GetFillColor(textpage, index, r, g, b, a)
    mode = raw.FPDFTextObj_GetTextRenderMode(obj)
    return _Style(
        size=abs(size) or 10.0,
        bold=any(marker in font for marker in _BOLD_MARKERS),
        white=min(r.value, g.value, b.value) >= _WHITE or a.value == 0,
        invisible=mode == raw.FPDF_TEXTRENDERMODE_INVISIBLE,
    )


def _backgrounds(page) -> list[tuple[float, float, float, float]]:
    """Boxes of filled, non-white shapes: white text on them is visible, not hidden."""
    boxes = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke)
        if not fill_mode.value:
            continue
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        if min(r.value, g.value, b.value) >= _WHITE or a.value == 0:
            continue
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if raw.FPDFPageObj_GetBounds(obj.raw, left, bottom, right, top):
            boxes.append((left.value, bottom.value, right.value, top.value))
    return boxes


def _fast(function, restype, *argtypes):
    """The same PDFium entry point with plain pointer types: 2-3x cheaper per call in loops."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_text_object = _fast(raw.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_loose_box = _fast(
    raw.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.POINTER(raw.FS_RECTF),
)


def _page_chunks(page, deadline: _Deadline) -> list[_Chunk]:
    """Runs of words with one style on one baseline, with their page positions.

    Boxes are read for the first and last character of each word only: per-character
    calls dominate the cost, and word edges are all the layout analysis needs.
    """
    textpage = page.get_textpage()
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # surrogate pairs: fall back to one code point per char
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 32) for i in range(count))
    width, height = page.get_size()
    box = raw.FS_RECTF()
    box_pointer = ctypes.pointer(box)
    styles: dict[int, _Style] = {}
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    backgrounds: list | None = None
    for number, word in enumerate(_WORD.finditer(text)):
        if number % 500 == 0:
            deadline.check()
        first, last = word.start(), word.end() - 1
        address = _text_object(handle, first)
        if not address:
            continue  # a character PDFium generated (hyphen, break), not page text
        style = styles.get(address)
        if style is None:
            style = styles[address] = _style(
                textpage, first, raw.FPDFText_GetTextObject(textpage, first)
            )
        _loose_box(handle, first, box_pointer)
        left, bottom, top = box.left, box.bottom, box.top
        _loose_box(handle, last, box_pointer)
        right = max(box.right, left)
        if current is not None:
            same_row = abs(bottom - current.y) <= 0.3 * style.size
            gap = left - current.end
            same_style = (current.size, current.bold) == (style.size, style.bold)
            if same_row and same_style and -0.5 * style.size < gap <= 0.6 * style.size:
                current.text += " " + word.group()  # words are split at whitespace only
                current.width = max(current.width, right - current.x)
                continue
        hidden = style.invisible or style.size < _TINY_FONT_PT
        hidden = hidden or right < 0 or left > width or top < 0 or bottom > height
        if style.white and not hidden:
            if backgrounds is None:
                backgrounds = _backgrounds(page)
            cx, cy = (left + right) / 2, (bottom + top) / 2
            hidden = not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in backgrounds)
        current = _Chunk(word.group(), left, bottom, style.size, style.bold, hidden, right - left)
        chunks.append(current)
    textpage.close()
    return chunks


def _rows(chunks: list[_Chunk]) -> list[list[_Chunk]]:
    """Group chunks into rows of (nearly) the same baseline, top to bottom."""
    rows: list[list[_Chunk]] = []
    for chunk in sorted(chunks, key=lambda c: (-c.y, c.x)):
        if rows and abs(rows[-1][0].y - chunk.y) <= _ROW_TOLERANCE * max(chunk.size, 4):
            rows[-1].append(chunk)
        else:
            rows.append([chunk])
    return [sorted(row, key=lambda c: c.x) for row in rows]


def _segments(row: list[_Chunk]) -> list[_Segment]:
    """Split a row where a wide gap (tab stop, column gutter) separates its chunks."""
    segments: list[_Segment] = []
    for chunk in row:
        if segments:
            last = segments[-1]
            gap = chunk.x - last.end
            lone_bullet = strip_bullet(last.text + " x")[1] and len(last.text) <= 2
            if gap <= _SEGMENT_GAP * chunk.size or lone_bullet:
                last.chunks.append(chunk)
                continue
        segments.append(_Segment([chunk]))
    return segments


def _find_gutter(rows: list[list[_Segment]], width: float, deadline: _Deadline) -> float | None:
    """An x position that splits the page into two real columns of text, if there is one.

    Right-aligned dates or places are not a column, and neither is a left 'timeline' of
    dates beside each role: both are read row by row.
    """
    from coach.dates import looks_like_date_or_place

    flat = [seg for row in rows for seg in row]
    if len(flat) > _MAX_GUTTER_SEGMENTS:
        return None
    dated = {id(seg): looks_like_date_or_place(seg.text) for seg in flat}
    total_chars = sum(len(seg.text) for seg in flat) or 1
    best: tuple[float, float] | None = None
    candidates = sorted({round(seg.x) for seg in flat if 0.2 * width < seg.x < 0.75 * width})
    for gutter in candidates:
        deadline.check()
        right = [seg for seg in flat if seg.x >= gutter - 1]
        crossing_rows = sum(
            1
            for row in rows
            if any(seg.x < gutter - 1 and seg.x + 0.9 * (seg.end - seg.x) > gutter for seg in row)
        )
        right_chars = sum(len(seg.text) for seg in right)
        left_chars = total_chars - right_chars
        if len(right) < 4 or min(right_chars, left_chars) < 0.12 * total_chars:
            continue
        fields = sum(1 for seg in right if dated[id(seg)])
        if fields > 0.4 * len(right) or crossing_rows > 0.2 * len(rows):
            continue
        paired_left = [
            row[0] for row in rows if row[0].x < gutter - 1 and any(s.x >= gutter - 1 for s in row)
        ]
        dates_left = sum(1 for seg in paired_left if dated[id(seg)])
        if len(paired_left) >= 2 and dates_left >= 0.6 * len(paired_left):
            continue
        score = crossing_rows - min(right_chars, left_chars) / total_chars
        if best is None or score < best[1]:
            best = (gutter - 1, score)
    return best[0] if best else None


def _line(segments: list[_Segment], page: int, column: int) -> Line:
    chunks = [chunk for seg in segments for chunk in seg.chunks]
    text = "\t".join(seg.text for seg in segments)
    body, bullet = strip_bullet(text)
    visible = [c for c in chunks if not c.hidden]
    main = visible or chunks
    return Line(
        text=body.strip(),
        page=page,
        font_size=round(max(c.size for c in main), 1),
        bold=all(c.bold for c in main),
        x=round(segments[0].x, 1),
        column=column,
        bullet=bullet,
        hidden=not visible,
    )


def _page_lines(chunks: list[_Chunk], page: int, width: float, deadline: _Deadline) -> list[Line]:
    # Hidden text is kept on lines of its own so it can be flagged but never mixes with
    # the visible line it was hidden in.
    hidden = [_line(_segments(row), page, 0) for row in _rows([c for c in chunks if c.hidden])]
    visible_rows = [_segments(row) for row in _rows([c for c in chunks if not c.hidden])]
    gutter = _find_gutter(visible_rows, width, deadline)
    if gutter is None:
        return [_line(row, page, 0) for row in visible_rows] + hidden
    # Rows that cross the gutter (a full-width name or heading) cut the page into bands;
    # inside a band the left column is read before the right one.
    lines: list[Line] = []
    band_left: list[Line] = []
    band_right: list[Line] = []
    for row in visible_rows:
        left = [seg for seg in row if seg.x < gutter]
        right = [seg for seg in row if seg.x >= gutter]
        if left and left[-1].x + 0.9 * (left[-1].end - left[-1].x) > gutter:
            lines += band_left + band_right + [_line(row, page, 0)]
            band_left, band_right = [], []
            continue
        if left:
            band_left.append(_line(left, page, 0))
        if right:
            band_right.append(_line(right, page, 1))
    return lines + band_left + band_right + hidden


def read_pdf(data: bytes, deadline: _Deadline, *, max_pages: int) -> Document:
    """Read a PDF with PDFium; an encrypted file opens only with the empty password."""
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise InputError(
                    "The PDF is password-protected; remove the password (print or export it "
                    "again without protection) and retry."
                ) from exc
            raise InputError(
                "The PDF is damaged or truncated and cannot be read; export it again and retry."
            ) from exc
        try:
            count = len(pdf)
            warnings = []
            if count > max_pages:
                warnings.append(f"The PDF has {count} pages; only the first {max_pages} were read.")
            lines: list[Line] = []
            for index in range(min(count, max_pages)):
                deadline.check()
                if len(lines) >= MAX_LINES:
                    break  # ingest cuts the lines there and says so
                page = pdf[index]
                chunks = _page_chunks(page, deadline)
                lines.extend(_page_lines(chunks, index, page.get_width(), deadline))
                page.close()
        except CoachError:
            raise
        except pdfium.PdfiumError as exc:
            raise InputError(
                "The PDF is damaged and cannot be read; export it again and retry."
            ) from exc
        finally:
            pdf.close()
    return Document(kind=SourceKind.PDF, lines=lines, pages=count, warnings=warnings)
