"""A monthly file checked against its JSON Schema, every error a finding in plain words at
its place: what was expected, what was found, the key or region meant."""

from __future__ import annotations

from collections.abc import Iterator

from jsonschema import Draft202012Validator, validators

from ..i18n import N_, _
from .context import Context, nearest
from .findings import Finding
from .reference import Reference
from .schema import monthly_schema


def _is_integer(checker, instance) -> bool:
    # A count written 15.0 or `true` is a typing slip, not the number 15 or 1.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))


_VALIDATORS: dict[tuple, Draft202012Validator] = {}


def _validator(ref: Reference) -> Draft202012Validator:
    """Validation uses the schema made from the reference data in memory (the package's, or
    with a folder's own categories): the file in schema/ is for editors, and no file on disk
    can disagree with what is checked."""
    key = (tuple(c.code for c in ref.categories), tuple(g.code for g in ref.groups))
    if key not in _VALIDATORS:
        schema = monthly_schema(ref)
        _VALIDATORS[key] = _Validator(inlined(schema, schema))
    return _VALIDATORS[key]


# Keywords that say what a value is about and decide nothing about it
_ANNOTATIONS = frozenset({"title", "description", "markdownDescription", "default",
                          "examples", "$comment", "deprecated"})


def inlined(node, root: dict, following: tuple[str, ...] = ()):
    """The schema with each local $ref replaced by what it names (its own annotations kept
    where the named schema has none; other keywords beside it applied with it, as allOf):
    the same verdicts and errors, without a lookup per value validated, which was half the
    validation's time. $defs stay, for messages; a $ref inside its own target stays too."""
    if isinstance(node, list):
        return [inlined(item, root, following) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in following:
        target = root
        for step in ref[2:].split("/"):
            target = target[step]
        target = inlined(target, root, (*following, ref))
        rest = {k: inlined(v, root, following) for k, v in node.items() if k != "$ref"}
        if set(rest) <= _ANNOTATIONS:
            return {**rest, **target}
        return {**rest, "allOf": [target]}
    return {k: v if k == "$defs" else inlined(v, root, following) for k, v in node.items()}


def validator_for(schema: dict) -> Draft202012Validator:
    """A validator of this project's kind (15.0 and true are not integers) for a schema."""
    return _Validator(schema)


_TYPE_WORDS = {"integer": N_("a whole number"), "string": N_("text"),
               "object": N_("a mapping of keys"), "array": N_("a list"),
               "number": N_("a number"), "boolean": N_("true or false"), "null": N_("nothing")}


def _resolve(schema: dict, root: dict) -> dict:
    """Follow a local $ref, keeping the referring schema's own keys."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    target = root
    for step in ref.removeprefix("#/").split("/"):
        target = target[step]
    return {**_resolve(target, root), **{k: v for k, v in schema.items() if k != "$ref"}}


def _expected(schema: dict, root: dict) -> str:
    """A schema described in a few words, as a person would say what belongs there."""
    schema = _resolve(schema, root)
    title = schema.get("title")
    if title:
        return _(title)
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return _("one of: {values}").format(values=", ".join(map(str, schema["enum"])))
    if "anyOf" in schema:
        separator = " " + _("or") + " "
        return separator.join(_expected(option, root) for option in schema["anyOf"])
    words = _TYPE_WORDS.get(schema.get("type"), N_("a different value"))
    return _(words)


def _found(value: object) -> str:
    """A value as the finding reports it."""
    if value is None:
        return _("an empty value")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _("{value} (a decimal number)").format(value=repr(value))
    if isinstance(value, dict):
        return _("a mapping of keys")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:60] + "…")
    if isinstance(value, int) and abs(value) >= 10**20:
        return _("a number of {digits} digits").format(digits=len(str(abs(value))))
    return str(value)


def _prose(key: str) -> bool:
    """A key that is words rather than a code: the rest of a text a comma cut off."""
    return " " in key.strip() or not key.isascii()


def _findings(context: Context, error, root: dict) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "anyOf":
        # A count -5 failed the number branch for its value: report that branch's reason.
        reasons = [e for e in error.context if e.validator not in ("type", "const", "enum")]
        if reasons:
            yield from _findings(context, reasons[0], root)
            return
        keyword = "type"
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed and path in context.document.flow and _prose(key):
                # {ru: Вице-министр экологии, геологии ...}: the comma ended the text
                yield context.finding("text-cut-at-comma", (*path, key), key=True,
                                      params={"key": key})
            elif key not in allowed:
                # a region or a category is suggested among those in force in the month
                choices = allowed
                if tuple(path) == ("regions",) and context.period:
                    choices = [r.code for r in context.reference.regions_in_force(
                        context.period)]
                elif path[-1:] == ("violations",) and path[0] == "regions" and context.period:
                    choices = [c.code for c in context.reference.categories_in_force(
                        context.period)]
                close = nearest(key, choices)
                hint = (_("did you mean '{key}'?").format(key=close[0]) if close else
                        _("expected one of: {keys}").format(keys=", ".join(choices)))
                yield context.finding("unknown-key", (*path, key), key=True,
                                      params={"key": key, "hint": hint,
                                              "suggestion": close[0] if close else None})
    elif keyword == "required":
        for key in error.validator_value:
            if key not in error.instance:
                yield context.finding("missing-key", (*path, key), mark=context.document.where(
                    path), params={"key": key})
    elif keyword == "type":
        yield context.finding("wrong-type", path, expected=_expected(error.schema, root),
                              found=_found(error.instance))
    elif keyword == "pattern" and error.schema.get("title") == N_("a non-empty text"):
        yield context.finding("empty-text", path, found=_found(error.instance))
    else:
        yield context.finding("invalid-value", path, expected=_expected(error.schema, root),
                              found=_found(error.instance))


def check_schema(context: Context, validator: Draft202012Validator | None = None
                 ) -> Iterator[Finding]:
    """Every way the file departs from the schema (the monthly file's by default), as
    findings, each once."""
    validator = validator or _validator(context.reference)
    # a number written in another base is reported as such (number-not-decimal), not twice
    seen = {("wrong-type", path) for path in context.document.numerals}
    for error in validator.iter_errors(context.data):
        for finding in _findings(context, error, validator.schema):
            if (finding.code, finding.path) not in seen:
                seen.add((finding.code, finding.path))
                yield finding
