"""Joint social-media drafts: one per platform, tagging both organisations,
each counted the way its platform counts and kept within its limits; and the
posting plan that says who posts what, when."""
from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from datetime import date, timedelta


PLATFORMS = ("x", "linkedin", "facebook", "instagram")
LIMITS = {"x": 280, "linkedin": 3000, "facebook": 63206, "instagram": 2200}
MAX_HASHTAGS = {"instagram": 30}
HASHTAG = re.compile(r"(?<!\w)#\w+")


def count(platform: str, text: str) -> int:
    """Length as the platform counts it. X weighs text with the official
    twitter-text rules: a URL counts 23, most CJK characters and emoji 2."""
    if platform == "x":
        with warnings.catch_warnings():  # it imports pkg_resources, which setuptools 81 deprecates loudly
            warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
            from twitter_text import parse_tweet  # imported here: it compiles large emoji tables on import

        return parse_tweet(text).weightedLength
    return len(text)


def handle_tag(handle: str) -> str:
    return handle if handle.startswith("@") else f"@{handle}"


@dataclass(frozen=True)
class Draft:
    platform: str
    text: str
    length: int
    limit: int

    def problems(self, tags: dict[str, str]) -> list[str]:
        """Co-branding and platform rules this draft breaks."""
        found = []
        if self.length > self.limit:
            found.append(f"{self.platform} draft is {self.length} characters as {self.platform} counts them; the limit is {self.limit}")
        for org, tag in tags.items():
            if tag not in self.text:
                found.append(f"{self.platform} draft does not tag the {org} organisation ({tag})")
        limit = MAX_HASHTAGS.get(self.platform)
        if limit is not None and len(HASHTAG.findall(self.text)) > limit:
            found.append(f"{self.platform} draft has more than {limit} hashtags")
        return found

    def as_json(self) -> dict:
        return {"text": self.text, "length": self.length, "limit": self.limit}


def make_draft(platform: str, text: str) -> Draft:
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    return Draft(platform, text, count(platform, text), LIMITS[platform])


@dataclass(frozen=True)
class PlanRow:
    day: date
    platform: str
    posts: str
    reshares: str
    draft: str


def posting_plan(platforms: list[str], announce_on: date, lead: str, partner: str, drafts_file: str) -> list[PlanRow]:
    """Two platforms a day from the announcement day; the partner posts first
    on every other platform and the other organisation reshares, so that each
    is heard in its own voice and credited by the other."""
    rows = []
    for index, platform in enumerate(platforms):
        poster, resharer = (partner, lead) if index % 2 == 0 else (lead, partner)
        rows.append(PlanRow(announce_on + timedelta(days=index // 2), platform, poster, resharer,
                            f"{drafts_file}#{platform}"))
    return rows


def plan_csv(rows: list[PlanRow], headers: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.day.isoformat(), row.platform, row.posts, row.reshares, row.draft])
    return buffer.getvalue().encode("utf-8")
