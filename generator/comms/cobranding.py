"""The co-branding rules partners asked for, checked before rendering (can
the record satisfy them?) and on every output (does the document?)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import CheckFailed
from ..models import Record

RULE_NAMED = "partner named in the headline or first paragraph"
RULE_LOGOS = "both logos at the same height"
RULE_QUOTES = "a quote from a speaker of each organisation"
RULE_ABOUT = "'About' text and a contact for both organisations"
RULE_SOCIAL = "every social draft tags both organisations and fits its platform"


def fail(source: Path | str, rule: str, detail: str) -> CheckFailed:
    return CheckFailed(f"{source}: co-branding rule '{rule}' failed: {detail}")


def require(record: Record, record_path: Path | str, languages: list[str], lead_about: dict) -> None:
    """Refuse a record that cannot satisfy the rules, naming the missing field."""
    comms = record.comms
    if comms is None:
        raise fail(record_path, RULE_QUOTES, "comms is missing; add comms.languages, comms.announce_on and comms.speakers")
    for org in ("lead", "partner"):
        if not any(s.org == org for s in comms.speakers):
            raise fail(record_path, RULE_QUOTES, f"comms.speakers has no speaker with org: {org}")
    for language in languages:
        base = language.split("-")[0]
        # The partner's About text in each language is the translations' to check (a map by language).
        partner_about = record.partner.about.given if record.partner.about is not None else {}
        for field, about in (("partner.about", partner_about), ("configs/organisation.yaml: about", lead_about)):
            if field == "partner.about" and about:
                continue
            if language not in about and base not in about:
                raise fail(record_path, RULE_ABOUT, f"{field}.{language} is missing; write the 'About' paragraph in that language")
    for platform in comms.platforms:
        if getattr(record.partner.social, platform) is None:
            raise fail(record_path, RULE_SOCIAL, f"partner.social.{platform} is missing; the {platform} draft must tag the partner")


@dataclass(frozen=True)
class Expected:
    """What every release of a partnership must show."""

    partner_names: list[str]
    quotes: list[str]
    about: list[str]
    contacts: list[str]


def check_release_text(source: str, headline: str, first_paragraph: str, texts: list[str], expected: Expected) -> None:
    """Rules on a release's visible text (HTML and Word alike)."""
    names = expected.partner_names
    if not any(name in headline or name in first_paragraph for name in names):
        raise fail(source, RULE_NAMED, f"neither {' nor '.join(names)} appears in the headline or first paragraph")
    # Compared with runs of white space as one space: a paragraph break in an
    # About text is one line break in the HTML's text, another in Word's.
    body = " ".join("\n".join(texts).split())
    for rule, wanted in ((RULE_QUOTES, expected.quotes), (RULE_ABOUT, expected.about + expected.contacts)):
        for text in wanted:
            if " ".join(text.split()) not in body:
                shown = repr(text[:50]) + ("…" if len(text) > 50 else "")  # on one line, whatever the text holds
                raise fail(source, rule, f"{shown} is missing")


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.text: list[str] = []
        self.headline = ""
        self.paragraphs: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in ("h1", "p"):
            self._in = tag
            self._buffer = []

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._buffer).strip()
            if tag == "h1":
                self.headline = text
            elif text and self.headline:
                self.paragraphs.append(text)
            self._in = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in:
            self._buffer.append(data)


def parse_html(html: str) -> _Images:
    parser = _Images()
    parser.feed(html)
    return parser


def check_html(source: str, html: str, expected: Expected, alts: list[str]) -> None:
    page = parse_html(html)
    logos = [img for img in page.images if img.get("alt") in alts]
    if len(logos) != 2:
        raise fail(source, RULE_LOGOS, f"expected both logos with alt text {alts}, found {len(logos)}")
    heights = {img.get("height") for img in logos}
    if len(heights) != 1:
        raise fail(source, RULE_LOGOS, f"logo heights differ: {sorted(heights)}")
    check_release_text(source, page.headline, page.paragraphs[0] if page.paragraphs else "", ["".join(page.text)],
                       expected)


def check_docx_logos(source: str, data: bytes) -> None:
    """Both logos in the header, with heights within 1% of each other."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        headers = [package.read(n).decode("utf-8") for n in package.namelist() if re.match(r"word/header\d*\.xml", n)]
    extents = [int(cy) for xml in headers for cy in re.findall(r'<wp:extent cx="\d+" cy="(\d+)"', xml)]
    if len(extents) != 2:
        raise fail(source, RULE_LOGOS, f"expected 2 logos in the header, found {len(extents)}")
    if abs(extents[0] - extents[1]) > 0.01 * max(extents):
        raise fail(source, RULE_LOGOS, f"logo heights differ: {extents[0]} and {extents[1]} EMU")
