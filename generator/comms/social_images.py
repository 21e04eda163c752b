"""One image per social draft, at the platform's recommended size: the
headline in the post's language (Arabic shaped and laid out right to left
by Pillow's raqm layout), the record's photo with its credit when there is
one, and both logos at one height in a white band, inside safe margins.
The layout is returned beside the bytes so that it can be checked."""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from ..errors import CheckFailed
from ..images import Logo
from .press import is_rtl

SIZES = {"x": (1200, 675), "linkedin": (1200, 627), "facebook": (1200, 630), "instagram": (1080, 1350)}
ACCENT, WHITE, INK = (31, 58, 95), (255, 255, 255), (20, 20, 20)
MARGIN = 0.06  # of the shorter side: platforms crop and overlay near the edges
BAND = 0.2  # of the height: the white band holding the logos
# Noto (Debian's fonts-noto-core) is looked up by path; PARTNERDOCS_FONTS names another folder first.
FONT_DIRS = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto", "/usr/local/share/fonts/noto"]
FONTS = {"latin": "NotoSans-Bold.ttf", "arabic": "NotoNaskhArabic-Bold.ttf"}
# {lead} and {partner} are the names' forms (generator/grammar.py): "the" or "de" + the name as grammar needs.
ALT = {"en": "{headline}. Logos of {lead[the]} and {partner[the]}.", "fr": "{headline}. Logos {lead[de]} et {partner[de]}.",
       "es": "{headline}. Logotipos {lead[de]} y {partner[de]}.", "pt": "{headline}. Logótipos {lead[de]} e {partner[de]}.",
       "ar": "{headline}. شعارا {lead[the]} و{partner[the]}."}
CREDIT = {"en": "Photo: {credit}", "fr": "Photo\u00a0: {credit}", "es": "Foto: {credit}", "pt": "Fotografia: {credit}",
          "ar": "صورة: {credit}"}


@dataclass(frozen=True)
class SocialImage:
    data: bytes
    alt: str
    layout: dict


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def font_path(text: str) -> Path | None:
    """The Noto face for the text's script (raqm does not fall back from one font to another)."""
    name = FONTS["arabic" if _arabic(text) else "latin"]
    for folder in [os.environ.get("PARTNERDOCS_FONTS", "")] + FONT_DIRS:
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


@lru_cache(maxsize=64)
def _font(path: str | None, size: int, arabic: bool) -> ImageFont.FreeTypeFont:
    if path is None:
        if arabic:
            raise CheckFailed(f"no Arabic font for the social images: install Debian's fonts-noto-core "
                              f"({FONTS['arabic']}) or set PARTNERDOCS_FONTS to a folder holding it")
        return ImageFont.load_default(size)  # Pillow's own scalable font: Latin only
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    if arabic and engine != ImageFont.Layout.RAQM:
        raise CheckFailed("Arabic social images need Pillow's raqm layout (libraqm): apt-get install libraqm0")
    return ImageFont.truetype(path, size, layout_engine=engine)


def _ink(font, text: str, direction: str) -> float:
    left, _, right, _ = font.getbbox(text, direction=direction) if direction == "rtl" else font.getbbox(text)
    return max(right - left, font.getlength(text, direction=direction) if direction == "rtl" else font.getlength(text))


def _lines(text: str, font, width: int, direction: str) -> list[str]:
    """Words wrapped to ``width`` pixels as the font measures them."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate, direction=direction) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


def render_image(platform: str, language: str, headline: str, logos: dict[str, Logo], names: dict[str, dict],
                 photo: Logo | None = None, credit: str = "") -> SocialImage:
    width, height = SIZES[platform]
    margin = round(MARGIN * min(width, height))
    band = round(BAND * height)
    image = Image.new("RGB", (width, height), ACCENT)
    if photo is not None:
        with Image.open(photo.path) as source:
            top = ImageOps.fit(source.convert("RGB"), (width, height - band), Image.Resampling.LANCZOS)
        shade = Image.new("RGB", top.size, ACCENT)
        image.paste(Image.blend(top, shade, 0.55), (0, 0))  # the headline stays readable on any photo
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - band, width, height), fill=WHITE)

    # Both logos at one height, as tall as the band allows, narrower if a wide logo would not fit its half.
    gap = margin
    logo_height = min(band - margin - round(band * 0.15),
                      *[((width - 2 * margin - gap) / 2) / logo.aspect for logo in logos.values()])
    logo_height = int(logo_height)
    order = ["partner", "lead"] if is_rtl(language) else ["lead", "partner"]
    boxes = {}
    y = height - margin - logo_height  # on the safe margin's line, whatever the band
    for index, org in enumerate(order):
        logo = logos[org]
        w = round(logo_height * logo.aspect)
        x = margin if index == 0 else width - margin - w
        with Image.open(logo.path) as source:
            scaled = source.convert("RGBA").resize((w, logo_height), Image.Resampling.LANCZOS)
        image.paste(scaled, (x, y), scaled)
        boxes[org] = [x, y, w, logo_height]

    # The headline: the largest size at which it fits the space above the band.
    arabic = _arabic(headline)
    direction = "rtl" if arabic else "ltr"
    path = font_path(headline)
    room_w, room_h = width - 2 * margin, height - band - 2 * margin - (round(0.05 * height) if credit else 0)
    size = round(height * 0.1)
    while True:
        font = _font(str(path) if path else None, size, arabic)
        lines = _lines(headline, font, room_w, direction)
        line_height = round(size * 1.3)
        if (len(lines) * line_height <= room_h and all(_ink(font, l, direction) <= room_w for l in lines)) \
                or size <= 18:
            break
        size -= 2
    y = margin
    text_boxes = []
    for line in lines:
        x, anchor = (width - margin, "ra") if direction == "rtl" else (margin, "la")
        kwargs = {"direction": direction, "language": language} if path and features.check("raqm") else {}
        ink = draw.textbbox((x, y), line, font=font, anchor=anchor, **kwargs)
        x += max(0, margin - ink[0]) + min(0, width - margin - ink[2])  # a glyph's overhang stays inside too
        draw.text((x, y), line, font=font, fill=WHITE, anchor=anchor, **kwargs)
        text_boxes.append([round(v) for v in draw.textbbox((x, y), line, font=font, anchor=anchor, **kwargs)])
        y += line_height
    if credit:
        credit_path = font_path(credit)
        small = _font(str(credit_path) if credit_path else None, max(14, round(height * 0.025)), _arabic(credit))
        x, anchor = (margin, "lb") if direction == "rtl" else (width - margin, "rb")
        kwargs = {"direction": direction, "language": language} if path and features.check("raqm") else {}
        draw.text((x, height - band - round(margin / 2)), credit, font=small, fill=WHITE, anchor=anchor, **kwargs)

    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=9)  # no metadata, no time: the same bytes each run
    alt = ALT.get(language.split("-")[0], ALT["en"]).format(headline=headline, lead=names["lead"],
                                                            partner=names["partner"])
    layout = {"size": [width, height], "margin": margin, "logos": boxes, "headline": text_boxes,
              "font": path.name if path else "Pillow default", "font_size": size}
    return SocialImage(buffer.getvalue(), alt, layout)


def credit_line(language: str, credit: str) -> str:
    return CREDIT.get(language.split("-")[0], CREDIT["en"]).format(credit=credit)
