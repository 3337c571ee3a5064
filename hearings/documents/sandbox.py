"""The Jinja environment every template is rendered in: sandboxed, strict, escaping, and with
each template text compiled once (in a process, and across processes through a cache on
disk that can only ever give back the code of its own text)."""

from __future__ import annotations

import importlib.util
import marshal
import types
from typing import ClassVar

import jinja2
import jinja2.filters
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..files.cache import cached

# A template reaches its context and nothing else: none of jinja's globals (cycler, lipsum,
# joiner, namespace, range: each a way to a module's globals or to a loop without end), and
# only the filters a report's text could want.
FILTERS = ("capitalize", "count", "default", "e", "escape", "first", "join", "last",
           "length", "lower", "string", "title", "trim", "upper")
# No figure or text of a report needs more: a template asking for a longer string or list
# (`'x' * 10**9`, `'{:>999999999}'.format(1)`) is refused before the memory is taken.
MAX_SIZE = 100_000


def _too_big(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE


_SEQUENCES = (str, list, tuple)


def _repeated_size(left: object, right: object) -> int:
    """The length of `left * right` where one is a text or a list, before it is made."""
    if isinstance(left, int) and isinstance(right, _SEQUENCES):
        left, right = right, left
    if isinstance(left, _SEQUENCES) and isinstance(right, int):
        return len(left) * max(0, right)
    return 0


def _joined_size(separator: str, items) -> int:
    items = list(items)
    return len(separator) * max(0, len(items) - 1) + sum(len(str(item)) for item in items)


def _made_size(method, args: tuple) -> tuple[int, object]:
    """For a method of a text that can make a longer one (join, replace, expandtabs): how
    long its result would be, at most, and the arguments to call it with (an iterable
    given to join is read once, here)."""
    text, name = method.__self__, method.__name__
    if name == "join" and args:
        items = list(args[0])
        return _joined_size(text, items), (items, *args[1:])
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        old, new = args[0], args[1]
        times = text.count(old) if old else len(text) + 1
        return len(text) + times * max(0, len(new) - len(old)), args
    if name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        return len(text) + text.count("\t") * max(0, size), args
    return len(text), args


@jinja2.pass_eval_context
def _bounded_join(eval_ctx, value, d: str = "", attribute=None):
    """Jinja's `join` filter, refusing a result longer than MAX_SIZE before making it."""
    items = list(value)
    if _joined_size(d, items) > MAX_SIZE:
        raise SecurityError(f"joining {len(items)} items makes a text longer than {MAX_SIZE}")
    return jinja2.filters.do_join(eval_ctx, items, d, attribute)



class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no attribute that starts with _, no internal attribute, no
    method that changes a list or a dict), with no globals, a few filters, no number larger
    than MAX_SIZE as an argument, and compiled code shared by every instance."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    _compiled: ClassVar[dict] = {}  # one environment's settings for all: one code per text

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in FILTERS} | {"join": _bounded_join}
        self.tests = {name: self.tests[name] for name in ("defined", "undefined", "none")}

    def is_safe_attribute(self, obj, attr, value) -> bool:
        # str.format and its kin take a width from the text itself ('{:>999999999}')
        if isinstance(obj, str) and attr in ("format", "format_map"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        return None  # no format method is handed out (see is_safe_attribute)

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            raise SecurityError("formatting a text with % is not for templates")
        if (operator == "**" and _too_big(right)) or (operator == "*" and (
                _too_big(left) or _too_big(right) or _repeated_size(left, right) > MAX_SIZE)) \
                or (operator == "+" and isinstance(left, _SEQUENCES)
                    and isinstance(right, _SEQUENCES) and len(left) + len(right) > MAX_SIZE):
            raise SecurityError(f"{left!r:.20} {operator} {right!r:.20} is too large for a "
                                "report")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):
        name = getattr(__obj, "__name__", type(__obj).__name__)
        if any(_too_big(value) for value in (*args, *kwargs.values())):
            raise SecurityError(f"a number above {MAX_SIZE} passed to {name}")
        if isinstance(getattr(__obj, "__self__", None), str):
            size, args = _made_size(__obj, args)
            if size > MAX_SIZE:
                raise SecurityError(f"{name} would make a text longer than {MAX_SIZE}")
        return super().call(__context, __obj, *args, **kwargs)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        key = (source, name, filename, defer_init)
        if key not in self._compiled:
            self._compiled[key] = code_cache(
                f"{name}\0{filename}\0{defer_init}\0{source}",
                lambda: super(Sandbox, self).compile(source, name, filename, raw, defer_init))
        return self._compiled[key]


def environment(finalize=None) -> Sandbox:
    """Strict (an undefined name stops the build) and escaping (& and < stay text)."""
    return Sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=finalize)


# What the compiled code depends on besides the text: this environment's settings (strict,
# escaping, finalize, the sandbox's intercepted operators), jinja's version and Python's
# bytecode.
_CODE_KEY = (f"hearings-2 sandbox {sorted(Sandbox.intercepted_binops)} {jinja2.__version__} "
             f"{importlib.util.MAGIC_NUMBER.hex()}")


def _code(payload: bytes) -> types.CodeType | None:
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


def code_cache(text: str, compile_code):
    """Compiled code for a template text, from the cache folder when it holds a whole entry
    made from this text (anything else is compiled again and replaced); no folder, no cache."""
    return cached("jinja", f"{_CODE_KEY}\0{text}", compile_code, marshal.dumps, _code)
