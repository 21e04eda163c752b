"""Joint social-media drafts: one per platform, tagging both organisations,
each counted the way its platform counts and kept within its limits."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass


PLATFORMS = ("x", "linkedin", "facebook", "instagram")
LIMITS = {"x": 280, "linkedin": 3000, "facebook": 63206, "instagram": 2200}
MAX_HASHTAGS = {"instagram": 30}
HASHTAG = re.compile(r"(?<!\w)#\w+")


# twitter-text's URL pattern takes quadratic time on a long run of
# characters that looks like a host name but is none ("a.a..a", 800
# characters: 1 s). No URL or entity spans white space, so the text is
# counted word by word; a word longer than LONG_WORD is counted whole only
# when it is a well-formed web address (fast), else in pieces of PIECE
# characters, in linear time (such a word is no URL X would shorten).
LONG_WORD, PIECE = 64, 16
_WELL_FORMED_URL = re.compile(r"https?://(?:(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}(?:[/?#:]\S*)?")


def count(platform: str, text: str) -> int:
    """Length as the platform counts it. X weighs text with the official
    twitter-text rules: a URL counts 23, most CJK characters and emoji 2."""
    if platform == "x":
        with warnings.catch_warnings():  # it imports pkg_resources, which setuptools 81 deprecates loudly
            warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
            from twitter_text import parse_tweet  # imported here: it compiles large emoji tables on import

        total = 0
        for word in re.split(r"(\s+)", text):
            if len(word) > LONG_WORD and not _WELL_FORMED_URL.fullmatch(word[:2048]):
                pieces = [word[i:i + PIECE] for i in range(0, len(word), PIECE)]
            else:
                pieces = [word] if word else []
            total += sum(parse_tweet(piece).weightedLength for piece in pieces)
        return total
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


# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """OWASP's advice against CSV injection: a leading quote makes a would-be formula text."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value
