"""The interface's two languages, from a gettext catalog.

Message ids in the source are English; `locale/vi/LC_MESSAGES/thidua.po` holds the Vietnamese,
compiled to gettext's `thidua.mo` by `python scripts/i18n.py compile` (a test checks that the
two agree, that the stdlib's gettext reads the catalog as thidua does, and that every message
in the code has a translation). Vietnamese is the default; `--lang en` or
`THIDUA_LANG=en` switches to English. The language must be chosen before the command modules
are imported, because Typer reads help texts when the commands are declared:
`thidua_cli.main.main` looks at the command line first for that reason.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"

_catalog: dict[str, str] = {}
_catalogs: dict[str, dict[str, str]] = {"en": {}}  # read once each: CSV and JSON ask again
_language = "en"
_spoken: dict[str, str] | None = None  # the user's catalog while in_language() holds another


def read_catalog(path: Path) -> dict[str, str]:
    """message id -> translation, from a compiled gettext catalog (.mo); {} when there is none.

    Read here rather than through the stdlib's gettext, whose import and parse cost every
    command about 15 ms at start: a lookup is a dict's, and a plural message's key and value
    keep gettext's NUL between the forms (see `ngettext`).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    _magic, _revision, count, originals, translations = struct.unpack_from(order + "5I", data)
    ids = struct.unpack_from(f"{order}{2 * count}I", data, originals)
    texts = struct.unpack_from(f"{order}{2 * count}I", data, translations)
    return {
        data[ids[i + 1] : ids[i + 1] + ids[i]].decode(): data[
            texts[i + 1] : texts[i + 1] + texts[i]
        ].decode()
        for i in range(0, 2 * count, 2)
        if ids[i]  # the catalog's header has the empty id
    }


def set_language(lang: str | None) -> str:
    """Switch the language of every later message; returns the language in force."""
    global _catalog, _language
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    if lang not in _catalogs:
        _catalogs[lang] = read_catalog(LOCALE_DIR / lang / "LC_MESSAGES" / "thidua.mo")
    _catalog = _catalogs[lang]
    _language = lang
    return lang


def check_language(lang: str) -> str:
    """`lang` when thidua speaks it; else a UsageError (exit 2) naming the languages there are.

    `set_language` itself falls back to Vietnamese, as it must when THIDUA_LANG is read at
    import; the command line checks first, so that a mistyped language is never silently
    replaced by another.
    """
    if lang in LANGUAGES:
        return lang
    from thidua_cli.errors import UsageError

    raise UsageError(
        _("Unknown language {lang!r}; the languages are: {languages}.").format(
            lang=lang, languages=", ".join(LANGUAGES)
        )
    )


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block, then the language in force before it."""
    global _catalog, _language, _spoken
    saved = _catalog, _language, _spoken
    _spoken = _spoken if _spoken is not None else _catalog
    set_language(lang)
    try:
        yield
    finally:
        _catalog, _language, _spoken = saved


def spoken(message: str) -> str:
    """`message` in the user's language even inside in_language(): what is said to the person
    (stderr) while a file is written in the forms' words."""
    catalog = _spoken if _spoken is not None else _catalog
    return catalog.get(message) or message


def forms_language(fmt: str) -> AbstractContextManager[None]:
    """Where what is written is read by a program (CSV, JSON), the words are the province's
    forms' (Vietnamese) whatever --lang says, so that a script runs the same in any language;
    every other format speaks the user's language."""
    return in_language("vi") if fmt in ("csv", "json") else nullcontext()


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate a message id into the language in force (the id itself when untranslated)."""
    return _catalog.get(message) or message


# Which form a count takes, per language (the Plural-Forms of its catalog's header): English,
# the message ids' language, has "1 flag" and "2 flags"; Vietnamese has one form ("1 Cờ", "2 Cờ").
_PLURAL_FORM = {"en": lambda n: 0 if n == 1 else 1, "vi": lambda n: 0}


def ngettext(singular: str, plural: str, count: int) -> str:
    """gettext's ngettext: the form of a message that fits `count`, in the language in force.

    A plural message is kept in the catalog as GNU gettext keeps it: key "singular\0plural",
    value the forms joined by "\0".
    """
    index = _PLURAL_FORM[_language](count)
    translated = _catalog.get(f"{singular}\0{plural}")
    if translated:
        forms = translated.split("\0")
        return forms[min(index, len(forms) - 1)]
    return singular if count == 1 else plural


set_language(os.environ.get("THIDUA_LANG"))
