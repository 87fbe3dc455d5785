"""Small builders for real PDF and DOCX files used by the tests (reportlab, python-docx)."""

from __future__ import annotations

import io

import docx
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

RESUME_LINES = [
    ("Riley Quinn", 20, True),
    ("riley.quinn@example.com | (555) 010-0177 | Denver, CO", 10, False),
    ("EXPERIENCE", 12, True),
    ("Project Manager | Bluebird Health", 10, True),
    (
        "• Coordinated 3 cross-functional teams to launch a patient portal used by 20,000 people.",
        10,
        False,
    ),
    ("• Ran weekly risk reviews with clinical stakeholders.", 10, False),
    ("EDUCATION", 12, True),
    ("University of Colorado, B.A. in Communication, 2015", 10, False),
    ("SKILLS", 12, True),
    ("Jira, Smartsheet, Agile, Budgeting", 10, False),
]


def pdf_bytes(
    lines: list[tuple[str, float, bool]] = RESUME_LINES,
    *,
    encrypt_user: str | None = None,
    encrypt_owner: str | None = None,
    extra=None,
) -> bytes:
    """A one-page text PDF; `extra(canvas)` may draw more (hidden text, images)."""
    buffer = io.BytesIO()
    encrypt = None
    if encrypt_user is not None or encrypt_owner is not None:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(
            encrypt_user or "", ownerPassword=encrypt_owner or "owner", strength=128
        )
    pdf = canvas.Canvas(buffer, pagesize=letter, encrypt=encrypt)
    y = 740.0
    for text, size, bold in lines:
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(72, y, text)
        y -= size + 8
    if extra:
        extra(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(build=None) -> bytes:
    """A small resume DOCX; `build(document)` may add or change content."""
    document = docx.Document()
    document.add_paragraph("Riley Quinn", style="Title")
    document.add_paragraph("riley.quinn@example.com | (555) 010-0177 | Denver, CO")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Project Manager | Bluebird Health | Jan 2019 – Present")
    document.add_paragraph(
        "Coordinated 3 cross-functional teams to launch a patient portal.", style="List Bullet"
    )
    document.add_heading("Education", level=1)
    document.add_paragraph("University of Colorado, B.A. in Communication, 2015")
    if build:
        build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
