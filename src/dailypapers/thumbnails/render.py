"""First page of a PDF to a small WebP image, in a child process with a time and memory limit,
so a hostile PDF cannot hang or swell a worker (docs/thumbnails.md, "Rendering").

Run as `python -m dailypapers.thumbnails.render IN.pdf OUT.webp WIDTH SECONDS MEMORY_BYTES`;
it needs no Django.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# A first page much wider or taller than this (in PDF points) is refused: a hostile page size
# would otherwise ask for a huge bitmap even at thumbnail width.
MAX_PAGE_POINTS = 14_400  # 200 inches, PDF's own limit for a page side
MAX_ASPECT = 8.0
MAX_ERROR_CHARS = 300


class RenderError(RuntimeError):
    """The PDF could not be turned into an image; the message says why in one sentence."""


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_bytes: int


def render_in_child(pdf: Path, out: Path, width: int, limits: Limits) -> tuple[int, int]:
    """Render `pdf`'s first page to `out` in a child process; the image's (width, height)."""
    command = [sys.executable, "-m", "dailypapers.thumbnails.render", str(pdf), str(out)]
    # The child limits itself first thing (no preexec_fn: unsafe in a threaded worker).
    command += [str(width), str(limits.seconds), str(limits.memory_bytes)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"rendering took longer than {limits.seconds:g} s") from error
    if done.returncode != 0:
        raise RenderError(_child_failure(done))
    size = done.stdout.split()
    return int(size[0]), int(size[1])


def _limit_child(limits: Limits) -> None:
    cpu = max(1, int(limits.seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


def _child_failure(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    if done.returncode < 0:
        return f"the renderer was stopped by signal {-done.returncode} (time or memory limit)"
    if lines and lines[-1].startswith("RenderError: "):
        return lines[-1].removeprefix("RenderError: ")[:MAX_ERROR_CHARS]
    if any("MemoryError" in line for line in lines):
        return "rendering needed more memory than allowed"
    last = lines[-1] if lines else f"exit status {done.returncode}"
    return f"the renderer failed: {last}"[:MAX_ERROR_CHARS]


def render_first_page(pdf: Path, out: Path, width: int) -> tuple[int, int]:
    """Render in this process (the child's work): the first page at `width` pixels, as WebP."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise RenderError(f"not a readable PDF ({_reason(error)})") from error
    try:
        if len(document) == 0:
            raise RenderError("the PDF has no pages")
        page = document[0]
        points_wide, points_high = page.get_size()
        _check_size(points_wide, points_high)
        bitmap = page.render(scale=width / points_wide, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    except pdfium.PdfiumError as error:
        raise RenderError(f"the first page could not be rendered ({_reason(error)})") from error
    finally:
        document.close()
    image.save(out, "WEBP", quality=80, method=4)
    return image.width, image.height


def _check_size(wide: float, high: float) -> None:
    if not (0 < wide <= MAX_PAGE_POINTS and 0 < high <= MAX_PAGE_POINTS):
        raise RenderError(f"the first page is {wide:.0f} × {high:.0f} points, not a page size")
    if max(wide / high, high / wide) > MAX_ASPECT:
        raise RenderError(f"the first page is {wide:.0f} × {high:.0f} points, too elongated")


def _reason(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else type(error).__name__


def main(argv: list[str]) -> int:
    pdf, out, width = Path(argv[0]), Path(argv[1]), int(argv[2])
    _limit_child(Limits(float(argv[3]), int(argv[4])))
    try:
        wide, high = render_first_page(pdf, out, width)
    except RenderError as error:
        print(f"RenderError: {error}", file=sys.stderr)
        return 2
    print(wide, high)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
