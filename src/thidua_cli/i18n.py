"""The interface's two languages, with the standard gettext machinery.

Message ids in the source are English; `locale/vi/LC_MESSAGES/thidua.po` holds the Vietnamese,
compiled to `thidua.mo` by `python scripts/i18n.py compile` (a test checks that the two agree and
that every message in the code has a translation). Vietnamese is the default; `--lang en` or
`THIDUA_LANG=en` switches to English. The language must be chosen before the command modules
are imported, because Typer reads help texts when the commands are declared:
`thidua_cli.main.main` looks at the command line first for that reason.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(lang: str | None) -> str:
    """Switch the language of every later message; returns the language in force."""
    global _translation, _language
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    if lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            "thidua", localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    _language = lang
    return lang


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate a message id into the language in force."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


set_language(os.environ.get("THIDUA_LANG"))
