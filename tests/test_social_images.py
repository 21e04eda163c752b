"""The social images: exact sizes, both logos at one height inside the safe
margins (from the layout the renderer records, and by pixels), the
headline in the post's language (Arabic laid out right to left), alt text."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image, features

from .conftest import BUNDLED_CONFIGS, cli_run
from .test_comms import comms_record

SIZES = {"x": (1200, 675), "linkedin": (1200, 627), "facebook": (1200, 630), "instagram": (1080, 1350)}
PARTNER_BLUE = (10, 80, 150)  # the colour conftest.make_logo fills the partner's logo with


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("images")
    for record in sorted((BUNDLED_CONFIGS / "partnerships").glob("*.yaml")):
        result = cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", out)
        assert result.exit_code == 0, result.output
    return out


def test_every_bundled_draft_has_its_image_at_the_platforms_size_with_equal_logos(bundled):
    checked = 0
    for social in sorted(bundled.glob("*/comms/social.*.json")):
        folder, language = social.parent, social.name.split(".")[1]
        layout = json.loads((folder / "images" / f"layout.{language}.json").read_text(encoding="utf-8"))
        for platform, draft in json.loads(social.read_text(encoding="utf-8")).items():
            assert draft["image"] == f"images/{platform}.{language}.png"
            with Image.open(folder / draft["image"]) as image:
                assert image.size == SIZES[platform]
            width, height = SIZES[platform]
            boxes = layout[platform]["logos"]
            assert boxes["lead"][3] == boxes["partner"][3] > 40  # equal heights, and visible
            margin = layout[platform]["margin"]
            for x, y, w, h in boxes.values():
                assert x >= margin and x + w <= width - margin and y + h <= height - margin
            for x0, y0, x1, y1 in layout[platform]["headline"]:
                assert x0 >= margin - 4 and x1 <= width - margin + 4 and y0 >= margin - 4
            assert draft["alt"].strip()
            checked += 1
    assert checked == 35  # every draft of every language of every example


def test_the_images_are_the_same_bytes_each_run(bundled, tmp_path):
    record = BUNDLED_CONFIGS / "partnerships" / "psh-2026-052.yaml"
    assert cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path).exit_code == 0
    for image in sorted((tmp_path / "PSH-2026-052" / "comms" / "images").glob("*.png")):
        assert image.read_bytes() == (bundled / "PSH-2026-052" / "comms" / "images" / image.name).read_bytes()


def _rows_of(pixels, colour, x: int) -> list[int]:
    return [y for y in range(pixels.size[1]) if pixels.getpixel((x, y)) == colour]


def test_the_pixels_show_both_logos_at_the_same_height(configs, write_record, tmp_path):
    lead_red = (200, 30, 30)
    Image.new("RGB", (500, 100), lead_red).save(configs / "logos" / "hsi.png")  # a wide lead logo
    out = tmp_path / "out"
    assert cli_run("--configs", configs, "comms", write_record(comms_record()), "--out", out).exit_code == 0
    folder = out / "T-001" / "comms"
    for platform, (width, height) in SIZES.items():
        with Image.open(folder / "images" / f"{platform}.en.png") as image:
            pixels = image.convert("RGB")
        margin = json.loads((folder / "images" / "layout.en.json").read_text(encoding="utf-8"))[platform]["margin"]
        # both logos are plain blocks: find each by its colour along a row just above the bottom margin
        row = height - margin - 5
        lead_columns = [x for x in range(width) if pixels.getpixel((x, row)) == lead_red]
        partner_columns = [x for x in range(width) if pixels.getpixel((x, row)) == PARTNER_BLUE]
        assert lead_columns and partner_columns, platform
        lead = _rows_of(pixels, lead_red, lead_columns[len(lead_columns) // 2])
        partner = _rows_of(pixels, PARTNER_BLUE, partner_columns[len(partner_columns) // 2])
        assert abs(len(lead) - len(partner)) <= 1, platform  # the same height, whatever the aspect ratios
        assert abs(len(lead_columns) / len(lead) - 5) < 0.1 and abs(len(partner_columns) / len(partner) - 3) < 0.1
        assert lead_columns[-1] < width // 2 < partner_columns[0]  # lead left, partner right (left to right)
        assert lead_columns[0] >= margin and partner_columns[-1] < width - margin and lead[-1] < height - margin


def test_the_alt_text_names_the_headline_and_both_logos(bundled):
    drafts = json.loads((bundled / "PSH-2026-014" / "comms" / "social.fr.json").read_text(encoding="utf-8"))
    alt = drafts["x"]["alt"]
    assert alt.startswith("Groupes d'épargne") and "Logos d’HSI et de FSS" in alt


def test_an_arabic_headline_is_shaped_and_set_right_to_left(bundled):
    if not features.check("raqm"):
        if os.environ.get("CI") == "true":
            pytest.fail("Pillow has no raqm layout in CI: apt-get install libraqm0")
        pytest.skip("Pillow has no raqm layout (libraqm): apt-get install libraqm0")
    folder = bundled / "PSH-2026-041" / "comms"
    layout = json.loads((folder / "images" / "layout.ar.json").read_text(encoding="utf-8"))["x"]
    assert layout["font"] == "NotoNaskhArabic-Bold.ttf"
    width = layout["size"][0]
    for x0, y0, x1, y1 in layout["headline"]:
        assert abs(x1 - (width - layout["margin"])) <= 4  # each line ends at the right margin
    # shaped: the joined forms are narrower than the isolated letters set one by one
    from PIL import ImageFont
    font = ImageFont.truetype(str(Path("/usr/share/fonts/truetype/noto") / layout["font"]), 60,
                              layout_engine=ImageFont.Layout.RAQM)
    word = "العمل"
    assert font.getlength(word, direction="rtl") < sum(font.getlength(c) for c in word)


def test_a_photo_fills_the_image_and_its_caption_joins_the_alt_text(configs, write_record, tmp_path):
    from .conftest import make_logo

    make_logo(tmp_path / "records" / "photo.jpg", size=(1600, 1000), fmt="JPEG")
    photo = "  photo: {file: photo.jpg, caption: {en: Members of a savings group}, credit: Awa Photographe}\n"
    out = tmp_path / "out"
    assert cli_run("--configs", configs, "comms", write_record(comms_record() + photo), "--out", out).exit_code == 0
    folder = out / "T-001" / "comms"
    drafts = json.loads((folder / "social.en.json").read_text(encoding="utf-8"))
    assert drafts["x"]["alt"].endswith("Members of a savings group")
    with Image.open(folder / "images" / "x.en.png") as image, Image.open(tmp_path / "records" / "photo.jpg") as p:
        # the photo shows through, shaded: the corner is neither the plain accent nor the photo's own colour
        corner = image.convert("RGB").getpixel((3, 3))
        assert corner not in ((31, 58, 95), p.convert("RGB").getpixel((3, 3)))
