"""The one Jinja environment every template is rendered with: sandboxed,
StrictUndefined, autoescaping, the project's filters registered here, and
the work of every render bounded (MAX_* below): a template can neither reach
files nor exhaust time or memory."""
from __future__ import annotations

import functools
import math
import re
import time
from collections import OrderedDict
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import lru_cache

from jinja2 import StrictUndefined, Template, nodes, pass_eval_context
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer
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


# Bounds on what one template may make the machine do (per part rendered).
# A real template stays far below each: the complex award with 30 budget
# lines renders in some 5,000 steps and 300 kB.
MAX_STEPS = 1_000_000      # loop iterations, calls and output chunks
MAX_DEPTH = 40             # nested calls (a macro calling itself)
MAX_RANGE = 10_000         # items of one range()
MAX_SIZE = 1_000_000       # characters or items of one value, and any size argument
MAX_INT_BITS = 10_000      # an integer of about 3,000 digits
MAX_OUTPUT = 20_000_000    # characters of one rendered part
MAX_SECONDS = 10.0         # wall-clock time of one rendered part

_BUDGET: ContextVar = ContextVar("partnerdocs_template_budget", default=None)
_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(?:\*|\d{6,})|%[-#0 +]*\d*\.(?:\*|\d{6,})")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*(?:\d{6,}|\{)")


class _Budget:
    """What the render of one part has used so far (one per render, per thread)."""

    def __init__(self):
        self.steps = self.depth = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise SecurityError(f"the template does too much work (over {MAX_STEPS:,} loop steps and calls)")
        if not self.steps & 255 and time.monotonic() > self.deadline:
            raise SecurityError(f"the template took over {MAX_SECONDS:g} s to render")


def _step() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step()


def _sized(value) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else 0


def _check_value_size(value, what: str = "a value") -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} is an integer over {MAX_INT_BITS:,} bits")
    if _sized(value) > MAX_SIZE:
        raise SecurityError(f"{what} of {_sized(value):,} characters or items is over the limit of {MAX_SIZE:,}")
    if isinstance(value, (list, tuple)) and sum(len(v) for v in value if isinstance(v, str)) > MAX_SIZE:
        raise SecurityError(f"{what} holds over {MAX_SIZE:,} characters")


def _check_arguments(args, kwargs) -> None:
    """Arguments of calls and filters: a number is a size or a count (a width,
    a repetition), bounded by MAX_SIZE; any other value as a value."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise SecurityError(f"an argument of {value:,} is over the limit of {MAX_SIZE:,}")
        _check_value_size(value, "an argument")


def _check_binop(operator: str, left, right) -> None:
    """Refuse, before computing it, an operation whose result would be huge."""
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{left}**{right} is over the limit of {MAX_INT_BITS:,} bits")
    if operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError(f"a product over the limit of {MAX_INT_BITS:,} bits")
        for seq, times in ((left, right), (right, left)):
            if _sized(seq) and isinstance(times, int) and _sized(seq) * times > MAX_SIZE:
                raise SecurityError(f"repeating {_sized(seq):,} characters or items {times:,} times is over the "
                                    f"limit of {MAX_SIZE:,}")
    if operator == "+" and _sized(left) + _sized(right) > MAX_SIZE:
        raise SecurityError(f"a value over the limit of {MAX_SIZE:,} characters or items")
    if operator == "%" and isinstance(left, str) and _PERCENT_WIDTH.search(left):
        raise SecurityError("a % format with a width or precision over the limit")


def bounded_range(*args):
    """range(), refused over MAX_RANGE items."""
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise SecurityError(f"range() of {len(items):,} items is over the limit of {MAX_RANGE:,}")
    return items


def _bounded_loop(iterable):
    """Every loop of a template iterates through this (see _Guards): each item is a step."""
    for item in iterable:
        _step()
        yield item


@pass_eval_context
def _bounded_concat(eval_ctx, values):
    """The ``~`` operator, refused when the result is over MAX_SIZE."""
    joined = markup_join(values) if eval_ctx.autoescape else str_join(values)
    _check_value_size(joined, "a joined string")
    return joined


def _bounded_filter(function):
    """A filter refusing size arguments and results over the limits."""

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        _step()
        value, *options = args[1:] if getattr(function, "jinja_pass_arg", None) else args
        _check_value_size(value, "a filtered value")
        _check_arguments(options, kwargs)
        if function.__name__ == "do_format" and isinstance(value, str) and _PERCENT_WIDTH.search(value):
            raise SecurityError("a % format with a width or precision over the limit")
        result = function(*args, **kwargs)
        _check_value_size(result, "a filter's result")
        return result

    return bounded


class _Guards(NodeTransformer):
    """Routes every loop and every ``~`` of a compiled template through the bounded helpers above."""

    def _filter(self, name: str, node: nodes.Node) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.For:
        node = self.generic_visit(node)
        node.iter = self._filter("_bounded_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        node = self.generic_visit(node)
        return self._filter("_bounded_concat", nodes.List(node.nodes, lineno=node.lineno))


class BoundedTemplate(Template):
    """A template whose render stops, with a SecurityError (a TemplateError),
    beyond the limits above instead of exhausting time or memory."""

    def render(self, *args, **kwargs) -> str:
        token = _BUDGET.set(_Budget())
        try:
            budget, size, chunks = _BUDGET.get(), 0, []
            for chunk in self.root_render_func(self.new_context(dict(*args, **kwargs))):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"the template's output is over the limit of {MAX_OUTPUT:,} characters")
                budget.step()
                chunks.append(chunk)
            return self.environment.concat(chunks)
        except Exception:
            self.environment.handle_exception()
        finally:
            _BUDGET.reset(token)


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox (no private attributes, no unsafe callables) with the
    work of every render bounded: ranges, calls, loop steps, recursion,
    arithmetic, sizes, output and time (the MAX_* limits above)."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%", "/", "//"})

    def __init__(self, **options):
        super().__init__(**options)
        self.globals["range"] = bounded_range

    def _generate(self, source, name, filename, defer_init=False):
        return super()._generate(_Guards().visit(source), name, filename, defer_init)

    def call(self, context, obj, /, *args, **kwargs):
        budget = _BUDGET.get()
        _check_arguments(args, kwargs)
        if budget is None:
            result = super().call(context, obj, *args, **kwargs)
        else:
            budget.step()
            if budget.depth >= MAX_DEPTH:
                raise SecurityError(f"calls nested over {MAX_DEPTH} deep (a macro calling itself?)")
            budget.depth += 1
            try:
                result = super().call(context, obj, *args, **kwargs)
            finally:
                budget.depth -= 1
        _check_value_size(result, "a call's result")
        return result

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _FORMAT_WIDTH.search(value.__self__):
            def refuse(*args, **kwargs):
                raise SecurityError("a format with a width or precision over the limit")
            return refuse
        return wrapped

    def call_binop(self, context, operator, left, right):
        _check_binop(operator, left, right)
        try:
            result = super().call_binop(context, operator, left, right)
        except ArithmeticError as exc:  # OverflowError, ZeroDivisionError, decimal.Overflow ...
            raise SecurityError(f"arithmetic refused: {left!r} {operator} {right!r}: {exc}") from None
        _check_value_size(result, "a result")
        return result


class CachingEnvironment(BoundedEnvironment):
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


# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko,
# Samaritan, Mandaic and their presentation forms).
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
LRM = "\u200e"


def ltr_filter(value):
    """{{ partner.legal_name | ltr }} in a right-to-left template: a value with
    no right-to-left letter (a Latin name, a reference, an amount, an e-mail, a
    telephone number) between two LEFT-TO-RIGHT MARKs, so that it keeps its own
    order inside an Arabic sentence ("+254 20 000 0000", not "254 20 000 0000+");
    a value with right-to-left letters is left as it is. The build of a
    right-to-left source adds it to every printed value (contract_templates/source/FORMAT.md).
    None, blanks and NaN pass through unchanged, for the empty-value check."""
    if value is None or hasattr(value, "__html__") or (isinstance(value, float) and math.isnan(value)):
        return value
    text = str(value)
    if not text.strip() or _RTL_LETTER.search(text):
        return value
    return f"{LRM}{text}{LRM}"


FILTERS = {"money": money_filter, "words": words_filter, "date": date_filter, "ltr": ltr_filter}


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
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items()}
    env.filters.update(_bounded_loop=_bounded_loop, _bounded_concat=_bounded_concat)
    return env
