"""Read a YAML file into plain data, remembering the line and column of every key and value."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from ..files.limits import TEXT_LIMIT, UnreadableFile, read_limited
from ..i18n import N_, _

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = SafeConstructor()

# Plain scalars become these types; dates stay text so that JSON Schema can check them.
_SCALARS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:timestamp": None,
    "tag:yaml.org,2002:value": None,  # YAML 1.1 resolves a bare "=" to this
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
}
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# A monthly file nests five levels deep; far deeper input is refused, not slowly walked.
MAX_DEPTH = 64
# libyaml 0.2.6 (in PyYAML's wheels since 6.0.3) has a nesting limit of its own, 1000 levels,
# which its scanner can reach before the loader sees a single event (flow collections are
# scanned ahead). Its error says only this, so it is recognised by these words.
_LIBYAML_NESTING = "maximum nesting depth"

# A whole number as a person writes it; YAML 1.1 also reads these other forms as integers.
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)$")
_NUMERAL_FORMS = (
    (re.compile(r"^[-+]?0b[01_]+$"), "binary"),
    (re.compile(r"^[-+]?0x[0-9a-fA-F_]+$"), "hexadecimal"),
    (re.compile(r"^[-+]?0[0-7_]+$"), "octal"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$"), "sexagesimal"),
    (re.compile(r"^[-+]?[0-9][0-9_]*$"), "underscores"),
)

# What libyaml says of a broken file, marked for the catalogs (load() translates them).
_LIBYAML_WORDS = (
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
    N_("found unexpected end of stream"), N_("found character that cannot start any token"),
    N_("did not find expected '-' indicator"), N_("found unknown directive name"),
    N_("found unknown escape character"), N_("did not find expected key"),
    N_("could not find expected ':'"), N_("did not find expected <document start>"),
    N_("found a tab character that violates indentation"), N_("found unexpected ':'"),
    N_("block sequence entries are not allowed in this context"),
    N_("found undefined tag handle"), N_("did not find expected node content"),
    N_("while parsing a flow sequence"), N_("while parsing a flow mapping"),
    N_("while scanning a quoted scalar"), N_("while scanning for the next token"),
    N_("while parsing a block collection"), N_("while scanning a directive"),
    N_("while parsing a quoted scalar"), N_("while parsing a block mapping"),
    N_("while scanning a simple key"), N_("while parsing a node"),
    N_("while parsing a flow node"), N_("while parsing a block node"),
    N_("while scanning a plain scalar"), N_("while scanning a block scalar"),
)

# What YAML 1.1 lets stand in a stream: tab, line breaks, printable characters.
_BAD_CHARACTER = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16",
}


@dataclass(frozen=True)
class Mark:
    """A position in the file, both numbers counted from 1."""

    line: int
    column: int


class LoadError(Exception):
    """Raised when a file cannot be read into data; carries the finding's code and place."""

    def __init__(self, code: str, mark: Mark, path: tuple = (), **params):
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.path = path
        self.params = params


@dataclass
class Document:
    """A loaded file: its data, its lines, and where each key and value stands."""

    file: str
    data: object
    lines: list[str]
    values: dict[tuple, Mark] = field(default_factory=dict)
    keys: dict[tuple, Mark] = field(default_factory=dict)
    # numbers YAML would read in another base or form ("015" is 13): kept as the text
    # written, each with the form YAML gives it and the value it would have been
    numerals: dict[tuple, tuple[str, int]] = field(default_factory=dict)
    # mappings written in flow style, {ru: ..., kk: ...}, where a comma ends a value
    flow: set[tuple] = field(default_factory=set)

    def where(self, path: tuple, key: bool = False) -> Mark:
        """The place of the value (or its key) at path, else of its nearest ancestor."""
        marks = self.keys if key else self.values
        if path in marks:
            return marks[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return Mark(1, 1)


def _tag(tag: str) -> str:
    """A tag as the file writes it: !!python/object rather than tag:yaml.org,2002:..."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _mark(yaml_mark) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def decode(raw: bytes) -> str:
    """UTF-8 bytes to text (a UTF-8 byte-order mark is allowed); anything else is an error."""
    for bom, name in _OTHER_BOMS.items():
        if raw.startswith(bom):
            raise LoadError("not-utf8", Mark(1, 1), reason=_("it is {encoding}").format(
                encoding=name))
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[:err.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        mark = Mark(before.count(b"\n") + 1, column)
        raise LoadError("not-utf8", mark,
                        reason=_("byte 0x{byte:02X} is not UTF-8").format(
                            byte=raw[err.start])) from err
    bad = _BAD_CHARACTER.search(text)
    if bad:
        line_start = text.rfind("\n", 0, bad.start()) + 1
        mark = Mark(text.count("\n", 0, bad.start()) + 1, bad.start() - line_start + 1)
        raise LoadError("bad-character", mark, character=f"U+{ord(bad.group()):04X}")
    return text


def numeral_form(text: str) -> str:
    """How YAML reads an integer not written in plain decimal digits: "octal", ..."""
    if "_" in text:
        return "underscores"
    if text.startswith("+"):
        return "plus-sign"
    return next(form for pattern, form in _NUMERAL_FORMS if pattern.match(text))


def _scalar(event, path: tuple, document: Document) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _Loader.resolve(_resolver, ScalarNode, event.value, event.implicit)
    if tag not in _SCALARS:
        raise LoadError("tag-not-allowed", _mark(event.start_mark), path, tag=_tag(tag))
    construct = _SCALARS[tag]
    if construct is None:
        return event.value
    try:
        value = construct(ScalarNode(tag, event.value))
        if tag.endswith(":int") and not _DECIMAL.match(event.value):
            # the analyst wrote 015 or 0xF: keep what was written, never 13 or 15
            document.numerals[path] = (numeral_form(event.value), value)
            return event.value
        return value
    except (ValueError, yaml.YAMLError) as err:
        shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
        raise LoadError("yaml-syntax", _mark(event.start_mark), path,
                        problem=_("'{value}' is not a valid {type}").format(
                            value=shown, type=tag.rsplit(":", 1)[-1])) from err


class _Frame:
    """A mapping or sequence being filled, with the key waiting for its value."""

    def __init__(self, container, path: tuple):
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_lines: dict[str, int] = {}

    def next_path(self) -> tuple:
        if isinstance(self.container, list):
            return (*self.path, len(self.container))
        return self.path if self.key is None else (*self.path, self.key)

    def add(self, value) -> None:
        if isinstance(self.container, list):
            self.container.append(value)
        else:
            self.container[self.key] = value
            self.key = None


_resolver = _Loader("")


def _build(events, document: Document) -> object:
    """Turn parser events into data in one pass, without recursion."""
    stack: list[_Frame] = []
    root: list = []
    documents = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise LoadError("multiple-documents", _mark(event.start_mark))
            continue
        if isinstance(event, yaml.AliasEvent):
            path = stack[-1].next_path() if stack else ()
            raise LoadError("alias-not-allowed", _mark(event.start_mark), path,
                            alias=event.anchor)
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent,
                                  yaml.SequenceStartEvent, yaml.MappingEndEvent,
                                  yaml.SequenceEndEvent)):
            continue
        frame = stack[-1] if stack else None
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            if stack:
                stack[-1].add(done.container)
            else:
                root.append(done.container)
            continue
        mark = _mark(event.start_mark)
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            frame.key = _key(event, frame, mark, document)
            continue
        path = frame.next_path() if frame else ()
        document.values[path] = mark
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event, path, document)
            if frame:
                frame.add(value)
            else:
                root.append(value)
            continue
        if event.tag not in _COLLECTION_TAGS:
            raise LoadError("tag-not-allowed", mark, path, tag=_tag(event.tag))
        if len(stack) == MAX_DEPTH:
            raise LoadError("nesting-too-deep", mark, limit=MAX_DEPTH)
        container = {} if isinstance(event, yaml.MappingStartEvent) else []
        if isinstance(event, yaml.MappingStartEvent) and event.flow_style:
            document.flow.add(path)
        stack.append(_Frame(container, path))
    return root[0] if root else None


def _key(event, frame: _Frame, mark: Mark, document: Document) -> str:
    if not isinstance(event, yaml.ScalarEvent):
        found = "a mapping" if isinstance(event, yaml.MappingStartEvent) else "a list"
        raise LoadError("key-not-text", mark, frame.path, found=found)
    key = event.value
    if key in frame.key_lines:
        raise LoadError("duplicate-key", mark, (*frame.path, key), key=key,
                        first_line=frame.key_lines[key])
    frame.key_lines[key] = mark.line
    document.keys[(*frame.path, key)] = mark
    return key


# a figure typed as the report prints one not assessed: `announcements: -` (or – or —)
_DASH_FIGURE = re.compile(r"^\s*[\w-]+:\s*[-\u2013\u2014]\s*(#.*)?$")


def parse(text: str, file: str) -> Document:
    """Text to a Document; every problem is a LoadError with its place."""
    document = Document(file=file, data=None, lines=text.splitlines())
    try:
        document.data = _build(yaml.parse(text, Loader=_Loader), document)
    except yaml.MarkedYAMLError as err:
        mark = _mark(err.problem_mark) if err.problem_mark else Mark(1, 1)
        if _LIBYAML_NESTING in (err.problem or ""):
            raise LoadError("nesting-too-deep", mark, limit=MAX_DEPTH) from err
        # libyaml's words, in the messages' language where the catalog has them
        problem = _(err.problem or str(err))
        if err.context and err.context_mark:
            problem += " " + _("({context} on line {line})").format(
                context=_(err.context), line=err.context_mark.line + 1)
        line = document.lines[mark.line - 1] if 0 < mark.line <= len(document.lines) else ""
        if _DASH_FIGURE.match(line):  # the report's dash typed for "not assessed"
            problem += "; " + _("a figure that could not be assessed is written n/a (the "
                                "report prints it as a dash)")
        raise LoadError("yaml-syntax", mark, problem=problem) from err
    except yaml.YAMLError as err:
        raise LoadError("yaml-syntax", Mark(1, 1), problem=str(err)) from err
    if document.data is None:
        raise LoadError("empty-file", Mark(1, 1))
    return document


def load(path: Path, file: str | None = None) -> Document:
    """Read a file from disk into a Document."""
    file = file or str(path)
    try:
        raw = read_limited(path, TEXT_LIMIT)
    except UnreadableFile as err:
        raise LoadError("file-unreadable", Mark(1, 1), reason=str(err)) from err
    return parse(decode(raw), file)
