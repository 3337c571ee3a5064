"""Messages in the analyst's language: English in the code, gettext catalogs for ru and kk."""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "hearings"
MESSAGE_LANGUAGES = ("en", "ru", "kk")

_language = ["en"]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language, read from its .po file (English needs none)."""
    if lang == "en":
        return gettext.NullTranslations()
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def set_language(lang: str) -> None:
    _language[0] = lang


def language() -> str:
    return _language[0]


def language_from_environment(environ=os.environ) -> str:
    """ru or kk when the locale says so (LC_ALL, LC_MESSAGES, LANG), else en."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in MESSAGE_LANGUAGES else "en"
    return "en"


def _(message: str) -> str:
    """The message in the current language."""
    return translations(_language[0]).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The message in the current language, in the plural form the count asks for."""
    return translations(_language[0]).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for the catalogs; it is translated where it is shown."""
    return message
