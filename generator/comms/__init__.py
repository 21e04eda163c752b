"""Co-branded communications for one partnership, in each of its languages:
press release (Word, Markdown, HTML), social drafts, posting plan, credit
lines and a preview page for joint review."""
from __future__ import annotations

import json
import re
from html import unescape
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from ..config import Config
from ..environment import environment
from ..context import comms_context, fallback_note
from ..errors import CheckFailed, InputError
from ..i18n import phrases
from ..images import Logo, read_logo
from ..records import LoadedRecord, check_logo
from ..translations import COMMS, in_language
from ..yaml_source import dotted
from . import cobranding
from .donors import donor_credit, emblem_paths
from .press import HTML, LOGO_MAX_PX, LOGO_PX, common_height, data_uri, is_rtl, render_release, render_source, render_text
from .plan import Accounts, headers as plan_headers, plan_csv, plan_ics, posting_plan, rows as plan_rows
from .social import PLATFORMS, Draft, handle_tag, make_draft
from .social_images import credit_line, render_image

TEXT = environment("text")
_MARKDOWN = environment("markdown").finalize  # the release's own escaping: data stays literal text


def _md(value: str) -> str:
    """``value`` as literal Markdown text, also inside a table cell."""
    return _MARKDOWN(value).replace("|", "\\|")

__all__ = ["approvals_record", "comms_images", "comms_templates_used", "render_comms"]


def comms_templates_used(config: Config, languages: list[str]) -> list[Path]:
    folder = config.comms_templates
    names = ["press-release.html", "preview.html"]
    for language in languages:
        names += [f"press-release.{language}.md", f"press-release.{language}.docx", f"social.{language}.yaml",
                  f"credit-line.{language}.yaml"]
    return [folder / name for name in names]


@dataclass
class Language:
    """Everything made for one language, kept for the preview page."""

    code: str
    labels: dict
    release_html: str
    drafts: list[Draft]
    images: dict[str, dict]  # platform -> {image, alt}
    plan: list[list[str]]
    credits: str
    fallbacks: list[dict] = field(default_factory=list)  # {field, text, note}: record text not translated


def render_comms(loaded: LoadedRecord, config: Config, templates: Path | None = None,
                 languages: list[str] | None = None, final: bool = False) -> dict[str, bytes]:
    """Every communications file of one record: relative path -> bytes.
    ``templates`` and ``languages`` default to the configuration's folder and
    the record's comms.languages. Drafts carry the joint-review mark;
    ``final`` makes unmarked copies under ``final/``, only when both
    organisations have approved. Raises CheckFailed (exit 1) when a
    co-branding rule cannot be met or an approval is missing."""
    record = loaded.record
    if final:
        require_approvals(record, loaded.label)
    templates = templates or config.comms_templates
    if languages is None:
        languages = record.comms.languages if record.comms else []
    cobranding.require(record, loaded.label, languages, config.organisation.about)
    logos = {"lead": read_logo(config.organisation_logo),
             "partner": read_logo(loaded.logo_path(cobranding.RULE_LOGOS))}
    logo_files = {org: f"logos/{org}{logo.path.suffix.lower()}" for org, logo in logos.items()}
    files: dict[str, bytes] = {logo_files[org]: logo.path.read_bytes() for org, logo in logos.items()}
    credit = donor_credit(record.donor, loaded.label, config.folder, languages)
    emblem_file = ""
    if credit is not None:
        emblem_file = f"logos/donor{credit.emblem.path.suffix.lower()}"
        files[emblem_file] = credit.emblem.path.read_bytes()
    photo, photo_file = _photo(loaded)
    if photo is not None:
        files[photo_file] = photo.path.read_bytes()
    stamp = datetime.combine(record.comms.announce_on, time())
    names = {"lead": config.organisation.short_name, "partner": record.partner.short_name}
    accounts, embargo = _accounts(record, config, languages)
    made = []
    for language in languages:
        translation = in_language(loaded, language, COMMS)
        context = comms_context(translation.record, config, language, final, translation.fallbacks)
        context["donor"] = credit.context(language) if credit else None
        labels = phrases(language)["comms"]
        release = render_release(templates, language, context, logos, logo_files, stamp, final,
                                 credit.emblem if credit else None, emblem_file, photo, photo_file)
        files[f"press-release.{language}.md"] = release.markdown.encode("utf-8")
        files[f"press-release.{language}.html"] = release.html.encode("utf-8")
        files[f"press-release.{language}.docx"] = release.docx

        drafts = _drafts(templates, language, context, translation.record, config)
        files[f"social.{language}.md"] = _social_markdown(drafts, labels, context, final).encode("utf-8")
        images = _images(drafts, language, context, logos, names, photo)
        layouts = {}
        for draft in drafts:
            files[images[draft.platform]["image"]] = images[draft.platform].pop("data")
            layouts[draft.platform] = images[draft.platform].pop("layout")
        files[f"images/layout.{language}.json"] = (json.dumps(layouts, indent=2, ensure_ascii=False) + "\n").encode()
        files[f"social.{language}.json"] = (json.dumps({d.platform: d.as_json() | images[d.platform] for d in drafts},
                                                       indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        posts = posting_plan([d.platform for d in drafts], language, accounts, record.comms.announce_on,
                             embargo, [(m.date, m.description) for m in translation.record.milestones], record.end,
                             bool(record.comms.link), f"social.{language}.md", loaded.label)
        files[f"posting-plan.{language}.csv"] = plan_csv(posts, language)
        files[f"posting-plan.{language}.md"] = _plan_markdown(posts, language, labels).encode("utf-8")
        files[f"posting-plan.{language}.ics"] = plan_ics(posts, record.id, f"{labels['plan_title']}: {context['title']}",
                                                         datetime.combine(record.comms.announce_on, time(),
                                                                          timezone.utc))
        credits = _credit_lines(templates, language, context, labels)
        files[f"credit-line.{language}.txt"] = credits.encode("utf-8")
        fallbacks = [{"field": dotted(loc), "text": _value_at(loaded.record, loc),
                      "note": fallback_note(record.language, language)} for loc in translation.fallbacks]
        made.append(Language(language, labels, release.html, drafts, images, [plan_headers(language)] +
                             plan_rows(posts), credits, fallbacks))
    files["preview.html"] = _preview(templates, made, logos, names).encode("utf-8")
    return {f"final/{name}": data for name, data in files.items()} if final else files


def _images(drafts: list[Draft], language: str, context: dict, logos: dict[str, Logo], names: dict[str, str],
            photo: Logo | None) -> dict[str, dict]:
    """Each draft's image: its file, alt text, bytes and layout."""
    caption = context["photo"]["caption"] if context.get("photo") else ""
    credit = credit_line(language, context["photo"]["credit"]) if context.get("photo") else ""
    made = {}
    for draft in drafts:
        image = render_image(draft.platform, language, context["title"], logos,
                             {"lead": context["lead"]["short"], "partner": context["partner"]["short"]}, photo, credit)
        made[draft.platform] = {"image": f"images/{draft.platform}.{language}.png",
                                "alt": f"{image.alt} {caption}".strip(), "data": image.data, "layout": image.layout}
    return made


def _photo(loaded: LoadedRecord) -> tuple[Logo | None, str]:
    """The record's photo, decoded with the logos' limits, and its file name in the pack."""
    photo = loaded.record.comms.photo
    if photo is None:
        return None, ""
    bad = check_logo(loaded.source, ("comms", "photo", "file"), photo.file)
    if bad:
        raise InputError("", bad)
    image = read_logo(loaded.path.parent / photo.file)
    return image, f"photo{image.path.suffix.lower()}"


def comms_images(loaded: LoadedRecord, config: Config) -> list[Path]:
    """Image files the comms are made from besides the logos: the record's
    photo and the donor's emblem, so that a changed file makes them again."""
    comms, paths = loaded.record.comms, []
    if comms is not None and comms.photo is not None:
        paths.append(loaded.path.parent / comms.photo.file)
    if loaded.record.donor is not None:
        try:
            paths += [config.folder / p for p in emblem_paths(config.folder, loaded.record.donor)]
        except InputError:
            pass  # reported, with its place, when the comms are rendered
    return paths


def require_approvals(record, record_path: Path | str) -> None:
    """Final copies need the approval of both organisations: who and when."""
    approvals = record.comms.approvals if record.comms else None
    missing = [f"comms.approvals.{org}" for org in ("lead", "partner")
               if approvals is None or getattr(approvals, org) is None]
    if missing:
        raise CheckFailed(f"{record_path}: final copies need both organisations' approval; "
                          f"{' and '.join(missing)} (by, date) {'is' if len(missing) == 1 else 'are'} missing")


def approvals_record(record) -> dict:
    """The approvals as the manifest keeps them."""
    return {org: {"by": a.by, "date": a.date.isoformat()} for org in ("lead", "partner")
            if (a := getattr(record.comms.approvals, org)) is not None}


def _load_yaml_template(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: template not found") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of named templates")
    return data


def _drafts(templates: Path, language: str, context: dict, record, config: Config) -> list[Draft]:
    path = templates / f"social.{language}.yaml"
    sources = _load_yaml_template(path)
    drafts = []
    for platform in record.comms.platforms:
        if platform not in sources:
            raise InputError(f"{path}: no draft for {platform}")
        lead_handle = getattr(config.organisation.social, platform)
        if lead_handle is None:
            raise cobranding.fail(path, cobranding.RULE_SOCIAL, f"configs/organisation.yaml: social.{platform} is missing")
        tags = {"lead": handle_tag(lead_handle), "partner": handle_tag(getattr(record.partner.social, platform))}
        draft = make_draft(platform, render_source(TEXT, f"{path}: {platform}", sources[platform], dict(context, tags=tags)))
        problems = draft.problems(tags)
        if problems:
            raise cobranding.fail(f"social.{language}.md", cobranding.RULE_SOCIAL, "; ".join(problems))
        drafts.append(draft)
    return drafts


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so a draft is shown exactly as typed."""
    ticks = 3
    while "`" * ticks in text:
        ticks += 1
    return "`" * ticks


def _social_markdown(drafts: list[Draft], labels: dict, context: dict, final: bool) -> str:
    lines = [f"# {labels['social']}{labels['colon']} {_md(context['title'])}", ""]
    if not final:
        lines += [labels["review"].format(lead=_md(context["lead"]["short_name"]),
                                          partner=_md(context["partner"]["short_name"])), ""]
    names = {"x": "X", "linkedin": "LinkedIn", "facebook": "Facebook", "instagram": "Instagram"}
    for draft in drafts:
        fence = _fence(draft.text)
        lines += [f"## {labels['draft_for']} {names[draft.platform]}", "",
                  f"{labels['length']}{labels['colon']} {draft.length} / {draft.limit} ({labels['counted'].format(platform=names[draft.platform])})",
                  "", f"{fence}text", draft.text, fence, ""]
    return "\n".join(lines)


def _plan_markdown(posts, language: str, labels: dict) -> str:
    headers = plan_headers(language)
    lines = [f"# {labels['plan_title']}", "", "| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for row in plan_rows(posts):
        lines.append("| " + " | ".join(_md(cell) if cell else "" for cell in row) + " |")
    return "\n".join(lines) + "\n"


def _accounts(record, config: Config, languages: list[str]) -> tuple[Accounts, datetime | None]:
    """Both organisations' accounts: names, handles, time zones (the record's
    comms.time_zones, else the embargo's zone, else UTC) and the languages
    they post in; and the moment the embargo lifts."""
    comms = record.comms
    embargo = None
    if comms.embargo:
        hour, minute = map(int, comms.embargo.time.split(":"))
        embargo = datetime.combine(comms.embargo.date, time(hour, minute), ZoneInfo(comms.embargo.timezone))
    default_zone = comms.embargo.timezone if comms.embargo else "UTC"
    zones = comms.time_zones
    posting = comms.post_languages
    orgs = {"lead": config.organisation, "partner": record.partner}
    return Accounts(
        names={org: o.short_name for org, o in orgs.items()},
        handles={org: {p: handle_tag(h) for p in PLATFORMS if (h := getattr(o.social, p))} for org, o in orgs.items()},
        zones={org: (getattr(zones, org) if zones else None) or default_zone for org in orgs},
        languages={org: (getattr(posting, org) if posting else None) or languages for org in orgs},
    ), embargo


def _credit_lines(templates: Path, language: str, context: dict, labels: dict) -> str:
    path = templates / f"credit-line.{language}.yaml"
    sources = _load_yaml_template(path)
    out = []
    for key in ("short", "long"):
        if key not in sources:
            raise InputError(f"{path}: no '{key}' credit line")
        out += [f"{labels[key]}{labels['colon']}", " ".join(render_source(TEXT, f"{path}: {key}", sources[key], context).split()), ""]
    return "\n".join(out)


def _value_at(value, loc: tuple) -> str:
    for part in loc:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return str(value)


def _marked(html: str, fallbacks: list[dict]) -> str:
    """The release's HTML with each untranslated text in <mark> (text between tags only)."""
    parts = re.split(r"(<[^>]*>)", html)
    for item in fallbacks:
        note = escape(f"{item['note']} ({item['field']})")
        for n, part in enumerate(parts):
            text = unescape(part)
            if not part.startswith("<") and item["text"] in text:
                before, after = text.split(item["text"], 1)
                parts[n] = f'{escape(before)}<mark class="fallback" title="{note}">{escape(item["text"])}</mark>{escape(after)}'
    return "".join(parts)


def _preview(templates: Path, made: list[Language], logos: dict[str, Logo], names: dict[str, str]) -> str:
    height = round(common_height(list(logos.values()), LOGO_PX * 0.6, LOGO_MAX_PX * 0.6))
    images = {org: {"src": data_uri(logo), "height": height, "width": round(height * logo.aspect)}
              for org, logo in logos.items()}
    languages = [
        {"code": m.code, "dir": "rtl" if is_rtl(m.code) else "ltr", "labels": m.labels,
         "release": Markup(_marked(m.release_html.split("<main>", 1)[1].split("</main>", 1)[0], m.fallbacks)),
         "fallbacks": m.fallbacks,
         "drafts": [d.as_json() | {"platform": d.platform} | m.images[d.platform] for d in m.drafts],
         "plan_headers": m.plan[0], "plan": m.plan[1:], "credits": m.credits.strip().split("\n\n")}
        for m in made
    ]
    return render_text(HTML, templates / "preview.html", {"languages": languages, "logos": images, "names": names})
