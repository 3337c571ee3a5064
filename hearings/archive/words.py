"""A past report's words as the import matches them: normalized, months and titles read,
region names known in every period, in both languages."""

from __future__ import annotations

import re
from functools import cache

from babel.dates import format_date

from ..month.reference import LANGUAGES, Period, read_reference, reference

_LATIN_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxyIi", "АаВСсЕеНКМОоРрТХхуІі")
_WORD = re.compile(r"[^\W\d_]+")
SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_NOT_WORD = re.compile(r"[^\w№]+")


def _script(letter: str) -> str:
    if "a" <= letter.lower() <= "z":
        return "latin"
    return "cyrillic" if "\u0400" <= letter <= "\u04ff" else "other"


def mixed_words(text: str) -> list[tuple[str, str]]:
    """The words of text that mix Cyrillic and Latin letters, with their Latin letters."""
    found = []
    for word in _WORD.findall(text):
        scripts = {_script(ch) for ch in word}
        if {"latin", "cyrillic"} <= scripts:
            found.append((word, "".join(ch for ch in word if _script(ch) == "latin")))
    return found


def plain(text: str) -> str:
    """A text with its spaces (non-breaking ones too) as single spaces, trimmed."""
    return SPACES.sub(" ", text).strip()


def norm(text: str) -> str:
    """A text as it is matched: lower case, ё as е, Latin look-alikes inside Cyrillic words
    read as Cyrillic, punctuation as spaces."""
    def fix(match: re.Match) -> str:
        word = match.group(0)
        scripts = {_script(ch) for ch in word}
        return word.translate(_LATIN_LOOKALIKES) if "cyrillic" in scripts else word
    text = _WORD.sub(fix, text).lower().replace("ё", "е")
    return SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


@cache
def archive_words() -> dict:
    return read_reference("archive.yaml")


@cache
def month_words(lang: str) -> dict[int, tuple[str, ...]]:
    """The forms of each month's name the archive writes: Russian nominative and genitive,
    Kazakh its one form (endings attached to it are matched by its beginning)."""
    import datetime as dt
    patterns = ("LLLL", "MMMM") if lang == "ru" else ("MMMM",)
    return {m: tuple(norm(format_date(dt.date(2020, m, 1), p, locale=lang)) for p in patterns)
            for m in range(1, 13)}


def month_of(word: str, lang: str) -> int | None:
    word = norm(word)
    for month, forms in month_words(lang).items():
        if word in forms or (lang == "kk" and any(word.startswith(f) for f in forms)):
            return month
    return None


def phrase_pattern(template: str) -> re.Pattern:
    text = norm(template.replace("{month}", "MONTHX").replace("{year}", "YEARX")
                .replace("{n}", "NUMBERX")).replace("$", "")
    text = (re.escape(text).replace("monthx", r"(?P<month>[^\W\d_]+)")
            .replace("yearx", r"(?P<year>\d{4})")
            .replace("numberx", r"(?<!\d)(?P<n>\d{1,3}(?: \d{3})+|\d+)"))
    return re.compile(text + ("$" if template.endswith("$") else ""))


@cache
def _patterns(section: str, lang: str) -> tuple[re.Pattern, ...]:
    return tuple(phrase_pattern(t) for t in archive_words()[section][lang])


def period_of_title(text: str) -> tuple[str, Period | str] | None:
    """("ru", 2020-08) for a monthly title, (lang, "not-monthly") for a quarter's or year's
    title, None for a paragraph that is no title."""
    normalized = norm(text)
    for lang in LANGUAGES:
        for pattern in _patterns("title", lang):
            for match in pattern.finditer(normalized):
                month = month_of(match.group("month"), lang)
                if month:
                    return lang, Period(int(match.group("year")), month)
    for lang in LANGUAGES:
        if any(p.search(normalized + " ") for p in _patterns("not_monthly", lang)) \
                and re.search(r"\d{4}", normalized):
            return lang, "not-monthly"
    return None


@cache
def header_words(name: str) -> frozenset[str]:
    return frozenset(norm(t) for t in archive_words()["table"][name])


@cache
def category_headers() -> dict[str, str]:
    """Every header a category's column goes by, normalized, to its code."""
    found = {}
    for category in reference().categories:
        for lang in LANGUAGES:
            found[norm(category.header[lang])] = category.code
        for text in archive_words()["headers"].get(category.code, []):
            found[norm(text)] = category.code
    return found


@cache
def region_names(period: Period) -> tuple[dict[str, set[str]], dict[str, set[str]], dict]:
    """Region names to codes: (names in force in the period, names of other periods), both
    normalized, and each code's table name in the period by language. A name without its
    "обл." or "қ." counts where it leaves one region: "Алматы" is the oblast's table name,
    so "Алматы қ." stripped is no name of the city."""
    current: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    stripped: dict[str, set[str]] = {}
    shown = {}
    kinds = re.compile(r"\b(обл|область|облысы|г|гг|город|қ|қаласы)\b")
    for region in reference().regions:
        in_force = region.validity.covers(period.last_day)
        for name in region.names:
            here = in_force and name is region.name(period)
            for lang in LANGUAGES:
                for form in name.forms[lang].values():
                    (current if here else other).setdefault(norm(form), set()).add(region.code)
                    if here:
                        short = SPACES.sub(" ", kinds.sub(" ", norm(form))).strip()
                        stripped.setdefault(short, set()).add(region.code)
        if in_force:
            shown[region.code] = {lang: region.name(period).forms[lang]["table"]
                                  for lang in LANGUAGES}
            for alias in archive_words()["regions"].get(region.code, []):
                current.setdefault(norm(alias), set()).add(region.code)
    for short, codes in stripped.items():
        if short and short not in current and len(codes) == 1:
            current[short] = codes
    return current, other, shown


def match_region(text: str, period: Period) -> tuple[str | None, bool]:
    """The region a name stands for (None: no region of the period, or more than one), and
    whether the name is the one in force in the period."""
    current, other, _shown = region_names(period)
    key = norm(text)
    codes = current.get(key, set())
    if len(codes) == 1:
        return next(iter(codes)), True
    in_force = {r.code for r in reference().regions_in_force(period)}
    codes = other.get(key, set()) & in_force
    if len(codes) == 1:
        return next(iter(codes)), False
    return None, False


def find_region(text: str, period: Period) -> str | None:
    """The region a longer text names (the longest run of its words that is a name):
    "на сайте Управления зеленой экономики г. Алматы" names almaty-city."""
    words = norm(text).split()
    current, _other, _shown = region_names(period)
    for size in range(min(len(words), 5), 0, -1):
        for start in range(len(words) - size, -1, -1):
            codes = current.get(" ".join(words[start:start + size]), set())
            if len(codes) == 1:
                return next(iter(codes))
    return None

