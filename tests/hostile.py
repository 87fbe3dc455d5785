"""Generators of hostile input files, built in memory by the tests (nothing is downloaded).

Hand-written PDFs use `raw_pdf`, which lays out numbered objects and a correct xref table,
so each file reaches PDFium's object parser rather than failing at the first byte.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from pathlib import Path

from builders import RESUME_LINES, docx_bytes, pdf_bytes

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_CONTENT_TYPES = "[Content_Types].xml"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# ------------------------------------------------------------------ hand-written PDFs


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF from object bodies numbered 1..n, with a valid xref table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Riley Quinn) Tj 0 -20 Td (Experience) Tj ET"


def many_pages_pdf(pages: int = 3000) -> bytes:
    """A valid PDF of `pages` tiny pages sharing one content stream and one font."""
    # 1 catalog, 2 page tree, 3 font, 4 content, then the pages.
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    text = _PAGE_TEXT.replace(b"72 720", b"20 150")  # inside the small page
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 3 0 R >> >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        _FONT,
        _stream(text),
    ] + [page] * pages
    return raw_pdf(objects)


def nested_pdf(depth: int = 100_000, *, kind: str = "array") -> bytes:
    """A one-page PDF whose page dictionary holds an array or dictionary nested `depth` deep."""
    if kind == "array":
        deep = b"[" * depth + b"1" + b"]" * depth
    else:
        deep = b"<< /A " * depth + b"1" + b" >>" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 3 0 R >> >> /Deep %s >>" % deep
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>",
            _FONT,
            _stream(_PAGE_TEXT),
            page,
        ]
    )


def nested_content_pdf(depth: int = 100_000) -> bytes:
    """A page whose content stream nests `depth` save-state operators and arrays."""
    content = b"q " * depth + _PAGE_TEXT + b" [" * depth + b" ]" * depth + b" Q" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 3 0 R >> >> >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>",
            _FONT,
            _stream(content),
            page,
        ]
    )


def cyclic_page_tree_pdf() -> bytes:
    """A page tree whose node lists itself (and its parent) among its kids, next to a page."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 3 0 R >> >> >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 3 /Kids [5 0 R 6 0 R 2 0 R] >>",
            _FONT,
            _stream(_PAGE_TEXT),
            page,
            b"<< /Type /Pages /Parent 2 0 R /Count 2 /Kids [6 0 R 2 0 R] >>",
        ]
    )


def self_referencing_pdf() -> bytes:
    """Indirect references that point at themselves (length, resources, contents)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    page += b" /Resources 6 0 R >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>",
            _FONT,
            b"<< /Length 4 0 R >>\nstream\n" + _PAGE_TEXT + b"\nendstream",
            page,
            b"7 0 R",
            b"6 0 R",
        ]
    )


def image_only_pdf() -> bytes:
    """A page that is one embedded raster image (a scan), without any text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    noise = random.Random(1).randbytes(40 * 20 * 3)
    image = Image.frombytes("RGB", (40, 20), noise)
    return pdf_bytes(
        lines=[], extra=lambda pdf: pdf.drawImage(ImageReader(image), 72, 400, 400, 90)
    )


def unicode_pdf(lines: list[str], font_path: Path = DEJAVU) -> bytes:
    """A text PDF in a TrueType font that carries the glyphs (embedded, subset)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("HostileUnicode", str(font_path)))
    return _lines_pdf(lines, "HostileUnicode")


def cjk_pdf(lines: list[str]) -> bytes:
    """A Chinese text PDF with reportlab's built-in CID font (not embedded, Adobe-GB1)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return _lines_pdf(lines, "STSong-Light")


def _lines_pdf(lines: list[str], font: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    y = 780.0
    for text in lines:
        pdf.setFont(font, 16 if y == 780.0 else 11)
        pdf.drawString(60, y, text)
        y -= 22
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ------------------------------------------------------------------ DOCX archives


def rewrite_zip(data: bytes, edit) -> bytes:
    """Copy a zip, letting `edit(name, content)` return new content (or None to drop)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = edit(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def add_to_zip(data: bytes, name: str, content: bytes) -> bytes:
    """The same archive with one more member."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def declared_size_bomb() -> bytes:
    """A tiny DOCX whose central directory claims one member unpacks to about 4 GB."""
    data = bytearray(add_to_zip(docx_bytes(), "word/media/huge.bin", b"\0" * 1000))
    # The last central-directory entry is the member just added: patch its size fields.
    directory = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, 0xFFFFFFF0)
    return bytes(data)


def deflate_bomb(megabytes: int = 150) -> bytes:
    """A DOCX with a real member of `megabytes` of zeros: about 1000x smaller on disk."""
    buffer = io.BytesIO(docx_bytes())
    chunk = bytes(1_048_576)
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


def lying_size_docx() -> bytes:
    """A document.xml that holds far more data than its (small) declared size."""
    data = bytearray(
        docx_bytes(lambda d: [d.add_paragraph("Filler line " * 50) for _ in range(2000)])
    )
    # (signature, offset of the uncompressed size, of the name length, of the name)
    for marker, size_at, length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = data.find(marker)
        while start != -1:
            length = struct.unpack_from("<H", data, start + length_at)[0]
            if data[start + name_at : start + name_at + length] == b"word/document.xml":
                struct.pack_into("<I", data, start + size_at, 4096)
            start = data.find(marker, start + 4)
    return bytes(data)


def huge_xml_docx(paragraphs: int = 400_000) -> bytes:
    """A DOCX under the unpacked-size limit whose document.xml has a vast number of paragraphs."""
    data = docx_bytes()
    paragraph = b"<w:p><w:r><w:t>Coordinated a team.</w:t></w:r></w:p>"

    def edit(name: str, content: bytes) -> bytes:
        if name == "word/document.xml":
            return content.replace(b"<w:sectPr", paragraph * paragraphs + b"<w:sectPr", 1)
        return content

    return rewrite_zip(data, edit)


def external_relationships_docx(url: str = "http://198.51.100.7/track") -> bytes:
    """A resume with external hyperlinks, a remote (linked) image and a remote template."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    def build(document):
        part = document.part
        link_id = part.relate_to(url + "/link", RT.HYPERLINK, is_external=True)
        image_id = part.relate_to(url + "/pixel.png", RT.IMAGE, is_external=True)
        paragraph = document.add_paragraph("Portfolio: ")
        paragraph._p.append(
            parse_xml(
                f'<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                f' xmlns:r="{_R}" r:id="{link_id}"><w:r><w:t>riley.example.com</w:t></w:r>'
                "</w:hyperlink>"
            )
        )
        document.add_paragraph("Photo below")._p.append(parse_xml(_linked_image_run(image_id)))

    data = docx_bytes(build)

    def edit(name: str, content: bytes) -> bytes:
        if name == "word/_rels/settings.xml.rels":
            return None
        if name == "word/settings.xml":
            tag = b'<w:attachedTemplate r:id="rIdTemplate"/>'
            content = re.sub(rb"(<w:settings[^>]*>)", rb"\1" + tag, content, count=1)
            if b'xmlns:r="' not in content[:2000]:
                content = content.replace(b"<w:settings ", f'<w:settings xmlns:r="{_R}" '.encode())
        return content

    data = rewrite_zip(data, edit)
    template_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdTemplate" Type="{_R}/attachedTemplate" '
        f'Target="{url}/template.dotm" TargetMode="External"/></Relationships>'
    )
    return add_to_zip(data, "word/_rels/settings.xml.rels", template_rels.encode())


def _linked_image_run(rel_id: str) -> str:
    return (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
        f' xmlns:r="{_R}"><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="1" name="Remote"/><a:graphic><a:graphicData'
        ' uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="1" name="remote.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:link="{rel_id}"/></pic:blipFill><pic:spPr/></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def entity_docx(entity: bytes) -> bytes:
    """A DOCX whose document.xml starts with a DOCTYPE declaring `entity` and uses &e; ."""

    def edit(name: str, content: bytes) -> bytes:
        if name != "word/document.xml":
            return content
        declaration, rest = content.split(b"?>", 1)
        body = declaration + b"?><!DOCTYPE w:document [" + entity + b"]>" + rest
        return body.replace(b"Riley Quinn", b"Riley Quinn &e;", 1)

    return rewrite_zip(docx_bytes(), edit)


def billion_laughs_docx() -> bytes:
    """The classic exponential entity expansion, 10 levels of 10."""
    levels = [b'<!ENTITY l0 "lol">']
    for i in range(1, 10):
        levels.append(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10))
    levels.append(b'<!ENTITY e "&l9;">')
    return entity_docx(b"".join(levels))


def macro_docm() -> bytes:
    """A macro-enabled .docm: vbaProject.bin, its relationship and the macroEnabled type."""
    data = docx_bytes()

    def edit(name: str, content: bytes) -> bytes:
        if name == _CONTENT_TYPES:
            content = content.replace(_DOCX_MAIN.encode(), _DOCM_MAIN.encode())
            return content.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            )
        if name == "word/_rels/document.xml.rels":
            return content.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
            )
        return content

    # Not real VBA: an OLE header and a macro-like body, enough to be recognised and ignored.
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Sub AutoOpen()\nShell "calc"\nEnd Sub\n' * 8
    return add_to_zip(rewrite_zip(data, edit), "word/vbaProject.bin", vba)


def unicode_docx(lines: list[str], *, rtl: bool = False) -> bytes:
    """A DOCX of plain paragraphs, the first a Title; `rtl` marks paragraphs right-to-left."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    for index, text in enumerate(lines):
        paragraph = document.add_paragraph(text, style="Title" if index == 0 else None)
        if rtl:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    '<w:bidi xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                )
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ other bytes


def random_bytes(size: int, seed: int = 0) -> bytes:
    """Deterministic noise."""
    return random.Random(seed).randbytes(size)


def big_text(megabytes: float = 20.0) -> bytes:
    """A plain-text resume padded with bullet lines to `megabytes`."""
    head = "\n".join(text for text, _, _ in RESUME_LINES) + "\n"
    bullet = "• Coordinated 3 cross-functional teams to launch a portal used by 20,000 people.\n"
    repeats = int(megabytes * 1_048_576 - len(head.encode())) // len(bullet.encode()) + 1
    return (head + bullet * repeats).encode()


def text_pdf() -> bytes:
    """The standard one-page resume PDF (a seed for mutations)."""
    return pdf_bytes()


def dense_page_pdf(words: int = 20_000, pages: int = 1) -> bytes:
    """Pages crowded with tiny words at scattered positions (worst case for layout analysis)."""
    rng = random.Random(7)
    ops = [b"BT /F1 4 Tf"]
    for number in range(words):
        x, y = rng.uniform(10, 600), rng.uniform(10, 780)
        ops.append(b"1 0 0 1 %.1f %.1f Tm (w%d) Tj" % (x, y, number))
    ops.append(b"ET")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 3 0 R >> >> >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
            _FONT,
            _stream(b"\n".join(ops)),
        ]
        + [page] * pages
    )
