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
_language = "en"
_spoken: dict[str, str] | None = None  # the user's catalog while in_language() holds another


def read_catalog(path: Path) -> dict[str, str]:
    """message id -> translation, from a compiled gettext catalog (.mo); {} when there is none.

    Read here rather than through the stdlib's gettext, whose import and parse cost every
    command about 15 ms at start: the catalog holds plain messages (no plural forms), and a
    lookup is a dict's.
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
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / "thidua.mo"
    _catalog = {} if lang == "en" else read_catalog(mo)
    _language = lang
    return lang


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


set_language(os.environ.get("THIDUA_LANG"))
