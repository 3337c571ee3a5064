"""The month's texts as they are written: each free text ended as a sentence, no word of
mixed scripts, numbers in plain decimal digits, every character visible and printable."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from ..i18n import N_, _
from .context import Context
from .findings import Finding

_WORD = re.compile(r"[^\W\d_]+")


_SENTENCE_ENDS = (".", "!", "?", "»", ")", "…", '"')
_FREE_TEXTS = ("observations", "closing")


def check_texts_ended(context: Context) -> Iterator[Finding]:
    """A free text that does not end as a sentence does was most likely cut short (a file
    cut at 85 % of its length is still valid YAML, its closing text ending mid-word)."""
    for key in _FREE_TEXTS:
        items = context.data.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            for lang in ("ru", "kk"):
                text = item.get(lang) if isinstance(item, dict) else None
                if isinstance(text, str) and text.strip() and \
                        not text.rstrip().endswith(_SENTENCE_ENDS):
                    yield context.finding("text-unfinished", (key, index, lang),
                                          found=text.rstrip()[-30:])


@cache
def _script(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ", 1)[0]


def _strings(data: object) -> Iterator[tuple[tuple, str]]:
    """Every text value with its path, depth first, without recursion."""
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def check_scripts(context: Context) -> Iterator[Finding]:
    """A word that mixes Cyrillic and Latin letters: a Latin C typed inside "Сұлтан"."""
    for path, text in _strings(context.data):
        for word in _WORD.findall(text):
            scripts = {_script(letter) for letter in word}
            if {"CYRILLIC", "LATIN"} <= scripts:
                latin = "".join(dict.fromkeys(ch for ch in word if _script(ch) == "LATIN"))
                yield context.finding("mixed-script", path, mark=context.text_mark(path, word),
                                      params={"word": word, "latin": latin})


_NUMERAL_FORMS = {
    "binary": N_("a binary number"), "hexadecimal": N_("a hexadecimal number"),
    "octal": N_("an octal number (it starts with 0)"),
    "sexagesimal": N_("a sexagesimal number (minutes:seconds)"),
    "underscores": N_("a number with underscores"), "plus-sign": N_("a number with a plus sign"),
}


def check_numerals(context: Context) -> Iterator[Finding]:
    """A number in another base or form than plain decimal digits: YAML would read 015 as 13,
    so it is reported, never converted."""
    for path, (form, value) in context.document.numerals.items():
        found = _text_at(context, path)
        digits = str(found).lstrip("0")
        # 014 may be fourteen with a zero before it as well as octal twelve: both are said
        readings = (_("{value} or {plain}, whichever is meant").format(value=value, plain=digits)
                    if form == "octal" and digits.isdecimal() and digits != str(value)
                    else _("{value}, if that is what is meant").format(value=value))
        yield context.finding("number-not-decimal", path, found=found,
                              params={"form": _(_NUMERAL_FORMS[form]), "value": value,
                                      "readings": readings})


def _text_at(context: Context, path: tuple) -> object:
    value = context.data
    for step in path:
        value = value[step]
    return value


# Characters that cannot be seen but change a text: format characters (Unicode category Cf:
# zero-width spaces and joiners, bidirectional overrides and isolates, a stray byte-order
# mark) and line and paragraph separators. The soft hyphen (Cf) is allowed: Word puts it in
# as an optional hyphen, and it shows only as a hyphen at a line's end. No-break spaces are
# ordinary spaces (Zs) and allowed.
_INVISIBLE = {"Cf", "Zl", "Zp"}
_ALLOWED = {"\u00ad"}


def check_invisible(context: Context) -> Iterator[Finding]:
    """A text holding a character nobody sees in the signed document."""
    for path, text in _strings(context.data):
        for character in dict.fromkeys(text):
            if unicodedata.category(character) in _INVISIBLE and character not in _ALLOWED:
                yield context.finding(
                    "invisible-character", path, mark=context.text_mark(path, character),
                    params={"character": f"U+{ord(character):04X}",
                            "name": unicodedata.name(character, "")})


_NO_NAME = {"Cc": N_("a control character"), "Co": N_("a private-use character"),
            "Cs": N_("half of a surrogate pair"), "Cn": N_("an unassigned code point")}


@cache
def _printable() -> tuple[tuple[int, int], ...]:
    """The code point ranges the reports' font draws (reference/characters.yaml)."""
    from .reference import read_reference

    return tuple((int(str(start), 0), int(str(end), 0))
                 for start, end in read_reference("characters.yaml")["ranges"])


@cache
def _can_print(character: str) -> bool:
    point = ord(character)
    return character in "\n\t" or any(start <= point <= end for start, end in _printable())


def check_printable(context: Context) -> Iterator[Finding]:
    """A character the reports' font has no glyph for (an emoji, a control character written
    as an escape, a private-use code point) would stop the PDF without a place, or print as a
    box: it is named here, where it stands. Invisible ones are check_invisible's."""
    for path, text in _strings(context.data):
        for character in dict.fromkeys(text):
            if _can_print(character) or (unicodedata.category(character) in _INVISIBLE
                                         and character not in _ALLOWED):
                continue
            name = unicodedata.name(character, "") or _(_NO_NAME.get(
                unicodedata.category(character), _NO_NAME["Cn"]))
            yield context.finding("character-not-printable", path,
                                  mark=context.text_mark(path, character),
                                  params={"character": f"U+{ord(character):04X}",
                                          "name": name})
