"""PDF -> lines with style hints, using pypdf's text visitor for positions, fonts and colours.

pypdf reports text in drawing order with the text matrix at each chunk. We rebuild rows from
the y positions, split a row where a wide gap shows a tab stop (a right-aligned date), and
detect a column gutter so a sidebar is read as its own block instead of being interleaved.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from coach.errors import CoachError, InputError
from coach.ingest import _Deadline, strip_bullet
from coach.models import Document, Line, SourceKind

_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
_TINY_FONT_PT = 3.0  # below this a reader cannot see the text: flagged as hidden
_ROW_TOLERANCE = 0.45  # rows: baselines within this fraction of the font size
_SEGMENT_GAP = 1.6  # a horizontal gap wider than this many font sizes splits a row


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
        out = ""
        previous: _Chunk | None = None
        for chunk in self.chunks:
            # Font changes split a word run into chunks; a space goes between them only
            # where there is a visible gap and no punctuation that hugs the previous word.
            gap = chunk.x - previous.end if previous else 0.0
            hugs = chunk.text[:1] in ",.;:)%" or out.endswith(("(", "/", "-"))
            joined = not out or out.endswith(" ") or chunk.text.startswith(" ")
            if not joined and not hugs and gap > 0.12 * chunk.size:
                out += " "
            out += chunk.text
            previous = chunk
        return " ".join(out.split())


def _char_width(ch: str) -> float:
    """Rough advance width in ems (Helvetica-like); enough to find gaps between chunks."""
    if ch in " il.,:;'|!ftjI()[]":
        return 0.3
    if ch.isupper() or ch in "mwMW@%":
        return 0.72
    return 0.53


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(ch) for ch in text) * size


def _is_white(fill: tuple[str, list[float]]) -> bool:
    space, values = fill
    if not values:
        return False
    if space == "cmyk":
        return all(v <= 0.05 for v in values)
    return all(v >= 0.95 for v in values)


def _fill_from(op: bytes, args: list) -> tuple[str, list[float]] | None:
    try:
        values = [float(v) for v in args]
    except (TypeError, ValueError):
        return None
    if op in (b"g", b"rg", b"k") or op in (b"sc", b"scn"):
        return {1: "gray", 3: "rgb", 4: "cmyk"}.get(len(values), "other"), values
    return None


def _device_rect(args: list, cm: list) -> tuple[float, float, float, float]:
    """A path rectangle (x, y, w, h) in page space: (x0, y0, x1, y1)."""
    x, y, w, h = (float(v) for v in args)
    corners = [(x, y), (x + w, y + h)]
    points = [(a * cm[0] + b * cm[2] + cm[4], a * cm[1] + b * cm[3] + cm[5]) for a, b in corners]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _bounding_box(boxes: list[tuple[float, float, float, float]]) -> tuple[float, ...]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _page_chunks(page, deadline: _Deadline) -> list[_Chunk]:
    """Collect the text chunks of one page with position, size, weight and visibility."""
    box = page.mediabox
    left, bottom = float(box.left), float(box.bottom)
    right, top = float(box.right), float(box.top)
    chunks: list[_Chunk] = []
    state = {"fill": ("gray", [0.0]), "stack": [], "invisible": False, "ops": 0}
    # Filled non-white rectangles: white text on a dark banner is visible, not hidden.
    backgrounds: list[tuple[float, float, float, float]] = []
    pending: list[tuple[float, float, float, float]] = []

    def before(op: bytes, args: list, cm: list, tm: list) -> None:
        state["ops"] += 1
        if state["ops"] % 2000 == 0:
            deadline.check()
        if op == b"q":
            state["stack"].append(state["fill"])
        elif op == b"Q":
            if state["stack"]:
                state["fill"] = state["stack"].pop()
        elif op == b"Tr" and args:
            state["invisible"] = args[0] == 3  # render mode 3: neither fill nor stroke
        elif op == b"re" and len(args) == 4:
            pending.append(_device_rect(args, cm))
        elif op in (b"m", b"l", b"c", b"v", b"y") and args:
            pending.append(_device_rect([*args[-2:], 0, 0], cm))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            if pending and not _is_white(state["fill"]):
                backgrounds.append(_bounding_box(pending))
            pending.clear()
        elif op in (b"n", b"S", b"s"):
            pending.clear()
        else:
            fill = _fill_from(op, args)
            if fill:
                state["fill"] = fill

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        eff = abs(size * scale) or 10.0
        name = str((font or {}).get("/BaseFont", "")).lower()
        off_page = x > right + 1 or x < left - 200 or y < bottom - 1 or y > top + 1
        white = _is_white(state["fill"]) and not any(
            x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in backgrounds
        )
        hidden = state["invisible"] or white or eff < _TINY_FONT_PT or off_page
        bold = any(marker in name for marker in _BOLD_MARKERS)
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                part_y = y - i * eff * 1.2
                chunks.append(_Chunk(part, x, part_y, eff, bold, hidden, _text_width(part, eff)))

    page.extract_text(visitor_text=visit, visitor_operand_before=before)
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


def _find_gutter(rows: list[list[_Segment]], width: float) -> float | None:
    """An x position that splits the page into two real columns of text, if there is one.

    Right-aligned dates or places are not a column, and neither is a left 'timeline' of
    dates beside each role: both are read row by row.
    """
    from coach.dates import looks_like_date_or_place

    flat = [seg for row in rows for seg in row]
    total_chars = sum(len(seg.text) for seg in flat) or 1
    best: tuple[float, float] | None = None
    candidates = sorted({round(seg.x) for seg in flat if 0.2 * width < seg.x < 0.75 * width})
    for gutter in candidates:
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
        fields = sum(1 for seg in right if looks_like_date_or_place(seg.text))
        if fields > 0.4 * len(right) or crossing_rows > 0.2 * len(rows):
            continue
        paired_left = [
            row[0] for row in rows if row[0].x < gutter - 1 and any(s.x >= gutter - 1 for s in row)
        ]
        dated = sum(1 for seg in paired_left if looks_like_date_or_place(seg.text))
        if len(paired_left) >= 2 and dated >= 0.6 * len(paired_left):
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


def _page_lines(chunks: list[_Chunk], page: int, width: float) -> list[Line]:
    # Hidden text is kept on lines of its own so it can be flagged but never mixes with
    # the visible line it was hidden in.
    hidden = [_line(_segments(row), page, 0) for row in _rows([c for c in chunks if c.hidden])]
    visible_rows = [_segments(row) for row in _rows([c for c in chunks if not c.hidden])]
    gutter = _find_gutter(visible_rows, width)
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
    """Read a PDF with pypdf; encrypted files are tried with the empty password."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                "The PDF is password-protected; remove the password (print or export it again "
                "without protection) and retry."
            )
        pages = reader.pages
        count = len(pages)
        warnings = []
        if count > max_pages:
            warnings.append(f"The PDF has {count} pages; only the first {max_pages} were read.")
        lines: list[Line] = []
        for index in range(min(count, max_pages)):
            deadline.check()
            page = pages[index]
            chunks = _page_chunks(page, deadline)
            lines.extend(_page_lines(chunks, index, float(page.mediabox.width)))
    except CoachError:
        raise
    except (Exception, RecursionError) as exc:  # pypdf raises many types on broken files
        if "decrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise InputError(
                "The PDF is encrypted in a way that cannot be opened; export it again "
                "without protection and retry."
            ) from exc
        raise InputError(
            "The PDF is damaged or truncated and cannot be read; export it again and retry."
        ) from exc
    return Document(kind=SourceKind.PDF, lines=lines, pages=count, warnings=warnings)
