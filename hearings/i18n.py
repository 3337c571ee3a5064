"""Messages in the analyst's language: English in the code, gettext catalogs for ru and kk."""

from __future__ import annotations

import gettext
import importlib
import io
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "hearings"
MESSAGE_LANGUAGES = ("en", "ru", "kk")

_language = ["en"]


CLICK_DOMAIN = "click"  # click's own messages: usage, errors, the help option
# The modules of click that translate their messages with the standard library's gettext.
_CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                  "click.parser", "click.types", "click.termui", "click.utils")


@cache
def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of a language, read from its .po file (English needs none)."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # 10 ms of imports that English does not need
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=lang, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def set_language(lang: str) -> None:
    """Messages in lang from now on: this package's, and click's own."""
    _language[0] = lang
    _speak_for_click(lang)


def _speak_for_click(lang: str) -> None:
    """Click translates its words with gettext imported into each of its modules (its hook
    for applications); give those modules the catalog of click's messages in lang."""
    catalog = translations(lang, CLICK_DOMAIN)
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module another click version does not have
            continue
        if hasattr(module, "_"):
            module._ = catalog.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = catalog.ngettext


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
