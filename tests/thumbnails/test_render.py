"""Rendering a first page in a child process: real PDFs become small images, bad or hostile
ones a one-sentence error, and the child's time and memory limits hold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from dailypapers.thumbnails.render import Limits, RenderError, render_in_child
from tests.thumbnails import pdfs

ROOMY = Limits(seconds=60, memory_bytes=1024 * 2**20)


def render(tmp_path: Path, pdf: bytes, limits: Limits = ROOMY) -> Image.Image:
    source, out = tmp_path / "in.pdf", tmp_path / "out.webp"
    source.write_bytes(pdf)
    size = render_in_child(source, out, 320, limits)
    image = Image.open(out)
    assert image.size == size
    return image


def test_a_paper_becomes_a_small_image_of_its_first_page(tmp_path: Path) -> None:
    image = render(tmp_path, pdfs.paper_pdf(pages=4))
    assert image.format == "WEBP"
    assert image.width == 320 and 440 < image.height < 460  # A4's proportions
    # The red disc of the figure on page 1 is there, in the middle third of the page.
    red = image.convert("RGB").getpixel((160, image.height * 2 // 3))
    assert isinstance(red, tuple) and red[0] > 180 and red[1] < 80 and red[2] < 80
    # And the page is white paper, not a transparent or black background.
    assert image.convert("RGB").getpixel((300, 10)) == (255, 255, 255)


def test_an_odd_page_size_keeps_its_proportions(tmp_path: Path) -> None:
    image = render(tmp_path, pdfs.odd_size_pdf())
    assert image.size == (320, 71) or image.size == (320, 72)


def test_an_encrypted_pdf_anyone_may_open_is_rendered(tmp_path: Path) -> None:
    assert render(tmp_path, pdfs.encrypted_pdf(user_password="")).width == 320


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: pdfs.encrypted_pdf(user_password="secret"), "password"),
        (pdfs.truncated_pdf, "not a readable PDF"),
        (lambda: b"<html>PDF unavailable</html>", "not a readable PDF"),
        (pdfs.giant_page_pdf, "not a page size"),
    ],
    ids=["password", "truncated", "html", "giant-page"],
)
def test_a_pdf_that_cannot_be_rendered_is_one_clear_sentence(
    tmp_path: Path, make: Callable[[], bytes], reason: str
) -> None:
    with pytest.raises(RenderError, match=reason) as failure:
        render(tmp_path, make())
    assert "\n" not in str(failure.value) and "Traceback" not in str(failure.value)
    assert not (tmp_path / "out.webp").exists()


def test_a_renderer_over_its_time_is_stopped(tmp_path: Path) -> None:
    # No interpreter starts, let alone renders, in a hundredth of a second.
    with pytest.raises(RenderError, match="took longer than"):
        render(tmp_path, pdfs.paper_pdf(), Limits(seconds=0.01, memory_bytes=1024 * 2**20))


def test_a_renderer_over_its_memory_is_stopped(tmp_path: Path) -> None:
    # 40 MiB of address space cannot even hold the interpreter with PDFium loaded: a
    # MemoryError, or (the interpreter failing earlier) a crash of the child; never this worker.
    with pytest.raises(RenderError, match="memory|the renderer"):
        render(tmp_path, pdfs.paper_pdf(), Limits(seconds=60, memory_bytes=40 * 2**20))
