"""The posting plan: who posts what, when (in the poster's time zone), in
which language, and what the other organisation does with the post on that
platform; follow-ups on milestones and at the end; as CSV, Markdown rows and
an iCalendar file."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..errors import CheckFailed
from .social import spreadsheet_safe

# What the other organisation can do with a post on each platform, and what
# the poster must do for it (Instagram has no reshare: a collab post or a story).
WORDS = {
    "en": {"action": {"x": "repost or quote", "linkedin": "repost", "facebook": "share",
                      "instagram": "accept the collab-post invitation, or share it to the story"},
           "collab": "invite {other} as collaborator when posting",
           "bio": "put the link in the bio",
           "tag": "tag {other} by hand: type @ and pick the page from the list (a pasted name is not a tag)",
           "milestone": "Follow-up: {what}", "close": "Closing post: the partnership ends",
           "headers": ["Date", "Platform", "Posts", "Then", "Draft", "Time", "Account", "Language", "Their action",
                       "Notes"]},
    "fr": {"action": {"x": "republier ou citer", "linkedin": "republier", "facebook": "partager",
                      "instagram": "accepter l’invitation à la publication collaborative, ou la partager en story"},
           "collab": "inviter {other} comme collaborateur en publiant",
           "bio": "mettre le lien dans la bio",
           "tag": "identifier {other} à la main : taper @ et choisir la page dans la liste (un nom collé n’identifie pas)",
           "milestone": "Suivi : {what}", "close": "Publication de clôture : fin du partenariat",
           "headers": ["Date", "Plateforme", "Publie", "Puis", "Projet", "Heure", "Compte", "Langue", "Son action",
                       "Remarques"]},
    "es": {"action": {"x": "republicar o citar", "linkedin": "compartir", "facebook": "compartir",
                      "instagram": "aceptar la invitación a la publicación colaborativa, o compartirla en historia"},
           "collab": "invitar a {other} como colaborador al publicar",
           "bio": "poner el enlace en la biografía",
           "tag": "etiquetar a {other} a mano: escribir @ y elegir la página de la lista (un nombre pegado no etiqueta)",
           "milestone": "Seguimiento: {what}", "close": "Publicación de cierre: termina la alianza",
           "headers": ["Fecha", "Plataforma", "Publica", "Luego", "Borrador", "Hora", "Cuenta", "Idioma",
                       "Su acción", "Notas"]},
    "pt": {"action": {"x": "republicar ou citar", "linkedin": "republicar", "facebook": "partilhar",
                      "instagram": "aceitar o convite para a publicação colaborativa, ou partilhá-la nos stories"},
           "collab": "convidar {other} como colaborador ao publicar",
           "bio": "colocar a ligação na biografia",
           "tag": "identificar {other} manualmente: escrever @ e escolher a página na lista (um nome colado não identifica)",
           "milestone": "Acompanhamento: {what}", "close": "Publicação de encerramento: termina a parceria",
           "headers": ["Data", "Plataforma", "Publica", "Depois", "Rascunho", "Hora", "Conta", "Língua",
                       "A sua ação", "Notas"]},
    "ar": {"action": {"x": "إعادة النشر أو الاقتباس", "linkedin": "إعادة النشر", "facebook": "المشاركة",
                      "instagram": "قبول دعوة المنشور التعاوني، أو مشاركته في القصة"},
           "collab": "دعوة {other} كمتعاون عند النشر",
           "bio": "وضع الرابط في السيرة التعريفية",
           "tag": "الإشارة إلى {other} يدوياً: اكتب @ واختر الصفحة من القائمة (الاسم الملصق ليس إشارة)",
           "milestone": "متابعة: {what}", "close": "منشور الختام: نهاية الشراكة",
           "headers": ["التاريخ", "المنصة", "تنشر", "ثم", "المسودة", "الوقت", "الحساب", "اللغة", "إجراؤها",
                       "ملاحظات"]},
}
DEFAULT_HOUR, SPACING = time(10, 0), timedelta(hours=2)


@dataclass(frozen=True)
class Post:
    when: datetime  # aware, in the poster's time zone
    platform: str
    org: str
    poster: str  # organisation short name
    other: str
    account: str  # the poster's handle on the platform
    other_account: str
    language: str
    action: str
    draft: str
    notes: str
    summary: str


@dataclass(frozen=True)
class Accounts:
    names: dict[str, str]  # org -> short name
    handles: dict[str, dict[str, str]]  # org -> platform -> handle
    zones: dict[str, str]  # org -> IANA zone
    languages: dict[str, list[str]]  # org -> languages it posts in


def _words(language: str) -> dict:
    return WORDS.get(language.split("-")[0], WORDS["en"])


def posting_plan(platforms: list[str], language: str, accounts: Accounts, announce_on: date,
                 embargo: datetime | None, follow_ups: list[tuple[date, str]], end: date, link: bool,
                 drafts_file: str, record_label: str) -> list[Post]:
    """Two platforms a day from the announcement (the first when the embargo
    lifts); the partner posts first on every other platform and the other
    organisation acts on it, so each is heard in its own voice. Only an
    organisation that posts in ``language`` posts in this plan."""
    words = _words(language)
    posting = [org for org in ("partner", "lead") if language in accounts.languages[org]]
    if not posting:
        raise CheckFailed(f"{record_label}: comms.post_languages: neither organisation posts in '{language}'")
    posts = []
    for index, platform in enumerate(platforms):
        first = ("partner", "lead")[index % 2]
        org = first if first in posting else posting[0]
        zone = ZoneInfo(accounts.zones[org])
        # From the moment the embargo lifts (else 10:00 in the poster's zone), one day per two platforms.
        start = embargo.astimezone(zone) if embargo else datetime.combine(announce_on, DEFAULT_HOUR, zone)
        when = start + timedelta(days=index // 2) + (index % 2) * SPACING
        posts.append(_post(words, platform, org, accounts, language, when, link, f"{drafts_file}#{platform}", ""))
    if platforms:
        for day, what in follow_ups:
            posts.append(_post(words, platforms[0], posting[0], accounts, language, _at_ten(day, accounts, posting[0]),
                               link, "", words["milestone"].format(what=what)))
        closer = "lead" if "lead" in posting else posting[0]
        posts.append(_post(words, platforms[0], closer, accounts, language,
                           _at_ten(end, accounts, closer) + SPACING, link, "", words["close"]))
    return posts


def _at_ten(day: date, accounts: Accounts, org: str) -> datetime:
    return datetime.combine(day, DEFAULT_HOUR, ZoneInfo(accounts.zones[org]))


def _post(words: dict, platform: str, org: str, accounts: Accounts, language: str, when: datetime,
          link: bool, draft: str, summary: str) -> Post:
    other = "lead" if org == "partner" else "partner"
    other_account = accounts.handles[other].get(platform) or accounts.names[other]
    notes = []
    if platform == "instagram":
        notes.append(words["collab"].format(other=other_account))
        if link:
            notes.append(words["bio"])
    if platform == "linkedin":
        notes.append(words["tag"].format(other=accounts.names[other]))
    return Post(when, platform, org, accounts.names[org], accounts.names[other],
                accounts.handles[org].get(platform) or accounts.names[org], other_account, language,
                words["action"][platform], draft, "; ".join(notes), summary)


def rows(posts: list[Post]) -> list[list[str]]:
    """The plan's cells, in the order of WORDS[...]["headers"]."""
    return [[p.when.date().isoformat(), p.platform, p.poster, p.other, p.draft or p.summary,
             f"{p.when:%H:%M} {p.when.tzinfo.key}", p.account, p.language, f"{p.other_account}: {p.action}", p.notes]
            for p in posts]


def headers(language: str) -> list[str]:
    return _words(language)["headers"]


def plan_csv(posts: list[Post], language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in [headers(language)] + rows(posts):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def plan_ics(posts: list[Post], record_id: str, title: str, stamp: datetime) -> bytes:
    """One event per post, at its time in the poster's zone. UIDs and DTSTAMP
    come from the record, so the same record gives the same bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//partnerdocs//posting plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", " ".join(title.split()))  # a name on one line: icalendar refuses a line break there
    for number, post in enumerate(posts, 1):
        event = Event()
        event.add("uid", f"{record_id}-{post.language}-{number}@partnerdocs")
        event.add("dtstamp", stamp)
        event.add("dtstart", post.when)
        event.add("duration", timedelta(minutes=15))
        event.add("summary", f"{post.platform}: {post.account} ({post.poster}) – {post.summary or post.draft}")
        event.add("description", "\n".join(x for x in (f"{post.other_account}: {post.action}", post.notes,
                                                        post.draft) if x))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
