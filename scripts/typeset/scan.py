"""A typeset PDF as a scanner returns it, and what OCR of it is measured against.

Used by the OCR tests and by ``bench/ocr_scans.py``: the text the typesetter set is known exactly, so a
scan's character accuracy is measured, not eyeballed.
"""

from __future__ import annotations

import random
from pathlib import Path


def scan(pdf: Path, out: Path, *, seed: int) -> Path:
    """``pdf`` as a scanner returns it: 300 dpi grey, turned by up to 0.6°, salt-and-pepper noise, saved as
    an image-only PDF. The same seed always gives the same scan."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    pages = []
    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        image = page.render(scale=300 / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
        pixels = image.load()
        assert pixels is not None
        for _ in range(image.width * image.height // 400):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
        pages.append(image)
    document.close()
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=300)
    return out


def text_layer(pdf: Path) -> str:
    """The text a typeset PDF carries (what its scan should read as)."""
    import pypdfium2 as pdfium

    from ingest.layout import tidy

    document = pdfium.PdfDocument(str(pdf))
    text = "".join(tidy(page.get_textpage().get_text_range()) for page in document)
    document.close()
    return text


def compared_chars(text: str) -> str:
    """What character accuracy is measured on: every character but spacing, line breaks and dashes."""
    return "".join(c for c in text if not c.isspace() and c not in "—-")
