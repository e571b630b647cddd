"""Every message in the code has its Vietnamese, and the compiled catalog is current."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "i18n.py"


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_vietnamese_translation():
    tool = _tool()
    assert tool.extract(), "no messages found: the extractor is broken"
    assert tool.missing() == []


def test_the_compiled_catalog_matches_the_po_file():
    tool = _tool()
    assert tool.MO.read_bytes() == tool.compile_mo(tool.read_po())


def test_the_compiled_catalog_is_read_by_gettext():
    import gettext

    from thidua_cli.i18n import _, read_catalog, set_language

    tool = _tool()
    with tool.MO.open("rb") as catalog:
        stdlib = gettext.GNUTranslations(catalog)
    ours = read_catalog(tool.MO)
    assert len(ours) > 500
    # the stdlib keeps a plural message's forms apart, (singular, index) -> form; ours joined
    plain = {k: v for k, v in stdlib._catalog.items() if isinstance(k, str) and k}
    plural: dict[str, list[str]] = {}
    for key, form in sorted((k, v) for k, v in stdlib._catalog.items() if isinstance(k, tuple)):
        plural.setdefault(key[0], []).append(form)
    assert ours == plain | {k: "\0".join(plural[k.split("\0")[0]]) for k in ours if "\0" in k}
    assert len(plural) >= 3
    assert read_catalog(tool.MO.with_name("missing.mo")) == {}

    set_language("vi")
    assert _("unit") == "đơn vị"
    set_language("en")
    assert _("unit") == "unit"
    set_language("vi")


def test_plural_messages_follow_the_count_in_each_language():
    import gettext

    from thidua_cli.i18n import ngettext, set_language

    tool = _tool()
    with tool.MO.open("rb") as catalog:
        stdlib = gettext.GNUTranslations(catalog)
    set_language("en")
    assert [ngettext("{count} flag", "{count} flags", n).format(count=n) for n in (0, 1, 2)] == [
        "0 flags", "1 flag", "2 flags",
    ]  # fmt: skip
    set_language("vi")
    for n in (0, 1, 2, 5):
        ours = ngettext("{count} certificate", "{count} certificates", n)
        assert ours == stdlib.ngettext("{count} certificate", "{count} certificates", n)
        assert ours.format(count=n) == f"{n} Bằng khen"
    # a plural message without a translation falls back to English's forms
    assert ngettext("{n} apple", "{n} apples", 2) == "{n} apples"


def test_the_po_round_trip_keeps_plural_forms(tmp_path):
    import gettext

    tool = _tool()
    entries = {
        "unit": "đơn vị",
        "{count} flag\0{count} flags": "{count} Cờ thi đua",
        "a\0b": "",  # untranslated: left out of the .mo, counted as missing
    }
    po = tmp_path / "thidua.po"
    tool.write_po(entries, po)
    text = po.read_text("utf-8")
    assert 'msgid "{count} flag"\nmsgid_plural "{count} flags"\nmsgstr[0] "{count} Cờ thi đua"' in (
        text
    )
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert tool.read_po(po) == entries
    mo = tmp_path / "thidua.mo"
    mo.write_bytes(tool.compile_mo(entries))
    with mo.open("rb") as catalog:
        stdlib = gettext.GNUTranslations(catalog)
    assert stdlib.ngettext("{count} flag", "{count} flags", 3) == "{count} Cờ thi đua"
    assert stdlib.ngettext("a", "b", 1) == "a"
    assert stdlib.gettext("unit") == "đơn vị"
