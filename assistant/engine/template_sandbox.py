"""Size limits for chat templates, on top of Jinja's immutable sandbox.

Every way a template can build a large value (``*``, ``+``, ``%``, ``~``, filters, string
methods, the output of blocks and macros) is checked *before* the value is built, against a
limit that scales with the conversation, so a hostile template fails in milliseconds with a
clear message instead of allocating gigabytes inside its time limit. Values are measured
without being built (``measure``); containers the sandbox cannot change are measured once.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from contextvars import ContextVar
from typing import Any

from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

#: Characters any one value a template builds, and its whole output, may have, plus
#: INPUT_FACTOR times the size of what it was given (a long chat legitimately renders long).
MAX_TEXT = 4_000_000
INPUT_FACTOR = 4
#: Values nested deeper are refused: printing them or ``tojson`` would recurse without end.
MAX_NESTING = 64
#: Integers a template computes stay below this many bits (repeated squaring grows without end).
MAX_INT_BITS = 4096

_END = object()
_DIGITS = re.compile(r"\d+")
#: The width and precision of a printf conversion (``%-*.3f``), and a ``str.format`` field.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")


class TemplateError(ValueError):
    pass


# measuring values without building them ---------------------------------------------------
class Meter:
    """The size limit of one render, and the sizes of the containers already measured
    (the same ``messages`` list is often passed to many filters in a loop)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cache: dict[int, tuple[Any, int]] = {}

    def size(self, value: Any, indent: int = 0) -> int:
        """About how many characters ``str(value)`` (or ``tojson`` with ``indent``) gives;
        counting stops soon after ``limit`` is passed. Lists, tuples and dicts are cached:
        the immutable sandbox cannot change them."""
        if isinstance(value, str):
            return len(value)
        cacheable = not indent and type(value) in (list, tuple, dict)
        if cacheable and id(value) in self._cache:
            return self._cache[id(value)][1]
        total = measure(value, self.limit, indent)
        if cacheable:
            self._cache[id(value)] = (value, total)  # keeping the value keeps its id unique
        return total

    def check(self, value: Any, what: str = "builds an absurdly large value") -> Any:
        if self.size(value) > self.limit:
            raise TemplateError(f"The chat template {what} (over {self.limit:,} characters).")
        return value

    def check_estimate(self, estimate: int) -> None:
        if estimate > self.limit:
            raise TemplateError(
                f"The chat template builds an absurdly large string (over {self.limit:,} characters)."
            )

    def check_args(self, args: Iterable[Any]) -> None:
        """The arguments of a call must fit together: each may be printed or copied into
        the result."""
        self.check_estimate(sum(self.size(arg) for arg in args))


def _children(value: Any) -> Iterator[Any] | None:
    if isinstance(value, str | bytes):
        return None
    if isinstance(value, dict):
        return (part for pair in value.items() for part in pair)
    if isinstance(value, list | tuple | set | frozenset):
        return iter(value)
    if isinstance(value, Namespace):
        return _children(object.__getattribute__(value, "_Namespace__attrs"))
    return None


def _scalar_size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 1
    return 24  # floats, None, Undefined, loop objects: a short repr


def measure(value: Any, budget: int, indent: int) -> int:
    """Iterative (a hostile value may nest deeper than Python's stack) and lazy (a list of a
    million references to one long string is measured only until it passes the budget)."""
    total = 0
    stack: list[Iterator[Any]] = [iter((value,))]
    while stack and total <= budget:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            continue
        total += 2 + indent * len(stack)  # quotes or brackets and a separator; tojson's indent
        children = _children(item)
        if children is None:
            total += _scalar_size(item)
        elif len(stack) > MAX_NESTING:
            raise TemplateError("The chat template nests values absurdly deeply.")
        else:
            stack.append(children)
    return total


METER: ContextVar[Meter | None] = ContextVar("template_meter", default=None)


def _meter() -> Meter:
    """The current render's meter; outside a render (Jinja folds constants while compiling)
    the base limit applies."""
    return METER.get() or Meter(MAX_TEXT)


def _metered(items: Iterable[Any], extra: int = 0) -> Iterator[Any]:
    """Pass items through, refusing once their sizes (plus ``extra`` each) pass the limit."""
    meter, total = _meter(), 0
    for item in items:
        total += meter.size(item) + extra
        meter.check_estimate(total)
        yield item


# estimates of what a call will build, from its arguments ----------------------------------
def _format_estimate(fmt: str, specs: list[str], values: Any, numbers_are_widths: bool) -> int:
    """The text, the values, and every width or precision, whether written in the format
    (``%9s``, ``{:>9}``) or taken from the values (``%*s``, ``{:{}}``)."""
    if isinstance(values, dict):
        values = tuple(values.values())
    values = values if isinstance(values, tuple) else (values,)
    widths = sum(int(d) if len(d) < 12 else 10**12 for spec in specs for d in _DIGITS.findall(spec))
    numbers = [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    taken = sum(numbers) if numbers_are_widths else 0
    return len(fmt) + widths + taken + sum(_meter().size(v) for v in values)


def _percent_estimate(fmt: Any, values: Any) -> int:
    """``fmt % values``."""
    if not isinstance(fmt, str):
        return 0
    specs = ["".join(m.groups(default="")) for m in _PERCENT_SPEC.finditer(fmt)]
    return _format_estimate(fmt, specs, values, "*" in "".join(specs))


def _brace_estimate(fmt: str, values: Any) -> int:
    """``fmt.format(*values)``: only the format spec after ':' holds widths; a field nested
    in a spec takes its width from the values."""
    specs = [field.group().partition(":")[2] for field in _BRACE_FIELD.finditer(fmt)]
    return _format_estimate(fmt, specs, values, any("{" in spec for spec in specs))


def _indent_estimate(s: Any, width: Any) -> int:
    per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    return _lines_estimate(s, per_line)


def _wordwrap_estimate(s: Any, wrapstring: Any) -> int:
    """At most one line break per character, whatever the width."""
    text = s if isinstance(s, str) else ""
    return len(text) * (1 + _meter().size(wrapstring or "\n"))


def _count(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else 0


def _number(value: Any) -> int:
    """An argument used as a width or a count (of padding, of fill items)."""
    return abs(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _replace_estimate(s: Any, old: Any, new: Any, count: Any = None) -> int:
    if not isinstance(s, str) or not isinstance(old, str):
        return 0
    hits = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(s) + hits * max(0, _meter().size(new) - len(old))


def _lines_estimate(s: Any, per_line: int) -> int:
    text = s if isinstance(s, str) else ""
    return len(text) + (text.count("\n") + 1) * per_line


#: For filters whose output can dwarf their input: an estimate from the bound arguments.
_FILTER_ESTIMATES: dict[str, Callable[[dict[str, Any]], int]] = {
    "join": lambda a: _count(a["value"]) * _meter().size(a.get("d", "")),
    "replace": lambda a: _replace_estimate(a["s"], a["old"], a["new"], a.get("count")),
    "format": lambda a: _percent_estimate(a["value"], a.get("kwargs") or a.get("args", ())),
    "indent": lambda a: _indent_estimate(a["s"], a.get("width", 4)),
    "wordwrap": lambda a: _wordwrap_estimate(a["s"], a.get("wrapstring")),
    "tojson": lambda a: _meter().size(a["value"], indent=_number(a.get("indent"))),
    "center": lambda a: _meter().size(a["value"]) + _number(a.get("width")),
    "batch": lambda a: _number(a["linecount"]) * (a.get("fill_with") is not None),
    "slice": lambda a: _number(a["slices"]),
    "pprint": lambda a: _meter().size(a["value"], indent=1),
}

#: str methods that multiply their receiver: receiver, positional args -> estimate.
_METHOD_ESTIMATES: dict[str, Callable[[str, tuple[Any, ...]], int]] = {
    "join": lambda s, a: _count(a[0]) * len(s) if a else 0,
    "ljust": lambda s, a: len(s) + _number(a[0] if a else 0),
    "rjust": lambda s, a: len(s) + _number(a[0] if a else 0),
    "center": lambda s, a: len(s) + _number(a[0] if a else 0),
    "zfill": lambda s, a: len(s) + _number(a[0] if a else 0),
    "replace": lambda s, a: _replace_estimate(s, *a[:3]) if len(a) >= 2 else 0,
    "expandtabs": lambda s, a: len(s) + s.count("\t") * (_number(a[0]) if a else 8),
    "format": _brace_estimate,
    "format_map": lambda s, a: _brace_estimate(s, a[0] if a else ()),
}


_PASSED = ("eval_ctx", "context", "environment", "env", "_jinja_pass")


def _filter_signature(func: Callable[..., Any]) -> inspect.Signature | None:
    """The parameters Jinja passes. Its async-capable filters wrap a plain function and
    take the eval context first, though their signature is the plain function's."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # a C function (markupsafe's escape): check what we can
        return None
    params = list(signature.parameters.values())
    first = params[0].name if params else ""
    if hasattr(func, "jinja_pass_arg") and first not in _PASSED:
        extra = inspect.Parameter("_jinja_pass", inspect.Parameter.POSITIONAL_ONLY)
        signature = signature.replace(parameters=[extra, *params])
    return signature


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    signature = _filter_signature(func)
    estimate = _FILTER_ESTIMATES.get(name)
    # The filtered value: the first parameter Jinja does not fill in itself.
    data = next((p for p in signature.parameters if p not in _PASSED), "") if signature else ""

    @functools.wraps(func)  # keeps jinja_pass_arg, so Jinja still passes the context first
    def guarded(*args: Any, **kwargs: Any) -> Any:
        meter = _meter()
        if signature is None:
            meter.check_args([*args, *kwargs.values()])
            return meter.check(func(*args, **kwargs))
        bound = signature.bind(*args, **kwargs)
        value = bound.arguments.get(data)
        if isinstance(value, Iterator):  # a generator from map/select: measure as it flows
            bound.arguments[data] = _metered(value, meter.size(bound.arguments.get("d", "")))
        meter.check_args(v for k, v in bound.arguments.items() if k != data or not isinstance(v, Iterator))
        if estimate is not None:
            meter.check_estimate(estimate(bound.arguments))
        return meter.check(func(*bound.args, **bound.kwargs))

    return guarded


class _CodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so the parts are measured before they are joined."""

    @optimizeconst
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.measured((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no access to Python internals: the CVE-2024-34359 pattern)
    plus size checks on everything that can build a large value."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _CodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.globals.pop("lipsum", None)  # lorem ipsum of any length: no template needs it
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        meter = _meter()
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise TemplateError("The chat template computes absurdly large numbers.")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_INT_BITS:
                raise TemplateError("The chat template computes absurdly large numbers.")
        elif operator_name == "*":
            _check_product(meter, left, right)
        elif operator_name == "+":
            if not isinstance(left, int | float):
                meter.check_estimate(meter.size(left) + meter.size(right))
        elif isinstance(left, str):  # %: printf-style formatting
            meter.check_estimate(_percent_estimate(left, right))
        return meter.check(self.binop_table[operator_name](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        meter = _meter()
        meter.check_args([*args, *kwargs.values()])
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        receiver, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
        if isinstance(receiver, str) and name in _METHOD_ESTIMATES:
            if name == "join" and args and isinstance(args[0], Iterator):  # sized as it flows
                args = (_metered(args[0], len(receiver)), *args[1:])
            meter.check_estimate(_METHOD_ESTIMATES[name](receiver, args))
        return meter.check(super().call(__context, __obj, *args, **kwargs))

    def concat(self, parts: Iterable[str]) -> str:
        """Joins the output of a template, a macro or a ``{% set %}`` block: this is what
        bounds the rendered length."""
        return "".join(_metered(parts))

    def measured(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        _meter().check_args(parts)
        return parts

    @staticmethod
    def _finalize(value: Any) -> Any:
        """Runs on every ``{{ value }}`` before it is printed (printing a list of a million
        references to one long string would copy it a million times)."""
        return _meter().check(value)


def _check_product(meter: Meter, left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateError("The chat template computes absurdly large numbers.")
        return
    for a, b in ((left, right), (right, left)):
        if isinstance(a, str | list | tuple) and isinstance(b, int) and meter.size(a) * b > meter.limit:
            raise TemplateError("The chat template builds an absurdly large string.")
