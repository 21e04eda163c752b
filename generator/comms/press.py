"""The joint press release: Markdown from the language's template, HTML made
from that Markdown with the `markdown` package, and Word from the language's
.docx template (docxtpl), all from one context."""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import markdown
from jinja2 import TemplateError
from markupsafe import Markup

from ..environment import EmptyValue, environment
from ..errors import CheckFailed, InputError
from ..i18n import phrases
from ..images import Logo, for_print
from ..rtl import is_rtl
from ..word import Picture, check_package, read_text, render_docx
from .cobranding import Expected, check_docx_logos, check_html, check_release_text

MARKDOWN = environment("markdown")
HTML = environment("html")
LOGO_PX, LOGO_MAX_PX = 64, 240
LOGO_MM, LOGO_MAX_MM = 16.0, 60.0
EMBLEM_PX, EMBLEM_MM = 48, 12.0  # the EU asks for an emblem at least 1 cm high
PHOTO_PX, PHOTO_MM, PHOTO_MAX_MM = 640, 150.0, 110.0  # width; a tall photo is limited in height
def common_height(logos: list[Logo], height: float, max_width: float) -> float:
    """One height for both logos, lowered if a wide logo would exceed max_width,
    so that they always stand at the same height, aspect ratios kept."""
    return min([height] + [max_width / logo.aspect for logo in logos])


def logo_row(logos: dict[str, Logo], alts: dict[str, str], sources: dict[str, str]) -> Markup:
    """Both logos at one height, each with its alt text ("HSI logo", "Logo : HSI")."""
    height = common_height(list(logos.values()), LOGO_PX, LOGO_MAX_PX)
    tags = []
    for org in ("lead", "partner"):
        logo = logos[org]
        tags.append(
            f'<img src="{html.escape(sources[org])}" alt="{_attribute(alts[org])}" '
            f'height="{round(height)}" width="{round(height * logo.aspect)}">'
        )
    return Markup(" ".join(tags))


def _attribute(text: str) -> str:
    """HTML's and Markdown's special characters as character references: the
    tag sits in Markdown, which would otherwise make links or code of a name."""
    return re.sub(r"[&<>\"'\\`*_\[\](){}#!|~]", lambda m: f"&#{ord(m.group())};", text)


def emblem_tag(emblem: Logo | None, alt: str, source: str) -> Markup | None:
    """The donor's emblem, at the logos' height, beside its funding statement."""
    if emblem is None:
        return None
    return Markup(f'<img src="{html.escape(source)}" alt="{_attribute(alt)}" '
                  f'height="{EMBLEM_PX}" width="{round(EMBLEM_PX * emblem.aspect)}">')


def photo_tag(photo: Logo | None, caption: str, source: str) -> Markup | None:
    if photo is None:
        return None
    return Markup(f'<img src="{html.escape(source)}" alt="{_attribute(caption)}" '
                  f'width="{PHOTO_PX}" height="{round(PHOTO_PX / photo.aspect)}">')


def data_uri(logo: Logo) -> str:
    return f"data:{logo.mime};base64,{base64.b64encode(logo.path.read_bytes()).decode('ascii')}"


def render_text(env, path: Path, context: dict) -> str:
    """Render a template file with ``env``; errors name the file."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: template not found") from None
    return render_source(env, str(path), source, context)


def render_source(env, where: str, source: str, context: dict) -> str:
    """Render template text; a broken template is bad input (exit 2), an
    empty value fails the document's check (exit 1)."""
    try:
        return env.from_string(source).render(context)
    except EmptyValue as exc:
        raise CheckFailed(f"{where}: {exc}") from None
    except TemplateError as exc:
        line = f"line {exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise InputError(f"{where}: {line}{exc}") from None
    except (RecursionError, MemoryError):
        raise InputError(f"{where}: the template is too deeply nested or too large to render") from None
    except (ValueError, TypeError, LookupError, ArithmeticError) as exc:  # raised by what a template calls
        raise InputError(f"{where}: the template failed: {exc}") from None


@dataclass
class Release:
    markdown: str
    html: str
    docx: bytes


def render_release(template_dir: Path, language: str, context: dict, logos: dict[str, Logo],
                   logo_files: dict[str, str], stamp: datetime, final: bool = False,
                   emblem: Logo | None = None, emblem_file: str = "", photo: Logo | None = None,
                   photo_file: str = "") -> Release:
    lead, partner = context["lead"], context["partner"]
    names = {"lead": lead["legal_name"], "partner": partner["legal_name"]}
    expected = Expected(
        partner_names=[partner["legal_name"], partner["short_name"]],
        quotes=[s["quote"] for group in context["speakers"].values() for s in group],
        about=[lead["about"], partner["about"]] + ([context["donor"]["statement"]] if context.get("donor") else []),
        contacts=[lead["contact"]["email"], partner["contact"]["email"]],
    )
    words = phrases(language)["comms"]  # alt texts in the release's language
    alt = {org: words["logo_alt"].format(name=name) for org, name in names.items()}
    alts = [alt["lead"], alt["partner"]]
    source = template_dir / f"press-release.{language}.md"

    # The HTML is made from the same template and context, so checking it checks the Markdown too.
    donor = words["emblem_alt"].format(name=(context.get("donor") or {}).get("name", ""))  # its alt text
    caption = (context.get("photo") or {}).get("caption", "")
    md_text = render_text(MARKDOWN, source, dict(context, logo_row=logo_row(logos, alt, logo_files),
                                                  donor_emblem=emblem_tag(emblem, donor, emblem_file),
                                                  photo_image=photo_tag(photo, caption, photo_file)))
    embedded = {org: data_uri(logo) for org, logo in logos.items()}
    body = markdown.markdown(render_text(MARKDOWN, source, dict(
        context, logo_row=logo_row(logos, alt, embedded),
        donor_emblem=emblem_tag(emblem, donor, data_uri(emblem) if emblem else ""),
        photo_image=photo_tag(photo, caption, data_uri(photo) if photo else ""))))
    page = render_text(HTML, template_dir / "press-release.html", {
        "body": Markup(body), "language": language, "direction": "rtl" if is_rtl(language) else "ltr",
        "title": context["title"],
    })
    check_html(f"press-release.{language}.html", page, expected, alts)

    docx_data = render_release_docx(template_dir / f"press-release.{language}.docx", context, logos, stamp, emblem,
                                    photo)
    text = read_text(docx_data)
    first = (0 if final else 1) + (1 if context.get("embargo") else 0)  # the headline follows those marks
    check_release_text(f"press-release.{language}.docx", _first(text.body, first), _first(text.body, first + 1),
                       text.everything(), expected)
    check_docx_logos(f"press-release.{language}.docx", docx_data)
    return Release(md_text, page, docx_data)


def _first(paragraphs: list[str], n: int) -> str:
    """The n-th non-empty paragraph (counted from 0)."""
    visible = [p for p in paragraphs if p.strip()]
    return visible[n] if len(visible) > n else ""


def render_release_docx(template: Path, context: dict, logos: dict[str, Logo], stamp: datetime,
                        emblem: Logo | None = None, photo: Logo | None = None) -> bytes:
    height = common_height(list(logos.values()), LOGO_MM, LOGO_MAX_MM)
    pictures = {f"{org}_logo": Picture(for_print(logo, height), height * logo.aspect, height)
                for org, logo in logos.items()}
    if emblem is not None:
        pictures["donor_emblem"] = Picture(for_print(emblem, EMBLEM_MM), EMBLEM_MM * emblem.aspect, EMBLEM_MM)
    if photo is not None:
        photo_height = min(PHOTO_MM / photo.aspect, PHOTO_MAX_MM)
        pictures["photo_image"] = Picture(for_print(photo, photo_height), photo_height * photo.aspect, photo_height)
    properties = {"title": context["title"], "author": context["lead"]["legal_name"], "subject": "Press release",
                  "keywords": "press-release", "language": context["language"], "created": stamp, "modified": stamp}
    return render_docx(template, check_package(template), context, pictures, properties, "co-branding check")
