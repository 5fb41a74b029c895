"""PDFs the thumbnail tests serve on loopback, made here with ReportLab: an ordinary paper of
several pages with text and a figure, an odd page size, encrypted ones, broken ones."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

TITLE = "Attention Is Mostly What You Need"


def paper_pdf(pages: int = 3, size: tuple[float, float] = A4, **options: object) -> bytes:
    """A paper-like PDF: a title, text and a figure (a red disc and a raster image) on page 1."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, **options)  # type: ignore[arg-type]
    width, height = size
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(40, height - 60, TITLE if number == 1 else f"Section {number}")
        canvas.setFont("Helvetica", 9)
        for line in range(12):
            canvas.drawString(40, height - 90 - 12 * line, f"Line {line} of page {number}.")
        if number == 1:
            _figure(canvas, width, height)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _figure(canvas: Canvas, width: float, height: float) -> None:
    canvas.setFillColorRGB(0.85, 0.1, 0.1)
    canvas.circle(width / 2, height / 3, min(width, height) / 8, fill=1)
    gradient = Image.linear_gradient("L").resize((64, 64)).convert("RGB")
    canvas.drawImage(ImageReader(gradient), 40, 40, width=80, height=80)


def odd_size_pdf() -> bytes:
    """A wide, short first page (a poster strip), then a letter page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(900, 200))
    canvas.drawString(20, 100, "A strip of a page")
    canvas.showPage()
    canvas.setPageSize(letter)
    canvas.drawString(20, 700, "Page two is letter-sized")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    """Encrypted; with an empty user password anyone may open it (only printing etc. is
    restricted), with one it cannot be read without the password."""
    encryption = StandardEncryption(user_password, ownerPassword="owner-secret")
    return paper_pdf(pages=2, encrypt=encryption)


def truncated_pdf() -> bytes:
    """The first 40% of a paper: the download broke off."""
    whole = paper_pdf()
    return whole[: len(whole) * 2 // 5]


def giant_page_pdf() -> bytes:
    """A first page 20 m wide: rendering it at any resolution asks for a hostile bitmap."""
    return paper_pdf(pages=1, size=(56_000, 56_000))
