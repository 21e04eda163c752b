"""The one Jinja environment every template is rendered with: sandboxed,
StrictUndefined, autoescaping, the project's filters registered here."""
from __future__ import annotations

import math
import re
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from functools import lru_cache

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .money import amount_in_words, format_day, format_money, locale_for


class EmptyValue(ValueError):
    """Raised when a template prints a value that is None, empty or NaN."""


def _check_value(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise EmptyValue("a template printed an empty value (None or blank)")
    if isinstance(value, float) and math.isnan(value):
        raise EmptyValue("a template printed NaN")
    return value


def _finalize_xml(value):
    """Data is data: besides XML escaping, braces become character references,
    so text typed by a user can never be read as a Jinja tag by a later pass."""
    if hasattr(value, "__html__"):  # InlineImage, RichText, Markup: built by our code
        return value
    text = str(escape(str(_check_value(value))))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;"))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#])")


def _finalize_markdown(value):
    """Data is data in Markdown too: a partner's text cannot open a link, an
    emphasis or an HTML tag (``<script>`` is written as ``&lt;script>``)."""
    if hasattr(value, "__html__"):  # a logo URL built by our code
        return str(value)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", str(_check_value(value))).replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class CachingEnvironment(SandboxedEnvironment):
    """Compiles each distinct template source once. docxtpl calls from_string
    for every part of every render; a batch renders the same parts again and
    again, so compiling them once saves about a third of the render time."""

    cache_limit = 256

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: OrderedDict[str, Template] = OrderedDict()

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            self._compiled[source] = compiled
            if len(self._compiled) > self.cache_limit:
                self._compiled.popitem(last=False)
        return compiled


def money_filter(amount, currency: str, language: str = "en") -> str:
    """{{ 180000 | money('EUR', 'fr') }} -> '180 000,00 EUR'"""
    return format_money(Decimal(str(amount)), currency, language)


def words_filter(amount, currency: str, language: str = "en") -> str:
    """{{ 180000 | words('EUR', 'fr') }} -> 'cent quatre-vingt mille euros'"""
    return amount_in_words(Decimal(str(amount)), currency, language)


def date_filter(value: date, language: str = "en", style: str = "long") -> str:
    """{{ some_date | date('fr') }} -> '15 janvier 2027'"""
    return format_day(value, locale_for(language), style)


FILTERS = {"money": money_filter, "words": words_filter, "date": date_filter}


@lru_cache(maxsize=None)
def environment(kind: str = "xml") -> SandboxedEnvironment:
    """The one environment of each kind, built here and shared by every module:
    ``xml`` for Word templates (docxtpl), ``html`` for HTML pages,
    ``markdown`` for Markdown, ``text`` for plain text (social drafts, credit lines)."""
    options = dict(undefined=StrictUndefined, keep_trailing_newline=True)
    if kind == "xml":
        env = CachingEnvironment(autoescape=True, finalize=_finalize_xml, **options)
    else:
        # Text formats: block tags on lines of their own leave no blank lines behind.
        options.update(trim_blocks=True, lstrip_blocks=True)
        if kind == "html":
            env = CachingEnvironment(autoescape=True, finalize=_check_value, **options)
        elif kind == "markdown":
            env = CachingEnvironment(autoescape=False, finalize=_finalize_markdown, **options)
        else:
            env = CachingEnvironment(autoescape=False, finalize=_check_value, **options)
    env.filters.update(FILTERS)
    return env
